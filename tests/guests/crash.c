/*
 * crash: reads from an IPA where the guest memory map has neither RAM nor
 * a device.  The hypervisor must crash the domain cleanly (and stay up);
 * the read must never return.  There is no PASS line: the test expects
 * the console to stop after "about to touch an unmapped IPA".
 */
#include <stdint.h>

#include "console.h"
#include "guest.h"

/*
 * 0x10000000 lies in a hole of Cachet's guest map (between the GIC
 * redistributors and the UART).  A build for QEMU's virt board overrides
 * it: there this address is PCIe MMIO space, which reads as all-ones.
 */
#ifndef CRASH_IPA
#define CRASH_IPA 0x10000000UL
#endif

const char guest_name[] = "crash";

int main(void)
{
	volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)CRASH_IPA;
	uint32_t v;

	console_printf("crash: reading IPA %p\n", (void *)(uintptr_t)p);
	console_puts("about to touch an unmapped IPA\n");
	v = *p;
	guest_fail("read returned 0x%x", v);
}
