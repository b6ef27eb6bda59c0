# Benchmarks: built with `make`, run with `make bench`; never part of make check.
noinst_PROGRAMS += tests/bench/bench_mgmt
tests_bench_bench_mgmt_SOURCES = tests/bench/bench_mgmt.c tests/common/hvplat.c tests/common/hvplat.h
tests_bench_bench_mgmt_CPPFLAGS = -I$(top_srcdir)/include -I$(top_srcdir)/tests/common
tests_bench_bench_mgmt_CFLAGS = $(WARN_CFLAGS) -O2
tests_bench_bench_mgmt_LDADD = libcachet.la

bench: all
	tests/bench/bench_mgmt '$(QEMU_AARCH64)' hypervisor/cachet-hv.elf \
		tests/guests/hello.elf tests/guests/direct/hello.elf 10
	top_srcdir='$(abs_top_srcdir)' QEMU='$(QEMU_AARCH64)' bash $(srcdir)/tests/bench/bench-linux.sh 3
	QEMU='$(QEMU_AARCH64)' bash $(srcdir)/tests/bench/bench-hostile.sh 3
.PHONY: bench
EXTRA_DIST += tests/bench/bench-linux.sh tests/bench/bench-hostile.sh
