/* HCR_EL2, hypervisor configuration (Arm ARM D19.2 "HCR_EL2"). */
#ifndef ARCH_REGS_HCR_H
#define ARCH_REGS_HCR_H

#include "arch/bits.h"

#define HCR_EL2_VM BIT(0)   /* stage-2 translation for EL1&0 */
#define HCR_EL2_SWIO BIT(1) /* set/way invalidate becomes clean+invalidate */
#define HCR_EL2_FMO BIT(3)  /* physical FIQs to EL2 */
#define HCR_EL2_IMO BIT(4)  /* physical IRQs to EL2 */
#define HCR_EL2_AMO BIT(5)  /* SErrors to EL2 */
#define HCR_EL2_DC BIT(12)  /* default cacheable while EL1 stage 1 is off */
#define HCR_EL2_FB BIT(9)   /* broadcast TLB and I-cache maintenance */
#define HCR_EL2_BSU_INNER (UINT64_C(1) << 10) /* barriers upgraded to inner shareable */
#define HCR_EL2_TWI BIT(13)
#define HCR_EL2_TWE BIT(14)
#define HCR_EL2_TID3 BIT(18) /* trap ID group 3 reads (sanitised view) */
#define HCR_EL2_TSC BIT(19)
#define HCR_EL2_TIDCP BIT(20) /* trap implementation-defined registers */
#define HCR_EL2_TACR BIT(21)  /* trap ACTLR_EL1 */
#define HCR_EL2_TSW BIT(22) /* trap data cache set/way maintenance */
#define HCR_EL2_TTLB BIT(25) /* trap EL1 TLB maintenance instructions */
#define HCR_EL2_TVM BIT(26) /* trap writes to the EL1 VM control registers */
#define HCR_EL2_RW BIT(31)  /* EL1 is AArch64 */
#define HCR_EL2_TLOR BIT(35) /* trap the LORegion registers */
#define HCR_EL2_FWB BIT(46) /* stage-2 forced write-back */

/*
 * While no guest runs: physical interrupts and SErrors are routed to EL2,
 * where the hypervisor takes them (with IMO/FMO clear they would target EL1
 * and stay masked while EL2 runs).
 */
#define HCR_EL2_HOST (HCR_EL2_IMO | HCR_EL2_FMO | HCR_EL2_AMO | HCR_EL2_RW)

#endif
