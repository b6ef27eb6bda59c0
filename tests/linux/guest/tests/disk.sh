# cachet.test=disk (sourced by /init): the guest side of the virtio disk
# tests.  cachet.disks=vda:rw,vdb:ro,... names ext4 disks made by the host
# (mke2fs -d) and how each is attached; cachet.token=T is the test's token.
# For every disk it mounts it, checks the file the host wrote (host.txt =
# "host T"), and then
#   rw: writes guest.txt ("guest T NAME"), syncs and unmounts, so that the
#       host finds the file after power-off;
#   ro: checks that the kernel sees a read-only disk and that a direct
#       write to it fails.
# It prints CACHET-DISK-OK NAME for each disk, or CACHET-DISK-FAIL NAME WHY
# and returns 1.  First it prints the kernel's hardware RNG (CACHET-RNG
# NAME, "none" without one), which is virtio_rng.0 when the guest has
# Cachet's entropy device.

disk_fail() {
	echo "CACHET-DISK-FAIL $1 $2"
	return 1
}

# disk_check NAME MODE
disk_check() {
	dev=/dev/$1
	mnt=/mnt/$1
	[ -b "$dev" ] || { disk_fail "$1" "no block device"; return 1; }
	mkdir -p "$mnt"
	opts=rw
	[ "$2" = ro ] && opts=ro
	mount -t ext4 -o "$opts" "$dev" "$mnt" || { disk_fail "$1" "mount -o $opts"; return 1; }
	[ "$(cat "$mnt/host.txt")" = "host $token" ] ||
		{ disk_fail "$1" "host.txt is '$(cat "$mnt/host.txt")'"; return 1; }
	if [ "$2" = ro ]; then
		[ "$(cat "/sys/block/$1/ro")" = 1 ] || { disk_fail "$1" "not read-only"; return 1; }
		if dd if=/dev/zero of="$dev" bs=4096 count=1 oflag=direct 2>/dev/null; then
			disk_fail "$1" "a direct write to a read-only disk succeeded"
			return 1
		fi
	else
		echo "guest $token $1" >"$mnt/guest.txt" || { disk_fail "$1" "write"; return 1; }
		sync
	fi
	umount "$mnt" || { disk_fail "$1" "umount"; return 1; }
	echo "CACHET-DISK-OK $1"
}

rng=$(cat /sys/class/misc/hw_random/rng_current 2>/dev/null)
echo "CACHET-RNG ${rng:-none}"
token=$(cachet_param token)
status=0
for spec in $(cachet_param disks | tr ',' ' '); do
	disk_check "${spec%%:*}" "${spec#*:}" || status=1
done
return $status
