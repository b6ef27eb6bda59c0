#!/bin/bash
# Linux guest boot benchmark, in one run:
#   - from `cachet create` to the initramfs's userspace marker, with cachetd
#     and its platform already up (the platform starts once, as in use);
#   - the same kernel and initramfs booted by QEMU alone (no hypervisor),
#     from process start to the same marker;
#   - the same again under the floor (tests/bench/floor): a minimal EL2
#     shim on Cachet's platform (virtualization=on, GICv3, 4 CPUs with
#     maxcpus= limiting the guest to its vCPU count) that maps the guest's
#     RAM with 1 GiB stage-2 blocks and traps only SMC, i.e. the least that
#     nesting under QEMU costs;
# for 1, 2 and 4 vCPUs, alternating the three in each round, the TVM
# traps a boot takes and its exit profile (exits per class and the
# hypervisor's time on them).  Prints medians with their range and ratios; asserts
# nothing.
#
# Usage (from the build tree): tests/bench/bench-linux.sh [ROUNDS]
set -euo pipefail
rounds=${1:-5}
. "$(dirname "$0")/bench-lib.sh"

# The floor runs on the platform Cachet uses; 8 MiB above the guest's
# 256 MiB hold the floor, the initramfs and the DTB QEMU puts after it
# (floor.h); the floor trims the DTB's memory to the 256 MiB below it.
floor_boot() {
	local smp=$1 log=$tmp/floor.log start t pid
	rm -f "$log"
	start=$(now)
	timeout 300 "$QEMU" -M virt,virtualization=on,gic-version=3 -cpu cortex-a57 -smp 4 -m 264 \
		-display none -monitor none -nodefaults -serial "file:$log" -no-reboot \
		-kernel tests/bench/floor/floor.bin \
		-device "loader,file=$assets/Image,addr=0x40200000,force-raw=on" \
		-initrd "$assets/initramfs.cpio.gz" \
		-append "console=ttyAMA0 cachet.test=poweroff cachet.modules=no maxcpus=$smp" &
	pid=$!
	t=$(wait_marker "$start" "$log" '^CACHET-LINUX-UP' "$pid")
	wait "$pid" || true
	echo "$t"
}

cachet_boot() {
	local smp=$1 n=$2 t
	t=$(linux_boot "bench$n" "$smp")
	cli/cachet cache-stats "bench$n" >"$tmp/stats"
	TVM=$(awk '$1 == "tvm_traps" { print $2 }' "$tmp/stats")
	AFTER=$(awk '$1 == "traps_after_mmu_on" { print $2 }' "$tmp/stats")
	cli/cachet destroy "bench$n" >/dev/null
	echo "$t"
}

# The exit profile of the last Cachet boot (cachet-stats(1) exit counters):
# per class, the exits of all vCPUs, the hypervisor's time on them and the
# mean per exit.
exit_profile() {
	local smp=$1
	awk -v smp="$smp" '
		function sum(row,  i, t) { t = 0; for (i = 2; i <= NF; i++) t += $i; return t }
		{ v[$1] = sum() }
		$1 == "counter_hz" { hz = $2 }
		END {
			line = sprintf("%d vCPU: exits (all vCPUs, last round): %d;", smp, v["exits"])
			split("mmio sysreg wfx irq other", c, " ")
			for (i = 1; i <= 5; i++) {
				n = v[c[i] "_exits"]; s = v[c[i] "_ticks"] / hz
				line = line sprintf(" %s %d x %.1f us = %.3f s;", c[i], n,
						    n ? s * 1e6 / n : 0, s)
			}
			print line
		}' "$tmp/stats"
}

# "median s (min-max)" of a file of figures.
spread() { printf '%.2f s (%s)' "$(median <"$1")" "$(range <"$1")"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

daemon/cachetd --cpus 4 --memory 2048 --hypervisor hypervisor/cachet-hv.elf --qemu "$QEMU"
printf 'kernel %s, initramfs %s, %d rounds each, alternating\n' \
	"$(cat "$assets/kernel-version")" "$(basename "$assets/initramfs.cpio.gz")" "$rounds"
n=0
summary=()
for smp in 1 2 4; do
	: >"$tmp/c" && : >"$tmp/d" && : >"$tmp/f"
	for ((i = 0; i < rounds; i++)); do
		n=$((n + 1))
		cachet_boot "$smp" "$n" >>"$tmp/c"
		direct_boot "$smp" cortex-a57 >>"$tmp/d"
		floor_boot "$smp" >>"$tmp/f"
	done
	c=$(median <"$tmp/c")
	d=$(median <"$tmp/d")
	f=$(median <"$tmp/f")
	printf '%d vCPU: create -> marker: Cachet %s, QEMU alone %s, floor %s\n' \
		"$smp" "$(spread "$tmp/c")" "$(spread "$tmp/d")" "$(spread "$tmp/f")"
	printf '%d vCPU: TVM traps during the boot (vCPU 0): %s, of which after the MMU was on: %s\n' \
		"$smp" "$TVM" "$AFTER"
	printf '%d vCPU: every round (s): Cachet %s; QEMU alone %s; floor %s\n' "$smp" \
		"$(paste -sd' ' "$tmp/c")" "$(paste -sd' ' "$tmp/d")" "$(paste -sd' ' "$tmp/f")"
	exit_profile "$smp"
	line=$(printf '%d vCPU: Cachet %.2f s, ratio %s vs QEMU alone, %s vs the floor' \
		"$smp" "$c" "$(ratio "$c" "$d")" "$(ratio "$c" "$f")")
	echo "$line"
	summary+=("$line")
done
echo "== Linux boot summary (medians of $rounds rounds; floor = nesting alone) =="
printf '%s\n' "${summary[@]}"
