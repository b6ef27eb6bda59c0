/*
 * VMSAv8-64 translation table descriptors, 4 KiB granule (Arm ARM D8.3
 * "Translation table descriptor formats").  Pure data formatting: the core
 * page-table builder and host unit tests use these encoders as they are.
 */
#ifndef ARCH_PTE_H
#define ARCH_PTE_H

#include "arch/bits.h"
#include "hv/pt.h"

#define PTE_VALID BIT(0)
#define PTE_TYPE_TABLE BIT(1) /* levels 0-2: table; level 3: page */
#define PTE_ADDR_SHIFT 12
#define PTE_ADDR_MASK GENMASK(47, 12)

/* Stage-1 lower attributes. */
#define PTE_S1_ATTRIDX_SHIFT 2
#define PTE_S1_ATTRIDX_MASK GENMASK(4, 2)
#define PTE_S1_AP_SHIFT 6
#define PTE_S1_AP_MASK GENMASK(7, 6)
/*
 * In a regime with a single privilege level (EL2 without VHE) AP[1] is RES1,
 * so read/write is AP = 0b01 and read-only AP = 0b11.
 */
#define PTE_S1_AP_RW 1
#define PTE_S1_AP_RO 3
#define PTE_SH_SHIFT 8
#define PTE_SH_MASK GENMASK(9, 8)
#define PTE_SH_INNER 3
#define PTE_AF BIT(10)
/* Stage-1 EL2 execute-never (bit 53 is RES0 in that regime). */
#define PTE_S1_XN BIT(54)

/* Stage-2 lower attributes. */
#define PTE_S2_MEMATTR_SHIFT 2
#define PTE_S2_MEMATTR_MASK GENMASK(5, 2)
#define PTE_S2_MEMATTR_DEVICE_nGnRnE 0x0
#define PTE_S2_MEMATTR_NORMAL_NC 0x5
#define PTE_S2_MEMATTR_NORMAL_WB 0xf
/* With HCR_EL2.FWB, MemAttr[2:0] 0b110 is Normal write-back, stage 1 ignored (D8.6.6). */
#define PTE_S2_MEMATTR_FWB_FORCED_WB 0x6
#define PTE_S2AP_SHIFT 6
#define PTE_S2AP_MASK GENMASK(7, 6)
#define PTE_S2AP_R 1
#define PTE_S2AP_W 2
#define PTE_S2_XN_SHIFT 53
#define PTE_S2_XN_MASK GENMASK(54, 53)
#define PTE_S2_XN_ALL 2 /* execute-never at EL1 and EL0 */

/*
 * A parked leaf: a stage-2 leaf with its valid bit cleared and a software
 * mark, so that the hardware faults on it (Arm ARM D8.3: every other bit of
 * an invalid descriptor is ignored) while the hypervisor keeps the mapping.
 * It records that nothing has touched the range since it was parked.
 */
#define PTE_SW_PARKED BIT(58)
/*
 * A table that replaced a parked block so that its pages could be tracked
 * one by one; bits 58:51 of a table descriptor are ignored (D8.3.1).
 */
#define PTE_SW_SPLIT BIT(57)
/*
 * A stage-2 leaf whose memory may hold data: the host was given its frames
 * (TRANSLATE), or the guest had it valid when it was parked.  Bits 58:55 of
 * a block or page descriptor are for software (D8.3.2).
 */
#define PTE_SW_WRITTEN BIT(56)

bool arch_pte_is_valid(uint64_t pte);
bool arch_pte_is_parked(uint64_t pte);
uint64_t arch_pte_park(uint64_t pte);
uint64_t arch_pte_unpark(uint64_t pte);
bool arch_pte_is_written(uint64_t pte);
uint64_t arch_pte_mark_written(uint64_t pte);
bool arch_pte_is_split(uint64_t pte, unsigned int level);
uint64_t arch_pte_split_table(maddr_t table);
/* True for a table descriptor (only meaningful below the last level). */
bool arch_pte_is_table(uint64_t pte, unsigned int level);
maddr_t arch_pte_addr(uint64_t pte);
uint64_t arch_pte_table(maddr_t table);
/* A block (levels 1-2) or page (level 3) descriptor. */
uint64_t arch_pte_leaf(enum pt_stage stage, unsigned int level, maddr_t pa, struct pt_attr attr);
/* Whether a block may be used at @level (4 KiB granule: 1 GiB and 2 MiB). */
bool arch_pte_block_allowed(unsigned int level);
struct pt_attr arch_pte_attr(enum pt_stage stage, uint64_t pte);
/* Stores a descriptor as one single-copy-atomic write. */
void arch_pte_write(uint64_t *entry, uint64_t value);

#endif
