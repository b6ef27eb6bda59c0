# Benchmarks: built with `make`, run with `make bench`; never part of make check.
BENCH_STATS_SRCS = tests/bench/bench_stats.c tests/bench/bench_stats.h
noinst_PROGRAMS += tests/bench/bench_mgmt
tests_bench_bench_mgmt_SOURCES = tests/bench/bench_mgmt.c $(BENCH_STATS_SRCS) tests/common/hvplat.c tests/common/hvplat.h
tests_bench_bench_mgmt_CPPFLAGS = -I$(top_srcdir)/include -I$(top_srcdir)/tests/common -I$(top_srcdir)/tests/bench
tests_bench_bench_mgmt_CFLAGS = $(WARN_CFLAGS) -O2
tests_bench_bench_mgmt_LDADD = libcachet.la

# The xc_dom build alone, in one process (bench-xen.sh runs it).
noinst_PROGRAMS += tests/bench/bench_xcdom
tests_bench_bench_xcdom_SOURCES = tests/bench/bench_xcdom.c $(BENCH_STATS_SRCS)
tests_bench_bench_xcdom_CPPFLAGS = -I$(top_srcdir)/include/cachet/xen -I$(top_srcdir)/tests/bench
tests_bench_bench_xcdom_CFLAGS = $(WARN_CFLAGS) -O2
tests_bench_bench_xcdom_LDADD = libcachet-xenguest.la libcachet-xenctrl.la

# Create+destroy rate through cachetd, with the CLI's JSON-RPC client.
noinst_PROGRAMS += tests/bench/bench_lifecycle
tests_bench_bench_lifecycle_SOURCES = tests/bench/bench_lifecycle.c $(BENCH_STATS_SRCS) cli/rpc.c cli/rpc.h
tests_bench_bench_lifecycle_CPPFLAGS = -I$(top_srcdir)/include -I$(top_srcdir)/cli -I$(top_srcdir)/tests/bench $(JSONC_CFLAGS)
tests_bench_bench_lifecycle_CFLAGS = $(WARN_CFLAGS) -O2
tests_bench_bench_lifecycle_LDADD = $(JSONC_LIBS)

# Every benchmark, then one summary table (tests/bench/bench-all.sh).
bench: all tests/xen/xc-boot tests/xen/xc-destroy
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' QEMU='$(QEMU_AARCH64)' \
		bash $(srcdir)/tests/bench/bench-all.sh
.PHONY: bench
EXTRA_DIST += tests/bench/bench-linux.sh tests/bench/bench-xen.sh tests/bench/bench-scale.sh \
	tests/bench/bench-policies.sh tests/bench/bench-lib.sh tests/bench/bench-bin.sh tests/bench/bench-hostile.sh \
	tests/bench/bench-fair.sh tests/bench/bench-all.sh \
	tests/bench/bench-virtio.sh tests/bench/tcp-sink.py

# The floor (tests/bench/floor): a minimal EL2 shim that boots the benchmark's
# Linux guest behind a 1 GiB-block stage-2 identity map, to show how much of
# a boot under Cachet is the cost of nesting under QEMU at all.  Freestanding,
# built with the hypervisor's compiler and flags; QEMU loads floor.bin as an
# arm64 Image.
FLOOR_SRCS = tests/bench/floor/floor_head.S tests/bench/floor/floor.c \
	tests/bench/floor/floor_fdt.c tests/bench/floor/floor_uart.c
FLOOR_DEPS = $(FLOOR_SRCS) tests/bench/floor/floor.h tests/bench/floor/floor.lds
FLOOR_CPPFLAGS = -I$(srcdir)/tests/bench/floor -I$(srcdir)/hypervisor/include \
	-I$(srcdir)/hypervisor/arch/arm64/include

tests/bench/floor/floor.elf: $(FLOOR_DEPS)
	@mkdir -p $(@D)
	$(hv_v_ld)$(HV_CC) $(FLOOR_CPPFLAGS) $(HV_CFLAGS) -nostdlib -static -no-pie \
		-Wl,--build-id=none -Wl,--no-warn-rwx-segments \
		-Wl,-T,$(srcdir)/tests/bench/floor/floor.lds -o $@ $(addprefix $(srcdir)/,$(FLOOR_SRCS))

tests/bench/floor/floor.bin: tests/bench/floor/floor.elf
	$(AM_V_GEN)$(HV_OBJCOPY) -O binary $< $@

noinst_DATA = tests/bench/floor/floor.bin
CLEANFILES += tests/bench/floor/floor.elf tests/bench/floor/floor.bin
EXTRA_DIST += $(FLOOR_DEPS)
