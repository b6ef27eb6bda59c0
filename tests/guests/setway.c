/*
 * setway: cleans and invalidates the whole data cache hierarchy by set/way
 * with the caches on, the way firmware and 32-bit Linux do before turning
 * caches off, then turns the MMU and caches off.
 *
 * Set/way operations cannot be virtualised faithfully, so the hypervisor
 * traps them (HCR_EL2.TSW), turns them into maintenance by VA, and re-arms
 * VM-register trapping to see the SCTLR_EL1 write that follows.  The guest
 * reports how many DC CISW it issued (SETWAY: ops=N) for comparison with
 * the hypervisor's trap counters, and checks that data it wrote with the
 * caches on is intact once they are off.
 */
#include <stdbool.h>
#include <stdint.h>

#include "arm64.h"
#include "console.h"
#include "guest.h"
#include "mmu.h"
#include "pattern.h"
#include "setway_ops.h"
#include "vmreg.h"

const char guest_name[] = "setway";

#define BUF_WORDS (64u * 1024u / 8u)
#define SEED UINT64_C(0x2545f4914f6cdd1d)

static uint64_t buf[BUF_WORDS] __attribute__((aligned(4096)));

int main(void)
{
	uint64_t ops;
	bool data_ok;
	bool regs_ok;

	mmu_build_tables();
	mmu_write_mair();
	mmu_write_tcr();
	mmu_write_ttbr0();
	mmu_sctlr_update(SCTLR_EL1_M | SCTLR_EL1_C | SCTLR_EL1_I, SCTLR_EL1_A | SCTLR_EL1_WXN);

	pattern_fill(buf, BUF_WORDS, SEED);
	ops = setway_clean_inval_all();
	mmu_sctlr_update(0, SCTLR_EL1_M | SCTLR_EL1_C);

	data_ok = pattern_check(buf, BUF_WORDS, SEED, "caches-off: written with caches on");
	regs_ok = vmreg_check_all();
	console_printf("SETWAY: ops=%llu\n", (unsigned long long)ops);
	vmreg_print_counts();
	if (ops == 0)
		guest_fail("CLIDR_EL1 describes no data cache to clean");
	if (!data_ok)
		guest_fail("data written with the caches on was lost when they went off");
	if (!regs_ok)
		guest_fail("a VM register does not hold what was written");
	guest_pass();
}
