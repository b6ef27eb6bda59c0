/*
 * The local twin of a guest's TLB maintenance instruction (see tlbi.h).
 * EL1 TLBI instructions are SYS instructions with op0 = 1, op1 = 0,
 * CRn = 8 (Arm ARM C5.5, "A64 system instructions for TLB maintenance").
 * CRm names the scope: 7 this PE only, 3 Inner Shareable, 1 Outer
 * Shareable (FEAT_TLBIOS); for the range forms (FEAT_TLBIRANGE) 6, 2 and 5.
 * op2 names the operation: 0 VMALLE1 (not for ranges), 1 VAE1, 2 ASIDE1
 * (not for ranges), 3 VAAE1, 5 VALE1, 7 VAALE1.  Outer Shareable forms are
 * done as Inner Shareable ones: every pCPU of the platform is in one Inner
 * Shareable domain.
 */
#include "sysreg_trap.h"
#include "tlbi.h"

#define TLBI_CRN 8
#define TLBI_CRM_OS 1
#define TLBI_CRM_RANGE_IS 2
#define TLBI_CRM_IS 3
#define TLBI_CRM_RANGE_OS 5
#define TLBI_CRM_RANGE_LOCAL 6
#define TLBI_CRM_LOCAL 7

/* op2 values that name an operation: 0, 1, 2, 3, 5, 7 (ranges: 1, 3, 5, 7). */
#define TLBI_OPS 0xafu
#define TLBI_RANGE_OPS 0xaau

/* The CRm of @enc's twin in scope @local (this PE) or Inner Shareable; 0 if none. */
static unsigned int tlbi_twin_crm(uint64_t enc, bool local)
{
	unsigned int crm = (unsigned int)FIELD_GET(SYS_CRM, enc);
	unsigned int op2 = (unsigned int)FIELD_GET(SYS_OP2, enc);

	if (FIELD_GET(SYS_OP0, enc) != 1 || FIELD_GET(SYS_OP1, enc) != 0 ||
	    FIELD_GET(SYS_CRN, enc) != TLBI_CRN)
		return 0;
	switch (crm) {
	case TLBI_CRM_LOCAL:
	case TLBI_CRM_IS:
	case TLBI_CRM_OS:
		return (TLBI_OPS & (1u << op2)) ? (local ? TLBI_CRM_LOCAL : TLBI_CRM_IS) : 0;
	case TLBI_CRM_RANGE_LOCAL:
	case TLBI_CRM_RANGE_IS:
	case TLBI_CRM_RANGE_OS:
		return (TLBI_RANGE_OPS & (1u << op2)) ? (local ? TLBI_CRM_RANGE_LOCAL : TLBI_CRM_RANGE_IS)
						      : 0;
	default:
		return 0;
	}
}

static uint64_t tlbi_twin(uint64_t enc, bool local)
{
	unsigned int crm = tlbi_twin_crm(enc, local);

	return crm ? SYS_ENC(1, 0, TLBI_CRN, crm, FIELD_GET(SYS_OP2, enc)) : 0;
}

uint64_t tlbi_local_twin(uint64_t enc)
{
	return tlbi_twin(enc, true);
}

uint64_t tlbi_shareable_twin(uint64_t enc)
{
	unsigned int crm = (unsigned int)FIELD_GET(SYS_CRM, enc);

	if (crm == TLBI_CRM_LOCAL || crm == TLBI_CRM_RANGE_LOCAL)
		return 0;
	return tlbi_twin(enc, false);
}
