/*
 * flushcost: what one set/way operation costs as the memory a guest touched
 * grows.  With the caches on, the guest writes one word in every page of
 * 64 MiB, then issues a single DC CISW and times it; then the same for all
 * of its RAM but the first 32 MiB (992 MiB: run it with memory = 1024).
 * The trapped operation completes only once the hypervisor's flush has, so
 * its time is the flush's.  A first, untimed operation starts both rounds
 * from a clean slate, and a rewrite of SCTLR_EL1 after each one clears the
 * VM-register trapping the set/way operation re-armed.
 *
 * Prints "FLUSHCOST: touched_mib=N us=T" per round (for tests/bench).
 */
#include <stdint.h>

#include "arm64.h"
#include "cachet/public/guest_map.h"
#include "console.h"
#include "guest.h"
#include "mmu.h"

const char guest_name[] = "flushcost";

#define TOUCH_BASE (CACHET_GUEST_RAM0_BASE + (UINT64_C(32) << 20))
#define RAM_END (CACHET_GUEST_RAM0_BASE + (UINT64_C(1) << 30))
#define PAGE_BYTES 4096u

static void touch(uint64_t bytes)
{
	for (uint64_t a = TOUCH_BASE; a < TOUCH_BASE + bytes; a += PAGE_BYTES)
		*(volatile uint64_t *)a = a;
	dsb(sy);
}

/* One DC CISW (level 1, set 0, way 0); returns its duration in microseconds. */
static uint64_t setway_once(void)
{
	uint64_t t0, t1;

	isb();
	t0 = read_sysreg(cntvct_el0);
	__asm__ volatile("dc cisw, %0" : : "r"(UINT64_C(0)) : "memory");
	isb();
	t1 = read_sysreg(cntvct_el0);
	/* Caches stay on: the rewrite only tells the hypervisor so, and TVM goes. */
	mmu_sctlr_update(0, 0);
	return (t1 - t0) * 1000000 / read_sysreg(cntfrq_el0);
}

int main(void)
{
	static const uint64_t sizes[] = { UINT64_C(64) << 20, RAM_END - TOUCH_BASE };

	mmu_build_tables();
	mmu_write_mair();
	mmu_write_tcr();
	mmu_write_ttbr0();
	mmu_sctlr_update(SCTLR_EL1_M | SCTLR_EL1_C | SCTLR_EL1_I, SCTLR_EL1_A | SCTLR_EL1_WXN);
	for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint64_t us;

		setway_once();
		touch(sizes[i]);
		us = setway_once();
		console_printf("FLUSHCOST: touched_mib=%llu us=%llu\n",
			       (unsigned long long)(sizes[i] >> 20), (unsigned long long)us);
	}
	guest_pass();
}
