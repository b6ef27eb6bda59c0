#!/bin/bash
# Domain build benchmark, in one run: building and starting a 256 MiB guest
# with Debian's arm64 Image (about 32 MiB, uncompressed) through the libxc
# xc_dom API (tests/xen/xc-boot: xc_interface_open, xc_domain_create, the
# xc_dom calls, xc_domain_unpause) against `cachet create` of the same
# kernel and memory, both with cachetd and its platform already up.  Each
# figure is the median of ROUNDS runs (range shown); the guest is destroyed
# between runs.  Then the build alone, in one process (bench_xcdom).
# Prints figures and the ratio; asserts nothing.
#
# Usage (from the build tree): tests/bench/bench-xen.sh [ROUNDS]
set -euo pipefail
rounds=${1:-7}
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-.}
QEMU=${QEMU:-$(command -v qemu-system-aarch64)}
cache=${XDG_CACHE_HOME:-$HOME/.cache}/cachet
"$top_srcdir/tests/linux/fetch-guest-assets" --cache "$cache" >/dev/null
image=$cache/guest-arm64/Image
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cachet-bench-xen.XXXXXX")
export CACHET_STATE_DIR=$tmp/state
mkdir -p "$CACHET_STATE_DIR"
. "$(dirname "$0")/bench-bin.sh"
cachet=$(bench_bin cli cachet)
xc_boot=$(bench_bin tests/xen xc-boot)
xc_destroy=$(bench_bin tests/xen xc-destroy)

cleanup() {
	local pid
	pid=$(cat "$CACHET_STATE_DIR/cachetd.pid" 2>/dev/null || true)
	[[ -n $pid ]] && kill "$pid" 2>/dev/null || true
	sleep 1
	rm -rf "$tmp"
}
trap cleanup EXIT

now() { date +%s.%N; }
since() { awk -v a="$(now)" -v b="$1" 'BEGIN { printf "%.4f\n", a - b }'; }

# median and range of the numbers on stdin
stats() { sort -g | awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.4f %.4f %.4f\n", m, v[1], v[NR] }'; }

xc_round() {
	local start domid t
	start=$(now)
	domid=$("$xc_boot" "$image" - 256 "console=ttyAMA0")
	t=$(since "$start")
	"$xc_destroy" "$domid"
	echo "$t"
}

cachet_round() {
	local start t
	start=$(now)
	"$cachet" create "$tmp/bench.cfg" >/dev/null 2>&1
	t=$(since "$start")
	"$cachet" destroy bench
	echo "$t"
}

"$top_builddir/daemon/cachetd" --cpus 2 --memory 1024 --qemu "$QEMU" \
	--hypervisor "$top_builddir/hypervisor/cachet-hv.elf"
printf 'name = "bench"\nkernel = "%s"\nmemory = 256\nextra = "console=ttyAMA0"\n' "$image" \
	>"$tmp/bench.cfg"
# One warm-up of each fills the page cache with the Image.
xc_round >/dev/null
cachet_round >/dev/null
for ((i = 0; i < rounds; i++)); do
	xc_round >>"$tmp/xc.times"
	cachet_round >>"$tmp/cachet.times"
done
read -r xm xlo xhi < <(stats <"$tmp/xc.times")
read -r cm clo chi < <(stats <"$tmp/cachet.times")
printf 'build+start, 256 MiB guest, %s MiB Image, %d runs each (median, range):\n' \
	"$(( $(stat -c %s "$image") / 1048576 ))" "$rounds"
awk -v xm="$xm" -v xlo="$xlo" -v xhi="$xhi" -v cm="$cm" -v clo="$clo" -v chi="$chi" 'BEGIN {
	printf "  xc_dom API (xc-boot)  %7.1f ms  [%.1f .. %.1f]\n", xm * 1000, xlo * 1000, xhi * 1000
	printf "  cachet create         %7.1f ms  [%.1f .. %.1f]\n", cm * 1000, clo * 1000, chi * 1000
	printf "  ratio xc_dom / cachet create: %.2f (target <= 1.2)\n", xm / cm
	printf "  (Xen 4.17 xl create on this platform, from the issue: 1.55-1.77 s)\n"
}'
"$top_builddir/tests/bench/.libs/bench_xcdom" "$image" "$rounds"
