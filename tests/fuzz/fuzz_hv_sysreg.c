/*
 * Fuzzes the emulation behind trapped system-register accesses (the table
 * trap_sysreg.c dispatches to after its TVM, SGI and set/way cases), built
 * with the host's fake register file in which every hardware register
 * reads as all ones, so any feature left visible shows.  Checks what
 * guests are promised: debug, PMU, LORegion, physical-timer and
 * implementation-defined registers read as zero; ID registers hide SVE,
 * SME, MTE, pointer authentication, RAS, MPAM, AMU, trace, the PMU,
 * statistical profiling and LORegions; writes to ID registers are refused
 * (the domain is crashed); no access touches a register of the real CPU
 * (the fake register file stays as it was).
 */
#include <stdlib.h>

#include "arch/sysreg.h"
#include "hv_harness.h"
#include "sysreg_trap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct hidden {
	unsigned int crm, op2;
	uint64_t mask;
};

/* Fields that must read as zero, by ID register (Arm ARM D19.2). */
static const struct hidden hidden[] = {
	{ 1, 2, 0xfULL << 24 | 0xffULL << 12 },			/* ID_DFR0: PerfMon, trace */
	{ 4, 0, 0xfULL << 28 | 0xfULL << 32 | 0xffULL << 40 },	/* PFR0: RAS SVE MPAM AMU */
	{ 4, 1, 0xfULL << 8 | 0xffULL << 12 | 0xfULL << 24 },	/* PFR1: MTE, fracs, SME */
	{ 4, 4, ~0ULL },					/* ZFR0 */
	{ 4, 5, ~0ULL },					/* SMFR0 */
	{ 5, 0, 0xffULL << 4 | 0xfULL << 32 | 0xffffULL << 40 },	/* DFR0 */
	{ 6, 1, 0xffULL << 4 | 0xffULL << 24 },			/* ISAR1: PAuth */
	{ 6, 2, 0xffULL << 8 },					/* ISAR2: PAuth3 */
	{ 7, 1, 0xfULL << 16 },					/* MMFR1: LO */
};

static bool reads_zero(unsigned int op0, unsigned int op1, unsigned int crn, unsigned int crm,
		       unsigned int op2)
{
	if (op0 == 2)
		return true; /* debug and trace */
	if (op0 != 3)
		return false;
	return (crn == 9 && crm >= 12) || (op1 == 3 && crn == 14 && crm >= 8) ||
	       (op1 == 3 && crn == 14 && crm == 2) || (op1 == 0 && crn == 10 && crm == 4) ||
	       crn == 11 || crn == 15 || (op1 == 0 && crn == 1 && crm == 0 && op2 == 1);
}

static void check_idreg(unsigned int crm, unsigned int op2, uint64_t val)
{
	for (unsigned int i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++) {
		if (hidden[i].crm == crm && hidden[i].op2 == op2 && (val & hidden[i].mask) != 0)
			abort();
	}
}

static void fuzz_one(struct vcpu *v, uint64_t enc, bool read, uint64_t val)
{
	unsigned int op0 = (unsigned int)FIELD_GET(SYS_OP0, enc), op1 = (unsigned int)FIELD_GET(SYS_OP1, enc);
	unsigned int crn = (unsigned int)FIELD_GET(SYS_CRN, enc), crm = (unsigned int)FIELD_GET(SYS_CRM, enc);
	unsigned int op2 = (unsigned int)FIELD_GET(SYS_OP2, enc);
	bool id = op0 == 3 && op1 == 0 && crn == 0 && crm != 0;
	bool handled = sysreg_emulate(v, enc, read, &val);

	if (id) {
		if (handled != read)
			abort();
		if (read)
			check_idreg(crm, op2, val);
	} else if (reads_zero(op0, op1, crn, crm, op2)) {
		if (!handled || (read && val != 0))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hv_input in = { data, size, 0 };
	struct vcpu v = { 0 };

	host_sysreg_reset(~UINT64_C(0));
	while (hv_input_left(&in)) {
		uint64_t enc = hv_input_bytes(&in, 3) & SYS_ENCODING_MASK;
		bool read = hv_input_bytes(&in, 1) & 1;

		fuzz_one(&v, enc, read, hv_input_bytes(&in, 8));
	}
	/* Emulated writes never reached a register of the CPU. */
	if (host_sysreg_read("mdscr_el1") != ~UINT64_C(0) ||
	    host_sysreg_read("pmcr_el0") != ~UINT64_C(0))
		abort();
	return 0;
}
