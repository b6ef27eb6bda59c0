# The executable cache-coherency model (tests/model/sim.h): the hypervisor's
# own policy code, built for the host, against a model of Arm caches.
check_PROGRAMS += tests/model/cache-model
TESTS += tests/model/cache-model
tests_model_cache_model_SOURCES = tests/model/model_main.c tests/model/sim.c tests/model/sim.h \
	tests/model/scenarios.c tests/model/hw.c tests/model/hw.h tests/model/rng.h \
	hypervisor/core/cache_policy.c
tests_model_cache_model_CPPFLAGS = $(HV_HOST_CPPFLAGS)
tests_model_cache_model_CFLAGS = $(HV_HOST_CFLAGS)
tests_model_cache_model_LDFLAGS = $(HV_HOST_LINK_FLAGS)
