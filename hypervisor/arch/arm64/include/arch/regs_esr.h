/* ESR_ELx syndrome layout and exception classes (Arm ARM D19.2 "ESR_EL2"). */
#ifndef ARCH_REGS_ESR_H
#define ARCH_REGS_ESR_H

#include "arch/bits.h"

#define ESR_EC_SHIFT 26
#define ESR_EC_MASK GENMASK(31, 26)
#define ESR_IL BIT(25)
#define ESR_ISS_SHIFT 0
#define ESR_ISS_MASK GENMASK(24, 0)

#define ESR_EC_UNKNOWN 0x00
#define ESR_EC_WFX 0x01
#define ESR_EC_CP15_32 0x03
#define ESR_EC_SVC64 0x15
#define ESR_EC_HVC64 0x16
#define ESR_EC_SMC64 0x17
#define ESR_EC_SYS64 0x18
#define ESR_EC_IABT_LOW 0x20
#define ESR_EC_IABT_CUR 0x21
#define ESR_EC_PC_ALIGN 0x22
#define ESR_EC_DABT_LOW 0x24
#define ESR_EC_DABT_CUR 0x25
#define ESR_EC_SP_ALIGN 0x26
#define ESR_EC_SERROR 0x2f
#define ESR_EC_BRK64 0x3c

/* Data/instruction abort ISS: fault status code. */
#define ESR_xABT_FSC_SHIFT 0
#define ESR_xABT_FSC_MASK GENMASK(5, 0)
#define ESR_xABT_FSC_TRANSLATION 0x4 /* 0b0001LL: translation fault at level LL */
#define ESR_DABT_WNR BIT(6)

#endif
