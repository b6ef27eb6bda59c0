/*
 * An EL1 stage-1 identity map for the test guests, programmed one register
 * at a time so that each guest controls the order of its VM-register
 * writes (every write goes through vmreg_write() and is counted).
 *
 * The map uses the 4 KiB granule with T0SZ = 25 (a 39-bit VA space whose
 * walk starts at level 1) and two 1 GiB level-1 blocks:
 *   [0, 1 GiB)        Device-nGnRnE, execute-never (the UART lives here)
 *   [1 GiB, 2 GiB)    Normal write-back, inner shareable (guest RAM)
 * Everything else faults.  Only TTBR0_EL1 is used; TCR_EL1.EPD1 stops walks
 * through TTBR1_EL1.
 */
#ifndef GUEST_MMU_H
#define GUEST_MMU_H

#include <stdint.h>

#define MMU_MAIR_IDX_DEVICE 0
#define MMU_MAIR_IDX_NORMAL 1

/*
 * Fills in the level-1 table.  Call it with the MMU off, before
 * mmu_write_ttbr0(); it cleans and invalidates the table to the PoC
 * around the writes, as Linux does for its boot page tables.
 */
void mmu_build_tables(void);

/* The values mmu_write_*() write. */
uint64_t mmu_mair_value(void);
uint64_t mmu_tcr_value(void);
uint64_t mmu_ttbr0_value(void);

/* One counted write each of MAIR_EL1, TCR_EL1 and TTBR0_EL1. */
void mmu_write_mair(void);
void mmu_write_tcr(void);
void mmu_write_ttbr0(void);

/*
 * One counted write of SCTLR_EL1: sets the bits in set and clears those in
 * clear, keeping the rest of the current value.  When the write turns the
 * MMU on it is preceded by the barriers and the local TLB invalidation
 * that make the new tables visible; a context synchronisation follows
 * every write.  Returns the value written.
 */
uint64_t mmu_sctlr_update(uint64_t set, uint64_t clear);

#endif
