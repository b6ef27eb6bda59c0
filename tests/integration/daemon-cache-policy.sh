#!/bin/sh
# The DC/TVM policy seen through `cachet cache-stats` for the test guests,
# against the VM-register writes each guest counts itself (VMREGS: line).
. "$(dirname "$0")/daemon-lib.sh"
. "$(dirname "$0")/policy-lib.sh"
daemon_start

run_guest mmu-off-read
expect_stat mmu-off-read tvm_traps "$(vmregs_total)" "every VM-register write traps"
expect_stat mmu-off-read dc_clears 1 "DC dropped when SCTLR.M was set"
expect_stat mmu-off-read tvm_clears 1 "TVM dropped once M and C were set"
expect_stat mmu-off-read traps_after_mmu_on 0
expect_stat mmu-off-read flush_dc_drop 0 "C was set with M: no flush needed"
expect_stat mmu-off-read hcr_dc 0
expect_stat mmu-off-read hcr_tvm 0

run_guest m-before-c
expect_stat m-before-c flush_dc_drop 1 "one clean+invalidate when DC dropped with C = 0"
# The write that sets C still trapped, so TVM was kept until then.
expect_stat m-before-c tvm_traps "$(vmregs_total)"
expect_stat m-before-c tvm_clears 1
expect_stat m-before-c hcr_tvm 0

run_guest tvm
expect_stat tvm tvm_traps "$(vmregs_total)"
expect_stat tvm traps_after_mmu_on 0

run_guest setway
expect_stat setway setway_traps "$(setway_ops)" "every DC CISW traps"
expect_stat setway flush_setway 1 "a set/way batch with caches on flushes once, by VA"
expect_stat setway tvm_sets 1 "the set/way op re-armed TVM"
pass "mmu-off-read, m-before-c, tvm and setway counters match the guests' own counts"
