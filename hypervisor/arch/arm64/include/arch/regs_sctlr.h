/* SCTLR_EL2, non-VHE layout (Arm ARM D19.2 "SCTLR_EL2"). */
#ifndef ARCH_REGS_SCTLR_H
#define ARCH_REGS_SCTLR_H

#include "arch/bits.h"

#define SCTLR_EL2_M BIT(0)    /* stage 1 MMU enable */
#define SCTLR_EL2_A BIT(1)    /* alignment check */
#define SCTLR_EL2_C BIT(2)    /* data cacheability */
#define SCTLR_EL2_SA BIT(3)   /* SP alignment check */
#define SCTLR_EL2_I BIT(12)   /* instruction cacheability */
#define SCTLR_EL2_WXN BIT(19) /* writable implies execute-never */
#define SCTLR_EL2_EE BIT(25)  /* big-endian data accesses */
/* Bits that are RES1 in the non-VHE EL2 layout. */
#define SCTLR_EL2_RES1 (BIT(4) | BIT(5) | BIT(11) | BIT(16) | BIT(18) | BIT(22) | BIT(23) | \
			BIT(28) | BIT(29))

#endif
