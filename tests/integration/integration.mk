# QEMU integration tests: each boots a hypervisor image built by `make` (all)
# on the QEMU virt board and checks its serial console.  See
# tests/integration/lib.sh for the harness; consoles are kept in
# tests/integration/logs/ for inspection after a run.
TESTS += \
	tests/integration/boot-smp1.sh \
	tests/integration/boot-smp2.sh \
	tests/integration/boot-smp4.sh \
	tests/integration/selftest-palloc.sh \
	tests/integration/panic-dump.sh

EXTRA_DIST += \
	tests/integration/lib.sh \
	tests/integration/boot-smp1.sh \
	tests/integration/boot-smp2.sh \
	tests/integration/boot-smp4.sh \
	tests/integration/selftest-palloc.sh \
	tests/integration/panic-dump.sh

CLEANFILES += \
	tests/integration/logs/*.console \
	tests/integration/logs/*.qemu.log
