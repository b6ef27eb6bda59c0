/*
 * PSCI 1.1 for guests, over HVC (Arm DEN0022 "Arm Power State Coordination
 * Interface"): version and feature discovery, starting and stopping vCPUs,
 * and powering the whole domain off or resetting it.
 *
 * Calls follow the SMC Calling Convention (Arm DEN0028): bit 30 of the
 * function id selects the SMC32/HVC32 or the SMC64/HVC64 convention, and a
 * 32-bit call takes its arguments from W1..W7, so the upper halves of
 * X1..X7 are ignored whatever they hold.
 */
#include "hv/domain.h"
#include "hv/vdev.h"

#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON_32 0x84000003u
#define PSCI_CPU_ON_64 0xc4000003u
#define PSCI_AFFINITY_INFO_32 0x84000004u
#define PSCI_AFFINITY_INFO_64 0xc4000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_FEATURES 0x8400000au

#define SMCCC_FN_64 (1u << 30)

#define PSCI_VERSION_1_1 0x10001u
#define PSCI_RET_NOT_SUPPORTED ((uint64_t)-1)
#define PSCI_RET_INVALID_PARAMETERS ((uint64_t)-2)
#define PSCI_AFF_ON 0
#define PSCI_AFF_OFF 1
#define PSCI_TOS_NOT_PRESENT_MP 2

static bool vpsci_known(uint32_t fn)
{
	static const uint32_t fns[] = { PSCI_VERSION, PSCI_CPU_OFF, PSCI_CPU_ON_32, PSCI_CPU_ON_64,
					PSCI_AFFINITY_INFO_32, PSCI_AFFINITY_INFO_64,
					PSCI_MIGRATE_INFO_TYPE, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET,
					PSCI_FEATURES };

	for (unsigned int i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		if (fns[i] == fn)
			return true;
	}
	return false;
}

static uint64_t vpsci_cpu_on(struct vcpu *v, uint64_t mpidr, uint64_t entry, uint64_t ctx)
{
	struct vcpu *t = domain_vcpu_by_mpidr(v->dom, mpidr);

	if (t == NULL)
		return PSCI_RET_INVALID_PARAMETERS;
	return (uint64_t)domain_vcpu_on(v->dom, t->id, entry, ctx);
}

static uint64_t vpsci_affinity_info(struct vcpu *v, uint64_t mpidr, uint64_t level)
{
	struct vcpu *t = domain_vcpu_by_mpidr(v->dom, mpidr);

	if (t == NULL || level != 0)
		return PSCI_RET_INVALID_PARAMETERS;
	return t->state == VCPU_OFFLINE ? PSCI_AFF_OFF : PSCI_AFF_ON;
}

/* Argument @n of call @fn: for the 32-bit convention, only its low half. */
static uint64_t vpsci_arg(uint32_t fn, const uint64_t *regs, unsigned int n)
{
	return (fn & SMCCC_FN_64) ? regs[n] : (uint32_t)regs[n];
}

static void vpsci_cpu_off(struct vcpu *v)
{
	struct domain *d = v->dom;
	unsigned long flags = spin_lock_irqsave(&d->lock);

	/* Under the lock CPU_ON takes, so it sees the vCPU on or off, never half-way. */
	v->state = VCPU_OFFLINE; /* never returns to the caller */
	spin_unlock_irqrestore(&d->lock, flags);
	vgic_vcpu_off(v);
}

bool vpsci_call(struct vcpu *v, uint64_t *regs)
{
	uint32_t fn = (uint32_t)regs[0];
	uint64_t a1 = vpsci_arg(fn, regs, 1), a2 = vpsci_arg(fn, regs, 2),
		 a3 = vpsci_arg(fn, regs, 3);

	switch (fn) {
	case PSCI_VERSION:
		regs[0] = PSCI_VERSION_1_1;
		return true;
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
		regs[0] = vpsci_cpu_on(v, a1, a2, a3);
		return true;
	case PSCI_CPU_OFF:
		vpsci_cpu_off(v);
		return true;
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
		regs[0] = vpsci_affinity_info(v, a1, a2);
		return true;
	case PSCI_MIGRATE_INFO_TYPE:
		regs[0] = PSCI_TOS_NOT_PRESENT_MP;
		return true;
	case PSCI_FEATURES:
		regs[0] = vpsci_known((uint32_t)a1) ? 0 : PSCI_RET_NOT_SUPPORTED;
		return true;
	case PSCI_SYSTEM_OFF:
		domain_shutdown(v->dom, CACHET_SHUTDOWN_POWEROFF);
		return true;
	case PSCI_SYSTEM_RESET:
		domain_shutdown(v->dom, CACHET_SHUTDOWN_REBOOT);
		return true;
	default:
		return false;
	}
}
