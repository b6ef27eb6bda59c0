#!/bin/sh
# virtio disks of a Linux guest, configured in xl's disk syntax: three ext4
# images made on the host with mke2fs -d, attached as
#   xvda  raw, read-write, positional spec ('target,format,vdev,access')
#   xvdb  raw, read-only, key=value spec with specification= and transport=
#   xvdc  qcow2 (qemu-img convert), read-write, served through qemu-nbd
# The guest mounts each, checks the file the host wrote, writes a file on
# the read-write ones and syncs, checks that writes to the read-only one
# fail, and powers off.  The host then finds the guest's files in the images
# and e2fsck -n finds them clean; the read-only image is unchanged.
. "$(dirname "$0")/linux-lib.sh"
linux_need mke2fs e2fsck debugfs qemu-img
linux_assets
daemon_start 2 1024

disk_images a b c
qemu-img convert -f raw -O qcow2 "$img/c.raw" "$img/c.qcow2" || fail "qemu-img convert"
rm -f "$img/c.raw"
ro_sum=$(sha256sum <"$img/b.raw")

linux_cfg disk 1 "cachet.test=disk cachet.token=$token cachet.disks=vda:rw,vdb:ro,vdc:rw" \
	>"$CACHET_STATE_DIR/disk.cfg"
cat >>"$CACHET_STATE_DIR/disk.cfg" <<CFG
disk = [ '$img/a.raw,raw,xvda,rw',
         'format=raw, vdev=xvdb, access=ro, specification=virtio, transport=mmio, target=$img/b.raw',
         '$img/c.qcow2,qcow2,xvdc,w' ]
on_poweroff = "preserve"
CFG
out=$(cachet create "$CACHET_STATE_DIR/disk.cfg" 2>&1) || fail "create: $out"
linux_wait disk '^CACHET-TEST-EXIT disk status=' 300 || fail "the disk test did not finish"
console=$(timeout 30 "$CACHET_BIN" console disk </dev/null 2>/dev/null | tr -d '\r')
printf '%s\n' "$console" | grep -q '^CACHET-TEST-EXIT disk status=0$' ||
	fail "guest side failed: $(printf '%s\n' "$console" | grep -E 'CACHET-DISK|error|EXT4|virtio' | tail -n 20)"
for d in vda vdb vdc; do
	printf '%s\n' "$console" | grep -q "^CACHET-DISK-OK $d\$" || fail "no CACHET-DISK-OK $d"
done
# The default entropy device: the guest's hardware RNG, fed by getrandom().
printf '%s\n' "$console" | grep -q '^CACHET-RNG virtio_rng\.' ||
	fail "the guest has no virtio entropy device: $(printf '%s\n' "$console" | grep CACHET-RNG)"

# Statistics while the domain is kept: requests on every disk, flushes on the written ones.
stats=$(cachet dev-stats disk) || fail "dev-stats: $stats"
printf '%s\n' "$stats" | awk '$2 == "blk" && $6 + 0 > 0 { n++ } END { exit n == 3 ? 0 : 1 }' ||
	fail "dev-stats shows no requests on the three disks: $stats"
printf '%s\n' "$stats" | awk '$2 == "rng" && $6 + 0 > 0 && $7 + 0 > 0 { n++ } END { exit n == 1 ? 0 : 1 }' ||
	fail "dev-stats shows no entropy served: $stats"
list=$(cachet block-list disk) || fail "block-list: $list"
# The guest's power-off resets its drivers' devices: state 1 (initialising) again.
printf '%s\n' "$list" | grep -Eq '^51712 +0 +[0-9]+ +1 +33 +-1 +/.*/a\.raw *$' ||
	fail "block-list has no xvda (51712, SPI 33, a.raw): $list"
cachet block-attach disk "$img/a.raw,raw,xvdd,rw" >/dev/null 2>&1 && fail "block-attach was not refused"
cachet destroy disk || fail "destroy"

got=$(debugfs -R 'cat /guest.txt' "$img/a.raw" 2>/dev/null)
[ "$got" = "guest $token vda" ] || fail "xvda: the guest's file reads '$got'"
e2fsck -fn "$img/a.raw" >"$img/fsck-a.log" 2>&1 || fail "xvda: e2fsck: $(tail -n 5 "$img/fsck-a.log")"
[ "$(sha256sum <"$img/b.raw")" = "$ro_sum" ] || fail "xvdb: the read-only image changed"
qemu-img convert -f qcow2 -O raw "$img/c.qcow2" "$img/c.raw" || fail "qemu-img convert back"
got=$(debugfs -R 'cat /guest.txt' "$img/c.raw" 2>/dev/null)
[ "$got" = "guest $token vdc" ] || fail "xvdc (qcow2): the guest's file reads '$got'"
e2fsck -fn "$img/c.raw" >"$img/fsck-c.log" 2>&1 || fail "xvdc: e2fsck: $(tail -n 5 "$img/fsck-c.log")"
rm -rf "$img"
pass "ext4 on raw rw, raw ro and qcow2 virtio disks: host files read, guest files written and clean; virtio-rng is the guest's hardware RNG"
