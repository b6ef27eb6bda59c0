/*
 * AArch64 definitions the test guests need: system register access, the
 * barriers, and the fields of the EL1 registers they program (Arm ARM
 * D19.2, "AArch64 System Register Descriptions").  The guests are separate
 * programs from the hypervisor, so they do not share its headers.
 */
#ifndef GUEST_ARM64_H
#define GUEST_ARM64_H

#include <stdint.h>

#define BIT(n) (UINT64_C(1) << (n))

/* The extra level lets register names given by macros expand first. */
#define read_sysreg(reg) read_sysreg_(reg)
#define write_sysreg(reg, val) write_sysreg_(reg, val)
#define read_sysreg_(reg)                                        \
	({                                                       \
		uint64_t rd_v_;                                  \
		__asm__ volatile("mrs %0, " #reg : "=r"(rd_v_)); \
		rd_v_;                                           \
	})
#define write_sysreg_(reg, val)                                                   \
	do {                                                                      \
		uint64_t wr_v_ = (uint64_t)(val);                                 \
		__asm__ volatile("msr " #reg ", %x0" : : "rZ"(wr_v_) : "memory"); \
	} while (0)

#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")
#define wfi() __asm__ volatile("wfi" ::: "memory")

/* ID_AA64MMFR2_EL1 by encoding, for assemblers that predate the name. */
#define ID_AA64MMFR2_EL1_ENC S3_0_C0_C7_2

/* SCTLR_EL1 (Arm ARM D19.2 "SCTLR_EL1"). */
#define SCTLR_EL1_M BIT(0)    /* stage 1 MMU enable */
#define SCTLR_EL1_A BIT(1)    /* alignment check */
#define SCTLR_EL1_C BIT(2)    /* data cacheability */
#define SCTLR_EL1_I BIT(12)   /* instruction cacheability */
#define SCTLR_EL1_UCT BIT(15) /* EL0 access to CTR_EL0; no effect at EL1 */
#define SCTLR_EL1_WXN BIT(19) /* writable implies execute-never */

/* TCR_EL1 (Arm ARM D19.2 "TCR_EL1"). */
#define TCR_EL1_T0SZ_SHIFT 0
#define TCR_EL1_IRGN0_SHIFT 8
#define TCR_EL1_ORGN0_SHIFT 10
#define TCR_EL1_SH0_SHIFT 12
#define TCR_EL1_TG0_SHIFT 14
#define TCR_EL1_EPD1 BIT(23) /* no walks through TTBR1_EL1 */
#define TCR_EL1_IPS_SHIFT 32
#define TCR_RGN_NC 0UL
#define TCR_RGN_WBWA 1UL
#define TCR_SH_INNER 3UL
#define TCR_TG0_4K 0UL

/* ID_AA64MMFR0_EL1.PARange; ID_AA64MMFR2_EL1.CCIDX (Arm ARM D19.2). */
#define ID_AA64MMFR0_PARANGE_MASK 0xfUL
#define ID_AA64MMFR2_CCIDX_SHIFT 20
#define ID_AA64MMFR2_CCIDX_MASK 0xfUL

/* CTR_EL0.DminLine: log2 of the smallest data cache line, in words. */
#define CTR_EL0_DMINLINE_SHIFT 16
#define CTR_EL0_DMINLINE_MASK 0xfUL

/* ESR_ELx.EC (Arm ARM D19.2 "ESR_EL1"). */
#define ESR_EC_SHIFT 26
#define ESR_EC_MASK 0x3fUL

#endif
