#!/bin/sh
# The AArch32 test guest (tests/guests/a32/a32-probe.S) on 2 vCPUs: its
# cp15 TVM writes land in the right AArch64 register halves, ID registers
# read through MRC and VMRS, a set/way loop of 130 operations reaches the
# set/way handler, and PSCI CPU_ON starts vCPU 1 at a Thumb entry point.
# The guest checks what it can see itself; the counters check the rest.
. "$(dirname "$0")/daemon-lib.sh"
[ -f "$GUESTS/a32-probe.zimage" ] ||
	skip "the AArch32 test guest was not built (configure found no clang/ld.lld/llvm-objcopy for armv7-a)"
daemon_start 2 512
cfg="$CACHET_STATE_DIR/a32-probe.cfg"
{ cat "$GUESTS/a32-probe.cfg"; printf 'on_poweroff = "preserve"\n'; } >"$cfg"
out=$(timeout 120 "$CACHET_BIN" create "$cfg" -c </dev/null 2>&1) ||
	fail "cachet create -c failed: $out"
printf '%s\n' "$out" | grep -q '^RESULT: PASS a32-probe$' || fail "the guest failed: $out"
printf '%s\n' "$out" | grep -q '^A32-SETWAY: ops=130$' || fail "no set/way count in: $out"
stats=$(cachet cache-stats a32-probe) || fail "cache-stats failed"
sum() { printf '%s\n' "$stats" | awk -v k="$1" '$1 == k { for (i = 2; i <= NF; i++) s += $i } END { print s + 0 }'; }
# Every operation of the guest's loop trapped and went to the set/way handler.
[ "$(sum setway_traps)" = 130 ] || fail "setway_traps $(sum setway_traps), expected 130: $stats"
# PRRR, NMRR, AMAIR0/1, DACR, DFAR, IFAR, DFSR, IFSR, CONTEXTIDR, TTBR0 three times, SCTLR twice.
[ "$(sum tvm_traps)" -ge 15 ] || fail "tvm_traps $(sum tvm_traps), expected at least 15: $stats"
[ "$(sum sctlr_writes)" = 2 ] || fail "sctlr_writes $(sum sctlr_writes), expected 2: $stats"
[ "$(sum hvc_calls)" = 3 ] || fail "hvc_calls $(sum hvc_calls) (CPU_ON, CPU_OFF, SYSTEM_OFF): $stats"
pass "AArch32 guest: TVM aliases, ID registers, set/way loop and a Thumb CPU_ON all as expected"
