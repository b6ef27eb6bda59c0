#!/bin/sh
# Debian's armhf kernel (a zImage, so a 32-bit AArch32 domain) with its
# busybox initramfs: 1 and 4 vCPUs under dc-tvm and under s2-fault, each
# to the userspace marker (which counts the online CPUs) and power-off.  Both policies must have seen the
# guest's AArch32 TVM writes (SCTLR through cp15) and its set/way loop
# (the zImage decompressor cleans its caches by set/way).
. "$(dirname "$0")/linux-lib.sh"
linux_assets armhf
daemon_start 4 1024

# armhf_boot NAME VCPUS POLICY: boots and checks the trap counters.
armhf_boot() {
	linux_boot_policy "$1" "$2" "$3"
	[ "$(stat_sum sctlr_writes)" -gt 0 ] || fail "$1: no trapped SCTLR write; stats: $STATS"
	[ "$(stat_sum tvm_traps)" -gt 0 ] || fail "$1: no TVM trap; stats: $STATS"
	[ "$(stat_sum setway_traps)" -gt 0 ] || fail "$1: no trapped set/way op; stats: $STATS"
	cachet destroy "$1" >/dev/null 2>&1 || fail "$1: destroy failed"
}

armhf_boot armhf1 1 dc-tvm
armhf_boot armhf4 4 dc-tvm
armhf_boot armhf1f 1 s2-fault
armhf_boot armhf4f 4 s2-fault
pass "armhf Linux $LINUX_KVER booted as an AArch32 guest with 1 and 4 vCPUs under dc-tvm and s2-fault"
