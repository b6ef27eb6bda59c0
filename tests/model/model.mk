# The executable cache-coherency model (tests/model/sim.h): the hypervisor's
# own policy, flush, access-tracking and page-table code, built for the host,
# against a model of Arm caches.  Flushes run one page per slice here, so the
# model interleaves other actors between every page the hypervisor cleans.
check_PROGRAMS += tests/model/cache-model
TESTS += tests/model/cache-model
tests_model_cache_model_SOURCES = tests/model/model_main.c tests/model/sim.c tests/model/sim.h \
	tests/model/scenarios.c tests/model/hw.c tests/model/hw.h tests/model/rng.h \
	tests/model/s2.c tests/model/s2.h \
	hypervisor/core/cache_policy.c hypervisor/core/flush.c hypervisor/core/pt.c \
	hypervisor/arch/arm64/pte.c hypervisor/arch/host/host_arch.c
tests_model_cache_model_CPPFLAGS = $(HV_HOST_CPPFLAGS) -DFLUSH_SLICE_BYTES=4096
tests_model_cache_model_CFLAGS = $(HV_HOST_CFLAGS)
tests_model_cache_model_LDFLAGS = $(HV_HOST_LINK_FLAGS)
