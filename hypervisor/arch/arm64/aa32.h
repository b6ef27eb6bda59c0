/*
 * AArch32 EL1 guests (arch-internal): the syndromes of their trapped
 * coprocessor accesses, their banked registers, and where each access goes
 * in the AArch64 system register space the rest of the trap code speaks.
 *
 * Arm ARM D17.2.37 and neighbours ("ISS encoding for an exception from an
 * MCR or MRC access", "... MCRR or MRRC access"), G8.2 (AArch32 System
 * register encodings) and D1.8 / "Mapping of AArch32 registers to AArch64".
 */
#ifndef ARCH_ARM64_AA32_H
#define ARCH_ARM64_AA32_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/bits.h"

/* Exception classes of AArch32 coprocessor traps. */
#define ESR_EC_CP15_64 0x04
#define ESR_EC_CP14_32 0x05
#define ESR_EC_CP14_LS 0x06
#define ESR_EC_CP10_ID 0x08
#define ESR_EC_CP14_64 0x0c

/* Condition fields, common to the conditional AArch32 traps. */
#define AA32_ISS_CV BIT(24)
#define AA32_ISS_COND_SHIFT 20
#define AA32_ISS_COND_MASK GENMASK(23, 20)
/* MCR/MRC (EC 0x03, 0x05, 0x08). */
#define AA32_ISS_OPC2_SHIFT 17
#define AA32_ISS_OPC2_MASK GENMASK(19, 17)
#define AA32_ISS_OPC1_SHIFT 14
#define AA32_ISS_OPC1_MASK GENMASK(16, 14)
#define AA32_ISS_CRN_SHIFT 10
#define AA32_ISS_CRN_MASK GENMASK(13, 10)
/* MCRR/MRRC (EC 0x04, 0x0C). */
#define AA32_ISS64_OPC1_SHIFT 16
#define AA32_ISS64_OPC1_MASK GENMASK(19, 16)
#define AA32_ISS64_RT2_SHIFT 10
#define AA32_ISS64_RT2_MASK GENMASK(14, 10)
/* Both. */
#define AA32_ISS_RT_SHIFT 5
#define AA32_ISS_RT_MASK GENMASK(9, 5)
#define AA32_ISS_CRM_SHIFT 1
#define AA32_ISS_CRM_MASK GENMASK(4, 1)
#define AA32_ISS_READ BIT(0)

/* PSTATE (SPSR) of an AArch32 vCPU. */
#define AA32_PSR_MODE_SHIFT 0
#define AA32_PSR_MODE_MASK GENMASK(4, 0)
#define AA32_PSR_T BIT(5)
#define AA32_PSR_F BIT(6)
#define AA32_PSR_I BIT(7)
#define AA32_PSR_A BIT(8)
#define AA32_PSR_E BIT(9)
#define AA32_PSR_IT_HI_SHIFT 10 /* IT[7:2] */
#define AA32_PSR_IT_HI_MASK GENMASK(15, 10)
#define AA32_PSR_IL BIT(20)
#define AA32_PSR_SS BIT(21)
#define AA32_PSR_IT_LO_SHIFT 25 /* IT[1:0] */
#define AA32_PSR_IT_LO_MASK GENMASK(26, 25)
#define AA32_PSR_V BIT(28)
#define AA32_PSR_C BIT(29)
#define AA32_PSR_Z BIT(30)
#define AA32_PSR_N BIT(31)
#define AA32_PSR_NZCV_MASK GENMASK(31, 28)

#define AA32_MODE_USR 0x10
#define AA32_MODE_FIQ 0x11
#define AA32_MODE_IRQ 0x12
#define AA32_MODE_SVC 0x13
#define AA32_MODE_ABT 0x17
#define AA32_MODE_HYP 0x1a
#define AA32_MODE_UND 0x1b
#define AA32_MODE_SYS 0x1f

#define AA32_REG_PC 15

/* SCTLR fields that shape AArch32 exception entry (Arm ARM G8.2 "SCTLR"). */
#define AA32_SCTLR_V BIT(13)  /* vectors at 0xffff0000 */
#define AA32_SCTLR_EE BIT(25) /* exceptions taken big-endian */
#define AA32_SCTLR_TE BIT(30) /* exceptions taken in T32 state */
#define AA32_HIVECS 0xffff0000u
#define AA32_VECTOR_UNDEF 0x4u

/* Which coprocessor space a trapped access came from. */
enum aa32_cp {
	AA32_CP15,    /* system control (EC 0x03, 0x04) */
	AA32_CP14,    /* debug and trace (EC 0x05, 0x0C) */
	AA32_CP10_ID, /* VMRS of an ID register (EC 0x08) */
};

/* One trapped MCR/MRC/MCRR/MRRC, decoded once from its syndrome. */
struct aa32_cp_access {
	enum aa32_cp cp;
	bool is64;               /* MCRR/MRRC: Rt2:Rt */
	bool read;               /* MRC/MRRC */
	unsigned int opc1, crn, crm, opc2;
	unsigned int rt, rt2;
};

/*
 * Where an access goes: the AArch64 register @enc (SYS_ENC) and which bits
 * of it the AArch32 register is (bits [@shift + 31 : @shift] for a 32-bit
 * access, all 64 for a 64-bit one).
 */
struct aa32_alias {
	uint64_t enc;
	unsigned int shift;
};

void aa32_decode(uint64_t esr, enum aa32_cp cp, bool is64, struct aa32_cp_access *a);
/* False if a conditional instruction's condition failed: it is skipped. */
bool aa32_cond_passed(uint64_t esr, uint64_t pstate);
/* The X register holding AArch32 register @r (0..14) in the mode @pstate names. */
unsigned int aa32_xreg(uint64_t pstate, unsigned int r);
/* False if the access names no register Cachet knows. */
bool aa32_alias_of(const struct aa32_cp_access *a, struct aa32_alias *out);
/* @full with the bits @a names replaced by @val. */
uint64_t aa32_merge(uint64_t full, uint64_t val, const struct aa32_cp_access *a,
		    const struct aa32_alias *al);
/* PSTATE after an instruction at @pstate completes: the Thumb IT block advanced. */
uint64_t aa32_it_advance(uint64_t pstate);

#endif
