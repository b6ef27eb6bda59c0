#!/bin/sh
# Debian's arm64 kernel with 2 vCPUs under s2-fault (KVM's 2014 design): no
# DC, TVM from reset, RAM mapped page by page on first access and cleaned to
# the PoC first while the caches are off, flushes when the caches toggle.
. "$(dirname "$0")/linux-lib.sh"
linux_assets
daemon_start 4 1024
linux_boot_policy s2f 2 s2-fault
[ "$(stat_sum dc_clears)" = 0 ] || fail "DC was used under s2-fault: $STATS"
[ "$(stat_sum tvm_traps)" -gt 0 ] || fail "no TVM trap under s2-fault: $STATS"
[ "$(stat_sum s2_faults)" -gt 0 ] || fail "no stage-2 fault: RAM was not mapped lazily: $STATS"
[ "$(stat_sum flush_toggle)" -ge 2 ] || fail "each vCPU turning its caches on must flush: $STATS"
[ "$(stat_sum flushed_pages)" -gt 0 ] || fail "nothing was cleaned: $STATS"
cachet list -l s2f | grep -q '"cache_policy": *"s2-fault"' || fail "list -l does not show s2-fault"
pass "Linux $LINUX_KVER booted with 2 vCPUs under s2-fault ($(stat_sum s2_faults) stage-2 faults, $(stat_sum flushed_pages) pages cleaned)"
