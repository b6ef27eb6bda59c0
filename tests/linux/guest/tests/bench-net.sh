# cachet.test=bench-net (sourced by /init): TCP throughput from the guest to
# a receiver on the host.  Brings the network up as cachet.test=net does,
# then sends cachet.mib MiB (default 64) of zeros to cachet.sink=HOST:PORT
# with busybox nc; the host side measures the rate.  Prints
# CACHET-BENCH-NET-SENT mib=N when nc returns.

. /lib/cachet/tests/net.sh || return 1
sink=$(cachet_param sink)
mib=$(cachet_param mib)
[ -n "$sink" ] || { echo "CACHET-BENCH-FAIL no cachet.sink="; return 1; }
dd if=/dev/zero bs=1M count="${mib:-64}" 2>/dev/null |
	nc "${sink%:*}" "${sink##*:}" ||
	{ echo "CACHET-BENCH-FAIL nc $sink"; return 1; }
echo "CACHET-BENCH-NET-SENT mib=${mib:-64}"
