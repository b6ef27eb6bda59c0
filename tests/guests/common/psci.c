/*
 * PSCI through the SMC Calling Convention's HVC conduit (Arm DEN0028,
 * "SMC Calling Convention"): the function id goes in w0, the result comes
 * back in x0.  Cachet's guests, like Xen's, use HVC #0.
 */
#include "psci.h"

static int64_t psci_call(uint64_t fn)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = 0;
	register uint64_t x2 __asm__("x2") = 0;
	register uint64_t x3 __asm__("x3") = 0;

	/* SMCCC 1.0 lets the callee change x0-x17; assume it does. */
	__asm__ volatile("hvc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 :
			 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
			   "x14", "x15", "x16", "x17", "memory");
	/* Both functions used here are SMC32 calls: the result is in w0. */
	return (int32_t)(uint32_t)x0;
}

int64_t psci_version(void)
{
	return psci_call(PSCI_0_2_FN_PSCI_VERSION);
}

int64_t psci_system_off(void)
{
	return psci_call(PSCI_0_2_FN_SYSTEM_OFF);
}
