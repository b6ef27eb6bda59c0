#!/bin/sh
# The s2fwb policy on a platform whose CPU has FEAT_S2FWB (QEMU's max CPU,
# with the features the hypervisor does not switch turned off): no DC, no
# TVM trap, no flush, set/way operations trapped and ignored, and the test
# guests pass.  The default platform (Cortex-A57) refuses the policy.
. "$(dirname "$0")/daemon-lib.sh"
. "$(dirname "$0")/policy-lib.sh"
daemon_start
OUT=$(cachet create "$GUESTS/mmu-off-read.cfg" 'cache_policy="s2fwb"' 2>&1) &&
	fail "s2fwb was accepted on a CPU without FEAT_S2FWB"
printf '%s\n' "$OUT" | grep -q "needs FEAT_S2FWB, which this CPU lacks" ||
	fail "the refusal does not say why: $OUT"
daemon_stop

CACHETD_ARGS="--cpu-model max,sve=off,sme=off,pauth=off"
daemon_start
cachet info | grep -q "s2fwb" || fail "cachet info does not list FEAT_S2FWB: $(cachet info)"

for guest in mmu-off-read m-before-c setway; do
	run_guest "$guest" s2fwb
	for k in tvm_traps dc_clears dc_sets tvm_sets flush_dc_drop flush_toggle flush_setway \
		hcr_dc hcr_tvm; do
		expect_stat "$guest" "$k" 0
	done
done
expect_stat setway setway_traps "$(setway_ops)" "set/way still traps, and does nothing"
pass "s2fwb: refused without FEAT_S2FWB; with it, no trap, no DC, no flush"
