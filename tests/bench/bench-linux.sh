#!/bin/bash
# Linux guest boot benchmark, in one run:
#   - from `cachet create` to the initramfs's userspace marker, with cachetd
#     and its platform already up (the platform starts once, as in use);
#   - the same kernel and initramfs booted by QEMU alone (no hypervisor),
#     from process start to the same marker;
# for 1 vCPU (the target: ratio <= 1.15) and 2 vCPUs, and the TVM traps a
# boot takes.  Prints figures and ratios; asserts nothing.
#
# Usage (from the build tree): tests/bench/bench-linux.sh [ROUNDS]
set -euo pipefail
rounds=${1:-3}
. "$(dirname "$0")/bench-lib.sh"

cachet_boot() {
	local smp=$1 n=$2 cfg log=$tmp/cachet.log start t
	cfg=$tmp/b$n.cfg
	cat >"$cfg" <<CFG
name = "bench$n"
kernel = "$assets/Image"
ramdisk = "$assets/initramfs.cpio.gz"
memory = 256
vcpus = $smp
extra = "console=ttyAMA0 cachet.test=poweroff"
on_poweroff = "preserve"
CFG
	# Empty before the start: the last round's marker must not be found.
	: >"$log"
	start=$(now)
	cli/cachet create "$cfg" -c </dev/null >"$log" 2>&1 &
	t=$(wait_marker "$start" "$log" '^CACHET-LINUX-UP')
	wait || true
	TVM=$(cli/cachet cache-stats "bench$n" | awk '$1 == "tvm_traps" { print $2 }')
	AFTER=$(cli/cachet cache-stats "bench$n" | awk '$1 == "traps_after_mmu_on" { print $2 }')
	cli/cachet destroy "bench$n" >/dev/null
	echo "$t"
}

daemon/cachetd --cpus 4 --memory 2048 --hypervisor hypervisor/cachet-hv.elf --qemu "$QEMU"
printf 'kernel %s, initramfs %s, %d rounds each, alternating\n' \
	"$(cat "$assets/kernel-version")" "$(basename "$assets/initramfs.cpio.gz")" "$rounds"
n=0
for smp in 1 2; do
	: >"$tmp/c" && : >"$tmp/d"
	for ((i = 0; i < rounds; i++)); do
		n=$((n + 1))
		cachet_boot "$smp" "$n" >>"$tmp/c"
		direct_boot "$smp" cortex-a57 >>"$tmp/d"
	done
	c=$(median <"$tmp/c")
	d=$(median <"$tmp/d")
	printf '%d vCPU: create -> marker under Cachet %6.2f s   QEMU alone %6.2f s   ratio %.2f\n' \
		"$smp" "$c" "$d" "$(awk -v a="$c" -v b="$d" 'BEGIN { print a / b }')"
	printf '%d vCPU: TVM traps during the boot (vCPU 0): %s, of which after the MMU was on: %s\n' \
		"$smp" "$TVM" "$AFTER"
done
