/*
 * System register access.  One pair of macros serves every register; names
 * the older GNU assembler does not know are spelled in S<op0>_<op1>_C<n>_C<m>_<op2>
 * form by their own defines below (Arm ARM D19, "AArch64 System Register
 * Descriptions").
 */
#ifndef ARCH_SYSREG_H
#define ARCH_SYSREG_H

#include <stdint.h>

/* The extra level lets the *_ENC names below expand before stringizing. */
#define read_sysreg(reg) read_sysreg_(reg)
#define write_sysreg(reg, val) write_sysreg_(reg, val)

#define read_sysreg_(reg)                                            \
	({                                                           \
		uint64_t rd_v_;                                      \
		__asm__ volatile("mrs %0, " #reg : "=r"(rd_v_));     \
		rd_v_;                                               \
	})

#define write_sysreg_(reg, val)                                               \
	do {                                                                  \
		uint64_t wr_v_ = (uint64_t)(val);                             \
		__asm__ volatile("msr " #reg ", %x0" : : "rZ"(wr_v_) : "memory"); \
	} while (0)

/* Registers named by encoding for assemblers that predate them. */
#define ID_AA64MMFR2_EL1_ENC S3_0_C0_C7_2
#define ICH_VTR_EL2_ENC S3_4_C12_C11_1
#define ICC_SRE_EL2_ENC S3_4_C12_C9_5
#define ICC_SRE_EL1_ENC S3_0_C12_C12_5
#define ICC_PMR_EL1_ENC S3_0_C4_C6_0
#define ICC_IAR1_EL1_ENC S3_0_C12_C12_0
#define ICC_EOIR1_EL1_ENC S3_0_C12_C12_1
#define ICC_BPR1_EL1_ENC S3_0_C12_C12_3
#define ICC_CTLR_EL1_ENC S3_0_C12_C12_4
#define ICC_IGRPEN1_EL1_ENC S3_0_C12_C12_7
#define ICC_SGI1R_EL1_ENC S3_0_C12_C11_5

#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")
#define dmb(opt) __asm__ volatile("dmb " #opt ::: "memory")
#define wfi() __asm__ volatile("wfi" ::: "memory")

#endif
