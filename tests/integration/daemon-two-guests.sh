#!/bin/sh
# Two guests at once: both listed as running, both making progress, and all
# their memory back after both are destroyed.
. "$(dirname "$0")/daemon-lib.sh"
daemon_start
free0=$(free_mb)
cachet create "$GUESTS/idle.cfg" 'name="idle-a"' >/dev/null 2>&1 || fail "create idle-a"
cachet create "$GUESTS/idle.cfg" 'name="idle-b"' >/dev/null 2>&1 || fail "create idle-b"
running() { [ "$(cachet list | grep -c -E '^idle-[ab] +[0-9]+ +[0-9]+ +1 +r')" = 2 ]; }
wait_for running || fail "both guests not listed as running: $(cachet list)"
beats() { [ "$(console_count idle-a 'alive')" -ge 5 ] && [ "$(console_count idle-b 'alive')" -ge 5 ]; }
wait_for beats || fail "a guest stopped making progress"
cachet destroy idle-a || fail "destroy idle-a"
cachet destroy idle-b || fail "destroy idle-b"
[ "$(free_mb)" = "$free0" ] || fail "free memory $(free_mb) MiB, $free0 MiB before"
pass "two guests ran side by side; memory returned exactly"
