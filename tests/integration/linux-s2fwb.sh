#!/bin/sh
# Debian's arm64 kernel with 2 vCPUs under the s2fwb policy, on the platform
# with FEAT_S2FWB (QEMU's max CPU without SVE, SME and pointer
# authentication, which the hypervisor does not switch): it boots with no
# TVM trap, no DC and no flush at all.
. "$(dirname "$0")/linux-lib.sh"
linux_assets
CACHETD_ARGS="--cpu-model max,sve=off,sme=off,pauth=off"
daemon_start 4 1024
linux_boot_policy fwb 2 s2fwb
for k in tvm_traps dc_clears flush_dc_drop flush_toggle flush_setway flushed_pages; do
	[ "$(stat_sum "$k")" = 0 ] || fail "$k is $(stat_sum "$k") under s2fwb: $STATS"
done
cachet list -l fwb | grep -q '"cache_policy": *"s2fwb"' || fail "list -l does not show s2fwb"
pass "Linux $LINUX_KVER booted with 2 vCPUs under s2fwb without a trap or a flush"
