# shellcheck shell=sh
# Harness for tests that boot Debian's arm64 kernel with the busybox
# initramfs (tests/linux/) as a Cachet guest through cachetd (sourced).
#
#     . "$(dirname "$0")/linux-lib.sh"
#     linux_assets [armhf]              # fetch (cached) and set the paths
#     daemon_start 4 1024
#     linux_cfg NAME VCPUS 'cachet.test=poweroff' > "$CFG"
#
# The assets come from the Debian archive through the project's fetch
# script and are cached; a machine without access to the archive skips.

. "$(dirname "$0")/daemon-lib.sh"

LINUX_CACHE="${CACHET_GUEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cachet}"

# linux_assets [ARCH]: sets LINUX_IMAGE, LINUX_INITRD and LINUX_KVER for
# Debian's arm64 (default) or armhf kernel (a zImage: a 32-bit guest).
linux_assets() {
	_la_arch=${1:-arm64}
	mkdir -p "$LINUX_CACHE" "$LOGDIR"
	# Tests run in parallel: one fetch at a time, the rest find the cache.
	if ! flock "$LINUX_CACHE/.fetch.lock" "$top_srcdir/tests/linux/fetch-guest-assets" \
		--cache "$LINUX_CACHE" --arch "$_la_arch" >"$LOGDIR/$ITEST_NAME.fetch.log" 2>&1; then
		cat "$LOGDIR/$ITEST_NAME.fetch.log"
		skip "cannot fetch Debian's $_la_arch kernel (see above)"
	fi
	LINUX_IMAGE="$LINUX_CACHE/guest-$_la_arch/Image"
	[ "$_la_arch" = armhf ] && LINUX_IMAGE="$LINUX_CACHE/guest-$_la_arch/zImage"
	LINUX_INITRD="$LINUX_CACHE/guest-$_la_arch/initramfs.cpio.gz"
	LINUX_KVER=$(cat "$LINUX_CACHE/guest-$_la_arch/kernel-version")
}

# linux_need TOOL...: skips the test unless every TOOL is installed (disk
# tests: mke2fs, e2fsck and debugfs from e2fsprogs, qemu-img from qemu-utils).
linux_need() {
	for _ln_tool in "$@"; do
		command -v "$_ln_tool" >/dev/null 2>&1 ||
			skip "$_ln_tool is not installed (e2fsprogs, qemu-utils)"
	done
}

# linux_cfg NAME VCPUS EXTRA: an xl-style config on stdout.
linux_cfg() {
	cat <<CFG
name = "$1"
kernel = "$LINUX_IMAGE"
ramdisk = "$LINUX_INITRD"
memory = 256
vcpus = $2
extra = "console=ttyAMA0 $3"
CFG
}

# linux_wait NAME REGEX [TIMEOUT_S]: waits until NAME's console, as `cachet
# console` shows it (so also for a domain cachetd did not create, which has
# no console log), has a line matching REGEX.  The console runs in the
# background into a file that is searched as it grows: the wait ends at the
# match, not when the guest next prints (a console attached to a quiet
# guest never ends by itself).  A console that ends (the daemon restarted,
# say) is attached again.
linux_wait() {
	_lw_end=$(($(date +%s) + ${3:-240}))
	_lw_out="$CACHET_STATE_DIR/.wait-$1"
	_lw_pid=
	_lw_rc=1
	rm -f "$_lw_out"
	while [ "$(date +%s)" -lt "$_lw_end" ]; do
		# What a console printed before it ended counts too: search before attaching again.
		linux_seen "$_lw_out" "$2" && { _lw_rc=0; break; }
		if [ -z "$_lw_pid" ] || ! kill -0 "$_lw_pid" 2>/dev/null; then
			[ -z "$_lw_pid" ] || sleep 0.5
			timeout "${3:-240}" "$CACHET_BIN" console "$1" </dev/null >"$_lw_out" 2>/dev/null &
			_lw_pid=$!
		fi
		sleep 0.1
	done
	[ -z "$_lw_pid" ] || kill "$_lw_pid" 2>/dev/null
	[ -z "$_lw_pid" ] || wait "$_lw_pid" 2>/dev/null
	rm -f "$_lw_out"
	return "$_lw_rc"
}

# linux_seen FILE REGEX: FILE (console output, CRs dropped) has a line matching REGEX.
linux_seen() {
	tr -d '\r' 2>/dev/null <"$1" | grep -E -q -- "$2"
}

# linux_boot_policy NAME VCPUS POLICY: boots Linux under cache policy POLICY
# to its userspace marker and power-off, keeps the domain, and sets STATS to
# its `cachet cache-stats`.
linux_boot_policy() {
	linux_cfg "$1" "$2" 'cachet.test=poweroff' >"$CACHET_STATE_DIR/$1.cfg"
	printf 'cache_policy = "%s"\non_poweroff = "preserve"\n' "$3" >>"$CACHET_STATE_DIR/$1.cfg"
	_lb_out=$(timeout 300 "$CACHET_BIN" create "$CACHET_STATE_DIR/$1.cfg" -c </dev/null 2>&1 |
		tr -d '\r') || fail "$1: cachet create -c failed: $(printf '%s\n' "$_lb_out" | tail -n 20)"
	_lb_marker=$(printf '%s\n' "$_lb_out" | grep '^CACHET-LINUX-UP ') ||
		fail "$1: no marker line; console tail: $(printf '%s\n' "$_lb_out" | tail -n 20)"
	[ "$_lb_marker" = "CACHET-LINUX-UP uname=$LINUX_KVER cpus=$2" ] ||
		fail "$1: marker '$_lb_marker', expected uname=$LINUX_KVER cpus=$2"
	STATS=$(cachet cache-stats "$1") || fail "$1: cache-stats failed"
}

# stat_sum KEY: KEY summed over every vCPU line of $STATS.
stat_sum() {
	printf '%s\n' "$STATS" | awk -v k="$1" '$1 == k { for (i = 2; i <= NF; i++) s += $i } END { print s + 0 }'
}

# linux_wait_log NAME REGEX [TIMEOUT_S]: as linux_wait, but reads the console
# log cachetd keeps (STATE/console/NAME.log) instead of attaching to the
# console (only for domains cachetd created).
linux_wait_log() {
	_lwl_end=$(($(date +%s) + ${3:-240}))
	until linux_seen "$CACHET_STATE_DIR/console/$1.log" "$2"; do
		[ "$(date +%s)" -lt "$_lwl_end" ] || return 1
		sleep 0.1
	done
}

# disk_images NAME...: ext4 images $img/NAME.raw (32 MiB, made with mke2fs -d)
# that each hold host.txt with "host $token"; sets img and token.
disk_images() {
	token="t$$-$(date +%s)"
	img="$CACHET_STATE_DIR.img"
	rm -rf "$img" && mkdir -p "$img/tree"
	echo "host $token" >"$img/tree/host.txt"
	for d in "$@"; do
		mke2fs -q -F -t ext4 -d "$img/tree" "$img/$d.raw" 32M || fail "mke2fs $d"
	done
}
