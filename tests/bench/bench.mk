# Benchmarks: built with `make`, run with `make bench`; never part of make check.
noinst_PROGRAMS += tests/bench/bench_mgmt
tests_bench_bench_mgmt_SOURCES = tests/bench/bench_mgmt.c tests/common/hvplat.c tests/common/hvplat.h
tests_bench_bench_mgmt_CPPFLAGS = -I$(top_srcdir)/include -I$(top_srcdir)/tests/common
tests_bench_bench_mgmt_CFLAGS = $(WARN_CFLAGS) -O2
tests_bench_bench_mgmt_LDADD = libcachet.la

# The xc_dom build alone, in one process (bench-xen.sh runs it).
noinst_PROGRAMS += tests/bench/bench_xcdom
tests_bench_bench_xcdom_SOURCES = tests/bench/bench_xcdom.c
tests_bench_bench_xcdom_CPPFLAGS = -I$(top_srcdir)/include/cachet/xen
tests_bench_bench_xcdom_CFLAGS = $(WARN_CFLAGS) -O2
tests_bench_bench_xcdom_LDADD = libcachet-xenguest.la libcachet-xenctrl.la

bench: all tests/xen/xc-boot tests/xen/xc-destroy
	tests/bench/bench_mgmt '$(QEMU_AARCH64)' hypervisor/cachet-hv.elf \
		tests/guests/hello.elf tests/guests/direct/hello.elf 10
	top_srcdir='$(abs_top_srcdir)' QEMU='$(QEMU_AARCH64)' bash $(srcdir)/tests/bench/bench-linux.sh 3
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' QEMU='$(QEMU_AARCH64)' \
		bash $(srcdir)/tests/bench/bench-xen.sh 9
.PHONY: bench
EXTRA_DIST += tests/bench/bench-linux.sh tests/bench/bench-xen.sh
