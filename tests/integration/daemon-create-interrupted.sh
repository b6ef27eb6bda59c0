#!/bin/sh
# cachetd dies in the middle of a create, at the two instants a kill -9 can
# hit and timing cannot aim at: just after the hypervisor made the domain
# (before anything else was done for it), and after the build, before the
# final state record.  CACHETD_TEST_DIE_AT (cachetd(8), test-only) makes
# cachetd SIGKILL itself there.  The next cachetd finds the domain by the tag
# its pending record names and destroys it: no unowned "(domid N)" is left,
# and free memory is exactly what it was.
. "$(dirname "$0")/daemon-lib.sh"

daemon_start 2 512
free0=$(free_mb)
log="$CACHET_STATE_DIR/cachetd.log"

for point in created built; do
	pid=$(daemon_pid)
	kill -9 "$pid"
	wait_for sh -c "! kill -0 $pid 2>/dev/null" || fail "cachetd survived kill -9"
	CACHETD_TEST_DIE_AT=$point daemon_run --cpus 2 --memory 512 ||
		fail "cachetd did not start with CACHETD_TEST_DIE_AT=$point"
	pid=$(daemon_pid)
	if timeout 60 "$CACHET_BIN" create "$GUESTS/idle.cfg" "name=\"cut-$point\"" </dev/null \
		>"$CACHET_STATE_DIR/create.out" 2>&1; then
		fail "create succeeded although cachetd was to die at '$point'"
	fi
	wait_for sh -c "! kill -0 $pid 2>/dev/null" || fail "cachetd did not die at test point '$point'"
	grep -q "test point '$point': dying" "$log" || fail "cachetd died, but not at '$point'"
	daemon_run --cpus 2 --memory 512 || fail "cachetd did not start again after dying at '$point'"
	grep -q "recover: cut-$point: the previous cachetd died while creating it; destroyed the half-built domain" \
		"$log" || fail "the domain left at '$point' was not destroyed: $(grep recover "$log")"
	[ "$(cachet list | wc -l)" -eq 1 ] || fail "domains left after dying at '$point': $(cachet list)"
	[ ! -e "$CACHET_STATE_DIR/domains/cut-$point.json" ] || fail "cut-$point's record is still there"
	free1=$(free_mb)
	[ "$free1" -eq "$free0" ] || fail "after dying at '$point': free memory was $free0 MiB, is $free1 MiB"
	itest_log "died at '$point': the half-built domain destroyed, memory exact"
done

# The platform is whole: a create now works and is listed.
cachet create "$GUESTS/idle.cfg" name='"after"' </dev/null >/dev/null 2>&1 || fail "create after the recoveries failed"
cachet list | grep -q "^after " || fail "after is not listed: $(cachet list)"
pass "a create cut at 'created' and at 'built' leaves nothing behind; memory exact"
