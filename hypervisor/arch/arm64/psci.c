/*
 * PSCI calls to the firmware (Arm DEN 0022).  QEMU's virt machine with
 * virtualization=on provides PSCI through SMC to code running at EL2.
 */
#include "hv/arch.h"
#include "hv/errno.h"

#define PSCI_CPU_ON_64 0xc4000003u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SUCCESS 0
#define PSCI_ALREADY_ON (-4)

extern char _secondary_start[];

static int64_t psci_smc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return (int64_t)x0;
}

int arch_cpu_start(unsigned int index, uint64_t mpidr)
{
	int64_t rc = psci_smc(PSCI_CPU_ON_64, mpidr, (uint64_t)(uintptr_t)_secondary_start, index);

	if (rc == PSCI_SUCCESS)
		return 0;
	return rc == PSCI_ALREADY_ON ? -EBUSY : -EIO;
}

void arch_system_off(void)
{
	psci_smc(PSCI_SYSTEM_OFF, 0, 0, 0);
	arch_cpu_halt();
}
