/*
 * Checks of a vCPU's first register state, and the state PSCI CPU_ON gives
 * one: pure data, so host unit tests of the management path use this very
 * code.
 */
#include "aa32.h"
#include "arch/regs_vtcr.h"
#include "hv/arch_vcpu.h"

/* EL1h with D, A, I and F masked (SPSR format), as an arm64 kernel is entered. */
#define PSTATE_EL1H_DAIF 0x3c5

/*
 * An AArch32 vCPU starts in SVC mode, as Linux's arm32 boot protocol and
 * PSCI both have it: other modes, HYP above all, are refused.
 */
static bool aa32_context_valid(const struct cachet_vcpu_context *ctx)
{
	uint64_t allowed = AA32_PSR_MODE_MASK | AA32_PSR_T | AA32_PSR_F | AA32_PSR_I |
			   AA32_PSR_A | AA32_PSR_NZCV_MASK;

	return (ctx->pstate & ~allowed) == 0 && ctx->pc <= UINT32_MAX &&
	       FIELD_GET(AA32_PSR_MODE, ctx->pstate) == AA32_MODE_SVC;
}

bool arch_vcpu_context_valid(const struct cachet_vcpu_context *ctx, bool aarch32)
{
	uint64_t mode = FIELD_GET(SPSR_MODE, ctx->pstate);
	uint64_t allowed = SPSR_MODE_MASK | SPSR_DAIF_MASK | SPSR_NZCV_MASK;

	if (aarch32)
		return aa32_context_valid(ctx);
	if ((ctx->pstate & ~allowed) != 0)
		return false;
	return mode == SPSR_MODE_EL1H || mode == SPSR_MODE_EL1T || mode == SPSR_MODE_EL0T;
}

void arch_vcpu_on_context(struct cachet_vcpu_context *ctx, uint64_t entry, uint64_t context_id,
			  bool aarch32)
{
	*ctx = (struct cachet_vcpu_context){ .pc = entry, .pstate = PSTATE_EL1H_DAIF };
	ctx->x[0] = context_id;
	if (!aarch32)
		return;
	ctx->x[0] = (uint32_t)context_id;
	ctx->pc = (uint32_t)entry & ~UINT64_C(1);
	ctx->pstate = FIELD_PREP(AA32_PSR_MODE, AA32_MODE_SVC) | AA32_PSR_A | AA32_PSR_I |
		      AA32_PSR_F | ((entry & 1) ? AA32_PSR_T : 0);
}
