#!/bin/sh
# A guest that touches an unmapped IPA is crashed with a logged reason; the
# other guest and the hypervisor keep running.
. "$(dirname "$0")/daemon-lib.sh"
daemon_start
cachet create "$GUESTS/idle.cfg" >/dev/null 2>&1 || fail "create idle"
timeout 60 "$CACHET_BIN" create "$GUESTS/crash.cfg" 'on_crash="preserve"' -c </dev/null >/dev/null 2>&1 ||
	fail "create crash"
cachet list | grep -E -q '^crash +[0-9]+ .* -+c' || fail "crash is not listed as crashed: $(cachet list)"
cachet dmesg | grep -q 'crashed: vcpu 0: read of unmapped IPA 0x10000000' ||
	fail "the hypervisor log does not give the crash reason"
before=$(console_count idle alive)
progress() { [ "$(console_count idle alive)" -gt "$before" ]; }
wait_for progress || fail "idle stopped after the other guest crashed"
cachet list | grep -E -q '^idle +[0-9]+ .* r' || fail "idle is not running: $(cachet list)"
cachet destroy crash || fail "destroy the crashed guest"
cachet destroy idle || fail "destroy idle"
pass "crash was stopped and reported; idle kept running"
