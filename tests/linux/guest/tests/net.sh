# cachet.test=net (sourced by /init; cachet_param comes from there).
# Brings the first ethernet interface up with DHCP (or, with
# cachet.ip=ADDRESS/PREFIX, that static address: prints CACHET-NET-STATIC),
# then:
#   cachet.url=URL        fetches URL with wget and prints it on one line:
#                         CACHET-NET-PAGE <first 200 bytes>
#   cachet.serve=PORT     serves a page on PORT with busybox httpd, prints
#                         CACHET-NET-SERVING port=PORT and keeps serving for
#                         cachet.serve_secs seconds (default 120): the host
#                         ends the guest when it has fetched the page
#                         "cachet-guest-page MAC".
# Failures print CACHET-NET-FAIL and a reason, and return 1.

net_fail() {
	echo "CACHET-NET-FAIL $*"
	return 1
}

# The first interface that is not the loopback, waiting a little for the
# driver's probe.
net_iface() {
	tries=0
	while [ "$tries" -lt 50 ]; do
		for dev in /sys/class/net/*; do
			case ${dev##*/} in
			lo | \*) ;;
			*) echo "${dev##*/}" && return 0 ;;
			esac
		done
		tries=$((tries + 1))
		sleep 0.1
	done
	return 1
}

net_up() {
	iface=$(net_iface) || net_fail "no network interface" || return 1
	ip link set lo up
	ip link set "$iface" up
	static=$(cachet_param ip)
	if [ -n "$static" ]; then
		ip addr add "$static" dev "$iface" || net_fail "ip addr add $static" || return 1
		echo "CACHET-NET-STATIC interface=$iface ip=$static"
		return 0
	fi
	udhcpc -i "$iface" -n -q -t 10 -T 2 -s /usr/share/udhcpc/default.script ||
		net_fail "no DHCP lease on $iface" || return 1
}

net_fetch() {
	timeout 30 wget -q -O /tmp/page "$1" || net_fail "wget $1" || return 1
	echo "CACHET-NET-PAGE $(head -c 200 /tmp/page | tr '\n' ' ')"
}

net_serve() {
	mkdir -p /tmp/www
	echo "cachet-guest-page $(cat /sys/class/net/"$iface"/address)" \
		>/tmp/www/index.html
	httpd -p "$1" -h /tmp/www || net_fail "httpd on port $1" || return 1
	echo "CACHET-NET-SERVING port=$1"
	secs=$(cachet_param serve_secs)
	sleep "${secs:-120}"
}

net_up || return 1
url=$(cachet_param url)
if [ -n "$url" ]; then
	net_fetch "$url" || return 1
fi
port=$(cachet_param serve)
if [ -n "$port" ]; then
	net_serve "$port" || return 1
fi
return 0
