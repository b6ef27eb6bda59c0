#!/bin/sh
# The s2-fault policy (KVM's 2014 design) with the test guests: no DC, every
# VM-register write trapped until the caches are on, RAM mapped lazily page
# by page (stage-2 faults), a flush when the caches go on, set/way as under
# dc-tvm; counters against what each guest counts itself.  Destroying the
# domains gives all their memory back.
. "$(dirname "$0")/daemon-lib.sh"
. "$(dirname "$0")/policy-lib.sh"
daemon_start
free_before=$(free_mb)

for guest in mmu-off-read m-before-c; do
	run_guest "$guest" s2-fault
	expect_stat "$guest" tvm_traps "$(vmregs_total)" "TVM from reset until M and C"
	expect_stat "$guest" dc_clears 0 "no DC under s2-fault"
	expect_stat "$guest" flush_dc_drop 0
	expect_stat "$guest" flush_toggle 1 "turning the caches on flushes once"
	expect_stat "$guest" tvm_clears 1
	[ "$(stat s2_faults)" -gt 0 ] || fail "$guest: no stage-2 fault, RAM was not mapped lazily"
	[ "$(stat flushed_pages)" -gt 0 ] || fail "$guest: nothing cleaned"
done

run_guest setway s2-fault
expect_stat setway setway_traps "$(setway_ops)" "every DC CISW traps"
expect_stat setway flush_setway 1 "a set/way batch with caches on flushes once"
expect_stat setway tvm_sets 1 "the set/way op re-armed TVM"
[ "$(free_mb)" = "$free_before" ] ||
	fail "free memory $(free_mb) MiB after destroying, $free_before MiB before"
pass "s2-fault: counters match the guests' counts; memory given back"
