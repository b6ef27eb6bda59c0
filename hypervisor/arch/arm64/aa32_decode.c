/*
 * AArch32 trap decoding, as pure functions of the syndrome and PSTATE so
 * host unit tests run this very code: the ISS fields, the condition check,
 * the banked register mapping and the AArch64 register each coprocessor
 * access aliases.
 */
#include "aa32.h"
#include "sysreg_trap.h"

void aa32_decode(uint64_t esr, enum aa32_cp cp, bool is64, struct aa32_cp_access *a)
{
	*a = (struct aa32_cp_access){ .cp = cp, .is64 = is64, .read = esr & AA32_ISS_READ };
	a->rt = (unsigned int)FIELD_GET(AA32_ISS_RT, esr);
	a->crm = (unsigned int)FIELD_GET(AA32_ISS_CRM, esr);
	if (is64) {
		a->opc1 = (unsigned int)FIELD_GET(AA32_ISS64_OPC1, esr);
		a->rt2 = (unsigned int)FIELD_GET(AA32_ISS64_RT2, esr);
		return;
	}
	a->opc1 = (unsigned int)FIELD_GET(AA32_ISS_OPC1, esr);
	a->crn = (unsigned int)FIELD_GET(AA32_ISS_CRN, esr);
	a->opc2 = (unsigned int)FIELD_GET(AA32_ISS_OPC2, esr);
}

static unsigned int aa32_itstate(uint64_t pstate)
{
	return (unsigned int)(FIELD_GET(AA32_PSR_IT_HI, pstate) << 2 | FIELD_GET(AA32_PSR_IT_LO, pstate));
}

/*
 * The condition a trapped instruction carried: from the syndrome when
 * ISS.CV says it is there, else (a T32 instruction) from the IT state,
 * where an empty IT block means "always".
 */
static unsigned int aa32_cond(uint64_t esr, uint64_t pstate)
{
	unsigned int it = aa32_itstate(pstate);

	if (esr & AA32_ISS_CV)
		return (unsigned int)FIELD_GET(AA32_ISS_COND, esr);
	return (it & 0xf) ? it >> 4 : 0xe;
}

/* Arm ARM F1.3 "Conditional execution", the ConditionHolds() pseudocode. */
bool aa32_cond_passed(uint64_t esr, uint64_t pstate)
{
	unsigned int cond = aa32_cond(esr, pstate);
	bool n = pstate & AA32_PSR_N, z = pstate & AA32_PSR_Z, c = pstate & AA32_PSR_C,
	     v = pstate & AA32_PSR_V, holds;

	switch (cond >> 1) {
	case 0: holds = z; break;
	case 1: holds = c; break;
	case 2: holds = n; break;
	case 3: holds = v; break;
	case 4: holds = c && !z; break;
	case 5: holds = n == v; break;
	case 6: holds = n == v && !z; break;
	default: return true; /* AL, and 0b1111 (unconditional) */
	}
	return (cond & 1) ? !holds : holds;
}

/*
 * The banked registers of each mode: where SP and LR live, and where R8
 * starts (only FIQ banks R8-R12).  Arm ARM D1.8 "Mapping of AArch32
 * registers to AArch64 registers": X13/X14 are SP/LR_usr, X15 SP_hyp,
 * X16/X17 LR/SP_irq, X18/X19 svc, X20/X21 abt, X22/X23 und, X24-X30
 * R8-R12, SP and LR of fiq.
 */
struct aa32_bank {
	unsigned int mode, sp, lr, r8;
};

static const struct aa32_bank aa32_banks[] = {
	{ AA32_MODE_USR, 13, 14, 8 }, { AA32_MODE_SYS, 13, 14, 8 },
	{ AA32_MODE_FIQ, 29, 30, 24 }, { AA32_MODE_IRQ, 17, 16, 8 },
	{ AA32_MODE_SVC, 19, 18, 8 }, { AA32_MODE_ABT, 21, 20, 8 },
	{ AA32_MODE_UND, 23, 22, 8 }, { AA32_MODE_HYP, 15, 14, 8 },
};

unsigned int aa32_xreg(uint64_t pstate, unsigned int r)
{
	unsigned int mode = (unsigned int)FIELD_GET(AA32_PSR_MODE, pstate);
	const struct aa32_bank *b = &aa32_banks[0];

	for (unsigned int i = 0; i < sizeof(aa32_banks) / sizeof(aa32_banks[0]); i++) {
		if (aa32_banks[i].mode == mode)
			b = &aa32_banks[i];
	}
	if (r < 8)
		return r;
	if (r < 13)
		return b->r8 + (r - 8);
	return r == 13 ? b->sp : b->lr;
}

#define CP15_32(opc1, crn, crm, opc2) ((opc1) << 12 | (crn) << 8 | (crm) << 4 | (opc2))
#define CP15_64(opc1, crm) (1u << 16 | (opc1) << 4 | (crm))

struct aa32_cp15_reg {
	unsigned int key;
	struct aa32_alias alias;
};

/*
 * cp15 registers whose AArch64 alias does not sit at op0 = 3 with the same
 * numbers (aa32_cp15_default): other registers, upper halves, and every
 * 64-bit one.  The virtual memory control registers here are those
 * HCR_EL2.TVM traps, so they reach the same cache-policy code as AArch64
 * writes do (trap_sysreg.c).
 */
static const struct aa32_cp15_reg aa32_cp15_regs[] = {
	{ CP15_32(0, 1, 0, 3), { SYS_ENC(3, 0, 1, 0, 1), 32 } },   /* ACTLR2: ACTLR_EL1[63:32] */
	{ CP15_32(0, 2, 0, 3), { SYS_ENC(3, 0, 2, 0, 2), 32 } },   /* TTBCR2: TCR_EL1[63:32] */
	{ CP15_32(0, 3, 0, 0), { SYS_ENC(3, 4, 3, 0, 0), 0 } },    /* DACR: DACR32_EL2 */
	{ CP15_32(0, 5, 0, 0), { SYS_ENC(3, 0, 5, 2, 0), 0 } },    /* DFSR: ESR_EL1 */
	{ CP15_32(0, 5, 0, 1), { SYS_ENC(3, 4, 5, 0, 1), 0 } },    /* IFSR: IFSR32_EL2 */
	{ CP15_32(0, 6, 0, 2), { SYS_ENC(3, 0, 6, 0, 0), 32 } },   /* IFAR: FAR_EL1[63:32] */
	{ CP15_32(0, 10, 2, 1), { SYS_ENC(3, 0, 10, 2, 0), 32 } }, /* NMRR/MAIR1: MAIR_EL1[63:32] */
	{ CP15_32(0, 10, 3, 1), { SYS_ENC(3, 0, 10, 3, 0), 32 } }, /* AMAIR1: AMAIR_EL1[63:32] */
	{ CP15_64(0, 2), { SYS_ENC(3, 0, 2, 0, 0), 0 } },          /* TTBR0 */
	{ CP15_64(1, 2), { SYS_ENC(3, 0, 2, 0, 1), 0 } },          /* TTBR1 */
	{ CP15_64(0, 12), { SYS_ENC(3, 0, 12, 11, 5), 0 } },       /* ICC_SGI1R */
	{ CP15_64(1, 12), { SYS_ENC(3, 0, 12, 11, 6), 0 } },       /* ICC_ASGI1R */
	{ CP15_64(2, 12), { SYS_ENC(3, 0, 12, 11, 7), 0 } },       /* ICC_SGI0R */
	{ CP15_64(2, 14), { SYS_ENC(3, 3, 14, 2, 2), 0 } },        /* CNTP_CVAL */
	{ CP15_64(3, 14), { SYS_ENC(3, 3, 14, 3, 2), 0 } },        /* CNTV_CVAL */
	{ CP15_64(0, 9), { SYS_ENC(3, 3, 9, 13, 0), 0 } },         /* PMCCNTR */
};

/*
 * AArch64 kept the AArch32 cp15 numbering for the registers both have
 * (SCTLR, TTBR0/1 and TTBCR low halves, DFAR, ADFSR/AIFSR, PRRR/MAIR0,
 * AMAIR0, CONTEXTIDR, the ID registers, the GIC CPU interface): op0 = 3
 * with the same op1, CRn, CRm and op2.  Two families moved: cache
 * maintenance by set/way (CRn 7) became the op0 = 1 DC instructions, and
 * the generic timer and PMU registers (CRn 14 and 9, op1 0) the op1 = 3
 * EL0 registers.
 */
static uint64_t aa32_cp15_default(const struct aa32_cp_access *a)
{
	unsigned int op0 = a->crn == 7 ? 1 : 3;
	unsigned int op1 = (a->opc1 == 0 && (a->crn == 14 || a->crn == 9)) ? 3 : a->opc1;

	return SYS_ENC(op0, op1, a->crn, a->crm, a->opc2);
}

static bool aa32_cp15_alias(const struct aa32_cp_access *a, struct aa32_alias *out)
{
	unsigned int key = a->is64 ? CP15_64(a->opc1, a->crm)
				   : CP15_32(a->opc1, a->crn, a->crm, a->opc2);

	for (unsigned int i = 0; i < sizeof(aa32_cp15_regs) / sizeof(aa32_cp15_regs[0]); i++) {
		if (aa32_cp15_regs[i].key == key) {
			*out = aa32_cp15_regs[i].alias;
			return true;
		}
	}
	if (a->is64)
		return false;
	*out = (struct aa32_alias){ aa32_cp15_default(a), 0 };
	return true;
}

/*
 * VMRS reg field (in the CRn position) of the ID registers HCR_EL2.TID3
 * traps, and their AArch64 views: MVFR0/1/2_EL1.
 */
#define VMRS_MVFR2 5
#define VMRS_MVFR1 6
#define VMRS_MVFR0 7

static bool aa32_cp10_alias(const struct aa32_cp_access *a, struct aa32_alias *out)
{
	if (a->crn < VMRS_MVFR2 || a->crn > VMRS_MVFR0)
		return false;
	*out = (struct aa32_alias){ SYS_ENC(3, 0, 0, 3, VMRS_MVFR0 - a->crn), 0 };
	return true;
}

bool aa32_alias_of(const struct aa32_cp_access *a, struct aa32_alias *out)
{
	switch (a->cp) {
	case AA32_CP15:
		return aa32_cp15_alias(a, out);
	case AA32_CP14:
		/*
		 * The debug registers kept their numbers at op0 = 2; a 64-bit
		 * one (DBGDRAR, DBGDSAR) is its 32-bit twin, CRn = its CRm.
		 */
		*out = (struct aa32_alias){ a->is64 ? SYS_ENC(2, a->opc1, a->crm, 0, 0)
						    : SYS_ENC(2, a->opc1, a->crn, a->crm, a->opc2),
					    0 };
		return true;
	case AA32_CP10_ID:
		return !a->is64 && aa32_cp10_alias(a, out);
	}
	return false;
}

uint64_t aa32_merge(uint64_t full, uint64_t val, const struct aa32_cp_access *a,
		    const struct aa32_alias *al)
{
	uint64_t mask = UINT64_C(0xffffffff) << al->shift;

	if (a->is64)
		return val;
	return (full & ~mask) | ((val << al->shift) & mask);
}

/*
 * Arm ARM F1.3.3 (ITSTATE): after an instruction in an IT block, the
 * condition's low bit takes the next mask bit, and the block ends when the
 * mask is used up.
 */
uint64_t aa32_it_advance(uint64_t pstate)
{
	unsigned int it = aa32_itstate(pstate);

	if ((it & 0xf) == 0)
		return pstate;
	it = (it & 0x7) == 0 ? 0 : ((it & 0xe0) | ((it << 1) & 0x1f));
	pstate &= ~(AA32_PSR_IT_HI_MASK | AA32_PSR_IT_LO_MASK);
	return pstate | FIELD_PREP(AA32_PSR_IT_HI, it >> 2) | FIELD_PREP(AA32_PSR_IT_LO, it & 3);
}
