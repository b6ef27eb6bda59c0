# Host unit tests (check) of the hypervisor's portable core, built with the
# host compiler against the host fake arch (hypervisor/arch/host).
HV_HOST_CPPFLAGS = -I$(top_srcdir)/hypervisor/include -I$(top_srcdir)/hypervisor/arch/host \
	-I$(top_srcdir)/hypervisor/arch/arm64/include -I$(top_srcdir)/include -DHV_HOST_TEST
HV_HOST_CFLAGS = $(WARN_CFLAGS) $(SAN_CFLAGS) $(CHECK_CFLAGS) -g -O1
HV_HOST_LIBS = $(CHECK_LIBS)
HV_HOST_LINK_FLAGS = $(SAN_CFLAGS)

check_PROGRAMS += tests/unit/test_pt
TESTS += tests/unit/test_pt
tests_unit_test_pt_SOURCES = tests/unit/test_pt.c hypervisor/core/pt.c \
	hypervisor/arch/arm64/pte.c hypervisor/arch/host/host_arch.c
tests_unit_test_pt_CPPFLAGS = $(HV_HOST_CPPFLAGS)
tests_unit_test_pt_CFLAGS = $(HV_HOST_CFLAGS)
tests_unit_test_pt_LDADD = $(HV_HOST_LIBS)
tests_unit_test_pt_LDFLAGS = $(HV_HOST_LINK_FLAGS)

check_PROGRAMS += tests/unit/test_palloc
TESTS += tests/unit/test_palloc
tests_unit_test_palloc_SOURCES = tests/unit/test_palloc.c hypervisor/core/palloc.c \
	hypervisor/core/palloc_selftest.c hypervisor/arch/host/host_arch.c
tests_unit_test_palloc_CPPFLAGS = $(HV_HOST_CPPFLAGS)
tests_unit_test_palloc_CFLAGS = $(HV_HOST_CFLAGS)
tests_unit_test_palloc_LDADD = $(HV_HOST_LIBS)
tests_unit_test_palloc_LDFLAGS = $(HV_HOST_LINK_FLAGS)

check_PROGRAMS += tests/unit/test_cache_policy
TESTS += tests/unit/test_cache_policy
tests_unit_test_cache_policy_SOURCES = tests/unit/test_cache_policy.c hypervisor/core/cache_policy.c
tests_unit_test_cache_policy_CPPFLAGS = $(HV_HOST_CPPFLAGS)
tests_unit_test_cache_policy_CFLAGS = $(HV_HOST_CFLAGS)
tests_unit_test_cache_policy_LDADD = $(HV_HOST_LIBS)
tests_unit_test_cache_policy_LDFLAGS = $(HV_HOST_LINK_FLAGS)

# AArch32 guests: trap decoding, register routing and first register states.
check_PROGRAMS += tests/unit/test_aa32
TESTS += tests/unit/test_aa32
tests_unit_test_aa32_SOURCES = tests/unit/test_aa32.c hypervisor/arch/arm64/aa32_decode.c \
	hypervisor/arch/arm64/vcpu_context.c
tests_unit_test_aa32_CPPFLAGS = $(HV_HOST_CPPFLAGS) -I$(top_srcdir)/hypervisor/arch/arm64
tests_unit_test_aa32_CFLAGS = $(HV_HOST_CFLAGS)
tests_unit_test_aa32_LDADD = $(HV_HOST_LIBS)
tests_unit_test_aa32_LDFLAGS = $(HV_HOST_LINK_FLAGS)

# Touched-page tracking and preemptible flushes over the real page tables.
check_PROGRAMS += tests/unit/test_flush
TESTS += tests/unit/test_flush
tests_unit_test_flush_SOURCES = tests/unit/test_flush.c hypervisor/core/flush.c \
	hypervisor/core/cache_policy.c hypervisor/core/pt.c hypervisor/arch/arm64/pte.c \
	hypervisor/arch/host/host_arch.c
tests_unit_test_flush_CPPFLAGS = $(HV_HOST_CPPFLAGS)
tests_unit_test_flush_CFLAGS = $(HV_HOST_CFLAGS)
tests_unit_test_flush_LDADD = $(HV_HOST_LIBS)
tests_unit_test_flush_LDFLAGS = $(HV_HOST_LINK_FLAGS)

# The real core with only the arch layer faked: the management path and
# the guest-facing emulation (shared with the fuzz harnesses).
HV_HOST_CORE_SRCS = \
	hypervisor/core/mbox.c hypervisor/core/mgmt.c hypervisor/core/domain.c \
	hypervisor/core/event.c hypervisor/core/exitprof.c hypervisor/core/doorbell.c hypervisor/core/sched.c hypervisor/core/scrub.c hypervisor/core/smp.c \
	hypervisor/core/time.c hypervisor/core/log.c hypervisor/core/fmt.c \
	hypervisor/core/palloc.c hypervisor/core/pt.c hypervisor/core/cache_policy.c hypervisor/core/flush.c \
	hypervisor/core/vdev/mmio.c hypervisor/core/vdev/vuart.c \
	hypervisor/core/vdev/vgic.c hypervisor/core/vdev/vgic_mmio.c \
	hypervisor/core/vdev/vpsci.c hypervisor/core/vdev/vvirtio_mmio.c \
	hypervisor/arch/arm64/pte.c hypervisor/arch/arm64/vcpu_context.c \
	hypervisor/arch/host/host_arch.c hypervisor/arch/host/host_vcpu.c \
	hypervisor/arch/host/host_mm.c

# The management path of the real core: mailbox, validation, domains, memory.
check_PROGRAMS += tests/unit/test_mgmt
TESTS += tests/unit/test_mgmt
tests_unit_test_mgmt_SOURCES = tests/unit/test_mgmt.c $(HV_HOST_CORE_SRCS)
tests_unit_test_mgmt_CPPFLAGS = $(HV_HOST_CPPFLAGS) -DCACHET_VERSION='"$(PACKAGE_VERSION)"'
tests_unit_test_mgmt_CFLAGS = $(HV_HOST_CFLAGS)
tests_unit_test_mgmt_LDADD = $(HV_HOST_LIBS)
tests_unit_test_mgmt_LDFLAGS = $(HV_HOST_LINK_FLAGS)

# What a hostile guest reaches in the core: MMIO sizes, vGIC kicks, PSCI.
check_PROGRAMS += tests/unit/test_guest_iface
TESTS += tests/unit/test_guest_iface
tests_unit_test_guest_iface_SOURCES = tests/unit/test_guest_iface.c $(HV_HOST_CORE_SRCS)
tests_unit_test_guest_iface_CPPFLAGS = $(HV_HOST_CPPFLAGS) -DCACHET_VERSION='"$(PACKAGE_VERSION)"'
tests_unit_test_guest_iface_CFLAGS = $(HV_HOST_CFLAGS)
tests_unit_test_guest_iface_LDADD = $(HV_HOST_LIBS)
tests_unit_test_guest_iface_LDFLAGS = $(HV_HOST_LINK_FLAGS)

# The virtio-mmio register file: what a driver sees, what reaches the host.
check_PROGRAMS += tests/unit/test_vvirtio
TESTS += tests/unit/test_vvirtio
tests_unit_test_vvirtio_SOURCES = tests/unit/test_vvirtio.c $(HV_HOST_CORE_SRCS)
tests_unit_test_vvirtio_CPPFLAGS = $(HV_HOST_CPPFLAGS) -DCACHET_VERSION='"$(PACKAGE_VERSION)"'
tests_unit_test_vvirtio_CFLAGS = $(HV_HOST_CFLAGS)
tests_unit_test_vvirtio_LDADD = $(HV_HOST_LIBS)
tests_unit_test_vvirtio_LDFLAGS = $(HV_HOST_LINK_FLAGS)

# The exit profile: per-class counts and times, and which exits are timed.
check_PROGRAMS += tests/unit/test_exitprof
TESTS += tests/unit/test_exitprof
tests_unit_test_exitprof_SOURCES = tests/unit/test_exitprof.c hypervisor/core/exitprof.c
tests_unit_test_exitprof_CPPFLAGS = $(HV_HOST_CPPFLAGS)
tests_unit_test_exitprof_CFLAGS = $(HV_HOST_CFLAGS)
tests_unit_test_exitprof_LDADD = $(HV_HOST_LIBS)
tests_unit_test_exitprof_LDFLAGS = $(HV_HOST_LINK_FLAGS)

# Guest TLB maintenance kept local: which instructions trap to which local twin.
check_PROGRAMS += tests/unit/test_tlbi
TESTS += tests/unit/test_tlbi
tests_unit_test_tlbi_SOURCES = tests/unit/test_tlbi.c hypervisor/arch/arm64/tlbi_decode.c \
	hypervisor/arch/arm64/tlbi_track.c
tests_unit_test_tlbi_CPPFLAGS = $(HV_HOST_CPPFLAGS) -I$(top_srcdir)/hypervisor/arch/arm64
tests_unit_test_tlbi_CFLAGS = $(HV_HOST_CFLAGS)
tests_unit_test_tlbi_LDADD = $(HV_HOST_LIBS)
tests_unit_test_tlbi_LDFLAGS = $(HV_HOST_LINK_FLAGS)
