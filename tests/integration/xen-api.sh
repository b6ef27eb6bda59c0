#!/bin/sh
# libxc clients on Cachet: foreign mapping of a running guest's memory (the
# marker guest writes a string, tests/xen/xc-map.c reads it through
# xenforeignmemory_map and xc_map_foreign_range), the error paths
# (tests/xen/xc-errors.c), the domain-control calls (tests/xen/xc-domctl.c),
# and two libxc processes creating and destroying
# domains while cachetd does the same through the CLI, sharing the mailbox.
. "$(dirname "$0")/daemon-lib.sh"
daemon_start 2 768
XEN="$top_builddir/tests/xen"
free0=$(free_mb)

domid=$(timeout 30 "$XEN/xc-boot" "$GUESTS/marker.elf" - 64 "") || fail "xc-boot marker failed"
marked() { timeout 5 "$CACHET_BIN" console "$domid" </dev/null 2>/dev/null | grep -q "^marker: written"; }
wait_for marked || fail "the marker guest did not report its write"
out=$(timeout 30 "$XEN/xc-map" "$domid" 0x42000 "CACHET-MARKER 0123456789abcdef") ||
	fail "xc-map: $out"
out=$(cachet cache-stats "$domid") || fail "cache-stats of a libxc domain failed: $out"
cachet pause "$domid" || fail "cachet pause of a libxc domain failed"
cachet destroy "$domid" || fail "cachet destroy of a libxc domain failed"

out=$(timeout 60 "$XEN/xc-errors" /bin/true 2>/dev/null) || fail "xc-errors: $out"
out=$(timeout 60 "$XEN/xc-domctl" 2>/dev/null) || fail "xc-domctl: $out"

timeout 120 "$XEN/xc-stress" 150 1 >"$CACHET_STATE_DIR/stress1.out" 2>&1 & p1=$!
timeout 120 "$XEN/xc-stress" 150 2 >"$CACHET_STATE_DIR/stress2.out" 2>&1 & p2=$!
i=0
while [ "$i" -lt 40 ]; do
	cachet create "$GUESTS/hello.cfg" -p >/dev/null 2>&1 || fail "cachet create during the stress run"
	cachet destroy hello || fail "cachet destroy during the stress run"
	i=$((i + 1))
done
wait "$p1" || fail "first libxc process: $(cat "$CACHET_STATE_DIR/stress1.out")"
wait "$p2" || fail "second libxc process: $(cat "$CACHET_STATE_DIR/stress2.out")"

# Clients killed mid-request: more of them than the mailbox has slots.
# cachetd must free what they held, or the next requests find no slot.
i=0
while [ "$i" -lt 24 ]; do
	"$XEN/xc-stress" 100000 1 >/dev/null 2>&1 & p=$!
	sleep 0.3
	kill -9 "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	i=$((i + 1))
done
reclaimed() { grep -q 'channel: freed [0-9]* mailbox slot' "$CACHET_STATE_DIR/cachetd.log"; }
wait_for reclaimed || fail "cachetd freed no slot of the killed clients"
left=$("$XEN/xc-list" | awk '$1 == "domain" { print $2 }')
[ -z "$left" ] || "$XEN/xc-destroy" $left || fail "cannot destroy what the killed clients left"
out=$(timeout 60 "$XEN/xc-stress" 50 1 2>&1) || fail "after the kills: $out"
cachet create "$GUESTS/hello.cfg" -p >/dev/null 2>&1 && cachet destroy hello ||
	fail "cachet create after the kills"
[ "$(free_mb)" = "$free0" ] || fail "free memory $(free_mb) MiB at the end, $free0 MiB before"
pass "foreign mapping, error paths, 300 libxc create/destroy rounds beside 40 by cachetd, 24 clients killed mid-request"
