/*
 * System registers a guest reaches only through EL2, and what it sees:
 *
 * - Debug (op0 = 2) and PMU registers trap (MDCR_EL2.TDA, TDOSA, TDRA, TPM,
 *   TPMCR) and read as zero, ignoring writes, as Xen does for its guests.
 *   Neither is switched between vCPUs, so passing them through would let
 *   one domain see another's breakpoints and counters, and make the
 *   hardware break or count at EL2.  The ID registers say there is no PMU.
 * - ID registers (HCR_EL2.TID3) read as the hardware's with the features
 *   whose state the hypervisor does not switch hidden: SVE, SME, MTE,
 *   pointer authentication, RAS, MPAM, activity monitors, trace, the PMU,
 *   statistical profiling, LORegions.
 * - The LORegion registers (HCR_EL2.TLOR) are RAZ/WI: LORID_EL1 reads as
 *   "no regions", as ID_AA64MMFR1_EL1.LO says.
 * - ACTLR_EL1 (HCR_EL2.TACR) and the implementation-defined registers
 *   (HCR_EL2.TIDCP: op0 = 3, CRn = 11 or 15) are RAZ/WI: their effects are
 *   not the guest's to choose.
 * - The EL1 physical timer (CNTP_*_EL0, trapped with CNTHCTL_EL2.EL1PCEN
 *   clear) is the hypervisor's; guests are given the virtual timer, and
 *   the physical one reads as zero and ignores writes.
 */
#include "arch/regs_id.h"
#include "arch/sysreg.h"
#include "sysreg_trap.h"

/* Which registers a class covers: those whose encoding & mask == match. */
struct sysreg_class {
	uint64_t match, mask;
	sysreg_access_fn access;
};

static bool sysreg_raz_wi(struct vcpu *v, uint64_t enc, bool read, uint64_t *val)
{
	(void)v;
	(void)enc;
	if (read)
		*val = 0;
	return true;
}

/* Feature fields hidden from each ID register (by CRm and op2). */
static uint64_t idreg_hidden(unsigned int crm, unsigned int op2)
{
	switch (crm << 3 | op2) {
	case 1 << 3 | 2: return ID_DFR0_COPTRC | ID_DFR0_MMAPTRC | ID_DFR0_PERFMON;
	case 4 << 3 | 0: return ID_AA64PFR0_RAS | ID_AA64PFR0_SVE | ID_AA64PFR0_MPAM |
				ID_AA64PFR0_AMU;
	case 4 << 3 | 1: return ID_AA64PFR1_MTE | ID_AA64PFR1_RAS_FRAC | ID_AA64PFR1_MPAM_FRAC |
				ID_AA64PFR1_SME;
	case 4 << 3 | 4: /* ID_AA64ZFR0_EL1: SVE */
	case 4 << 3 | 5: /* ID_AA64SMFR0_EL1: SME */
	case 5 << 3 | 1: /* ID_AA64DFR1_EL1 */
		return ~UINT64_C(0);
	case 5 << 3 | 0: return ID_AA64DFR0_TRACEVER | ID_AA64DFR0_PMUVER | ID_AA64DFR0_PMSVER |
				ID_AA64DFR0_TRACEFILT | ID_AA64DFR0_TRACEBUFFER |
				ID_AA64DFR0_MTPMU | ID_AA64DFR0_BRBE;
	case 6 << 3 | 1: return ID_AA64ISAR1_APA | ID_AA64ISAR1_API | ID_AA64ISAR1_GPA |
				ID_AA64ISAR1_GPI;
	case 6 << 3 | 2: return ID_AA64ISAR2_GPA3 | ID_AA64ISAR2_APA3;
	case 7 << 3 | 1: return ID_AA64MMFR1_LO;
	default: return 0;
	}
}

/*
 * The hardware's ID register op0=3, op1=0, CRn=0, CRm=@crm, op2=@op2.  The
 * whole block CRm 1-7 is ID space, where unallocated encodings read as
 * zero (Arm ARM D19.1), so each one can be read as such.
 */
#define IDREG_CASE(crm, op2)                                  \
	case (crm) << 3 | (op2):                              \
		return read_sysreg(S3_0_C0_C##crm##_##op2);
#define IDREG_ROW(crm)                                                                  \
	IDREG_CASE(crm, 0) IDREG_CASE(crm, 1) IDREG_CASE(crm, 2) IDREG_CASE(crm, 3)     \
	IDREG_CASE(crm, 4) IDREG_CASE(crm, 5) IDREG_CASE(crm, 6) IDREG_CASE(crm, 7)

static uint64_t idreg_read_hw(unsigned int crm, unsigned int op2)
{
	switch (crm << 3 | op2) {
		IDREG_ROW(1) IDREG_ROW(2) IDREG_ROW(3) IDREG_ROW(4) IDREG_ROW(5) IDREG_ROW(6)
		IDREG_ROW(7)
	default:
		return 0;
	}
}

static bool sysreg_idreg(struct vcpu *v, uint64_t enc, bool read, uint64_t *val)
{
	unsigned int crm = (unsigned int)FIELD_GET(SYS_CRM, enc);
	unsigned int op2 = (unsigned int)FIELD_GET(SYS_OP2, enc);

	(void)v;
	/* CRm 0 (MIDR, MPIDR, REVIDR) does not trap; writes to ID registers UNDEF. */
	if (!read || crm == 0)
		return false;
	*val = idreg_read_hw(crm, op2) & ~idreg_hidden(crm, op2);
	return true;
}

#define SYS_OP0_ONLY SYS_OP0_MASK
#define SYS_ALL SYS_ENCODING_MASK
#define SYS_CRM_TOP SYS_ENC(0, 0, 0, 8, 0)
#define SYS_CRM_TOP2 SYS_ENC(0, 0, 0, 12, 0)

static const struct sysreg_class sysreg_classes[] = {
	/* Debug and trace: every op0 = 2 register (MDCR_EL2.TDA/TDOSA/TDRA, CPTR_EL2.TTA). */
	{ SYS_ENC(2, 0, 0, 0, 0), SYS_OP0_ONLY, sysreg_raz_wi },
	/* PMU: CRn 9, CRm 12-14 (PMCR_EL0 ... PMINTEN*_EL1), any op1 (MDCR_EL2.TPM, TPMCR). */
	{ SYS_ENC(3, 0, 9, 12, 0), SYS_OP0_MASK | SYS_CRN_MASK | SYS_CRM_TOP2, sysreg_raz_wi },
	/* PMU: PMEVCNTR<n>_EL0, PMEVTYPER<n>_EL0, PMCCFILTR_EL0 (op1 3, CRn 14, CRm 8-15). */
	{ SYS_ENC(3, 3, 14, 8, 0), SYS_OP0_MASK | SYS_OP1_MASK | SYS_CRN_MASK | SYS_CRM_TOP,
	  sysreg_raz_wi },
	/* ID registers (HCR_EL2.TID3). */
	{ SYS_ENC(3, 0, 0, 0, 0), SYS_OP0_MASK | SYS_OP1_MASK | SYS_CRN_MASK, sysreg_idreg },
	/* LORSA/LOREA/LORN/LORC/LORID_EL1 (op0 3, op1 0, CRn 10, CRm 4). */
	{ SYS_ENC(3, 0, 10, 4, 0), SYS_ENCODING_MASK & ~SYS_OP2_MASK, sysreg_raz_wi },
	/* ACTLR_EL1 (HCR_EL2.TACR). */
	{ SYS_ENC(3, 0, 1, 0, 1), SYS_ALL, sysreg_raz_wi },
	/* Implementation defined: CRn 11 and 15 (HCR_EL2.TIDCP). */
	{ SYS_ENC(3, 0, 11, 0, 0), SYS_OP0_MASK | SYS_ENC(0, 0, 11, 0, 0), sysreg_raz_wi },
	/* CNTP_TVAL_EL0, CNTP_CTL_EL0, CNTP_CVAL_EL0 (op1 3, CRn 14, CRm 2). */
	{ SYS_ENC(3, 3, 14, 2, 0), SYS_OP0_MASK | SYS_OP1_MASK | SYS_CRN_MASK | SYS_CRM_MASK,
	  sysreg_raz_wi },
};

bool sysreg_emulate(struct vcpu *v, uint64_t enc, bool read, uint64_t *val)
{
	for (unsigned int i = 0; i < sizeof(sysreg_classes) / sizeof(sysreg_classes[0]); i++) {
		const struct sysreg_class *c = &sysreg_classes[i];

		if ((enc & c->mask) == c->match)
			return c->access(v, enc, read, val);
	}
	return false;
}
