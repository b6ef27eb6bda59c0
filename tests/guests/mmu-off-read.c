/*
 * mmu-off-read: reads builder-loaded data with the MMU and caches off.
 *
 * The ELF carries a 1 MiB blob in a PT_LOAD segment of its own, which the
 * builder wrote through cacheable mappings.  The guest hashes it first
 * with the MMU off, where its reads go to the PoC and so see stale memory
 * unless the hypervisor made the builder's writes reach it, and then
 * again after turning the MMU and caches on the way Linux does: MAIR,
 * TCR and TTBR0 first, then a single SCTLR_EL1 write setting M, C and I.
 *
 * From that write on the guest writes no VM register: the integration
 * test checks that the hypervisor stops trapping them once the MMU and
 * caches are both on.  It reads them back instead, to see that each holds
 * what the guest wrote.
 */
#include <stdbool.h>

#include "arm64.h"
#include "blob.h"
#include "console.h"
#include "guest.h"
#include "mmu.h"
#include "vmreg.h"

const char guest_name[] = "mmu-off-read";

int main(void)
{
	bool off_ok;
	bool on_ok;
	bool regs_ok;

	console_printf("mmu-off-read: blob at %p..%p\n", (const void *)blob_start,
		       (const void *)blob_end);
	off_ok = blob_verify("mmu-off");

	mmu_build_tables();
	mmu_write_mair();
	mmu_write_tcr();
	mmu_write_ttbr0();
	mmu_sctlr_update(SCTLR_EL1_M | SCTLR_EL1_C | SCTLR_EL1_I, SCTLR_EL1_A | SCTLR_EL1_WXN);
	/* The MMU and caches are on: no VM register is written after this. */

	on_ok = blob_verify("mmu-on");
	regs_ok = vmreg_check_all();
	vmreg_print_counts();
	if (!off_ok)
		guest_fail("blob hash wrong with the MMU off");
	if (!on_ok)
		guest_fail("blob hash wrong with the MMU and caches on");
	if (!regs_ok)
		guest_fail("a VM register does not hold what was written");
	guest_pass();
}
