/* TCR_EL2 (non-VHE) and MAIR_EL2 (Arm ARM D19.2 "TCR_EL2", "MAIR_EL2"). */
#ifndef ARCH_REGS_TCR_H
#define ARCH_REGS_TCR_H

#include "arch/bits.h"

#define TCR_EL2_T0SZ_SHIFT 0
#define TCR_EL2_T0SZ_MASK GENMASK(5, 0)
#define TCR_EL2_IRGN0_SHIFT 8
#define TCR_EL2_IRGN0_MASK GENMASK(9, 8)
#define TCR_EL2_ORGN0_SHIFT 10
#define TCR_EL2_ORGN0_MASK GENMASK(11, 10)
#define TCR_EL2_SH0_SHIFT 12
#define TCR_EL2_SH0_MASK GENMASK(13, 12)
#define TCR_EL2_TG0_SHIFT 14
#define TCR_EL2_TG0_MASK GENMASK(15, 14)
#define TCR_EL2_PS_SHIFT 16
#define TCR_EL2_PS_MASK GENMASK(18, 16)
#define TCR_EL2_RES1 (BIT(23) | BIT(31))

#define TCR_RGN_WBWA 1 /* write-back, read/write-allocate */
#define TCR_SH_INNER 3
#define TCR_TG0_4K 0

/* MAIR attribute indices used by the hypervisor's stage-1 tables. */
#define MAIR_IDX_DEVICE 0
#define MAIR_IDX_NORMAL 1
#define MAIR_IDX_NORMAL_NC 2
#define MAIR_ATTR_DEVICE_nGnRnE 0x00
#define MAIR_ATTR_NORMAL_WB 0xff
#define MAIR_ATTR_NORMAL_NC 0x44
#define MAIR_EL2_VALUE                                          \
	(((uint64_t)MAIR_ATTR_DEVICE_nGnRnE << (8 * MAIR_IDX_DEVICE)) | \
	 ((uint64_t)MAIR_ATTR_NORMAL_WB << (8 * MAIR_IDX_NORMAL)) |     \
	 ((uint64_t)MAIR_ATTR_NORMAL_NC << (8 * MAIR_IDX_NORMAL_NC)))

#endif
