/*
 * setway-loop: the setway guest's sequence many times over, so that the
 * test can move the vCPU between physical CPUs while set/way loops are
 * under way (tests/integration/daemon-setway-migrate.sh).  Each round turns
 * the caches on, writes a fresh pattern, cleans the whole hierarchy by
 * set/way, turns the caches off and checks the pattern.  It also touches
 * 24 MiB of its RAM each round, so that each flush is long enough to be cut
 * into several slices, between which the vCPU can be moved too.
 *
 * Set/way operations act on one CPU's caches only, so a loop split across
 * two CPUs would leave dirty lines behind on real hardware; the hypervisor
 * traps them and cleans by address, which no migration can split.  Prints
 * "SETWAY: ops=N rounds=R" for the test's counter checks.
 */
#include <stdbool.h>
#include <stdint.h>

#include "arm64.h"
#include "cachet/public/guest_map.h"
#include "console.h"
#include "guest.h"
#include "mmu.h"
#include "pattern.h"
#include "setway_ops.h"
#include "vmreg.h"

const char guest_name[] = "setway-loop";

#define ROUNDS 12u
#define BUF_WORDS (256u * 1024u / 8u)
#define SEED UINT64_C(0x9e3779b97f4a7c15)

#define TOUCH_BASE (CACHET_GUEST_RAM0_BASE + (UINT64_C(8) << 20))
#define TOUCH_BYTES (UINT64_C(24) << 20)

static uint64_t buf[BUF_WORDS] __attribute__((aligned(4096)));

/* One word in every page: the flush that follows has all these pages to clean. */
static void touch_pages(unsigned int round)
{
	for (uint64_t a = TOUCH_BASE; a < TOUCH_BASE + TOUCH_BYTES; a += 4096)
		*(volatile uint64_t *)a = a + round;
}

int main(void)
{
	uint64_t ops = 0;

	mmu_build_tables();
	mmu_write_mair();
	mmu_write_tcr();
	mmu_write_ttbr0();
	for (unsigned int r = 0; r < ROUNDS; r++) {
		mmu_sctlr_update(SCTLR_EL1_M | SCTLR_EL1_C | SCTLR_EL1_I,
				 SCTLR_EL1_A | SCTLR_EL1_WXN);
		pattern_fill(buf, BUF_WORDS, SEED + r);
		touch_pages(r);
		ops += setway_clean_inval_all();
		mmu_sctlr_update(0, SCTLR_EL1_M | SCTLR_EL1_C);
		if (!pattern_check(buf, BUF_WORDS, SEED + r, "caches-off: written with caches on"))
			guest_fail("round %u: data written with the caches on was lost", r);
	}
	if (!vmreg_check_all())
		guest_fail("a VM register does not hold what was written");
	console_printf("SETWAY: ops=%llu rounds=%u\n", (unsigned long long)ops, ROUNDS);
	vmreg_print_counts();
	guest_pass();
}
