#!/bin/sh
# Boots the test image that faults on purpose after boot (cachet-hv-fault.elf)
# on 2 pCPUs and checks the panic report: the PANIC line, the EL2 fault
# syndrome registers, a register dump, a backtrace with at least one entry,
# and the final notice that all CPUs were stopped.
set -u
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

# reg_re NAME DIGITS: a register name followed by a hex value of at least
# DIGITS digits, e.g. "ESR_EL2: 0x96000045" or "x0 = 0000000000000000"; the
# exact layout is up to the hypervisor.
reg_re() {
	printf '(^|[^[:alnum:]_])%s[[:space:]]*[:=]?[[:space:]]*(0x)?[0-9a-fA-F]{%s,}' \
		"$1" "$2"
}

qemu_boot panic-dump 2 "$top_builddir/hypervisor/cachet-hv-fault.elf" 60
run_until '^\*\*\* all CPUs stopped' 'did not stop'

expect_line '^\*\*\* PANIC on CPU [0-9]+: .'
# The report itself must not fault.
expect_no_line 'nested PANIC'
for reg in ESR_EL2 FAR_EL2 ELR_EL2 SPSR_EL2; do
	expect_line "$(reg_re "$reg" 1)"
done
# General registers are dumped in full width.
expect_line "$(reg_re x0 8)"
expect_line "$(reg_re x1 8)"
expect_line 'Backtrace:'

# Entries are the lines from "Backtrace:" up to the final notice that carry
# an address (0x-prefixed, or 8 or more hex digits); the header line counts
# too if it carries one after the colon.
entries=$(console_text |
	sed -n '/Backtrace:/,/^\*\*\* all CPUs stopped/p' |
	sed 's/.*Backtrace://' |
	grep -Ec '0x[0-9a-fA-F]+|[0-9a-fA-F]{8,}' || :)
if [ "${entries:-0}" -lt 1 ]; then
	fail "the backtrace has no entry with an address"
fi

pass "the deliberate fault produced a PANIC line, ESR/FAR/ELR/SPSR_EL2," \
	"a register dump, a backtrace with $entries entry line(s)," \
	"and all CPUs stopped"
