/*
 * PSCI for guests, over HVC (Arm DEN0022 "Arm Power State Coordination
 * Interface").  This issue handles the calls a single-vCPU guest needs;
 * CPU_ON and friends come with SMP guests.
 */
#include "hv/domain.h"
#include "hv/vdev.h"

#define PSCI_VERSION 0x84000000u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_FEATURES 0x8400000au

#define PSCI_VERSION_1_1 0x10001u
#define PSCI_RET_NOT_SUPPORTED ((uint64_t)-1)
#define PSCI_TOS_NOT_PRESENT_MP 2

static bool vpsci_known(uint32_t fn)
{
	return fn == PSCI_VERSION || fn == PSCI_MIGRATE_INFO_TYPE || fn == PSCI_SYSTEM_OFF ||
	       fn == PSCI_SYSTEM_RESET || fn == PSCI_FEATURES;
}

bool vpsci_call(struct vcpu *v, uint64_t *regs)
{
	uint32_t fn = (uint32_t)regs[0];

	switch (fn) {
	case PSCI_VERSION:
		regs[0] = PSCI_VERSION_1_1;
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
