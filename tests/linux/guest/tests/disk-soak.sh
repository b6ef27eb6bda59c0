# cachet.test=disk-soak (sourced by /init): rounds of disk work on ext4
# disks (cachet.disks=vda,vdb; default vda), so that a test can kill
# cachetd in the middle and start it again: each round writes a 2 MiB file
# of random bytes to every disk (four files a disk, reused), syncs, drops the page cache and reads the
# files back from the disks, comparing checksums, then prints
# CACHET-SOAK N.  cachet.rounds=N (default 20).  An I/O error or a
# mismatch prints CACHET-SOAK-FAIL and returns 1.

soak_round() { # soak_round DISK N
	f=/mnt/soak-$1/round.$(($2 % 4))
	dd if=/dev/urandom of="$f" bs=64k count=32 2>/dev/null || { echo "CACHET-SOAK-FAIL write $1 $2"; return 1; }
	sync
	want=$(md5sum <"$f")
	echo 3 >/proc/sys/vm/drop_caches
	got=$(md5sum <"$f") || { echo "CACHET-SOAK-FAIL read $1 $2"; return 1; }
	[ "$got" = "$want" ] || { echo "CACHET-SOAK-FAIL checksum $1 $2"; return 1; }
}

# drop_caches logs a line each time: keep the console for the test's lines.
dmesg -n 1
rounds=$(cachet_param rounds)
rounds=${rounds:-20}
disks=$(cachet_param disks | tr ',' ' ')
disks=${disks:-vda}
for d in $disks; do
	mkdir -p "/mnt/soak-$d"
	mount -t ext4 "/dev/$d" "/mnt/soak-$d" || { echo "CACHET-SOAK-FAIL mount $d"; return 1; }
done
i=1
while [ "$i" -le "$rounds" ]; do
	for d in $disks; do
		soak_round "$d" "$i" || return 1
	done
	echo "CACHET-SOAK $i"
	i=$((i + 1))
done
for d in $disks; do
	umount "/mnt/soak-$d" || { echo "CACHET-SOAK-FAIL umount $d"; return 1; }
done
