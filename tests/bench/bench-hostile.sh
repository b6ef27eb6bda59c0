#!/bin/bash
# Fairness under attack, in one run: the share of a pCPU that a CPU-bound
# guest (tests/guests/spin.c, which prints its loop rate every 500 ms of
# counter time, i.e. guest time) keeps while the hostile test guest
# (tests/guests/hostile.c) runs its phases: the GICD/SGI/WFI storm, the
# set/way flush storm and the random traffic.  Two placements:
#   same pCPU  spin and both hostile vCPUs pinned to pCPU 1 (fair: ~50%);
#   kicks      spin on pCPU 2, where hostile's vCPU 1 sits while it is off
#              with an interrupt pending (fair: ~100%).
# The hostile guest has 1 GiB, so that each whole-RAM flush is long.
# Each figure is the median of spin's rates during a phase against its
# median rate alone, measured in the same run.  Prints; asserts nothing:
# the emulated CPUs share the host's cores, so the host's load shows too.
#
# Usage (from the build tree): tests/bench/bench-hostile.sh [ROUNDS]
# HV and HOSTILE_CFG name another hypervisor image and hostile guest config
# (to compare with an older build, whose guest must skip the cases that
# abort or hang QEMU there).
set -euo pipefail
rounds=${1:-1}
top_builddir=${top_builddir:-$(pwd)}
QEMU=${QEMU:-$(command -v qemu-system-aarch64)}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cachet-bench-hostile.XXXXXX")
export CACHET_STATE_DIR=$tmp/state
mkdir -p "$CACHET_STATE_DIR"
cachet() { "$top_builddir/cli/cachet" "$@"; }

cleanup() {
	local pid
	pid=$(cat "$CACHET_STATE_DIR/cachetd.pid" 2>/dev/null || true)
	[[ -n $pid ]] && kill "$pid" 2>/dev/null || true
	sleep 1
	rm -rf "$tmp"
}
trap cleanup EXIT

"$top_builddir/daemon/cachetd" --cpus 3 --memory 1600 --qemu "$QEMU" \
	--hypervisor "${HV:-$top_builddir/hypervisor/cachet-hv.elf}"
con=$CACHET_STATE_DIR/console

median() { sort -n | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : 0 }'; }
last_rate() { grep -o 'spin: rate [0-9]*' "$con/spin.log" | tail -n 1 | awk '{ print $3 }'; }

# solo_rate: spin's median rate over 4 s alone (after 1 s of warm-up).
solo_rate() {
	local n0
	sleep 1
	n0=$(grep -c 'spin: rate' "$con/spin.log")
	sleep 4
	grep -o 'spin: rate [0-9]*' "$con/spin.log" | tail -n +"$((n0 + 1))" | awk '{ print $3 }' | median
}

# listed NAME: whether `cachet list` shows NAME; its latency goes to $list_ms.
listed() {
	local t0 t1 out
	t0=$(date +%s%N)
	out=$(cachet list)
	t1=$(date +%s%N)
	list_ms=$(((t1 - t0) / 1000000))
	grep -q "^$1 " <<<"$out"
}

# attack NAME PIN_VCPU1: runs hostile, samples spin's rate and the latency
# of `cachet list` by hostile phase; prints the medians, phase by phase.
attack() {
	local name=$1 pin1=$2 samples phase rate
	samples=$tmp/samples.$name
	: >"$samples"
	if ! cachet create "${HOSTILE_CFG:-$top_builddir/tests/guests/hostile.cfg}" \
		"name=\"$name\"" vcpus=2 'cpus="1"' memory=1024 >"$tmp/create.$name" 2>&1; then
		echo "bench-hostile: creating $name failed: $(tail -n 1 "$tmp/create.$name")" >&2
	fi
	[[ -n $pin1 ]] && cachet vcpu-pin "$name" 1 "$pin1"
	while listed "$name"; do
		phase=$(grep -o 'hostile: running [a-z]*' "$con/$name.log" 2>/dev/null | tail -n 1 |
			awk '{ print $3 }')
		rate=$(last_rate)
		[[ -n $phase && -n $rate ]] && echo "$phase $rate $list_ms" >>"$samples"
		sleep 0.5
	done
	for phase in storm flush random; do
		awk -v p="$phase" '$1 == p { print $2 }' "$samples" | median
		awk -v p="$phase" '$1 == p { print $3 }' "$samples" | median
	done
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b ? a / b : 0 }'; }

for ((r = 1; r <= rounds; r++)); do
	for placement in same kicks; do
		pin=1
		[[ $placement == kicks ]] && pin=2
		cachet create "$top_builddir/tests/guests/spin.cfg" "cpus=\"$pin\"" >/dev/null 2>&1
		solo=$(solo_rate)
		pin1=""
		[[ $placement == kicks ]] && pin1=2
		read -r storm storm_ms flush flush_ms random random_ms \
			< <(attack "hostile-$r-$placement" "$pin1" | xargs)
		printf 'round %d, %-9s spin alone %s/500ms; share while hostile storms %s, flushes %s, random %s;' \
			"$r" "$placement:" "$solo" "$(ratio "$storm" "$solo")" "$(ratio "$flush" "$solo")" \
			"$(ratio "$random" "$solo")"
		printf ' cachet list %s/%s/%s ms\n' "$storm_ms" "$flush_ms" "$random_ms"
		cachet destroy spin
	done
done
