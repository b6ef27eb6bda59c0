#!/bin/sh
# `cachet events -l` (libcachet's event stream) sees the exact lifecycle
# sequence of: a Linux guest created, paused, unpaused, rebooted (cachet
# reboot: on_reboot = restart), shut down (cachet shutdown: on_poweroff =
# destroy); the crash test guest (on_crash = destroy); an idle guest
# destroyed.
. "$(dirname "$0")/linux-lib.sh"
linux_assets
daemon_start 4 1024
events="$CACHET_STATE_DIR/events.txt"
"$CACHET_BIN" events -l >"$events" 2>"$CACHET_STATE_DIR/events.err" &
listener=$!
trap 'kill "$listener" 2>/dev/null; daemon_stop' EXIT
wait_for grep -q Listening "$CACHET_STATE_DIR/events.err" || fail "cachet events did not subscribe"
linux_cfg ev 1 '' >"$CACHET_STATE_DIR/ev.cfg"
cachet create "$CACHET_STATE_DIR/ev.cfg" >/dev/null 2>&1 || fail "create ev"
cachet pause ev || fail "pause"
cachet unpause ev || fail "unpause"
linux_wait ev '^CACHET-SHELL' 300 || fail "Linux did not reach its shell"
cachet reboot ev || fail "reboot"
shells() { [ "$(console_count ev '^CACHET-SHELL$')" -ge 2 ]; }
end=$(($(date +%s) + 300))
until shells; do
	[ "$(date +%s)" -lt "$end" ] || fail "the rebooted guest did not reach its shell"
	sleep 1
done
timeout 300 "$CACHET_BIN" shutdown -w ev || fail "shutdown -w"
timeout 60 "$CACHET_BIN" create "$GUESTS/crash.cfg" >/dev/null 2>&1 || fail "create crash"
gone() { ! cachet list | grep -q '^crash '; }
wait_for gone || fail "the crash guest was not destroyed"
cachet create "$GUESTS/idle.cfg" >/dev/null 2>&1 || fail "create idle"
cachet destroy idle || fail "destroy idle"
sleep 1
kill "$listener"
# The events, without the domain ids (they change) and the crash's reason.
sed -e 's/ \[id [0-9]*\]$//' -e 's/ \[id [0-9]*, \(.*\)\]$/ (\1)/' "$events" |
	sed -e "s/^\(event 'lifecycle' for domain 'crash': Crashed Panicked\) (.*)$/\1/" \
	>"$CACHET_STATE_DIR/events.seq"
cat >"$CACHET_STATE_DIR/events.want" <<'EOW'
event 'lifecycle' for domain 'ev': Defined Added
event 'lifecycle' for domain 'ev': Started Booted (booted)
event 'lifecycle' for domain 'ev': Suspended Paused
event 'lifecycle' for domain 'ev': Resumed Unpaused
event 'lifecycle' for domain 'ev': Shutdown Finished after guest request (reboot)
event 'reboot' for domain 'ev' (restart)
event 'lifecycle' for domain 'ev': Started Booted (booted)
event 'lifecycle' for domain 'ev': Shutdown Finished after guest request (poweroff)
event 'lifecycle' for domain 'ev': Stopped Destroyed (destroyed)
event 'lifecycle' for domain 'crash': Defined Added
event 'lifecycle' for domain 'crash': Started Booted (booted)
event 'lifecycle' for domain 'crash': Crashed Panicked
event 'lifecycle' for domain 'crash': Stopped Destroyed (destroyed)
event 'lifecycle' for domain 'idle': Defined Added
event 'lifecycle' for domain 'idle': Started Booted (booted)
event 'lifecycle' for domain 'idle': Stopped Destroyed (destroyed)
EOW
diff -u "$CACHET_STATE_DIR/events.want" "$CACHET_STATE_DIR/events.seq" ||
	fail "the event sequence differs (raw: $(cat "$events"))"
pass "events: create, pause, unpause, reboot, shutdown, crash and destroy in order"
