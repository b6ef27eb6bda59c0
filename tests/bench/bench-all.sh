#!/bin/bash
# `make bench`: every benchmark in one run, each printing its own figures as
# it goes, then one summary table of the figures issue 13 asks for, taken
# from their output.  Asserts nothing.  Takes about 8 minutes on a quiet
# 2-core host (the Linux boots dominate).
#
# Usage (from the build tree): tests/bench/bench-all.sh
# The environment gives top_srcdir, top_builddir and QEMU (as make does).
set -uo pipefail
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$(pwd)}
QEMU=${QEMU:-$(command -v qemu-system-aarch64)}
bench=$top_srcdir/tests/bench
export top_srcdir top_builddir QEMU
log=$(mktemp "${TMPDIR:-/tmp}/cachet-bench-all.XXXXXX")
trap 'rm -f "$log"' EXIT

# run TITLE CMD...: runs one benchmark, its output shown and kept for the summary.
run() {
	local title=$1 t0
	shift
	t0=$(date +%s)
	echo "==== $title"
	"$@" 2>&1 | tee -a "$log"
	echo "==== $title: $(($(date +%s) - t0)) s"
}

start=$(date +%s)
run "management channel (bench_mgmt)" "$top_builddir/tests/bench/bench_mgmt" "$QEMU" \
	hypervisor/cachet-hv.elf tests/guests/hello.elf tests/guests/direct/hello.elf 10
run "platform start, create+destroy, 64 guests (bench-scale.sh)" bash "$bench/bench-scale.sh" 5
run "fairness under overcommit (bench-fair.sh)" bash "$bench/bench-fair.sh" 10
run "Linux boot (bench-linux.sh)" bash "$bench/bench-linux.sh" 5
run "cache policies (bench-policies.sh)" bash "$bench/bench-policies.sh" 3
run "create latency, xc_dom and cachet create (bench-xen.sh)" bash "$bench/bench-xen.sh" 9
run "hostile guest (bench-hostile.sh)" bash "$bench/bench-hostile.sh" 3
run "virtio disk and network (bench-virtio.sh)" bash "$bench/bench-virtio.sh" 3

# pick REGEX: the last output line matching REGEX (empty if none).
pick() { grep -E -- "$1" "$log" | tail -n 1 | sed -e 's/^ *//'; }
row() { printf '%-34s %s\n' "$1" "${2:-(not measured: see above)}"; }

echo
echo "==== summary (one run, $(($(date +%s) - start)) s in all; medians unless said) ===="
for smp in 1 2 4; do
	row "Linux boot, $smp vCPU" "$(pick "^$smp vCPU: Cachet .* vs the floor" | sed "s/^$smp vCPU: //")"
done
row "create, 256 MiB, Debian Image" "$(pick '^ *cachet create +[0-9.]+ ms')"
row "create+destroy, 16 MiB guest" "$(pick '^create\+destroy of a 16 MiB guest' | sed 's/^create+destroy of a 16 MiB guest: //')"
row "  create latency" "$(pick '^create +latency' | sed 's/^create *latency: //')"
row "  destroy latency" "$(pick '^destroy +latency' | sed 's/^destroy *latency: //')"
row "platform start" "$(pick '^cachetd launch -> first answer' | sed 's/^cachetd launch -> first answer: //')"
row "64 guests: alive" "$(pick 'guests printed a heartbeat')"
row "64 guests: cachet list" "$(pick '^cachet list \(')"
row "64 guests: idle host CPU" "$(pick '^host CPU with' | sed 's/^host CPU with [0-9]* guests idle //')"
row "64 guests: pages back" "$(pick '^destroyed [0-9]+ guests' | sed 's/^destroyed [0-9]* guests in [0-9.]* s; //')"
row "fairness, 8 vCPUs on 4 pCPUs" "$(pick '^fairness: max deviation' | sed 's/^fairness: //')"
row "mgmt round trip, back to back" "$(pick '^round trip .*back to back' | sed 's/^round trip *//')"
row "mgmt round trip, after 1 s idle" "$(pick '^round trip after 1 s idle \(doorbell' | sed 's/^round trip *//')"
for what in "disk sequential write" "disk sequential read" "disk 4 KiB random read" "TCP guest -> host"; do
	row "virtio: $what" "$(pick "^$what +Cachet" | sed "s/^$what *//")"
done
