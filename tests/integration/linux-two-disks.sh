#!/bin/sh
# Two Linux guests, each with its own virtio disk, doing disk work at the
# same time (write, sync, drop caches, read back and compare, in rounds):
# each guest's device thread serves its own disk, neither waits for the
# other, both finish, and both images are clean with each guest's files.
. "$(dirname "$0")/linux-lib.sh"
linux_need mke2fs e2fsck debugfs
linux_assets
daemon_start 2 1024

img="$CACHET_STATE_DIR.img"
rm -rf "$img" && mkdir -p "$img"
for g in a b; do
	mke2fs -q -F -t ext4 "$img/$g.raw" 64M || fail "mke2fs $g"
	linux_cfg "disk-$g" 1 "cachet.test=disk-soak cachet.rounds=30" >"$CACHET_STATE_DIR/$g.cfg"
	echo "disk = [ '$img/$g.raw,raw,xvda,rw' ]" >>"$CACHET_STATE_DIR/$g.cfg"
done
for g in a b; do
	out=$(cachet create "$CACHET_STATE_DIR/$g.cfg" 2>&1) || fail "create disk-$g: $out"
done
# Both are busy at once: each has done some rounds before either has finished.
both_busy() {
	for g in a b; do
		tr -d '\r' <"$CACHET_STATE_DIR/console/disk-$g.log" 2>/dev/null | grep -q '^CACHET-SOAK 2$' || return 1
	done
}
wait_for both_busy || wait_for both_busy || fail "the two guests did not both start their disk work"
for g in a b; do
	tr -d '\r' <"$CACHET_STATE_DIR/console/disk-$g.log" | grep -q '^CACHET-SOAK 30$' &&
		fail "disk-$g finished before the other had started: the work did not overlap"
done
for g in a b; do
	linux_wait "disk-$g" '^CACHET-TEST-EXIT disk-soak status=' 300 || fail "disk-$g did not finish"
	linux_wait "disk-$g" '^CACHET-TEST-EXIT disk-soak status=0$' 5 || fail "disk-$g saw an error"
done
for g in a b; do
	wait_for sh -c "! $CACHET_BIN list | grep -q '^disk-$g '" || fail "disk-$g did not power off"
	debugfs -R 'ls /' "$img/$g.raw" 2>/dev/null | grep -q 'round\.0' || fail "disk-$g: no files on its image"
	e2fsck -fn "$img/$g.raw" >"$img/fsck.log" 2>&1 || fail "disk-$g: e2fsck: $(tail -n 5 "$img/fsck.log")"
done
rm -rf "$img"
pass "two guests did 30 rounds of disk work each at the same time; both images clean"
