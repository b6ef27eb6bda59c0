#!/bin/sh
# cachetd survives its own sudden death: kill -9 at random points of create,
# destroy and console use, 24 times; each time a new cachetd takes over the
# running machine by itself, and lists no domain without a record (a kill
# between the hypervisor's create and cachetd's record once left one as
# "(domid N)").  Afterwards every domain that was created is
# listed, answers on its console and can be destroyed, no QEMU is orphaned
# (ever more than one per state directory, or any after the end), and free
# memory is exactly what it was.  A cachetd killed while it is still
# starting its machine takes that QEMU with it.
. "$(dirname "$0")/daemon-lib.sh"
KILLS=24

qemus() { # QEMUs serving a state directory
	pgrep -f "path=$1/serial.sock" | wc -l
}

qemus_are() { # qemus_are DIR N: exactly N QEMUs serve DIR
	[ "$(qemus "$1")" -eq "$2" ]
}

# The QEMU a state directory's platform.json names (for cleaning up after a failure).
recorded_qemu() {
	sed -n '/"qemu"/,/}/s/.*"pid": *\([0-9]*\).*/\1/p' "$1/platform.json" 2>/dev/null
}

random_ms() { # random_ms MAX
	echo $(($(od -An -N2 -tu2 /dev/urandom) % $1))
}

alive_lines() { # alive_lines NAME: "alive" lines the console has shown so far
	timeout 2 "$CACHET_BIN" console "$1" </dev/null 2>/dev/null | grep -c alive
}

sleep_ms() {
	sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"
}

# 1. Killed during start-up: the half-started machine goes too.
early="$CACHET_STATE_DIR-early"
rm -rf "$early"
mkdir -p "$early"
trap 'daemon_stop; q=$(recorded_qemu "$early"); [ -z "$q" ] || kill -9 "$q" 2>/dev/null; rm -rf "$early"' EXIT
# A "hypervisor" that never publishes a mailbox (a test guest) holds the daemon in
# its start-up for 30 s, so the kill surely comes before the machine is committed.
CACHET_STATE_DIR="$early" "$CACHETD_BIN" --foreground --cpus 1 --memory 256 --qemu "$QEMU" \
	--hypervisor "$GUESTS/idle.elf" >/dev/null 2>&1 &
early_pid=$!
wait_for qemus_are "$early" 1 || fail "the early cachetd started no QEMU"
grep -q '"committed": *false' "$early/platform.json" || fail "platform.json: $(cat "$early/platform.json")"
kill -9 "$early_pid"
wait_for qemus_are "$early" 0 || fail "QEMU outlived a cachetd killed during start-up"
rm -rf "$early"

# 2. Kills during create, destroy and console use.
daemon_start 2 768
trap 'daemon_stop' EXIT
free0=$(free_mb)
work="$CACHET_STATE_DIR/work"
mkdir -p "$work"
: >"$work/expected"   # domains whose create succeeded and destroy did not

restart() {
	kill -9 "$(daemon_pid)" 2>/dev/null
	wait_for sh -c "! kill -0 $(daemon_pid) 2>/dev/null" || fail "cachetd survived kill -9"
	daemon_run --cpus 2 --memory 768 || fail "cachetd did not start again after kill -9"
	[ "$(qemus "$CACHET_STATE_DIR")" -eq 1 ] ||
		fail "$(qemus "$CACHET_STATE_DIR") QEMUs for one state directory after a restart"
}

k=0
n=0
while [ "$k" -lt "$KILLS" ]; do
	n=$((n + 1))
	running=$(wc -l <"$work/expected")
	case $(random_ms 3) in
	0 | 1)
		if [ "$running" -ge 4 ]; then
			op=destroy
			name=$(head -n 1 "$work/expected")
		else
			op=create
			name=g$n
		fi
		;;
	*)
		op=console
		name=$(head -n 1 "$work/expected")
		[ -n "$name" ] || { op=create; name=g$n; }
		;;
	esac
	case $op in
	create) timeout 60 "$CACHET_BIN" create "$GUESTS/idle.cfg" "name=\"$name\"" \
		>"$work/op.out" 2>&1 </dev/null & ;;
	destroy) timeout 60 "$CACHET_BIN" destroy "$name" >"$work/op.out" 2>&1 </dev/null & ;;
	console) timeout 2 "$CACHET_BIN" console "$name" >"$work/op.out" 2>&1 </dev/null & ;;
	esac
	pid=$!
	sleep_ms "$(random_ms 250)"
	restart
	k=$((k + 1))
	wait "$pid"
	rc=$?
	itest_log "kill $k: during $op $name (client status $rc)"
	if [ "$op" = create ] && [ "$rc" -eq 0 ]; then
		echo "$name" >>"$work/expected"
	fi
	if [ "$op" = destroy ] && [ "$rc" -eq 0 ]; then
		grep -v -x "$name" "$work/expected" >"$work/e2"
		mv "$work/e2" "$work/expected"
	fi
	# A create that failed may still have finished (answered just before the kill): adopt it.
	if [ "$op" = create ] && [ "$rc" -ne 0 ] && cachet list | grep -q "^$name "; then
		echo "$name" >>"$work/expected"
	fi
	# Likewise a destroy that did happen although its answer was lost.
	if [ "$op" = destroy ] && [ "$rc" -ne 0 ] && ! cachet list | grep -q "^$name "; then
		grep -v -x "$name" "$work/expected" >"$work/e2"
		mv "$work/e2" "$work/expected"
	fi
	while read -r want; do
		cachet list | grep -q "^$want " || fail "kill $k: $want is not listed: $(cachet list)"
	done <"$work/expected"
	# Whatever instant the kill hit, no domain is left without its record (daemon-create-interrupted.sh).
	! cachet list | grep -q '^(domid' || fail "kill $k: a domain without a record: $(cachet list)"
done

# 3. Every domain answers on its console and can be destroyed; memory is exact.
listed=$(cachet list | awk 'NR > 1 { print $1 }')
for name in $listed; do
	before=$(alive_lines "$name")
	progress() { [ "$(alive_lines "$name")" -gt "$before" ]; }
	wait_for progress || fail "$name does not answer on its console after the restarts"
	cachet destroy "$name" || fail "cannot destroy $name"
done
[ "$(cachet list | wc -l)" -eq 1 ] || fail "domains left after destroying all: $(cachet list)"
free1=$(free_mb)
[ "$free1" -eq "$free0" ] || fail "free memory was $free0 MiB, is $free1 MiB"

# 4. SIGHUP reopens the log (after logrotate moved it) and stops nothing.
mv "$CACHET_STATE_DIR/cachetd.log" "$CACHET_STATE_DIR/cachetd.log.1"
kill -HUP "$(daemon_pid)"
reopened() { grep -q "SIGHUP: log reopened" "$CACHET_STATE_DIR/cachetd.log" 2>/dev/null; }
wait_for reopened || fail "SIGHUP did not reopen cachetd.log"
cachet list >/dev/null || fail "cachetd does not answer after SIGHUP"
daemon_stop
sleep 1
[ "$(qemus "$CACHET_STATE_DIR")" -eq 0 ] || fail "QEMU left after cachetd stopped"
pass "$KILLS kills; $(echo "$listed" | wc -w) domains kept, consoles and destroy work, memory exact"
