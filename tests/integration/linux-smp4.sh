#!/bin/sh
# Debian's arm64 kernel with 4 vCPU(s) on a 4-pCPU platform: the initramfs
# reports the kernel release and the online CPU count, checks with
# tlbcheck that an mprotect's TLB invalidation reaches every vCPU (running
# guest code or idle; tests/linux/guest/tlbcheck.c), then powers off.
. "$(dirname "$0")/linux-lib.sh"
linux_assets
daemon_start 4 1024
linux_cfg linux4 4 'cachet.test=tlb' >"$CACHET_STATE_DIR/linux4.cfg"
# Linux's serial console ends lines with CR LF.
out=$(timeout 300 "$CACHET_BIN" create "$CACHET_STATE_DIR/linux4.cfg" -c </dev/null 2>&1 | tr -d '\r') ||
	fail "cachet create -c failed: $(printf '%s\n' "$out" | tail -n 20)"
marker=$(printf '%s\n' "$out" | grep '^CACHET-LINUX-UP ') ||
	fail "no marker line; console tail: $(printf '%s\n' "$out" | tail -n 20)"
[ "$marker" = "CACHET-LINUX-UP uname=$LINUX_KVER cpus=4" ] ||
	fail "marker '$marker', expected uname=$LINUX_KVER cpus=4"
check=$(printf '%s\n' "$out" | grep '^TLBCHECK ') || fail "no TLBCHECK line; console tail: $(printf '%s\n' "$out" | tail -n 20)"
case $check in
"TLBCHECK ok "*) ;;
*) fail "$check" ;;
esac
printf '%s\n' "$out" | grep -q 'reboot: Power down' || fail "the guest did not power off"
pass "Linux $LINUX_KVER booted with 4 vCPU(s), $check, powered off"
