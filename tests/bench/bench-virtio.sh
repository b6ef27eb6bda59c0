#!/bin/bash
# virtio benchmark, in one run, side by side with the same kernel, initramfs
# and disk image under QEMU alone (no hypervisor, QEMU's own devices):
#   - disk: sequential write and read throughput (dd with O_DIRECT in the
#     guest) and 4 KiB random-read IOPS (the initramfs's randread, O_DIRECT,
#     one read at a time) of a raw image: Cachet's virtio-blk served by
#     cachetd vs QEMU's -device virtio-blk-device;
#   - network: TCP throughput from the guest to a sink on the host's
#     loopback, through user-mode networking: Cachet's virtio-net with
#     libslirp in cachetd vs QEMU's -netdev user (also libslirp);
#   - the notifications per request that Cachet's devices took (dev-stats).
# The guest side is tests/linux/guest/tests/bench-{disk,net}.sh.  Rounds
# alternate Cachet and QEMU alone.  Prints every round's figures as it
# ends (a slow round shows), then medians with their range and the ratios
# Cachet / QEMU alone; asserts nothing.
#
# Usage (from the build tree): tests/bench/bench-virtio.sh [ROUNDS] [MIB]
set -euo pipefail
rounds=${1:-3}
mib=${2:-128}
secs=5
. "$(dirname "$0")/bench-lib.sh"

disk=$tmp/disk.img
truncate -s $((mib + 64))M "$disk"

# The guest's kernel command line for a benchmark script.
bench_append() {
	printf 'console=ttyAMA0 cachet.test=%s cachet.mib=%s cachet.secs=%s %s' \
		"$1" "$mib" "$secs" "${2:-}"
}

# run_until_exit LOG CMD...: runs CMD until it ends or, once the guest's
# script has printed its exit marker on LOG, for 20 s more at most.
# Debian's 6.1 kernel sometimes locks up powering off in virtio-net
# (virtio_dev_shutdown, then a soft lockup in virtnet_poll; seen under QEMU
# alone too), and the round's figures are in by then.
run_until_exit() {
	local log=$1 pid ticks=0
	shift
	"$@" </dev/null >/dev/null 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null && ((ticks < 200)); do
		if grep -q 'CACHET-TEST-EXIT' "$log" 2>/dev/null; then
			ticks=$((ticks + 1))
		fi
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "note: the guest of $log did not power off; stopped" >&2
		kill "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || true
}

# QEMU alone, one vCPU and 256 MiB as the Cachet guests have; DEVICE_ARGS
# are QEMU's device options.  The console goes to LOG.
qemu_alone() {
	local log=$1 append=$2
	shift 2
	rm -f "$log"
	run_until_exit "$log" timeout 900 "$QEMU" -M virt -cpu cortex-a57 -smp 1 -m 256 \
		-display none -monitor none -nodefaults -serial "file:$log" -no-reboot \
		-kernel "$assets/Image" -initrd "$assets/initramfs.cpio.gz" \
		-append "$append" "$@"
}

# cachet_guest NAME LOG APPEND CFG_LINE...: runs the benchmark guest under
# Cachet until its script ends, keeps its device statistics in NAME.stats.
cachet_guest() {
	local name=$1 log=$2 append=$3 cfg=$tmp/$1.cfg
	shift 3
	{
		printf 'name = "%s"\nkernel = "%s"\nramdisk = "%s"\n' \
			"$name" "$assets/Image" "$assets/initramfs.cpio.gz"
		printf 'memory = 256\nvcpus = 1\non_poweroff = "preserve"\n'
		printf 'extra = "%s"\n' "$append"
		printf '%s\n' "$@"
	} >"$cfg"
	: >"$log"
	run_until_exit "$log" sh -c 'exec timeout 900 cli/cachet create "$1" -c >"$2" 2>&1' \
		sh "$cfg" "$log"
	cli/cachet dev-stats "$name" >"$tmp/$name.stats" 2>&1 || true
	cli/cachet destroy "$name" >/dev/null 2>&1 || true
}

# field LOG MARKER KEY: KEY=VALUE's value on LOG's MARKER line.
field() {
	tr -d '\r' <"$1" | awk -v m="$2" -v k="$3" '$1 == m {
		for (i = 2; i <= NF; i++) if (index($i, k "=") == 1) v = substr($i, length(k) + 2) }
		END { print v }'
}

# disk_figures LOG WHO: appends the round's figures to WHO.{write,read,iops}.
disk_figures() {
	local log=$1 who=$2 w r i
	w=$(field "$log" CACHET-BENCH-DISK seqwrite_mibs)
	r=$(field "$log" CACHET-BENCH-DISK seqread_mibs)
	i=$(field "$log" RANDREAD iops)
	if [[ -z $w || -z $r || -z $i ]]; then
		echo "$who: the disk benchmark did not finish; console tail:" >&2
		tail -n 15 "$log" >&2
		return 1
	fi
	echo "$w" >>"$tmp/$who.write" && echo "$r" >>"$tmp/$who.read" && echo "$i" >>"$tmp/$who.iops"
	printf 'round %d disk %-10s write %s MiB/s, read %s MiB/s, random read %s IOPS\n' \
		"$round" "$who" "$w" "$r" "$i"
}

disk_round() {
	local n=$1 log=$tmp/disk.log
	qemu_alone "$log" "$(bench_append bench-disk)" \
		-drive "if=none,id=d0,file=$disk,format=raw" -device virtio-blk-device,drive=d0
	disk_figures "$log" qemu
	cachet_guest "vdisk$n" "$log" "$(bench_append bench-disk)" \
		"disk = [ \"format=raw,vdev=xvda,access=rw,target=$disk\" ]"
	disk_figures "$log" cachet
	cp "$tmp/vdisk$n.stats" "$tmp/disk.stats"
}

# The sink's rate for one guest run; START_GUEST is called with the port.
net_run() {
	local who=$1 start_guest=$2 port rate
	rm -f "$tmp/port"
	timeout 900 python3 "$top_srcdir/tests/bench/tcp-sink.py" "$tmp/port" 600 \
		>"$tmp/sink.out" &
	local sink=$!
	until [[ -s $tmp/port ]]; do sleep 0.05; done
	port=$(cat "$tmp/port")
	"$start_guest" "$port"
	wait "$sink" || true
	rate=$(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^mibs=/) print substr($i, 6) }' "$tmp/sink.out")
	if [[ -z $rate ]]; then
		echo "$who: the network benchmark did not finish; console tail:" >&2
		tail -n 15 "$tmp/net.log" >&2
		return 1
	fi
	echo "$rate" >>"$tmp/$who.tcp"
	printf 'round %d TCP  %-10s %s MiB/s\n' "$round" "$who" "$rate"
}

qemu_net() {
	qemu_alone "$tmp/net.log" "$(bench_append bench-net "cachet.sink=10.0.2.2:$1")" \
		-netdev user,id=n0 -device virtio-net-device,netdev=n0
}

cachet_net() {
	net_n=$((net_n + 1))
	cachet_guest "vnet$net_n" "$tmp/net.log" "$(bench_append bench-net "cachet.sink=10.0.2.2:$1")" \
		'vif = [ "mac=00:16:3e:00:00:01" ]'
	cp "$tmp/vnet$net_n.stats" "$tmp/net.stats"
}

# "median (min-max)" of a file of figures.
spread() { printf '%s (%s)' "$(median <"$1")" "$(range <"$1")"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# report WHAT FILE_SUFFIX UNIT
report() {
	local c q
	c=$(median <"$tmp/cachet.$2")
	q=$(median <"$tmp/qemu.$2")
	printf '%-22s Cachet %s, QEMU alone %s %s: ratio %s\n' "$1" \
		"$(spread "$tmp/cachet.$2")" "$(spread "$tmp/qemu.$2")" "$3" "$(ratio "$c" "$q")"
}

daemon/cachetd --cpus 4 --memory 2048 --hypervisor hypervisor/cachet-hv.elf --qemu "$QEMU"
printf 'kernel %s, %d rounds, %d MiB per dd, %d s of random reads, alternating\n' \
	"$(cat "$assets/kernel-version")" "$rounds" "$mib" "$secs"
net_n=0
for ((round = 1; round <= rounds; round++)); do
	disk_round "$round"
	net_run qemu qemu_net
	net_run cachet cachet_net
done
echo "== virtio summary (medians of $rounds rounds; ratio = Cachet / QEMU alone) =="
report "disk sequential write" write MiB/s
report "disk sequential read" read MiB/s
report "disk 4 KiB random read" iops IOPS
report "TCP guest -> host" tcp MiB/s
# notifications per request of each device of a `cachet dev-stats` table
# (columns Idx Type Vdev State SPI Requests ... Notifies ...).
per_request() {
	awk 'NR > 1 && $6 > 0 { printf "%s %s: %d requests, %d notifications, %.3f per request, %d interrupts\n",
		$2, $3, $6, $10, $10 / $6, $11 }' "$1"
}

echo "== Cachet device statistics of the last round (cachet dev-stats) =="
cat "$tmp/disk.stats" "$tmp/net.stats"
echo "== notifications per request (last round) =="
per_request "$tmp/disk.stats"
per_request "$tmp/net.stats"
