# common: code that the CLI and the daemon share and build into each (no
# library of its own: the unit tests build it again with the sanitizers).
#
# cfgdev: xl.cfg's disk= and vif= specs in libxl's shapes.  `cachet` parses
# them to check a configuration and to write libxl's JSON and libvirt's XML;
# cachetd parses the same specs with the same code when it attaches devices.
CFGDEV_SOURCES = common/cfgdev.c common/cfgdev.h
CFGDEV_CPPFLAGS = -I$(top_srcdir)/common
