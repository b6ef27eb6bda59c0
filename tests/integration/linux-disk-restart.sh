#!/bin/sh
# Device service survives a cachetd restart: a Linux guest writes, syncs and
# reads back files on its virtio disks in rounds while cachetd is killed
# with SIGKILL twice and started again.  The new daemon picks the queues up
# from the hypervisor's registers and the guest's RAM (daemon/DEVICES.md):
# requests the old one had taken but not completed are served again, none
# is lost, so every round's checksum matches, the guest finishes, and the
# image is clean.  The second disk is qcow2: its qemu-nbd dies with the
# old daemon and the new one starts another.
. "$(dirname "$0")/linux-lib.sh"
linux_need mke2fs e2fsck qemu-img
linux_assets
daemon_start 2 1024

img="$CACHET_STATE_DIR.img"
rm -rf "$img" && mkdir -p "$img"
mke2fs -q -F -t ext4 "$img/a.raw" 64M || fail "mke2fs"
mke2fs -q -F -t ext4 "$img/b.raw" 64M || fail "mke2fs"
qemu-img convert -f raw -O qcow2 "$img/b.raw" "$img/b.qcow2" || fail "qemu-img convert"

linux_cfg soak 1 "cachet.test=disk-soak cachet.rounds=80 cachet.disks=vda,vdb" >"$CACHET_STATE_DIR/soak.cfg"
echo "disk = [ '$img/a.raw,raw,xvda,rw', '$img/b.qcow2,qcow2,xvdb,rw' ]" >>"$CACHET_STATE_DIR/soak.cfg"
out=$(cachet create "$CACHET_STATE_DIR/soak.cfg" 2>&1) || fail "create: $out"

# Round N done, as the daemon's console log has it (faster than a console client).
soak_at() {
	tr -d '\r' <"$CACHET_STATE_DIR/console/soak.log" 2>/dev/null | grep -q "^CACHET-SOAK $1\$"
}
for at in 3 20; do
	wait_for soak_at "$at" || wait_for soak_at "$at" || fail "round $at never came"
	kill -9 "$(daemon_pid)" 2>/dev/null
	wait_for sh -c "! kill -0 $(daemon_pid) 2>/dev/null" || fail "cachetd survived kill -9"
	daemon_run --cpus 2 --memory 1024 || fail "cachetd did not start again"
	grep -q "recover: domain [0-9]* 'soak'" "$CACHET_STATE_DIR/cachetd.log" ||
		fail "the new cachetd did not recover the guest"
done
linux_wait soak '^CACHET-TEST-EXIT disk-soak status=' 300 || fail "the guest did not finish"
linux_wait soak '^CACHET-TEST-EXIT disk-soak status=0$' 5 ||
	fail "the guest saw an error: $(cachet console soak </dev/null 2>&1 | grep -E 'SOAK-FAIL|I/O error|EXT4' | tail -n 5)"
grep -q "its devices are not served" "$CACHET_STATE_DIR/cachetd.log" && fail "device service was not resumed"
wait_for sh -c "! $CACHET_BIN list | grep -q '^soak '" || fail "the guest did not power off"
e2fsck -fn "$img/a.raw" >"$img/fsck.log" 2>&1 || fail "e2fsck: $(tail -n 5 "$img/fsck.log")"
qemu-img convert -f qcow2 -O raw "$img/b.qcow2" "$img/b.raw" || fail "qemu-img convert back"
e2fsck -fn "$img/b.raw" >"$img/fsck.log" 2>&1 || fail "e2fsck (qcow2): $(tail -n 5 "$img/fsck.log")"
rm -rf "$img"
pass "80 rounds of write, sync and read-back on a raw and a qcow2 disk across two cachetd kills; images clean"
