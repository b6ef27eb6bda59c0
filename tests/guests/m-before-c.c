/*
 * m-before-c: turns the MMU on before the data cache, in two SCTLR_EL1
 * writes, as FreeBSD does.  This is the sequence that broke Xen's 2014
 * HCR_EL2.DC scheme: dropping DC when M goes on while C is still off left
 * the guest's non-cacheable accesses looking past data that sat dirty in
 * the cache.
 *
 * Three stages, each checking the builder-loaded blob and data the guest
 * wrote in the stage before:
 *   mmu-off             MMU and caches off; writes pattern A
 *   mmu-on-cache-off    after SCTLR_EL1 M=1 C=0; checks A, writes B
 *   mmu-on-cache-on     after a later SCTLR_EL1 write setting C and I;
 *                       checks B, writes and checks C
 */
#include <stdbool.h>
#include <stdint.h>

#include "arm64.h"
#include "blob.h"
#include "console.h"
#include "guest.h"
#include "mmu.h"
#include "pattern.h"
#include "vmreg.h"

const char guest_name[] = "m-before-c";

#define BUF_WORDS (64u * 1024u / 8u)
#define SEED_A UINT64_C(0x9e3779b97f4a7c15)
#define SEED_B UINT64_C(0xbf58476d1ce4e5b9)
#define SEED_C UINT64_C(0x94d049bb133111eb)

static uint64_t buf[BUF_WORDS] __attribute__((aligned(4096)));

int main(void)
{
	bool ok = true;
	bool regs_ok;

	ok = blob_verify("mmu-off") && ok;
	pattern_fill(buf, BUF_WORDS, SEED_A);
	ok = pattern_check(buf, BUF_WORDS, SEED_A, "mmu-off: A written with the MMU off") && ok;

	mmu_build_tables();
	mmu_write_mair();
	mmu_write_tcr();
	mmu_write_ttbr0();
	console_printf("SCTLR_EL1 <- 0x%llx (M=1 C=0)\n",
		       (unsigned long long)mmu_sctlr_update(SCTLR_EL1_M, SCTLR_EL1_C | SCTLR_EL1_A |
								  SCTLR_EL1_WXN));

	ok = pattern_check(buf, BUF_WORDS, SEED_A, "mmu-on-cache-off: A") && ok;
	ok = blob_verify("mmu-on-cache-off") && ok;
	pattern_fill(buf, BUF_WORDS, SEED_B);
	ok = pattern_check(buf, BUF_WORDS, SEED_B, "mmu-on-cache-off: B written with C=0") && ok;

	console_printf("SCTLR_EL1 <- 0x%llx (M=1 C=1)\n",
		       (unsigned long long)mmu_sctlr_update(SCTLR_EL1_C | SCTLR_EL1_I, 0));
	/* The MMU and caches are on: no VM register is written after this. */

	ok = pattern_check(buf, BUF_WORDS, SEED_B, "mmu-on-cache-on: B") && ok;
	ok = blob_verify("mmu-on-cache-on") && ok;
	pattern_fill(buf, BUF_WORDS, SEED_C);
	ok = pattern_check(buf, BUF_WORDS, SEED_C, "mmu-on-cache-on: C written with C=1") && ok;

	regs_ok = vmreg_check_all();
	vmreg_print_counts();
	if (!ok)
		guest_fail("data lost across the MMU and cache changes");
	if (!regs_ok)
		guest_fail("a VM register does not hold what was written");
	guest_pass();
}
