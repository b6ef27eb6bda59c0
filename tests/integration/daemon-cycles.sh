#!/bin/sh
# 100 create/destroy cycles: every page and every file descriptor the
# daemon uses comes back.
. "$(dirname "$0")/daemon-lib.sh"
daemon_start
pid=$(daemon_pid)
fds() { find "/proc/$pid/fd" -mindepth 1 -maxdepth 1 | wc -l; }
free0=$(free_mb)
fd0=$(fds)
i=0
while [ "$i" -lt 100 ]; do
	# Distinct names: a file kept open per dead domain would show as a leak.
	cachet create -p "$GUESTS/hello.cfg" "name=\"cycle$i\"" 'memory=16' >/dev/null 2>&1 ||
		fail "create failed in cycle $i"
	cachet destroy "cycle$i" || fail "destroy failed in cycle $i"
	i=$((i + 1))
done
[ "$(free_mb)" = "$free0" ] || fail "free memory $(free_mb) MiB after 100 cycles, $free0 MiB before"
# The last client connection may still be closing: give it a moment.
settled() { [ "$(fds)" = "$fd0" ]; }
wait_for settled || fail "cachetd has $(fds) open files after 100 cycles, $fd0 before"
pass "100 create/destroy cycles; free memory and open files unchanged"
