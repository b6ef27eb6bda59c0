# QEMU integration tests: each boots a hypervisor image built by `make` (all)
# on the QEMU virt board and checks its serial console.  See
# tests/integration/lib.sh for the harness; consoles are kept in
# tests/integration/logs/ for inspection after a run.
INTEGRATION_TESTS = \
	tests/integration/boot-smp1.sh \
	tests/integration/boot-smp2.sh \
	tests/integration/boot-smp4.sh \
	tests/integration/selftest-palloc.sh \
	tests/integration/panic-dump.sh \
	tests/integration/abi-malformed.sh \
	tests/integration/daemon-hello.sh \
	tests/integration/daemon-cache-policy.sh \
	tests/integration/daemon-unsafe-policies.sh \
	tests/integration/daemon-s2fwb.sh \
	tests/integration/daemon-s2-fault.sh \
	tests/integration/daemon-setway-migrate.sh \
	tests/integration/daemon-two-guests.sh \
	tests/integration/daemon-crash.sh \
	tests/integration/daemon-cycles.sh \
	tests/integration/daemon-malformed.sh \
	tests/integration/daemon-json-roundtrip.sh \
	tests/integration/daemon-other-user.sh \
	tests/integration/daemon-never-blocked.sh \
	tests/integration/daemon-kill9.sh \
	tests/integration/daemon-create-interrupted.sh \
	tests/integration/hostile-guest.sh \
	tests/integration/linux-smp1.sh \
	tests/integration/linux-migrate.sh \
	tests/integration/linux-s2fwb.sh \
	tests/integration/linux-s2-fault.sh \
	tests/integration/a32-probe.sh \
	tests/integration/linux-armhf.sh \
	tests/integration/linux-mixed.sh \
	tests/integration/linux-smp2.sh \
	tests/integration/linux-smp4.sh \
	tests/integration/linux-two-guests.sh \
	tests/integration/linux-reboot.sh \
	tests/integration/linux-console.sh \
	tests/integration/linux-xml.sh \
	tests/integration/linux-events.sh \
	tests/integration/linux-net.sh \
	tests/integration/linux-bridge.sh \
	tests/integration/linux-disk.sh \
	tests/integration/virtio-hostile.sh \
	tests/integration/linux-disk-restart.sh \
	tests/integration/linux-two-disks.sh

if QEMU_TESTS
TESTS += $(INTEGRATION_TESTS)
endif

# Sends malformed requests straight to the hypervisor's mailbox.
check_PROGRAMS += tests/integration/abi_probe
tests_integration_abi_probe_SOURCES = tests/integration/abi_probe.c tests/common/hvplat.c \
	tests/common/hvplat.h
tests_integration_abi_probe_CPPFLAGS = -I$(top_srcdir)/include -I$(top_srcdir)/tests/common
tests_integration_abi_probe_LDADD = libcachet.la

EXTRA_DIST += $(INTEGRATION_TESTS) \
	tests/integration/daemon-lib.sh \
	tests/integration/policy-lib.sh \
	tests/integration/linux-lib.sh \
	tests/integration/lib.sh

CLEANFILES += \
	tests/integration/logs/*.console \
	tests/integration/logs/*.qemu.log
