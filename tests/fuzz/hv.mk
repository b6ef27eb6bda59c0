# Harnesses for the hypervisor's guest-facing emulation, driving the real
# core through its host build (the fake arch of tests/unit/unit.mk).
HV_FUZZ_CPPFLAGS = -DHV_HOST_TEST -DCACHET_VERSION='"fuzz"' \
	-I$(top_srcdir)/hypervisor/include -I$(top_srcdir)/hypervisor/arch/host \
	-I$(top_srcdir)/hypervisor/arch/arm64/include -I$(top_srcdir)/tests/fuzz
HV_FUZZ_SRCS = tests/fuzz/hv_harness.c $(HV_HOST_CORE_SRCS)

# Distributor and redistributor MMIO, SGIs, lines, the list-register protocol.
FUZZERS += hv_vgic
fuzz_hv_vgic_SRCS = tests/fuzz/fuzz_hv_vgic.c $(HV_FUZZ_SRCS)
fuzz_hv_vgic_CPPFLAGS = $(HV_FUZZ_CPPFLAGS)

# The emulated UART's registers and the console input behind them.
FUZZERS += hv_uart
fuzz_hv_uart_SRCS = tests/fuzz/fuzz_hv_uart.c $(HV_FUZZ_SRCS)
fuzz_hv_uart_CPPFLAGS = $(HV_FUZZ_CPPFLAGS)

# The virtio-mmio register file, from the guest's and the daemon's side.
FUZZERS += hv_virtio
fuzz_hv_virtio_SRCS = tests/fuzz/fuzz_hv_virtio.c $(HV_FUZZ_SRCS)
fuzz_hv_virtio_CPPFLAGS = $(HV_FUZZ_CPPFLAGS)

# HVC dispatch (PSCI over SMCCC) and the trapped ICC_SGI1R_EL1 write.
FUZZERS += hv_hvc
fuzz_hv_hvc_SRCS = tests/fuzz/fuzz_hv_hvc.c $(HV_FUZZ_SRCS)
fuzz_hv_hvc_CPPFLAGS = $(HV_FUZZ_CPPFLAGS)


# The emulation table behind trapped system-register accesses (debug, PMU,
# ID, implementation-defined, LORegion, physical timer), on the host's fake
# register file.
FUZZERS += hv_sysreg
fuzz_hv_sysreg_SRCS = tests/fuzz/fuzz_hv_sysreg.c hypervisor/arch/arm64/sysreg_emul.c \
	hypervisor/arch/host/host_sysreg.c tests/fuzz/hv_harness.c $(HV_HOST_CORE_SRCS)
fuzz_hv_sysreg_CPPFLAGS = $(HV_FUZZ_CPPFLAGS) -I$(top_srcdir)/hypervisor/arch/arm64

EXTRA_DIST += tests/fuzz/hv.mk tests/fuzz/hv_harness.h
