/*
 * First-level handling of guest exits: interrupts, and synchronous
 * exceptions dispatched by exception class.  What is not understood crashes
 * the guest (never the hypervisor), with the reason in the log and the event.
 */
#include "guest_traps.h"

#include "aa32.h"
#include "arch/frame.h"
#include "arch/regs_esr.h"
#include "arch/regs_vtcr.h"
#include "arch/sysreg.h"
#include "hv/domain.h"
#include "hv/sched.h"
#include "irq.h"

#define ESR_EC_HVC32 0x12
#define ESR_EC_SMC32 0x13
#define XZR 31
#define ESR_WFX_TI_WFE BIT(0)
#define PSCI_RET_NOT_SUPPORTED ((uint64_t)-1)

static bool guest_is_aa32(const struct vcpu *v)
{
	return v->arch.regs.pstate & SPSR_AARCH32;
}

/* In AArch32 state the PC is 32 bits wide and a Thumb IT block moves on. */
void guest_skip_insn(struct vcpu *v, uint64_t esr)
{
	struct arch_gregs *r = &v->arch.regs;

	r->pc += (esr & ESR_IL) ? 4 : 2;
	if (!guest_is_aa32(v))
		return;
	r->pc = (uint32_t)r->pc;
	r->pstate = aa32_it_advance(r->pstate);
}

/*
 * Syndromes name registers in their AArch64 view even for AArch32 state
 * (Arm ARM D17.2, the Rt and SRT fields): R13 of SVC mode comes as 19,
 * already resolved through the banked-register mapping.  Number 15 there
 * is the PC (APSR_nzcv for an MRC), since SP_hyp cannot be named from
 * EL1: it reads as zero and ignores writes (UNPREDICTABLE cases).
 */
uint64_t guest_reg_get(const struct vcpu *v, unsigned int rt)
{
	if (!guest_is_aa32(v))
		return rt == XZR ? 0 : v->arch.regs.x[rt];
	return rt == AA32_REG_PC ? 0 : (uint32_t)v->arch.regs.x[rt];
}

void guest_reg_set(struct vcpu *v, unsigned int rt, uint64_t val)
{
	if (!guest_is_aa32(v)) {
		if (rt != XZR)
			v->arch.regs.x[rt] = val;
		return;
	}
	if (rt != AA32_REG_PC)
		v->arch.regs.x[rt] = (uint32_t)val;
}

static void trap_wfx(struct vcpu *v, uint64_t esr)
{
	guest_skip_insn(v, esr);
	if (!(FIELD_GET(ESR_ISS, esr) & ESR_WFX_TI_WFE))
		sched_block(v);
}

static void trap_hvc(struct vcpu *v)
{
	/* HVC is exception-generating: ELR already points past it. */
	v->stats.hvc_calls++;
	if (!vpsci_call(v, v->arch.regs.x))
		v->arch.regs.x[0] = PSCI_RET_NOT_SUPPORTED;
}

static void trap_smc(struct vcpu *v, uint64_t esr)
{
	/* A trapped SMC returns to the SMC itself; there is no secure firmware for guests. */
	v->arch.regs.x[0] = PSCI_RET_NOT_SUPPORTED;
	guest_skip_insn(v, esr);
}

static enum exitprof_class trap_sync(struct vcpu *v)
{
	uint64_t esr = read_sysreg(esr_el2);
	uint64_t ec = FIELD_GET(ESR_EC, esr);

	switch (ec) {
	case ESR_EC_WFX:
		trap_wfx(v, esr);
		return EXITPROF_WFX;
	case ESR_EC_HVC64:
	case ESR_EC_HVC32:
		trap_hvc(v);
		return EXITPROF_OTHER;
	case ESR_EC_SMC64:
	case ESR_EC_SMC32:
		trap_smc(v, esr);
		return EXITPROF_OTHER;
	case ESR_EC_SYS64:
		trap_sysreg(v, esr);
		return EXITPROF_SYSREG;
	case ESR_EC_CP15_32:
	case ESR_EC_CP15_64:
	case ESR_EC_CP14_32:
	case ESR_EC_CP14_64:
	case ESR_EC_CP14_LS:
	case ESR_EC_CP10_ID:
		trap_aa32_cp(v, ec, esr);
		return EXITPROF_SYSREG;
	case ESR_EC_DABT_LOW:
		return trap_dabt(v, esr);
	case ESR_EC_IABT_LOW:
		trap_iabt(v, esr);
		return EXITPROF_OTHER;
	default:
		domain_crash(v->dom, "vcpu %u: unhandled exception class %#llx (ESR %#llx, pc %#llx)",
			     v->id, (unsigned long long)ec, (unsigned long long)esr,
			     (unsigned long long)v->arch.regs.pc);
		return EXITPROF_OTHER;
	}
}

enum exitprof_class guest_trap_dispatch(struct vcpu *v, int vec)
{
	switch (vec) {
	case VEC_LOW64_SYNC:
	case VEC_LOW32_SYNC:
		return trap_sync(v);
	case VEC_LOW64_IRQ:
	case VEC_LOW32_IRQ:
	case VEC_LOW64_FIQ:
	case VEC_LOW32_FIQ:
		irq_dispatch();
		return EXITPROF_IRQ;
	default:
		domain_crash(v->dom, "vcpu %u: SError (ESR %#llx)", v->id,
			     (unsigned long long)read_sysreg(esr_el2));
		return EXITPROF_OTHER;
	}
}
