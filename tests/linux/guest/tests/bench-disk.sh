# cachet.test=bench-disk (sourced by /init): the disk benchmark's guest side
# on /dev/vda (cachet.disk=NAME for another), all with O_DIRECT so that the
# guest's page cache answers nothing:
#   sequential write  dd of=DISK oflag=direct, cachet.mib MiB (default 256)
#   sequential read   dd if=DISK iflag=direct, the same amount
#   random read       randread, 4 KiB, cachet.secs seconds (default 10)
# It prints CACHET-BENCH-DISK seqwrite_mibs=.. seqread_mibs=.. then the
# randread line (RANDREAD iops=...).  The disk's contents are overwritten.

# Seconds since boot with centiseconds, from /proc/uptime.
bench_now() {
	read -r up _ </proc/uptime
	echo "$up"
}

# MiB/s of MIB MiB in the seconds between two bench_now readings.
bench_rate() {
	awk -v m="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.1f", m / (b - a) }'
}

disk=/dev/$(cachet_param disk)
[ "$disk" = /dev/ ] && disk=/dev/vda
mib=$(cachet_param mib)
mib=${mib:-256}
secs=$(cachet_param secs)
[ -b "$disk" ] || { echo "CACHET-BENCH-FAIL no block device $disk"; return 1; }

t0=$(bench_now)
dd if=/dev/zero of="$disk" bs=1M count="$mib" oflag=direct 2>/dev/null ||
	{ echo "CACHET-BENCH-FAIL write $disk"; return 1; }
t1=$(bench_now)
dd if="$disk" of=/dev/null bs=1M count="$mib" iflag=direct 2>/dev/null ||
	{ echo "CACHET-BENCH-FAIL read $disk"; return 1; }
t2=$(bench_now)
echo "CACHET-BENCH-DISK mib=$mib seqwrite_mibs=$(bench_rate "$mib" "$t0" "$t1")" \
	"seqread_mibs=$(bench_rate "$mib" "$t1" "$t2")"
randread -t "${secs:-10}" "$disk" ||
	{ echo "CACHET-BENCH-FAIL randread $disk"; return 1; }
