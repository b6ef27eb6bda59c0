#!/bin/sh
# The negative-control policies flush-load and none: refused by a cachetd
# started without --allow-unsafe-policies, run (and logged as allowed) with
# it, and doing what they say: no trap, no DC, and for none not even the
# builder's clean.
. "$(dirname "$0")/daemon-lib.sh"
. "$(dirname "$0")/policy-lib.sh"
daemon_start
OUT=$(cachet create "$GUESTS/mmu-off-read.cfg" 'cache_policy="flush-load"' 2>&1) &&
	fail "flush-load was accepted without --allow-unsafe-policies"
printf '%s\n' "$OUT" | grep -q -- "--allow-unsafe-policies" ||
	fail "the refusal does not name the option: $OUT"
cachet list | grep -q mmu-off-read && fail "a refused domain exists"
daemon_stop

CACHETD_ARGS=--allow-unsafe-policies
daemon_start
grep -q "unsafe cache policies (flush-load, none) allowed" "$CACHET_STATE_DIR/cachetd.log" ||
	fail "cachetd did not log that unsafe policies are allowed"

for policy in flush-load none; do
	for guest in mmu-off-read m-before-c; do
		run_guest "$guest" "$policy"
		for k in tvm_traps dc_clears dc_sets tvm_clears flush_dc_drop flush_toggle \
			hcr_dc hcr_tvm flushed_pages; do
			expect_stat "$guest under $policy" "$k" 0
		done
	done
done
pass "flush-load and none need --allow-unsafe-policies and trap nothing"
