/*
 * The identity map described in mmu.h.  Descriptor formats follow Arm ARM
 * D8.3 ("Translation table descriptor formats", VMSAv8-64 block
 * descriptors); the enable sequence follows D8.14 ("Translation Lookaside
 * Buffers") and the MMU enable code of Linux's arm64 head.S.
 */
#include "mmu.h"

#include <stdbool.h>

#include "arm64.h"
#include "vmreg.h"

#define MMU_T0SZ 25
#define MMU_L1_ENTRIES 512
#define MMU_L1_BLOCK_SHIFT 30

#define PTE_BLOCK 0x1UL
#define PTE_ATTRINDX_SHIFT 2
#define PTE_SH_SHIFT 8
#define PTE_AF BIT(10)
#define PTE_PXN BIT(53)
#define PTE_UXN BIT(54)

#define MAIR_ATTR_DEVICE_nGnRnE 0x00UL
#define MAIR_ATTR_NORMAL_WB 0xffUL /* inner and outer write-back, RW-allocate */

/* TCR_EL1.IPS encodings stop at 0b101 (48 bits) without FEAT_LPA. */
#define TCR_IPS_48BIT 5UL

static uint64_t mmu_l1[MMU_L1_ENTRIES] __attribute__((aligned(4096)));

static uint64_t dcache_line_size(void)
{
	uint64_t ctr = read_sysreg(ctr_el0);

	return 4UL << ((ctr >> CTR_EL0_DMINLINE_SHIFT) & CTR_EL0_DMINLINE_MASK);
}

/*
 * Clean and invalidate [start, end) to the PoC by VA.  Clean+invalidate
 * rather than invalidate: under a hypervisor that makes MMU-off accesses
 * cacheable (HCR_EL2.DC) the table may sit dirty in the cache, and a plain
 * invalidate would lose it on a CPU that does not upgrade DC IVAC.
 */
static void dcache_clean_inval_range(const void *start, const void *end)
{
	uint64_t line = dcache_line_size();
	uintptr_t p = (uintptr_t)start & ~(line - 1);

	for (; p < (uintptr_t)end; p += line)
		__asm__ volatile("dc civac, %0" : : "r"(p) : "memory");
	dsb(sy);
}

void mmu_build_tables(void)
{
	const void *end = mmu_l1 + MMU_L1_ENTRIES;

	/* No dirty line may be evicted over the table once it is written. */
	dcache_clean_inval_range(mmu_l1, end);
	for (unsigned int i = 0; i < MMU_L1_ENTRIES; i++)
		mmu_l1[i] = 0;
	mmu_l1[0] = (0UL << MMU_L1_BLOCK_SHIFT) | PTE_BLOCK |
		    (MMU_MAIR_IDX_DEVICE << PTE_ATTRINDX_SHIFT) | PTE_AF | PTE_PXN | PTE_UXN;
	mmu_l1[1] = (1UL << MMU_L1_BLOCK_SHIFT) | PTE_BLOCK |
		    (MMU_MAIR_IDX_NORMAL << PTE_ATTRINDX_SHIFT) | (TCR_SH_INNER << PTE_SH_SHIFT) |
		    PTE_AF | PTE_UXN;
	dsb(sy);
	/* Drop any line fetched speculatively while the MMU-off writes went by. */
	dcache_clean_inval_range(mmu_l1, end);
}

uint64_t mmu_mair_value(void)
{
	return (MAIR_ATTR_DEVICE_nGnRnE << (8 * MMU_MAIR_IDX_DEVICE)) |
	       (MAIR_ATTR_NORMAL_WB << (8 * MMU_MAIR_IDX_NORMAL));
}

uint64_t mmu_tcr_value(void)
{
	uint64_t ips = read_sysreg(id_aa64mmfr0_el1) & ID_AA64MMFR0_PARANGE_MASK;

	if (ips > TCR_IPS_48BIT)
		ips = TCR_IPS_48BIT;
	return ((uint64_t)MMU_T0SZ << TCR_EL1_T0SZ_SHIFT) | (TCR_RGN_WBWA << TCR_EL1_IRGN0_SHIFT) |
	       (TCR_RGN_WBWA << TCR_EL1_ORGN0_SHIFT) | (TCR_SH_INNER << TCR_EL1_SH0_SHIFT) |
	       (TCR_TG0_4K << TCR_EL1_TG0_SHIFT) | TCR_EL1_EPD1 | (ips << TCR_EL1_IPS_SHIFT);
}

uint64_t mmu_ttbr0_value(void)
{
	/* ASID 0; the guests never change ASIDs. */
	return (uint64_t)(uintptr_t)mmu_l1;
}

void mmu_write_mair(void)
{
	vmreg_write(VMREG_MAIR, mmu_mair_value());
}

void mmu_write_tcr(void)
{
	vmreg_write(VMREG_TCR, mmu_tcr_value());
}

void mmu_write_ttbr0(void)
{
	vmreg_write(VMREG_TTBR0, mmu_ttbr0_value());
}

uint64_t mmu_sctlr_update(uint64_t set, uint64_t clear)
{
	uint64_t old = read_sysreg(sctlr_el1);
	uint64_t val = (old | set) & ~clear;
	bool mmu_on = (val & SCTLR_EL1_M) && !(old & SCTLR_EL1_M);

	if (mmu_on) {
		/*
		 * The table writes must be complete before the walker can
		 * see them, and no TLB entry from an earlier life of this
		 * vCPU may survive.
		 */
		dsb(ish);
		__asm__ volatile("tlbi vmalle1" ::: "memory");
		dsb(ish);
		isb();
	}
	vmreg_write(VMREG_SCTLR, val);
	isb();
	if ((val & SCTLR_EL1_I) && !(old & SCTLR_EL1_I)) {
		/* Discard instructions fetched speculatively from the PoC. */
		__asm__ volatile("ic iallu" ::: "memory");
		dsb(nsh);
		isb();
	}
	return val;
}
