# shellcheck shell=bash
# Shared by the Linux benchmarks (sourced): the guest assets, a private
# state directory for a cachetd of their own (stopped on exit), timing.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
QEMU=${QEMU:-$(command -v qemu-system-aarch64)}
cache=${CACHET_GUEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cachet}
"$top_srcdir/tests/linux/fetch-guest-assets" --cache "$cache" >/dev/null
assets=$cache/guest-arm64
kernel=$assets/Image

# use_armhf: the Linux helpers below boot Debian's armhf zImage (a 32-bit
# guest) from now on.
use_armhf() {
	"$top_srcdir/tests/linux/fetch-guest-assets" --cache "$cache" --arch armhf >/dev/null
	assets=$cache/guest-armhf
	kernel=$assets/zImage
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cachet-bench.XXXXXX")
export CACHET_STATE_DIR=$tmp/state
mkdir -p "$CACHET_STATE_DIR"

cleanup() {
	local pid
	pid=$(cat "$CACHET_STATE_DIR/cachetd.pid" 2>/dev/null || true)
	if [[ -n $pid ]]; then
		kill "$pid" 2>/dev/null || true
	fi
	sleep 1
	rm -rf "$tmp"
}
trap cleanup EXIT

now() { date +%s.%N; }

# Seconds from $1 (a start time) until file $2 has a line matching $3;
# fails (naming the file) if process $4 ends first, e.g. a QEMU that
# refused its arguments.
wait_marker() {
	local start=$1 file=$2 re=$3 pid=$4
	until grep -q -E -- "$re" "$file" 2>/dev/null; do
		if ! kill -0 "$pid" 2>/dev/null && ! grep -q -E -- "$re" "$file" 2>/dev/null; then
			echo "bench: no '$re' in $file before its process ended" >&2
			return 1
		fi
		sleep 0.01
	done
	awk -v a="$(now)" -v b="$start" 'BEGIN { printf "%.3f\n", a - b }'
}

# linux_boot NAME SMP [CFG_LINE...]: boots Debian's kernel ($kernel) under Cachet as
# domain NAME (256 MiB, SMP vCPUs, the extra xl.cfg lines given) and prints
# the seconds from `cachet create` to the userspace marker.  The domain is
# kept (on_poweroff "preserve") so that its counters can be read.
linux_boot() {
	local name=$1 smp=$2 cfg=$tmp/$1.cfg log=$tmp/cachet.log start
	shift 2
	{
		cat <<CFG
name = "$name"
kernel = "$kernel"
ramdisk = "$assets/initramfs.cpio.gz"
memory = 256
vcpus = $smp
extra = "console=ttyAMA0 cachet.test=poweroff cachet.modules=no"
on_poweroff = "preserve"
CFG
		printf '%s\n' "$@"
	} >"$cfg"
	# Empty before the start: the last round's marker must not be found.
	: >"$log"
	start=$(now)
	cli/cachet create "$cfg" -c </dev/null >"$log" 2>&1 &
	wait_marker "$start" "$log" '^CACHET-LINUX-UP' $!
	wait || true
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# The smallest and largest value, as "MIN-MAX".
range() { sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "-" hi }'; }

# direct_boot SMP CPU [MACHINE]: seconds until QEMU alone boots the kernel
# ($kernel, with QEMU's own loader) to the marker.
direct_boot() {
	local smp=$1 cpu=$2 machine=${3:-virt} log=$tmp/direct.log start t pid
	rm -f "$log"
	start=$(now)
	timeout 300 "$QEMU" -M "$machine" -cpu "$cpu" -smp "$smp" -m 256 -display none -monitor none \
		-nodefaults -serial "file:$log" -no-reboot -kernel "$kernel" \
		-initrd "$assets/initramfs.cpio.gz" -append "console=ttyAMA0 cachet.test=poweroff cachet.modules=no" &
	pid=$!
	t=$(wait_marker "$start" "$log" '^CACHET-LINUX-UP' "$pid")
	wait "$pid" || true
	echo "$t"
}
