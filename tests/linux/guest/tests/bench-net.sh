# cachet.test=bench-net (sourced by /init): TCP throughput from the guest to
# a receiver on the host.  Brings the network up as cachet.test=net does,
# then sends cachet.mib MiB (default 64) of zeros to cachet.sink=HOST:PORT
# with tcpsend (busybox nc copies through a small buffer); the host side
# measures the rate.  Prints tcpsend's TCPSEND line.

. /lib/cachet/tests/net.sh || return 1
sink=$(cachet_param sink)
mib=$(cachet_param mib)
[ -n "$sink" ] || { echo "CACHET-BENCH-FAIL no cachet.sink="; return 1; }
tcpsend "${sink%:*}" "${sink##*:}" "${mib:-64}" ||
	{ echo "CACHET-BENCH-FAIL tcpsend $sink"; return 1; }
