#!/bin/bash
# Platform and scale benchmark, in one run, printing figures and asserting
# nothing about speed:
#   - platform start: `cachetd` launched to its first answered request
#     (`cachet info`), against QEMU alone starting a machine of the same
#     size with the direct build of the hello guest, which prints and powers
#     off at once (process start to exit): the floor;
#   - create+destroy of a 16 MiB guest through cachetd, 100 cycles: the rate
#     and the latency distributions (bench_lifecycle);
#   - 64 idle guests at once (idle-slow: a heartbeat a second): time to
#     create them all, that each one's console shows it alive, how long
#     `cachet list` takes, the host CPU used by QEMU and cachetd while all
#     64 sit idle, and that destroying them gives every page back.
# Every phase waits for the boot scrub of the platform's RAM to end first,
# so that it measures the steady state.
#
# Usage (from the build tree): tests/bench/bench-scale.sh [ROUNDS]
set -euo pipefail
rounds=${1:-5}
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
QEMU=${QEMU:-$(command -v qemu-system-aarch64)}
GUESTS=64
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cachet-scale.XXXXXX")
export CACHET_STATE_DIR=$tmp/state
. "$(dirname "$0")/bench-bin.sh"
cachet=$(bench_bin cli cachet)
cachetd=$(bench_bin daemon cachetd)

stop_daemon() {
	local pid
	pid=$(cat "$CACHET_STATE_DIR/cachetd.pid" 2>/dev/null || true)
	[[ -n $pid ]] || return 0
	kill "$pid" 2>/dev/null || true
	while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
}
trap 'stop_daemon; rm -rf "$tmp"' EXIT

now() { date +%s.%N; }
since() { awk -v a="$(now)" -v b="$1" 'BEGIN { printf "%.3f\n", a - b }'; }
spread() { sort -n "$1" | awk '{ v[NR] = $1 } END { printf "%.3f s (%.3f-%.3f)", v[int((NR + 1) / 2)], v[1], v[NR] }'; }
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# Starts cachetd on a fresh state directory; prints the seconds until it answers.
start_daemon() {
	local t0
	rm -rf "$CACHET_STATE_DIR"
	mkdir -p "$CACHET_STATE_DIR"
	t0=$(now)
	"$cachetd" --cpus 4 --memory "$1" --hypervisor hypervisor/cachet-hv.elf --qemu "$QEMU"
	until "$cachet" info >/dev/null 2>&1; do sleep 0.01; done
	since "$t0"
}

wait_scrub() {
	until grep -q 'scrub: all free memory clean' "$CACHET_STATE_DIR/hypervisor.log"; do
		sleep 0.1
	done
}

qemu_alone() {
	local t0
	t0=$(now)
	timeout 60 "$QEMU" -M virt,gic-version=3 -cpu cortex-a57 -smp 4 -m 2048 \
		-display none -monitor none -nodefaults -serial null -no-reboot \
		-kernel tests/guests/direct/hello.elf
	since "$t0"
}

# Seconds of CPU (user + system) a process has used.
cpu_seconds() {
	awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$1/stat"
}

free_mb() { "$cachet" info | awk '$1 == "free_memory" { print $3 }'; }

echo "== platform start ($rounds rounds) =="
: >"$tmp/start" && : >"$tmp/floor"
for ((i = 0; i < rounds; i++)); do
	start_daemon 2048 >>"$tmp/start"
	stop_daemon
	qemu_alone >>"$tmp/floor"
done
printf 'cachetd launch -> first answer: %s; QEMU alone, same machine, start to exit: %s\n' \
	"$(spread "$tmp/start")" "$(spread "$tmp/floor")"

echo "== create+destroy through cachetd =="
start_daemon 6144 >/dev/null
wait_scrub
tests/bench/bench_lifecycle "$CACHET_STATE_DIR" "$PWD/tests/guests/idle-slow.elf" 100

echo "== $GUESTS idle guests =="
free0=$(free_mb)
t0=$(now)
for ((i = 0; i < GUESTS; i++)); do
	sed -e "s/^name = .*/name = \"g$i\"/" -e 's/^memory = .*/memory = 16/' \
		tests/guests/idle-slow.cfg >"$tmp/g$i.cfg"
	"$cachet" create "$tmp/g$i.cfg" >/dev/null 2>&1
done
printf 'created %d guests in %.2f s\n' "$GUESTS" "$(since "$t0")"
sleep 3
alive=0
for ((i = 0; i < GUESTS; i++)); do
	if grep -q 'idle-slow: alive' "$CACHET_STATE_DIR/console/g$i.log" 2>/dev/null; then
		alive=$((alive + 1))
	fi
done
printf '%d of %d guests printed a heartbeat on their console\n' "$alive" "$GUESTS"
: >"$tmp/list"
for ((i = 0; i < rounds; i++)); do
	t0=$(now)
	n=$("$cachet" list | tail -n +2 | wc -l)
	since "$t0" >>"$tmp/list"
done
printf 'cachet list (%d domains): %s\n' "$n" "$(spread "$tmp/list")"
daemon_pid=$(cat "$CACHET_STATE_DIR/cachetd.pid")
# QEMU runs under cachetd's keeper process: find it by the RAM file the log names.
ram=$(sed -n 's/.*, RAM \([^ )]*\)).*/\1/p' "$CACHET_STATE_DIR/cachetd.log" | tail -n 1)
qemu_pid=$(pgrep -f -n -- "mem-path=$ram")
q0=$(cpu_seconds "$qemu_pid") d0=$(cpu_seconds "$daemon_pid")
sleep 10
q1=$(cpu_seconds "$qemu_pid") d1=$(cpu_seconds "$daemon_pid")
awk -v q0="$q0" -v q1="$q1" -v d0="$d0" -v d1="$d1" -v n="$GUESTS" 'BEGIN {
	q = (q1 - q0) * 10; d = (d1 - d0) * 10
	printf "host CPU with %d guests idle (QEMU + cachetd): %.1f %% of one core over 10 s (QEMU %.1f, cachetd %.1f)\n", n, q + d, q, d }'
t0=$(now)
for ((i = 0; i < GUESTS; i++)); do
	"$cachet" destroy "g$i" >/dev/null
done
printf 'destroyed %d guests in %.2f s; free memory %s MiB before, %s MiB after\n' \
	"$GUESTS" "$(since "$t0")" "$free0" "$(free_mb)"
