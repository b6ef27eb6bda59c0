#!/bin/sh
# Hostile virtqueues (tests/guests/virtio-hostile.c) beside a guest with a
# working disk: a bare-metal guest notifies before DRIVER_OK, makes a queue
# of size 0 ready, puts its descriptor table and then a buffer outside its
# RAM, loops a chain, jumps the available index and names a descriptor past
# the queue; each time its disk must report DEVICE_NEEDS_RESET, and after a
# reset serve a proper read.  Meanwhile a Linux guest mounts, checks, writes
# and syncs its own ext4 disk.  The daemon stays up, the Linux guest's disk
# works and its image is clean, and dev-stats counts the hostile disk's
# NEEDS_RESET marks.
. "$(dirname "$0")/linux-lib.sh"
linux_need mke2fs e2fsck debugfs
linux_assets
daemon_start 2 1024

disk_images linux
printf 'CACHET-VIRTIO-SECTOR0' >"$img/hostile.raw"
truncate -s 1M "$img/hostile.raw"

linux_cfg linux 1 "cachet.test=disk cachet.token=$token cachet.disks=vda:rw" >"$CACHET_STATE_DIR/linux.cfg"
echo "disk = [ '$img/linux.raw,raw,xvda,rw' ]" >>"$CACHET_STATE_DIR/linux.cfg"
out=$(cachet create "$CACHET_STATE_DIR/linux.cfg" 2>&1) || fail "create linux: $out"

log="$CACHET_STATE_DIR/hostile.console"
timeout 240 "$CACHET_BIN" create "$GUESTS/virtio-hostile.cfg" \
	"disk=['$img/hostile.raw,raw,xvda,rw']" 'rng=0' 'on_poweroff="preserve"' -c \
	</dev/null >"$log" 2>&1 || fail "virtio-hostile: create -c failed: $(tail -n 5 "$log")"
grep -q '^RESULT: PASS virtio-hostile' "$log" || fail "virtio-hostile: $(grep -E 'RESULT|ok$' "$log" | tail -n 10)"
for c in notify-early size0 ring-outside buf-outside loop index-jump bad-head recover; do
	grep -q "^virtio-hostile: $c ok" "$log" || fail "virtio-hostile: case $c not reported"
done
cachet info >/dev/null || fail "the daemon stopped answering"
resets=$(cachet dev-stats virtio-hostile | awk '$2 == "blk" { print $NF }')
[ "${resets:-0}" -ge 7 ] || fail "dev-stats counts ${resets:-no} NEEDS_RESET marks, expected 7: $(cachet dev-stats virtio-hostile)"

linux_wait linux '^CACHET-TEST-EXIT disk status=' 300 || fail "the Linux guest's disk test did not finish"
linux_wait linux '^CACHET-TEST-EXIT disk status=0$' 5 || fail "the Linux guest's disk failed: $(cachet console linux </dev/null 2>&1 | grep CACHET-DISK)"
wait_for sh -c "! $CACHET_BIN list | grep -q '^linux '" || fail "the Linux guest did not power off"
got=$(debugfs -R 'cat /guest.txt' "$img/linux.raw" 2>/dev/null)
[ "$got" = "guest $token vda" ] || fail "the Linux guest's file reads '$got'"
e2fsck -fn "$img/linux.raw" >"$img/fsck.log" 2>&1 || fail "e2fsck: $(tail -n 5 "$img/fsck.log")"
rm -rf "$img"
pass "7 hostile virtqueue cases each gave NEEDS_RESET and a reset revived the disk; the Linux guest's disk worked beside it"
