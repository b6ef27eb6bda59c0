#!/bin/sh
# cachetd + `cachet create hello.cfg -c`: the guest's output is shown, the
# command returns when the guest powers off, the domain is then destroyed
# (on_poweroff's default) and its console can still be replayed.
. "$(dirname "$0")/daemon-lib.sh"
daemon_start
free0=$(free_mb)
out=$(timeout 60 "$CACHET_BIN" create "$GUESTS/hello.cfg" -c </dev/null 2>&1) ||
	fail "cachet create -c failed: $out"
printf '%s\n' "$out" | grep -q '^Hello from a Cachet guest$' || fail "no greeting in: $out"
printf '%s\n' "$out" | grep -q '^RESULT: PASS hello$' || fail "no PASS line in: $out"
# The daemon destroys it on its next look at the event ring.
gone() { ! cachet list | grep -q '^hello '; }
wait_for gone || fail "hello is still listed after it powered off"
replay=$(timeout 20 "$CACHET_BIN" console hello </dev/null) || fail "cachet console hello failed"
printf '%s\n' "$replay" | grep -q '^RESULT: PASS hello$' || fail "the kept console lost the output"
[ "$(free_mb)" = "$free0" ] || fail "free memory $(free_mb) MiB after destroy, $free0 MiB before"
pass "hello booted, printed, powered off and was destroyed; console kept; memory returned"
