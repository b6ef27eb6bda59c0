#!/bin/busybox sh
# /init of Cachet's Linux test guests.  fetch-guest-assets copies this file
# into an initramfs next to Debian's busybox-static; the kernel runs it as
# PID 1.  It brings up the pseudo file systems, prints one marker line that
# the tests wait for, and then does what the kernel command line asks:
#
#   cachet.test=poweroff   print the marker, then power off (PSCI SYSTEM_OFF)
#   cachet.test=reboot     print CACHET-REBOOTING, then reboot (SYSTEM_RESET)
#   cachet.test=NAME       run /lib/cachet/tests/NAME.sh (from
#                          tests/linux/guest/tests/), print
#                          CACHET-TEST-EXIT NAME status=N, then power off
#   (nothing)              print CACHET-SHELL, then an interactive shell on
#                          the console; leaving the shell powers off
#
# Any other cachet.test= value prints CACHET-TEST-UNKNOWN and powers off, so
# a mistyped test ends at once instead of waiting for a timeout at a shell.
#
# Before the marker it loads the virtio and ext4 modules (list in
# /lib/modules/VERSION/cachet-load) when cachet.modules=yes, or when
# cachet.modules=auto (the default) and the device tree has virtio-mmio
# transports; cachet.modules=no never loads them (the boot benchmarks, so
# that they time the same work as before).  A module that fails to load is
# reported (CACHET-MODULE-FAILED NAME) and the boot goes on.
#
# It must run under busybox's ash: no bashisms.  Nothing but /bin/busybox
# exists until the applet links are made below.

/bin/busybox mkdir -p /proc /sys /dev /tmp /root
/bin/busybox --install -s /bin
export PATH=/bin
export HOME=/root

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /etc

# The kernel opens /dev/console for PID 1 before running it; the initramfs
# carries that node when it was built as root.  Without it PID 1 starts with
# no standard streams, so take them from devtmpfs now in every case.
exec </dev/console >/dev/console 2>&1

# Number of online CPUs: the kernel writes ranges such as "0-3" or "0,2-3"
# (Documentation/ABI/testing/sysfs-devices-system-cpu).  All secondaries
# have been brought up before PID 1 starts, so this is the final count.
online_cpus() {
	n=0
	ranges=$(cat /sys/devices/system/cpu/online 2>/dev/null) || ranges=
	if [ -z "$ranges" ]; then
		nproc
		return
	fi
	for r in $(echo "$ranges" | tr ',' ' '); do
		case $r in
		*-*) n=$((n + ${r#*-} - ${r%-*} + 1)) ;;
		*) n=$((n + 1)) ;;
		esac
	done
	echo "$n"
}

# The value of cachet.NAME= on the kernel command line, or nothing.  As
# with kernel parameters, the last one given wins.  Test scripts use it for
# their own parameters.
cachet_param() {
	value=
	read -r cmdline </proc/cmdline
	set -f
	for word in $cmdline; do
		case $word in
		cachet.$1=*) value=${word#cachet.$1=} ;;
		esac
	done
	set +f
	echo "$value"
}

# Whether cachet.modules= (default auto) asks for the modules.  Linux names
# the platform device of a DT node "virtio_mmio@..." (or "virtio@...")
# UNIT.virtio_mmio.
want_modules() {
	case $(cachet_param modules) in
	yes) return 0 ;;
	no) return 1 ;;
	esac
	for dev in /sys/bus/platform/devices/*virtio*; do
		[ -e "$dev" ] && return 0
	done
	return 1
}

# Modules ask for more modules through the kernel's usermode helper
# (crypto-crc32c for ext4's checksums, for instance); point it at busybox.
load_modules() {
	list=/lib/modules/$(uname -r)/cachet-load
	[ -f "$list" ] || return 0
	echo /bin/modprobe >/proc/sys/kernel/modprobe
	for mod in $(cat "$list"); do
		modprobe "$mod" || echo "CACHET-MODULE-FAILED $mod"
	done
}

want_modules && load_modules

echo "CACHET-LINUX-UP uname=$(uname -r) cpus=$(online_cpus)"

test=$(cachet_param test)
case $test in
poweroff)
	poweroff -f
	;;
reboot)
	echo "CACHET-REBOOTING"
	reboot -f
	;;
"")
	echo "CACHET-SHELL"
	export PS1='cachet# '
	# cttyhack opens the console's real device (ttyAMA0, not
	# /dev/console) so that the shell gets a controlling terminal and
	# job control; setsid makes it a session leader that can take one.
	setsid cttyhack sh -i
	echo "CACHET-SHELL-EXIT"
	poweroff -f
	;;
*)
	script=/lib/cachet/tests/$test.sh
	case $test in
	*/* | .*) script= ;;
	esac
	if [ -n "$script" ] && [ -f "$script" ]; then
		( . "$script" )
		echo "CACHET-TEST-EXIT $test status=$?"
	else
		echo "CACHET-TEST-UNKNOWN cachet.test=$test"
	fi
	poweroff -f
	;;
esac
# Returning from PID 1 makes the kernel panic; only get here if the
# power-off request itself failed.
echo "CACHET-POWEROFF-FAILED"
while :; do sleep 60; done
