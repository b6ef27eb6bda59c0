#!/bin/sh
# Set/way loops while the vCPU is moved between physical CPUs: the
# setway-loop guest cleans its caches by set/way twelve times, each time
# between turning its caches on and off, while this test keeps re-pinning
# its vCPU from one pCPU to the other.  Every loop still costs exactly one
# VM flush (by address, so no migration can split it), every operation
# traps, each flush runs in several slices (the vCPU may move between
# them), and the guest's data checks pass.
. "$(dirname "$0")/daemon-lib.sh"
. "$(dirname "$0")/policy-lib.sh"
daemon_start 3
out=$CACHET_STATE_DIR/setway-loop.out
timeout 120 "$CACHET_BIN" create "$GUESTS/setway-loop.cfg" 'on_poweroff="preserve"' -c \
	</dev/null >"$out" 2>&1 &
create_pid=$!
moves=0
end=$(($(date +%s) + 110))
until grep -q '^RESULT:' "$out" 2>/dev/null || [ "$(date +%s)" -ge "$end" ]; do
	if cachet vcpu-pin setway-loop 0 $((1 + moves % 2)) >/dev/null 2>&1; then
		moves=$((moves + 1))
	fi
	sleep 0.05
done
wait "$create_pid" || fail "cachet create failed: $(cat "$out")"
OUT=$(cat "$out")
printf '%s\n' "$OUT" | grep -q '^RESULT: PASS setway-loop$' || fail "the guest did not pass: $OUT"
[ "$moves" -ge 4 ] || fail "only $moves moves happened while the guest ran"
STATS=$(cachet cache-stats setway-loop) || fail "cache-stats failed"
rounds=$(printf '%s\n' "$OUT" | sed -n 's/^SETWAY: ops=[0-9]* rounds=\([0-9]*\)$/\1/p')
ops=$(printf '%s\n' "$OUT" | sed -n 's/^SETWAY: ops=\([0-9]*\) rounds=.*$/\1/p')
expect_stat setway-loop setway_traps "$ops" "every DC CISW traps"
expect_stat setway-loop flush_setway "$rounds" "one VM flush per set/way loop"
expect_stat setway-loop flush_toggle "$rounds" "one flush per caches-off switch"
flushes=$((rounds * 2))
[ "$(stat flush_slices)" -gt "$flushes" ] ||
	fail "$flushes flushes ran in $(stat flush_slices) slices: none was preempted"
pass "$rounds set/way loops with the vCPU moved $moves times: $ops traps, one flush per loop, $(stat flush_slices) flush slices"
