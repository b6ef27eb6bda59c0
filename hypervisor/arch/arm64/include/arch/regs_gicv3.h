/*
 * GICv3 distributor, redistributor and CPU interface fields
 * (Arm IHI 0069 "GICv3 and GICv4 Architecture Specification", chapter 12).
 */
#ifndef ARCH_REGS_GICV3_H
#define ARCH_REGS_GICV3_H

#include "arch/bits.h"

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_IPRIORITYR 0x0400
#define GICD_IROUTER 0x6000
#define GICD_CTLR_RWP BIT(31)
#define GICD_CTLR_ARE_NS BIT(4)
#define GICD_CTLR_ENABLE_G1NS BIT(1) /* EnableGrp1 when GICD_CTLR.DS = 1 */
#define GICD_CTLR_DS BIT(6)
#define GICD_TYPER_ITLINES_SHIFT 0
#define GICD_TYPER_ITLINES_MASK GENMASK(4, 0)

/* Each redistributor is two 64 KiB frames: RD_base then SGI_base. */
#define GICR_STRIDE 0x20000
#define GICR_SGI_BASE 0x10000
#define GICR_CTLR 0x0000
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_WAKER_PROCESSOR_SLEEP BIT(1)
#define GICR_WAKER_CHILDREN_ASLEEP BIT(2)
#define GICR_TYPER_LAST BIT(4)
#define GICR_TYPER_AFF_SHIFT 32
#define GICR_TYPER_AFF_MASK GENMASK(63, 32)
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_IPRIORITYR0 0x0400

#define ICC_SRE_SRE BIT(0)
#define ICC_SRE_ENABLE BIT(3)
#define ICC_IAR_INTID_MASK GENMASK(23, 0)
#define ICC_IAR_INTID_SHIFT 0
#define ICC_SGI1R_IRM BIT(40)
#define ICC_SGI1R_INTID_SHIFT 24
#define ICC_SGI1R_INTID_MASK GENMASK(27, 24)

#define ICH_VTR_LISTREGS_SHIFT 0
#define ICH_VTR_LISTREGS_MASK GENMASK(4, 0)
#define ICH_VTR_A3V BIT(21)
#define ICH_VTR_SEIS BIT(22)
#define ICH_VTR_IDBITS_SHIFT 23
#define ICH_VTR_IDBITS_MASK GENMASK(25, 23)
#define ICH_VTR_PREBITS_SHIFT 26
#define ICH_VTR_PREBITS_MASK GENMASK(28, 26)
#define ICH_VTR_PRIBITS_SHIFT 29
#define ICH_VTR_PRIBITS_MASK GENMASK(31, 29)

/* ICH_HCR_EL2 (GICv3 12.5.8). */
#define ICH_HCR_EN BIT(0)
#define ICH_HCR_UIE BIT(1)   /* maintenance when at most one LR is in use */
#define ICH_HCR_TC BIT(10)   /* trap ICC_CTLR/PMR/RPR/DIR_EL1 (common to both groups) */

/* ICH_VMCR_EL2 (GICv3 12.5.27): the virtual CPU interface's control fields. */
#define ICH_VMCR_VCBPR BIT(4)
#define ICH_VMCR_VEOIM BIT(9)
#define ICH_VMCR_VPMR_SHIFT 24
#define ICH_VMCR_VPMR_MASK GENMASK(31, 24)

/* ICC_CTLR_EL1 as the virtual interface presents it (GICv3 12.2.6). */
#define ICC_CTLR_CBPR BIT(0)
#define ICC_CTLR_EOIMODE BIT(1)
#define ICC_CTLR_PRIBITS_SHIFT 8
#define ICC_CTLR_PRIBITS_MASK GENMASK(10, 8)
#define ICC_CTLR_IDBITS_SHIFT 11
#define ICC_CTLR_IDBITS_MASK GENMASK(13, 11)
#define ICC_CTLR_SEIS BIT(14)
#define ICC_CTLR_A3V BIT(15)

#define GIC_INTID_SPURIOUS 1023

#endif
