#!/bin/sh
# The test guests' own smoke test: runs each guest's direct build
# (tests/guests/direct/NAME.elf, console on virt's PL011) on QEMU's virt
# board at EL1, with no hypervisor, and checks what it prints.  This checks
# the guests, not Cachet: plain QEMU has no caches to get wrong and nothing
# traps, but every guest must reach its result line, print the counts the
# integration tests will compare with Cachet's trap counters, and power
# off through PSCI.  crash has no PASS: on virt its read faults, and the
# guest's vector table reports the exception.
#
# Usage: qemu-direct.sh [NAME...]   (default: every guest)
# Environment (make check sets the first two): top_builddir, QEMU,
# GUEST_TIMEOUT (seconds per guest, default 30), LOGDIR.
# Exit codes follow automake's test protocol: 0 pass, 1 fail, 77 skip.
#
# The check_NAME functions are called by name, which shellcheck cannot see.
# shellcheck disable=SC2317
set -u

: "${top_builddir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${QEMU:=qemu-system-aarch64}"
: "${GUEST_TIMEOUT:=30}"
: "${LOGDIR:=$top_builddir/tests/guests/logs}"

ELFDIR=$top_builddir/tests/guests/direct
failures=0

say() {
	printf 'qemu-direct: %s\n' "$*"
}

command -v "$QEMU" >/dev/null 2>&1 || {
	say "SKIP: $QEMU not found (Debian package qemu-system-arm)"
	exit 77
}
command -v timeout >/dev/null 2>&1 || {
	say "ERROR: timeout(1) is missing (Debian package coreutils)"
	exit 99
}
mkdir -p "$LOGDIR" || exit 99
case $LOGDIR in
*,*)
	say "ERROR: LOGDIR must not contain a comma (QEMU splits options there): $LOGDIR"
	exit 99
	;;
esac

# The console without CRs and NULs, one line per line.
console() {
	tr -d '\r\000' <"$CONSOLE" | awk '{ print }'
}

# Records a failed check of the current guest.
bad() {
	say "FAIL: $NAME: $*"
	GUEST_OK=no
}

expect_line() {
	console | grep -E -- "$1" >/dev/null || bad "no console line matches /$1/"
}

expect_no_line() {
	if console | grep -E -- "$1" >/dev/null; then
		bad "a console line matches /$1/"
	fi
}

# The result line must be the last line: nothing may follow it.
expect_last_line() {
	_last=$(console | tail -n 1)
	printf '%s\n' "$_last" | grep -E -- "$1" >/dev/null ||
		bad "the last console line is '$_last', not /$1/"
}

# Runs guest $1 and checks its console with the function check_$1.
run_guest() {
	NAME=$1
	ELF=$ELFDIR/$NAME.elf
	CONSOLE=$LOGDIR/$NAME.console
	QEMU_LOG=$LOGDIR/$NAME.qemu.log
	GUEST_OK=yes
	if [ ! -f "$ELF" ]; then
		say "FAIL: $NAME: $ELF not found; build it first (make)"
		failures=$((failures + 1))
		return
	fi
	: >"$CONSOLE"
	status=0
	timeout -k 5 "$GUEST_TIMEOUT" "$QEMU" -M virt -cpu cortex-a57 -m 128 \
		-display none -monitor none -serial "file:$CONSOLE" -no-reboot \
		-kernel "$ELF" </dev/null >"$QEMU_LOG" 2>&1 || status=$?
	case $status in
	0) ;;
	124 | 137) bad "QEMU did not exit within ${GUEST_TIMEOUT}s (no PSCI SYSTEM_OFF?)" ;;
	*) bad "QEMU exited with status $status" ;;
	esac
	expect_line '^RESULT: '
	"check_$(printf '%s' "$NAME" | tr - _)"
	if [ "$GUEST_OK" = yes ]; then
		say "PASS: $NAME"
	else
		failures=$((failures + 1))
		printf '==== console of %s (%s) ====\n' "$NAME" "$CONSOLE"
		console
		printf '==== end of console ====\n'
		if [ -s "$QEMU_LOG" ]; then
			printf '==== QEMU output ====\n'
			awk '{ print }' "$QEMU_LOG"
			printf '==== end of QEMU output ====\n'
		fi
	fi
}

check_hello() {
	expect_line '^Hello from a Cachet guest$'
	expect_line '^PSCI version [0-9]+\.[0-9]+$'
	expect_last_line '^RESULT: PASS hello$'
}

check_mmu_off_read() {
	expect_line '^mmu-off: blob fnv1a64=0x[0-9a-f]{16} expected=0x[0-9a-f]{16} ok$'
	expect_line '^mmu-on: blob fnv1a64=0x[0-9a-f]{16} expected=0x[0-9a-f]{16} ok$'
	expect_line '^VMREGS: sctlr=1 ttbr0=1 tcr=1 mair=1 total=4$'
	expect_last_line '^RESULT: PASS mmu-off-read$'
}

check_m_before_c() {
	for stage in mmu-off mmu-on-cache-off mmu-on-cache-on; do
		expect_line "^$stage: blob fnv1a64=.* ok\$"
	done
	expect_no_line 'MISMATCH'
	expect_line '^VMREGS: sctlr=2 ttbr0=1 tcr=1 mair=1 total=5$'
	expect_last_line '^RESULT: PASS m-before-c$'
}

check_tvm() {
	expect_line '^tvm: [0-9]+ read-backs, 0 mismatched$'
	expect_line '^VMREGS: sctlr=3 ttbr0=3 tcr=2 mair=2 ttbr1=1 esr=1 far=1 afsr0=1 afsr1=1 amair=1 contextidr=1 total=17$'
	expect_last_line '^RESULT: PASS tvm$'
}

check_setway() {
	expect_line '^SETWAY: ops=[1-9][0-9]*$'
	expect_line '^VMREGS: sctlr=2 ttbr0=1 tcr=1 mair=1 total=5$'
	expect_last_line '^RESULT: PASS setway$'
}

# On virt the read takes a synchronous external abort at EL1 (EC 0x25).
check_crash() {
	expect_line '^about to touch an unmapped IPA$'
	expect_line '^unexpected exception ESR=0x[0-9a-f]+ \(EC 0x25\)'
	expect_no_line 'read returned'
	expect_no_line 'RESULT: PASS'
	expect_last_line '^RESULT: FAIL crash unexpected exception'
}

if [ $# -eq 0 ]; then
	set -- hello mmu-off-read m-before-c tvm crash setway
fi
for guest in "$@"; do
	run_guest "$guest"
done
if [ "$failures" -ne 0 ]; then
	say "FAIL: $failures guest(s) failed"
	exit 1
fi
say "PASS: $* behaved as expected on QEMU virt at EL1"
exit 0
