#!/bin/bash
# Cache policies side by side, in one run on one platform (QEMU's max CPU
# without SVE, SME and pointer authentication, the only QEMU 7.2 model with
# FEAT_S2FWB):
#   - Debian's arm64 Linux, 1 vCPU, under each safe policy: median time from
#     `cachet create` to the userspace marker, its ratio to the same kernel
#     booted by QEMU alone (same CPU model), and the boot's TVM and set/way
#     traps, VM flushes, pages flushed and stage-2 faults (all vCPUs);
#   - the same for Debian's armhf Linux (its zImage, an AArch32 guest), the
#     direct boot on QEMU's 32-bit cortex-a15 with a GICv3 (QEMU's TCG
#     cannot start an AArch64 CPU model in AArch32 state);
#   - the cost of one set/way operation as the memory a guest touched grows
#     (tests/guests/flushcost.c: 64 MiB of a 1 GiB guest, then 992 MiB).
# Prints figures and ratios; asserts nothing.
#
# Usage (from the build tree): tests/bench/bench-policies.sh [ROUNDS]
set -euo pipefail
rounds=${1:-3}
. "$(dirname "$0")/bench-lib.sh"
CPU=max,sve=off,sme=off,pauth=off

# stat_sum NAME KEY...: the keys' values summed over every vCPU of NAME.
stat_sum() {
	local name=$1
	shift
	cli/cachet cache-stats "$name" | awk -v keys=" $* " \
		'index(keys, " " $1 " ") { for (i = 2; i <= NF; i++) s += $i } END { print s + 0 }'
}

# cachet_boot POLICY N: boot time on stdout; the boot's counters in $tmp/stats.
cachet_boot() {
	local policy=$1 n=$2 t
	t=$(linux_boot "bench$n" 1 "cache_policy = \"$policy\"")
	printf '%s %s %s %s %s\n' "$(stat_sum "bench$n" tvm_traps)" \
		"$(stat_sum "bench$n" setway_traps)" \
		"$(stat_sum "bench$n" flush_dc_drop flush_toggle flush_setway)" \
		"$(stat_sum "bench$n" flushed_pages)" "$(stat_sum "bench$n" s2_faults)" >"$tmp/stats"
	cli/cachet destroy "bench$n" >/dev/null
	echo "$t"
}

daemon/cachetd --cpus 4 --memory 2048 --hypervisor hypervisor/cachet-hv.elf --qemu "$QEMU" \
	--cpu-model "$CPU"
# policy_table DIRECT_CPU DIRECT_MACHINE: one row per safe policy for $kernel.
policy_table() {
	local dcpu=$1 dmachine=$2 policy c d tvm sw fl pg s2
	printf 'kernel %s (%s), -cpu %s, 1 vCPU, %d rounds each, alternating; counters of the last round\n' \
		"$(cat "$assets/kernel-version")" "$(basename "$kernel")" "$CPU" "$rounds"
	printf '%-9s %8s %8s %6s %10s %9s %8s %9s %9s\n' policy cachet_s qemu_s ratio tvm_traps \
		setway_tr flushes pages_fl s2_faults
	for policy in dc-tvm s2-fault s2fwb; do
		: >"$tmp/c" && : >"$tmp/d"
		for ((i = 0; i < rounds; i++)); do
			n=$((n + 1))
			cachet_boot "$policy" "$n" >>"$tmp/c"
			direct_boot 1 "$dcpu" "$dmachine" >>"$tmp/d"
		done
		c=$(median <"$tmp/c")
		d=$(median <"$tmp/d")
		read -r tvm sw fl pg s2 <"$tmp/stats"
		printf '%-9s %8.2f %8.2f %6.2f %10s %9s %8s %9s %9s\n' "$policy" "$c" "$d" \
			"$(awk -v a="$c" -v b="$d" 'BEGIN { print a / b }')" "$tvm" "$sw" "$fl" "$pg" "$s2"
		printf '%-9s ranges: cachet %s s, qemu %s s\n' "" "$(range <"$tmp/c")" "$(range <"$tmp/d")"
	done
}

n=0
policy_table "$CPU" virt
use_armhf
printf '\n'
policy_table cortex-a15 virt,gic-version=3

printf '\nset/way flush cost, 1 GiB guest (tests/guests/flushcost), %d rounds, median:\n' "$rounds"
for policy in dc-tvm s2-fault s2fwb; do
	: >"$tmp/f64" && : >"$tmp/fall"
	for ((i = 0; i < rounds; i++)); do
		n=$((n + 1))
		cli/cachet create tests/guests/flushcost.cfg "name=\"fc$n\"" 'memory=1024' \
			"cache_policy=\"$policy\"" -c </dev/null >"$tmp/fc.log" 2>&1 || true
		grep -q '^RESULT: PASS' "$tmp/fc.log" || { cat "$tmp/fc.log"; exit 1; }
		sed -n 's/^FLUSHCOST: touched_mib=64 us=\([0-9]*\).*/\1/p' "$tmp/fc.log" >>"$tmp/f64"
		sed -n 's/^FLUSHCOST: touched_mib=992 us=\([0-9]*\).*/\1/p' "$tmp/fc.log" >>"$tmp/fall"
	done
	a=$(median <"$tmp/f64")
	b=$(median <"$tmp/fall")
	printf '%-9s 64 MiB touched: %8s us   992 MiB touched: %8s us   ratio %.1f\n' "$policy" \
		"$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN { print (a > 0) ? b / a : 0 }')"
	printf '%-9s ranges: %s us, %s us\n' "" "$(range <"$tmp/f64")" "$(range <"$tmp/fall")"
done
