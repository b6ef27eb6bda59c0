/*
 * tvm: writes every VM register that HCR_EL2.TVM traps a known number of
 * times while the MMU is off, and reads each back after every write.  The
 * hypervisor emulates the trapped writes, so each read-back shows whether
 * the emulation put exactly the written value into the register.
 *
 * The integration test compares the VMREGS line with the hypervisor's
 * trap counters, so every write below is counted by vmreg_write() and the
 * plan is fixed:
 *   SCTLR_EL1 3   two leaving M clear (UCT on; UCT off and I on), then
 *                 the write that turns the MMU and data cache on
 *   TTBR0_EL1 3   two scratch values, then the real table
 *   TCR_EL1 2, MAIR_EL1 2     a scratch value, then the real one
 *   TTBR1_EL1, CONTEXTIDR_EL1, ESR_EL1, FAR_EL1, AFSR0_EL1, AFSR1_EL1,
 *   AMAIR_EL1 1 each
 * Scratch values are harmless with the MMU off.  AFSR0/1 and AMAIR are
 * IMPLEMENTATION DEFINED, so they get 0, which reads back as 0 wherever
 * they are RES0 or write-ignored.  After the last SCTLR write nothing more
 * is written; all registers are read back once more.
 */
#include <stdbool.h>
#include <stdint.h>

#include "arm64.h"
#include "console.h"
#include "guest.h"
#include "mmu.h"
#include "vmreg.h"

const char guest_name[] = "tvm";

#define TCR_T0SZ_MASK 0x3fUL
#define TCR_IRGN0_ORGN0_MASK (0xfUL << 8)

static unsigned int readbacks;
static unsigned int mismatches;

static void check(enum vmreg reg)
{
	readbacks++;
	if (!vmreg_check(reg))
		mismatches++;
}

static void write_and_check(enum vmreg reg, uint64_t val)
{
	vmreg_write(reg, val);
	isb();
	check(reg);
}

static void sctlr_and_check(uint64_t set, uint64_t clear)
{
	mmu_sctlr_update(set, clear);
	check(VMREG_SCTLR);
}

int main(void)
{
	uint64_t tcr_scratch = (mmu_tcr_value() & ~(TCR_T0SZ_MASK | TCR_IRGN0_ORGN0_MASK)) | 32;

	mmu_build_tables();

	sctlr_and_check(SCTLR_EL1_UCT, SCTLR_EL1_M);
	write_and_check(VMREG_TTBR0, (UINT64_C(0x12) << 48) | 0x40001000);
	write_and_check(VMREG_TCR, tcr_scratch);
	write_and_check(VMREG_MAIR, 0x4404ffUL);
	write_and_check(VMREG_TTBR1, (UINT64_C(0x34) << 48) | 0x40002000);
	write_and_check(VMREG_CONTEXTIDR, 0x5a5aUL);
	write_and_check(VMREG_ESR, 0x96000045UL);
	write_and_check(VMREG_FAR, 0x40123456UL);
	write_and_check(VMREG_AFSR0, 0);
	write_and_check(VMREG_AFSR1, 0);
	write_and_check(VMREG_AMAIR, 0);
	write_and_check(VMREG_TTBR0, 0x40003000UL);
	sctlr_and_check(SCTLR_EL1_I, SCTLR_EL1_UCT | SCTLR_EL1_M);

	write_and_check(VMREG_MAIR, mmu_mair_value());
	write_and_check(VMREG_TCR, mmu_tcr_value());
	write_and_check(VMREG_TTBR0, mmu_ttbr0_value());
	sctlr_and_check(SCTLR_EL1_M | SCTLR_EL1_C, SCTLR_EL1_A | SCTLR_EL1_WXN);
	/* The MMU and caches are on: no VM register is written after this. */

	for (unsigned int r = 0; r < VMREG_COUNT; r++)
		check((enum vmreg)r);
	console_printf("tvm: %u read-backs, %u mismatched\n", readbacks, mismatches);
	vmreg_print_counts();
	if (mismatches != 0)
		guest_fail("%u of %u VM register read-backs differ from the value written",
			   mismatches, readbacks);
	guest_pass();
}
