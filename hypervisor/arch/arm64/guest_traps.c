/*
 * First-level handling of guest exits: interrupts, and synchronous
 * exceptions dispatched by exception class.  What is not understood crashes
 * the guest (never the hypervisor), with the reason in the log and the event.
 */
#include "guest_traps.h"

#include "arch/frame.h"
#include "arch/regs_esr.h"
#include "arch/sysreg.h"
#include "hv/domain.h"
#include "hv/sched.h"
#include "irq.h"

#define ESR_EC_HVC32 0x12
#define ESR_EC_SMC32 0x13
#define ESR_WFX_TI_WFE BIT(0)
#define PSCI_RET_NOT_SUPPORTED ((uint64_t)-1)

void guest_skip_insn(struct vcpu *v, uint64_t esr)
{
	v->arch.regs.pc += (esr & ESR_IL) ? 4 : 2;
}

static void trap_wfx(struct vcpu *v, uint64_t esr)
{
	v->stats.wfx_exits++;
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

static void trap_sync(struct vcpu *v)
{
	uint64_t esr = read_sysreg(esr_el2);
	uint64_t ec = FIELD_GET(ESR_EC, esr);

	switch (ec) {
	case ESR_EC_WFX:
		trap_wfx(v, esr);
		break;
	case ESR_EC_HVC64:
	case ESR_EC_HVC32:
		trap_hvc(v);
		break;
	case ESR_EC_SMC64:
	case ESR_EC_SMC32:
		trap_smc(v, esr);
		break;
	case ESR_EC_SYS64:
		trap_sysreg(v, esr);
		break;
	case ESR_EC_DABT_LOW:
		trap_dabt(v, esr);
		break;
	case ESR_EC_IABT_LOW:
		trap_iabt(v, esr);
		break;
	default:
		domain_crash(v->dom, "vcpu %u: unhandled exception class %#llx (ESR %#llx, pc %#llx)",
			     v->id, (unsigned long long)ec, (unsigned long long)esr,
			     (unsigned long long)v->arch.regs.pc);
		break;
	}
}

void guest_trap_dispatch(struct vcpu *v, int vec)
{
	switch (vec) {
	case VEC_LOW64_SYNC:
	case VEC_LOW32_SYNC:
		trap_sync(v);
		break;
	case VEC_LOW64_IRQ:
	case VEC_LOW32_IRQ:
	case VEC_LOW64_FIQ:
	case VEC_LOW32_FIQ:
		v->stats.irq_exits++;
		irq_dispatch();
		break;
	default:
		domain_crash(v->dom, "vcpu %u: SError (ESR %#llx)", v->id,
			     (unsigned long long)read_sysreg(esr_el2));
		break;
	}
}
