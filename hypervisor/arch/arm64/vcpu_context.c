/*
 * Checks of a vCPU's first register state: pure data, so host unit tests
 * of the management path use this very code.
 */
#include "arch/regs_vtcr.h"
#include "hv/arch_vcpu.h"

bool arch_vcpu_context_valid(const struct cachet_vcpu_context *ctx, bool aarch32)
{
	uint64_t mode = FIELD_GET(SPSR_MODE, ctx->pstate);
	uint64_t allowed = SPSR_MODE_MASK | SPSR_DAIF_MASK | SPSR_NZCV_MASK;

	if (aarch32)
		return false; /* AArch32 guests come with the zImage loader */
	if ((ctx->pstate & ~allowed) != 0)
		return false;
	return mode == SPSR_MODE_EL1H || mode == SPSR_MODE_EL1T || mode == SPSR_MODE_EL0T;
}
