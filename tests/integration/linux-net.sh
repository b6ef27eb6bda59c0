#!/bin/sh
# User-mode networking through cachetd's virtio-net and libslirp: a Linux
# guest with one vif (xl syntax, no MAC: cachetd makes one) gets its address
# by DHCP from slirp, fetches a page from an HTTP server this test runs on
# the host's 127.0.0.1, and serves a page that the host reaches through the
# vif's port forward.  `cachet network-list` shows the vif as xl would.
. "$(dirname "$0")/linux-lib.sh"
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
linux_assets

# A free port of the host's loopback: bound, then closed, for the forward.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

www="$CACHET_STATE_DIR.www"
rm -rf "$www" "$www.log" && mkdir -p "$www"
token="host-page-$$-$(date +%s)"
echo "$token" >"$www/token.txt"
# Port 0: the server picks a free port and says which.
timeout 600 python3 -u -m http.server --bind 127.0.0.1 --directory "$www" 0 >"$www.log" 2>&1 &
http_pid=$!
cleanup_net() {
	kill "$http_pid" 2>/dev/null || true
	daemon_stop
}

daemon_start 4 1024
trap 'cleanup_net' EXIT
port_of_server() {
	http_port=$(sed -n 's/.* port \([0-9]*\) .*/\1/p' "$www.log" | head -n 1)
	[ -n "$http_port" ]
}
wait_for port_of_server || fail "the host's HTTP server did not start: $(cat "$www.log")"
fwd_port=$(free_port)

linux_cfg net 1 "cachet.test=net cachet.url=http://10.0.2.2:$http_port/token.txt cachet.serve=8080 cachet.serve_secs=600" \
	>"$CACHET_STATE_DIR/net.cfg"
echo "vif = [ 'model=virtio-net,forward=tcp:127.0.0.1:$fwd_port:8080' ]" >>"$CACHET_STATE_DIR/net.cfg"
out=$(cachet create "$CACHET_STATE_DIR/net.cfg" 2>&1) || fail "create: $out"
printf '%s\n' "$out" | grep -q "Warning: vif .*ignoring model" ||
	fail "no warning naming the ignored model key: $out"

linux_wait_log net '^CACHET-DHCP bound interface=eth0 ip=10\.0\.2\.15 router=10\.0\.2\.2 dns=10\.0\.2\.3' 300 ||
	fail "the guest got no DHCP lease from slirp"
linux_wait_log net "^CACHET-NET-(PAGE|FAIL)" 120 || fail "the guest's fetch did not end"
linux_wait_log net "^CACHET-NET-PAGE $token" 1 ||
	fail "the guest did not fetch the host's page from 127.0.0.1:$http_port"
linux_wait_log net '^CACHET-NET-SERVING port=8080' 60 || fail "the guest's httpd did not start"

# The MAC cachetd gave the vif, as `list -l` shows it (libxl's nics).
mac=$(cachet list -l net | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["config"]["nics"][0]["mac"])') ||
	fail "list -l shows no nic"
echo "$mac" | grep -Eq '^00:16:3e:[0-7][0-9a-f]:[0-9a-f]{2}:[0-9a-f]{2}$' ||
	fail "the vif's MAC '$mac' is not one made as xl makes them"
# network-list as xl prints it: the same MAC, the driver running, user mode.
row=$(cachet network-list net | awk 'NR == 2')
set -- $row
[ "$#" -eq 8 ] && [ "$1" = 0 ] && [ "$3" = "$mac" ] && [ "$5" = 4 ] && [ "$8" = slirp ] ||
	fail "network-list row '$row' (expected index 0, $mac, state 4, slirp)"
cachet network-attach net 'bridge=br0' >/dev/null 2>&1 && fail "network-attach was not refused"
page=$(python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=30).read().decode().strip())' \
	"http://127.0.0.1:$fwd_port/") || fail "the forward 127.0.0.1:$fwd_port -> guest:8080 did not answer"
[ "$page" = "cachet-guest-page $mac" ] ||
	fail "the forward reached '$page', expected 'cachet-guest-page $mac'"
cachet destroy net || fail "destroy"
pass "DHCP from slirp, guest -> host 127.0.0.1:$http_port, host 127.0.0.1:$fwd_port -> guest:8080 (MAC $mac)"
