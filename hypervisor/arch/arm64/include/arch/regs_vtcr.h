/* VTCR_EL2 / VTTBR_EL2, stage-2 translation control (Arm ARM D19.2). */
#ifndef ARCH_REGS_VTCR_H
#define ARCH_REGS_VTCR_H

#include "arch/bits.h"

#define VTCR_T0SZ_SHIFT 0
#define VTCR_T0SZ_MASK GENMASK(5, 0)
#define VTCR_SL0_SHIFT 6
#define VTCR_SL0_MASK GENMASK(7, 6)
#define VTCR_SL0_4K_LEVEL1 1 /* 4 KiB granule: start the walk at level 1 */
#define VTCR_IRGN0_SHIFT 8
#define VTCR_IRGN0_MASK GENMASK(9, 8)
#define VTCR_ORGN0_SHIFT 10
#define VTCR_ORGN0_MASK GENMASK(11, 10)
#define VTCR_SH0_SHIFT 12
#define VTCR_SH0_MASK GENMASK(13, 12)
#define VTCR_TG0_SHIFT 14
#define VTCR_TG0_MASK GENMASK(15, 14)
#define VTCR_PS_SHIFT 16
#define VTCR_PS_MASK GENMASK(18, 16)
#define VTCR_VS BIT(19) /* 16-bit VMIDs */
#define VTCR_RES1 BIT(31)

#define VTTBR_VMID_SHIFT 48
#define VTTBR_VMID_MASK GENMASK(63, 48)
#define VTTBR_BADDR_MASK GENMASK(47, 1)

/* CPTR_EL2 (non-VHE): RES1 bits, and TFP which would trap FP/SIMD. */
#define CPTR_EL2_RES1 (GENMASK(7, 0) | BIT(9) | BIT(12) | BIT(13))
#define CPTR_EL2_TFP BIT(10)
#define CPTR_EL2_TZ BIT(8)   /* trap SVE: its state is not switched */
#define CPTR_EL2_TTA BIT(20) /* trap trace registers */

/* CNTHCTL_EL2 (non-VHE): EL1 access to the physical counter and timer. */
#define CNTHCTL_EL1PCTEN BIT(0)
#define CNTHCTL_EL1PCEN BIT(1)

/* HPFAR_EL2: faulting IPA bits [47:12] in FIPA [43:4]. */
#define HPFAR_FIPA_SHIFT 4
#define HPFAR_FIPA_MASK GENMASK(43, 4)

/* SPSR for a vCPU's first entry and the mode field. */
#define SPSR_MODE_SHIFT 0
#define SPSR_MODE_MASK GENMASK(4, 0)
#define SPSR_MODE_EL0T 0x0
#define SPSR_MODE_EL1T 0x4
#define SPSR_MODE_EL1H 0x5
#define SPSR_AARCH32 BIT(4)
#define SPSR_DAIF_MASK GENMASK(9, 6)
#define SPSR_NZCV_MASK GENMASK(31, 28)

/* SCTLR_EL1 fields the cache policy follows; the reset value has RES1 bits only. */
#define SCTLR_EL1_M BIT(0)
#define SCTLR_EL1_C BIT(2)
#define SCTLR_EL1_RESET 0x00c50078

#endif
