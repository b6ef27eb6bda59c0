# Harnesses for the daemon's parsers.

# CPU lists (xl's cpus= and vcpu-pin syntax).
FUZZERS += cpulist
fuzz_cpulist_SRCS = tests/fuzz/fuzz_cpulist.c daemon/cpulist.c
fuzz_cpulist_CPPFLAGS = -I$(top_srcdir)/daemon
