#!/bin/bash
# Fairness under overcommit, in one run: 8 CPU-bound guests of one vCPU each
# (tests/guests/spin.c: it prints how many loop iterations it managed in
# each 500 ms of its virtual counter, i.e. its progress in guest time) on a
# 4-pCPU platform, placed by the scheduler (two per pCPU).  After a warm-up,
# each guest's progress over the sampling window is summed and compared:
#   share        its part of all progress (fair: 1/8 each);
#   vs its pCPU  against the other guest on the same pCPU (fair: 1.00);
#   cpu time     the time the scheduler gave it (cachet vcpu-list), in %
#                of what its pCPU gave both its guests (fair: 50 %).
# The deviation of a guest is |progress / fair share - 1|; the largest is
# printed for both views.  Only the second isolates the scheduler: the four
# emulated CPUs share the host's cores, so one pCPU may run slower than
# another for reasons the hypervisor cannot see.  Prints; asserts nothing.
#
# Usage (from the build tree): tests/bench/bench-fair.sh [SECONDS]
set -euo pipefail
window=${1:-10}
top_builddir=${top_builddir:-$(pwd)}
GUESTS=8
# The private state directory, its cachetd stopped on exit.
. "$(dirname "$0")/bench-lib.sh"
cachet() { "$top_builddir/cli/cachet" "$@"; }

"$top_builddir/daemon/cachetd" --cpus 4 --memory 1024 --qemu "$QEMU" \
	--hypervisor "$top_builddir/hypervisor/cachet-hv.elf"
until grep -q 'scrub: all free memory clean' "$CACHET_STATE_DIR/hypervisor.log"; do
	sleep 0.1
done
con=$CACHET_STATE_DIR/console
for ((i = 0; i < GUESTS; i++)); do
	printf 'name = "f%d"\nkernel = "%s"\nmemory = 16\nvcpus = 1\n' \
		"$i" "$top_builddir/tests/guests/spin.elf" >"$tmp/f$i.cfg"
	cachet create "$tmp/f$i.cfg" >/dev/null 2>"$tmp/err" || { cat "$tmp/err"; exit 1; }
done

rates() { grep -c 'spin: rate' "$con/f$1.log" 2>/dev/null || echo 0; }
# Progress of guest $1 in the rate lines after the first $2.
progress() { grep -o 'spin: rate [0-9]*' "$con/f$1.log" | tail -n +"$(($2 + 1))" | awk '{ s += $3 } END { print s + 0 }'; }
# Seconds of pCPU guest $1's vCPU 0 has had, and the pCPU it is on.
vcpu_time() { cachet vcpu-list "f$1" | awk 'NR == 2 { print $6 }'; }
vcpu_cpu() { cachet vcpu-list "f$1" | awk 'NR == 2 { print $4 }'; }

sleep 2 # warm-up: every guest has started and printed once
for ((i = 0; i < GUESTS; i++)); do
	n0[i]=$(rates "$i")
	t0[i]=$(vcpu_time "$i")
done
sleep "$window"
for ((i = 0; i < GUESTS; i++)); do
	echo "$i $(vcpu_cpu "$i") $(progress "$i" "${n0[i]}") $(vcpu_time "$i") ${t0[i]}"
done >"$tmp/samples"

echo "== fairness: $GUESTS busy vCPUs on 4 pCPUs, ${window} s sampled =="
awk '
{ g[NR] = $1; cpu[NR] = $2; p[NR] = $3; t[NR] = $4 - $5; total += $3; on[$2] += $3; n[$2]++
  ton[$2] += $4 - $5 }
END {
	printf "%-6s %4s %14s %8s %12s %9s\n", "guest", "pCPU", "progress", "share", "vs its pCPU", "cpu time"
	for (i = 1; i <= NR; i++) {
		share = total ? p[i] / total : 0
		mate = n[cpu[i]] ? on[cpu[i]] / n[cpu[i]] : 0
		rel = mate ? p[i] / mate : 0
		d1 = share * NR - 1; if (d1 < 0) d1 = -d1
		d2 = rel - 1; if (d2 < 0) d2 = -d2
		if (d1 > max1) max1 = d1
		if (d2 > max2) max2 = d2
		printf "f%-5s %4s %14d %7.1f%% %12.2f %8.1f%%\n", g[i], cpu[i], p[i], share * 100, rel,
		       ton[cpu[i]] ? t[i] / ton[cpu[i]] * 100 : 0
	}
	printf "fairness: max deviation %.1f %% of the fair share overall, %.1f %% against the other vCPU on the same pCPU (target 10 %%)\n", max1 * 100, max2 * 100
}' "$tmp/samples"
for ((i = 0; i < GUESTS; i++)); do
	cachet destroy "f$i" >/dev/null
done
