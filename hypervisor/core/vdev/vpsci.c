/*
 * PSCI 1.1 for guests, over HVC (Arm DEN0022 "Arm Power State Coordination
 * Interface"): version and feature discovery, starting and stopping vCPUs,
 * and powering the whole domain off or resetting it.
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

bool vpsci_call(struct vcpu *v, uint64_t *regs)
{
	uint32_t fn = (uint32_t)regs[0];

	switch (fn) {
	case PSCI_VERSION:
		regs[0] = PSCI_VERSION_1_1;
		return true;
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
		regs[0] = vpsci_cpu_on(v, regs[1], regs[2], regs[3]);
		return true;
	case PSCI_CPU_OFF:
		v->state = VCPU_OFFLINE; /* never returns to the caller */
		return true;
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
		regs[0] = vpsci_affinity_info(v, regs[1], regs[2]);
		return true;
	case PSCI_MIGRATE_INFO_TYPE:
		regs[0] = PSCI_TOS_NOT_PRESENT_MP;
		return true;
	case PSCI_FEATURES:
		regs[0] = vpsci_known((uint32_t)regs[1]) ? 0 : PSCI_RET_NOT_SUPPORTED;
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
