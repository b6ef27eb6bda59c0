#!/bin/sh
# A 64-bit and a 32-bit Linux guest at the same time on 1 pCPU, so that it
# switches between an AArch64 and an AArch32 vCPU all along (HCR_EL2.RW, the
# banked SPSRs, DACR, IFSR and FPEXC go with each vCPU): both reach
# userspace and keep running.
. "$(dirname "$0")/linux-lib.sh"
linux_assets armhf
armhf_image=$LINUX_IMAGE armhf_initrd=$LINUX_INITRD armhf_kver=$LINUX_KVER
linux_assets
daemon_start 1 1024
linux_cfg linux64 1 '' >"$CACHET_STATE_DIR/linux64.cfg"
LINUX_IMAGE=$armhf_image LINUX_INITRD=$armhf_initrd linux_cfg linux32 1 '' \
	>"$CACHET_STATE_DIR/linux32.cfg"
# console_wait NAME REGEX: until the console cachetd keeps for NAME has a
# matching line (polling the file: `cachet console` stays attached until
# the guest prints again, and an idle shell prints nothing).
console_wait() {
	_cw_end=$(($(date +%s) + 240))
	until tr -d '\r' <"$CACHET_STATE_DIR/console/$1.log" 2>/dev/null | grep -E -q -- "$2"; do
		[ "$(date +%s)" -lt "$_cw_end" ] || return 1
		sleep 0.2
	done
}

cachet create "$CACHET_STATE_DIR/linux64.cfg" >/dev/null 2>&1 || fail "create linux64"
cachet create "$CACHET_STATE_DIR/linux32.cfg" >/dev/null 2>&1 || fail "create linux32"
console_wait linux64 "^CACHET-LINUX-UP uname=$LINUX_KVER cpus=1$" || fail "linux64 did not come up"
console_wait linux32 "^CACHET-LINUX-UP uname=$armhf_kver cpus=1$" || fail "linux32 did not come up"
console_wait linux32 "^CACHET-SHELL" || fail "linux32 did not reach its shell"
console_wait linux64 "^CACHET-SHELL" || fail "linux64 did not reach its shell"
running() { [ "$(cachet list | grep -c -E '^linux(64|32) .* r')" = 2 ]; }
wait_for running || fail "both guests not running: $(cachet list)"
cachet destroy linux32 || fail "destroy linux32"
cachet destroy linux64 || fail "destroy linux64"
pass "a 64-bit and a 32-bit Linux guest shared 1 pCPU and both reached userspace"
