# The libxc compatibility libraries (libcachet-xen(7)): libcachet-xenctrl,
# libcachet-xenguest and libcachet-xenforeignmemory, thin adapters onto
# libcachet with Xen 4.17's API (headers in include/cachet/xen, installed
# under $(includedir)/cachet/xen so they never clash with libxen-dev).
# Each library exports exactly the symbols of its .map file (version node
# CACHET_XEN_4.17); tests/unit/check-symbols.sh compares them in make check.

XEN_COMPAT_CPPFLAGS = -I$(top_srcdir)/include -I$(top_srcdir)/include/cachet/xen \
	-I$(top_srcdir)/libxc

lib_LTLIBRARIES += libcachet-xenctrl.la
libcachet_xenctrl_la_SOURCES = libxc/xc_private.h libxc/xc_errors.c libxc/xc_channel.c \
	libxc/xc_host.c libxc/xc_domain.c libxc/xc_vcpu.c libxc/xtl_logger.c \
	libxc/xc_foreign.c libxc/xc_compat_map.c
libcachet_xenctrl_la_CPPFLAGS = $(XEN_COMPAT_CPPFLAGS)
libcachet_xenctrl_la_CFLAGS = $(WARN_CFLAGS) $(JSONC_CFLAGS)
libcachet_xenctrl_la_LDFLAGS = -version-info 0:0:0 \
	-Wl,--version-script=$(top_srcdir)/libxc/xenctrl.map
libcachet_xenctrl_la_LIBADD = libcachet.la $(JSONC_LIBS) -lpthread
EXTRA_libcachet_xenctrl_la_DEPENDENCIES = libxc/xenctrl.map

xencompatdir = $(includedir)/cachet/xen
xencompat_HEADERS = include/cachet/xen/xenctrl.h include/cachet/xen/xenctrl_compat.h \
	include/cachet/xen/xentoollog.h include/cachet/xen/xenforeignmemory.h
xencompatpubdir = $(includedir)/cachet/xen/xen
xencompatpub_HEADERS = include/cachet/xen/xen/xen.h include/cachet/xen/xen/arch-arm.h \
	include/cachet/xen/xen/domctl.h include/cachet/xen/xen/sysctl.h \
	include/cachet/xen/xen/version.h include/cachet/xen/xen/sched.h

EXTRA_DIST += libxc/xenctrl.map

# Example clients (tests/xen): built by make check against Cachet's headers
# and libraries, and syntax-checked against Debian's libxen-dev headers.
XEN_EXAMPLE_CPPFLAGS = -I$(top_srcdir)/include/cachet/xen
check_PROGRAMS += tests/xen/xc-list
tests_xen_xc_list_SOURCES = tests/xen/xc-list.c
tests_xen_xc_list_CPPFLAGS = $(XEN_EXAMPLE_CPPFLAGS)
tests_xen_xc_list_LDADD = libcachet-xenctrl.la

lib_LTLIBRARIES += libcachet-xenguest.la
# xc_errors.c is built in too: the error scheme is internal to each library.
libcachet_xenguest_la_SOURCES = libxc/xg_dom.c libxc/xc_errors.c libxc/xc_private.h
libcachet_xenguest_la_CPPFLAGS = $(XEN_COMPAT_CPPFLAGS)
libcachet_xenguest_la_CFLAGS = $(WARN_CFLAGS)
libcachet_xenguest_la_LDFLAGS = -version-info 0:0:0 \
	-Wl,--version-script=$(top_srcdir)/libxc/xenguest.map
libcachet_xenguest_la_LIBADD = libcachet-xenctrl.la libcachet.la -lpthread
EXTRA_libcachet_xenguest_la_DEPENDENCIES = libxc/xenguest.map
xencompat_HEADERS += include/cachet/xen/xenguest.h
EXTRA_DIST += libxc/xenguest.map

lib_LTLIBRARIES += libcachet-xenforeignmemory.la
# Like libcachet-xenguest, it carries its own copy of the internal error and
# mapping code (the same sources), since libcachet-xenctrl exports neither.
libcachet_xenforeignmemory_la_SOURCES = libxc/xfm.c libxc/xc_foreign.c libxc/xc_errors.c \
	libxc/xc_private.h
libcachet_xenforeignmemory_la_CPPFLAGS = $(XEN_COMPAT_CPPFLAGS)
libcachet_xenforeignmemory_la_CFLAGS = $(WARN_CFLAGS)
libcachet_xenforeignmemory_la_LDFLAGS = -version-info 0:0:0 \
	-Wl,--version-script=$(top_srcdir)/libxc/xenforeignmemory.map
libcachet_xenforeignmemory_la_LIBADD = libcachet-xenctrl.la libcachet.la -lpthread
EXTRA_libcachet_xenforeignmemory_la_DEPENDENCIES = libxc/xenforeignmemory.map
EXTRA_DIST += libxc/xenforeignmemory.map
check_PROGRAMS += tests/xen/xc-boot
tests_xen_xc_boot_SOURCES = tests/xen/xc-boot.c
tests_xen_xc_boot_CPPFLAGS = $(XEN_EXAMPLE_CPPFLAGS)
tests_xen_xc_boot_LDADD = libcachet-xenguest.la libcachet-xenctrl.la
check_PROGRAMS += tests/xen/xc-map
tests_xen_xc_map_SOURCES = tests/xen/xc-map.c
tests_xen_xc_map_CPPFLAGS = $(XEN_EXAMPLE_CPPFLAGS)
tests_xen_xc_map_LDADD = libcachet-xenforeignmemory.la libcachet-xenctrl.la
check_PROGRAMS += tests/xen/xc-errors
tests_xen_xc_errors_SOURCES = tests/xen/xc-errors.c
tests_xen_xc_errors_CPPFLAGS = $(XEN_EXAMPLE_CPPFLAGS)
tests_xen_xc_errors_LDADD = libcachet-xenguest.la libcachet-xenctrl.la
check_PROGRAMS += tests/xen/xc-stress
tests_xen_xc_stress_SOURCES = tests/xen/xc-stress.c
tests_xen_xc_stress_CPPFLAGS = $(XEN_EXAMPLE_CPPFLAGS)
tests_xen_xc_stress_LDADD = libcachet-xenctrl.la
check_PROGRAMS += tests/xen/xc-destroy
tests_xen_xc_destroy_SOURCES = tests/xen/xc-destroy.c
tests_xen_xc_destroy_CPPFLAGS = $(XEN_EXAMPLE_CPPFLAGS)
tests_xen_xc_destroy_LDADD = libcachet-xenctrl.la

# The examples against Debian's real Xen 4.17 headers (aarch64, syntax only),
# the exported symbols against the maps, and the examples on a real
# hypervisor (QEMU).
XEN_COMPAT_TESTS = tests/xen/check-debian-headers.sh tests/xen/check-symbols.sh
XEN_QEMU_TESTS = tests/integration/xen-linux.sh tests/integration/xen-api.sh
TESTS += $(XEN_COMPAT_TESTS)
if QEMU_TESTS
TESTS += $(XEN_QEMU_TESTS)
endif
EXTRA_DIST += $(XEN_COMPAT_TESTS) $(XEN_QEMU_TESTS)
XEN_EXAMPLES = tests/xen/xc-list.c tests/xen/xc-boot.c tests/xen/xc-map.c \
	tests/xen/xc-errors.c tests/xen/xc-stress.c tests/xen/xc-destroy.c tests/xen/xc-domctl.c
AM_TESTS_ENVIRONMENT += XEN_EXAMPLES='$(XEN_EXAMPLES)'; export XEN_EXAMPLES;
CLEANFILES += tests/xen/*.want

# pkg-config modules for libcachet and the three compatibility libraries.
pkgconfigdir = $(libdir)/pkgconfig
pkgconfig_DATA = pkgconfig/cachet.pc pkgconfig/cachet-xenctrl.pc \
	pkgconfig/cachet-xenguest.pc pkgconfig/cachet-xenforeignmemory.pc
EXTRA_DIST += pkgconfig/cachet.pc.in pkgconfig/cachet-xenctrl.pc.in \
	pkgconfig/cachet-xenguest.pc.in pkgconfig/cachet-xenforeignmemory.pc.in

# `make installcheck` (and distcheck): the example clients build from the
# installed headers, libraries and pkg-config modules alone.
XEN_INSTALLCHECK_PC = PKG_CONFIG_PATH='$(DESTDIR)$(libdir)/pkgconfig' \
	PKG_CONFIG_SYSROOT_DIR='$(DESTDIR)'
installcheck-local:
	@set -e; for ex in xc-boot:cachet-xenctrl,cachet-xenguest \
	    xc-map:cachet-xenctrl,cachet-xenforeignmemory xc-list:cachet-xenctrl; do \
	  name=$${ex%%:*}; mods=$$(echo "$${ex#*:}" | tr , ' '); \
	  flags=$$($(XEN_INSTALLCHECK_PC) $(PKG_CONFIG) --cflags --libs $$mods); \
	  $(CC) -Wall -Werror -o installcheck-$$name $(srcdir)/tests/xen/$$name.c $$flags \
	    -Wl,-rpath-link='$(DESTDIR)$(libdir)'; \
	  echo "installcheck: $$name builds with pkg-config $$mods"; \
	  rm -f installcheck-$$name; done
check_PROGRAMS += tests/xen/xc-domctl
tests_xen_xc_domctl_SOURCES = tests/xen/xc-domctl.c
tests_xen_xc_domctl_CPPFLAGS = $(XEN_EXAMPLE_CPPFLAGS)
tests_xen_xc_domctl_LDADD = libcachet-xenctrl.la
