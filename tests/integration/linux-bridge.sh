#!/bin/sh
# A vif on a bridge (xl's bridge= and script=): cachetd makes a TAP device,
# adds it to a bridge this test makes (with an address on the host), and
# runs the script with the TAP device's name; a Linux guest with a static
# address on the bridge's network fetches a page from an HTTP server bound
# to the bridge's address.  Needs root (a bridge and a TAP device).
. "$(dirname "$0")/linux-lib.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root to make a bridge and a TAP device"
command -v ip >/dev/null 2>&1 || skip "ip (iproute2) is not installed"
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
[ -c /dev/net/tun ] || skip "no /dev/net/tun"
linux_assets

# A bridge of our own, named after this process (IFNAMSIZ: 15 characters),
# on a /24 taken from the pid so that parallel runs do not collide.
br="cbr$$"
net="10.$((200 + $$ % 50)).$(($$ % 250 + 1))"
ip link add "$br" type bridge 2>/dev/null || skip "cannot make a bridge here"
www="$CACHET_STATE_DIR.www"
cleanup_bridge() {
	[ -n "${http_pid-}" ] && kill "$http_pid" 2>/dev/null
	daemon_stop
	ip link del "$br" 2>/dev/null || true
}
trap 'cleanup_bridge' EXIT
ip addr add "$net.1/24" dev "$br" && ip link set "$br" up || fail "cannot configure $br"

daemon_start 4 1024
trap 'cleanup_bridge' EXIT
rm -rf "$www" "$www.log" && mkdir -p "$www"
token="bridge-page-$$"
echo "$token" >"$www/token.txt"
# Port 0: the server picks a free one and says which.
timeout 600 python3 -u -m http.server --bind "$net.1" --directory "$www" 0 >"$www.log" 2>&1 &
http_pid=$!
port_of_server() {
	port=$(sed -n 's/.* port \([0-9]*\) .*/\1/p' "$www.log" | head -n 1)
	[ -n "$port" ]
}
wait_for port_of_server || fail "the HTTP server on $net.1 did not start: $(cat "$www.log")"

# The script records its argument, as xl passes the vif's device name.
script="$CACHET_STATE_DIR/vif-up"
printf '#!/bin/sh\necho "$1 bridge=$bridge" >"%s"\n' "$CACHET_STATE_DIR/script.out" >"$script"
chmod +x "$script"

linux_cfg br 1 "cachet.test=net cachet.ip=$net.2/24 cachet.url=http://$net.1:$port/token.txt" \
	>"$CACHET_STATE_DIR/br.cfg"
echo "vif = [ 'bridge=$br,vifname=cvif$$,script=$script,mac=00:16:3e:12:34:56' ]" \
	>>"$CACHET_STATE_DIR/br.cfg"
out=$(cachet create "$CACHET_STATE_DIR/br.cfg" 2>&1) || fail "create: $out"
[ "$(cat "$CACHET_STATE_DIR/script.out" 2>/dev/null)" = "cvif$$ bridge=$br" ] ||
	fail "script= did not run with the TAP device's name: $(cat "$CACHET_STATE_DIR/script.out" 2>&1)"
[ -e "/sys/class/net/$br/brif/cvif$$" ] || fail "cvif$$ is not a port of $br"
linux_wait_log br "^CACHET-NET-(PAGE|FAIL)" 300 || fail "the guest's test did not end"
linux_wait_log br "^CACHET-NET-PAGE $token" 1 ||
	fail "the guest did not fetch the page from $net.1:$port over the bridge ($(ss -ltn 2>&1 | grep -F "$net.1"))"
# The guest powers off after its test; on_poweroff destroys the domain.
gone() { ! cachet list | grep -q '^br '; }
wait_for gone || fail "the guest did not power off after its test"
wait_for test ! -e "/sys/class/net/cvif$$" || fail "the TAP device outlived the domain"
pass "TAP device cvif$$ on bridge $br, script ran with its name, guest $net.2 -> host $net.1"
