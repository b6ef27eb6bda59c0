#!/bin/sh
# A hostile guest (tests/guests/hostile.c: QEMU abort and hang triggers,
# debug/PMU probes, 32-bit PSCI, CPU_OFF with an interrupt in a list
# register, MMIO sizes, register-write/SGI/WFI storms, seeded random
# HVC/SMC/MMIO/system-register traffic) runs twice on the same pCPU, one
# domain after the other, beside an innocent guest that prints a heartbeat.
# Asserts: the platform stays up and answers, the heartbeat keeps coming
# while the hostile guest runs, each hostile run ends with a reason (its
# PASS line, or a crash the hypervisor logged), the second run sees none of
# the first one's debug/PMU state, and all memory comes back.
. "$(dirname "$0")/daemon-lib.sh"
daemon_start 2
free0=$(free_mb)
cachet create "$GUESTS/idle.cfg" >/dev/null 2>&1 || fail "create idle"
# The daemon's copy of idle's console: read at once, unlike `cachet console`.
beats() { grep -c 'alive' "$CACHET_STATE_DIR/console/idle.log"; }
started() { [ "$(beats)" -ge 2 ]; }
wait_for started || fail "idle did not start beating"

# hostile_run N: runs hostile instance N to its end, pinned to pCPU 1 (where
# idle runs too), and checks the heartbeat every 2 s meanwhile.
hostile_run() {
	log="$CACHET_STATE_DIR/hostile-$1.console"
	timeout 240 "$CACHET_BIN" create "$GUESTS/hostile.cfg" "name=\"hostile-$1\"" 'vcpus=2' \
		'cpus="1"' 'on_poweroff="preserve"' 'on_crash="preserve"' -c </dev/null >"$log" 2>&1 &
	run=$!
	last=$(beats)
	stalled=0
	longest=0
	while kill -0 "$run" 2>/dev/null; do
		sleep 2
		now=$(beats)
		if [ "$now" -gt "$last" ]; then stalled=0; else stalled=$((stalled + 1)); fi
		[ "$stalled" -le "$longest" ] || longest=$stalled
		last=$now
	done
	wait "$run" || fail "hostile-$1: the console ended badly: $(tail -n 5 "$log")"
	# A loaded host may hold QEMU back for a moment; 6 s without a beat is a stall.
	[ "$longest" -lt 3 ] || fail "idle's heartbeat stopped for $((2 * longest)) s while hostile-$1 ran"
	cachet info >/dev/null || fail "the platform stopped answering after hostile-$1"
	if grep -q 'RESULT: PASS hostile' "$log"; then
		reason="finished: $(grep -c 'hostile: .* ok' "$log") cases ok"
	elif cachet dmesg | grep -q "domain .* crashed: "; then
		reason="crashed: $(cachet dmesg | grep 'crashed: ' | tail -n 1)"
	else
		fail "hostile-$1 ended without a reason: $(tail -n 5 "$log")"
	fi
	grep -q 'RESULT: FAIL' "$log" && fail "hostile-$1: $(grep 'RESULT: FAIL' "$log")"
	itest_log "hostile-$1 $reason"
	cachet list | grep -E -q "^hostile-$1 " || fail "hostile-$1 was not kept for inspection"
	cachet destroy "hostile-$1" || fail "destroy hostile-$1"
}

hostile_run 1
hostile_run 2
grep -q 'hostile: leak ok' "$CACHET_STATE_DIR/hostile-2.console" ||
	fail "the second hostile domain did not check the first one's debug/PMU state"
before=$(beats)
progress() { [ "$(beats)" -gt "$before" ]; }
wait_for progress || fail "idle stopped after the hostile guests"
cachet list | grep -E -q '^idle +[0-9]+ .* r' || fail "idle is not running: $(cachet list)"
cachet destroy idle || fail "destroy idle"
[ "$(free_mb)" = "$free0" ] || fail "free memory $(free_mb) MiB, $free0 MiB before"
pass "two hostile runs contained; heartbeat steady; no state across domains; memory back"
