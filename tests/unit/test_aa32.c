/*
 * AArch32 guests' trap decoding (hypervisor/arch/arm64/aa32_decode.c) and
 * first register states (vcpu_context.c), compiled for the host: the ISS
 * fields of MCR/MRC and MCRR/MRRC, the condition check, the banked
 * register table, the AArch64 register every cp15/cp14/VMRS access is
 * routed to (the TVM aliases reach the AArch64 TVM registers, set/way the
 * DC instructions), half-register merges, IT advance, and PSCI CPU_ON in
 * AArch32 state.
 */
#include <check.h>
#include <stdlib.h>

#include "aa32.h"
#include "hv/arch_vcpu.h"
#include "sysreg_trap.h"

#define EC_SHIFT 26
#define IL (1u << 25)
#define COND_AL 0xeu

/* The syndrome of a trapped MCR/MRC: condition @cond valid. */
static uint64_t iss32(unsigned int cond, unsigned int opc1, unsigned int crn, unsigned int crm,
		      unsigned int opc2, unsigned int rt, bool read)
{
	return (uint64_t)0x03 << EC_SHIFT | IL | AA32_ISS_CV |
	       FIELD_PREP(AA32_ISS_COND, cond) | FIELD_PREP(AA32_ISS_OPC2, opc2) |
	       FIELD_PREP(AA32_ISS_OPC1, opc1) | FIELD_PREP(AA32_ISS_CRN, crn) |
	       FIELD_PREP(AA32_ISS_RT, rt) | FIELD_PREP(AA32_ISS_CRM, crm) | (read ? 1u : 0u);
}

static uint64_t iss64(unsigned int opc1, unsigned int crm, unsigned int rt, unsigned int rt2,
		      bool read)
{
	return (uint64_t)0x04 << EC_SHIFT | IL | AA32_ISS_CV |
	       FIELD_PREP(AA32_ISS_COND, COND_AL) | FIELD_PREP(AA32_ISS64_OPC1, opc1) |
	       FIELD_PREP(AA32_ISS64_RT2, rt2) | FIELD_PREP(AA32_ISS_RT, rt) |
	       FIELD_PREP(AA32_ISS_CRM, crm) | (read ? 1u : 0u);
}

/* Syndromes QEMU 7.2 reported for Debian's armhf kernel under Cachet. */
START_TEST(test_decode_real_syndromes)
{
	struct aa32_cp_access a;

	/* MRC p15, 0, r11, c0, c1, 4 (ID_MMFR0), from the zImage decompressor. */
	aa32_decode(0x0fe80163, AA32_CP15, false, &a);
	ck_assert(a.read && !a.is64);
	ck_assert_uint_eq(a.opc1, 0);
	ck_assert_uint_eq(a.crn, 0);
	ck_assert_uint_eq(a.crm, 1);
	ck_assert_uint_eq(a.opc2, 4);
	ck_assert_uint_eq(a.rt, 11);
	/* MCR p15, 0, r12, c7, c6, 2 (DCISW), from v7_invalidate_l1. */
	aa32_decode(0x0fe41d8c, AA32_CP15, false, &a);
	ck_assert(!a.read);
	ck_assert_uint_eq(a.crn, 7);
	ck_assert_uint_eq(a.crm, 6);
	ck_assert_uint_eq(a.opc2, 2);
	ck_assert_uint_eq(a.rt, 12);
	/* MRC p15, 0, lr, c0, c1, 4 in SVC mode: Rt comes in the AArch64 view, X18. */
	aa32_decode(0x0fe80243, AA32_CP15, false, &a);
	ck_assert_uint_eq(a.rt, 18);
}
END_TEST

START_TEST(test_decode_64bit)
{
	struct aa32_cp_access a;

	aa32_decode(iss64(1, 2, 4, 5, false), AA32_CP15, true, &a);
	ck_assert(a.is64 && !a.read);
	ck_assert_uint_eq(a.opc1, 1);
	ck_assert_uint_eq(a.crm, 2);
	ck_assert_uint_eq(a.rt, 4);
	ck_assert_uint_eq(a.rt2, 5);
	aa32_decode(iss64(0, 1, 3, 7, true), AA32_CP14, true, &a);
	ck_assert(a.read && a.cp == AA32_CP14);
	ck_assert_uint_eq(a.rt2, 7);
}
END_TEST

#define PSR_SVC 0x1d3u
#define N (1u << 31)
#define Z (1u << 30)
#define C (1u << 29)
#define V (1u << 28)

START_TEST(test_condition)
{
	uint64_t mcr_eq = iss32(0x0, 0, 1, 0, 0, 0, false);
	uint64_t mcr_ne = iss32(0x1, 0, 1, 0, 0, 0, false);
	uint64_t mcr_ge = iss32(0xa, 0, 1, 0, 0, 0, false);
	uint64_t mcr_gt = iss32(0xc, 0, 1, 0, 0, 0, false);
	uint64_t mcr_hi = iss32(0x8, 0, 1, 0, 0, 0, false);

	ck_assert(!aa32_cond_passed(mcr_eq, PSR_SVC));
	ck_assert(aa32_cond_passed(mcr_eq, PSR_SVC | Z));
	ck_assert(aa32_cond_passed(mcr_ne, PSR_SVC));
	ck_assert(!aa32_cond_passed(mcr_ne, PSR_SVC | Z));
	ck_assert(aa32_cond_passed(mcr_ge, PSR_SVC | N | V));
	ck_assert(!aa32_cond_passed(mcr_ge, PSR_SVC | N));
	ck_assert(!aa32_cond_passed(mcr_gt, PSR_SVC | Z));
	ck_assert(aa32_cond_passed(mcr_hi, PSR_SVC | C));
	ck_assert(!aa32_cond_passed(mcr_hi, PSR_SVC | C | Z));
	ck_assert(aa32_cond_passed(iss32(COND_AL, 0, 1, 0, 0, 0, false), PSR_SVC));
}
END_TEST

/* Without ISS.CV (a T32 instruction), the condition comes from ITSTATE. */
START_TEST(test_condition_from_it_state)
{
	uint64_t esr = iss32(0, 0, 1, 0, 0, 0, false) & ~AA32_ISS_CV;
	/* IT EQ, one instruction: ITSTATE = cond 0000, mask 1000. */
	uint64_t it_eq = PSR_SVC | AA32_PSR_T | FIELD_PREP(AA32_PSR_IT_HI, 0x08 >> 2);

	ck_assert(aa32_cond_passed(esr, PSR_SVC | AA32_PSR_T)); /* outside IT: always */
	ck_assert(!aa32_cond_passed(esr, it_eq));
	ck_assert(aa32_cond_passed(esr, it_eq | Z));
}
END_TEST

START_TEST(test_it_advance)
{
	uint64_t one = PSR_SVC | FIELD_PREP(AA32_PSR_IT_HI, 0x08 >> 2);
	/* ITSTATE 0b00010100: two more instructions. */
	uint64_t two = PSR_SVC | FIELD_PREP(AA32_PSR_IT_HI, 0x14 >> 2);
	uint64_t after = aa32_it_advance(two);

	ck_assert_uint_eq(aa32_it_advance(one), PSR_SVC); /* the block ends */
	ck_assert_uint_eq(FIELD_GET(AA32_PSR_IT_HI, after) << 2 | FIELD_GET(AA32_PSR_IT_LO, after),
			  0x08);
	ck_assert_uint_eq(aa32_it_advance(PSR_SVC | N), PSR_SVC | N); /* no block: unchanged */
}
END_TEST

START_TEST(test_banked_registers)
{
	static const struct {
		unsigned int mode, r, x;
	} map[] = {
		{ AA32_MODE_USR, 13, 13 }, { AA32_MODE_USR, 14, 14 }, { AA32_MODE_SYS, 8, 8 },
		{ AA32_MODE_SVC, 13, 19 }, { AA32_MODE_SVC, 14, 18 }, { AA32_MODE_SVC, 12, 12 },
		{ AA32_MODE_IRQ, 13, 17 }, { AA32_MODE_IRQ, 14, 16 }, { AA32_MODE_ABT, 13, 21 },
		{ AA32_MODE_ABT, 14, 20 }, { AA32_MODE_UND, 13, 23 }, { AA32_MODE_UND, 14, 22 },
		{ AA32_MODE_FIQ, 7, 7 },   { AA32_MODE_FIQ, 8, 24 },  { AA32_MODE_FIQ, 12, 28 },
		{ AA32_MODE_FIQ, 13, 29 }, { AA32_MODE_FIQ, 14, 30 }, { AA32_MODE_HYP, 13, 15 },
	};

	for (unsigned int i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		ck_assert_msg(aa32_xreg(map[i].mode | AA32_PSR_I, map[i].r) == map[i].x,
			      "mode %#x r%u", map[i].mode, map[i].r);
}
END_TEST

/* What a 32-bit cp15 access (opc1, CRn, CRm, opc2) is routed to. */
static struct aa32_alias alias32(unsigned int opc1, unsigned int crn, unsigned int crm,
				 unsigned int opc2)
{
	struct aa32_cp_access a = { .cp = AA32_CP15, .opc1 = opc1, .crn = crn, .crm = crm,
				    .opc2 = opc2 };
	struct aa32_alias al = { 0, 99 };

	ck_assert(aa32_alias_of(&a, &al));
	return al;
}

#define ck_alias(al, e, s)                           \
	do {                                         \
		struct aa32_alias al_ = (al);        \
		ck_assert_uint_eq(al_.enc, (e));     \
		ck_assert_uint_eq(al_.shift, (s));   \
	} while (0)

/* Every register HCR_EL2.TVM traps in AArch32 lands on the AArch64 register it aliases. */
START_TEST(test_tvm_aliases)
{
	ck_alias(alias32(0, 1, 0, 0), SYS_ENC(3, 0, 1, 0, 0), 0);    /* SCTLR */
	ck_alias(alias32(0, 2, 0, 0), SYS_ENC(3, 0, 2, 0, 0), 0);    /* TTBR0 */
	ck_alias(alias32(0, 2, 0, 1), SYS_ENC(3, 0, 2, 0, 1), 0);    /* TTBR1 */
	ck_alias(alias32(0, 2, 0, 2), SYS_ENC(3, 0, 2, 0, 2), 0);    /* TTBCR */
	ck_alias(alias32(0, 2, 0, 3), SYS_ENC(3, 0, 2, 0, 2), 32);   /* TTBCR2 */
	ck_alias(alias32(0, 3, 0, 0), SYS_ENC(3, 4, 3, 0, 0), 0);    /* DACR: DACR32_EL2 */
	ck_alias(alias32(0, 5, 0, 0), SYS_ENC(3, 0, 5, 2, 0), 0);    /* DFSR: ESR_EL1 */
	ck_alias(alias32(0, 5, 0, 1), SYS_ENC(3, 4, 5, 0, 1), 0);    /* IFSR: IFSR32_EL2 */
	ck_alias(alias32(0, 5, 1, 0), SYS_ENC(3, 0, 5, 1, 0), 0);    /* ADFSR: AFSR0_EL1 */
	ck_alias(alias32(0, 5, 1, 1), SYS_ENC(3, 0, 5, 1, 1), 0);    /* AIFSR: AFSR1_EL1 */
	ck_alias(alias32(0, 6, 0, 0), SYS_ENC(3, 0, 6, 0, 0), 0);    /* DFAR: FAR_EL1 low */
	ck_alias(alias32(0, 6, 0, 2), SYS_ENC(3, 0, 6, 0, 0), 32);   /* IFAR: FAR_EL1 high */
	ck_alias(alias32(0, 10, 2, 0), SYS_ENC(3, 0, 10, 2, 0), 0);  /* PRRR/MAIR0 */
	ck_alias(alias32(0, 10, 2, 1), SYS_ENC(3, 0, 10, 2, 0), 32); /* NMRR/MAIR1 */
	ck_alias(alias32(0, 10, 3, 0), SYS_ENC(3, 0, 10, 3, 0), 0);  /* AMAIR0 */
	ck_alias(alias32(0, 10, 3, 1), SYS_ENC(3, 0, 10, 3, 0), 32); /* AMAIR1 */
	ck_alias(alias32(0, 13, 0, 1), SYS_ENC(3, 0, 13, 0, 1), 0);  /* CONTEXTIDR */
}
END_TEST

START_TEST(test_setway_timer_gic_id_aliases)
{
	ck_alias(alias32(0, 7, 6, 2), SYS_ENC(1, 0, 7, 6, 2), 0);    /* DCISW: DC ISW */
	ck_alias(alias32(0, 7, 10, 2), SYS_ENC(1, 0, 7, 10, 2), 0);  /* DCCSW: DC CSW */
	ck_alias(alias32(0, 7, 14, 2), SYS_ENC(1, 0, 7, 14, 2), 0);  /* DCCISW: DC CISW */
	ck_alias(alias32(0, 14, 2, 1), SYS_ENC(3, 3, 14, 2, 1), 0);  /* CNTP_CTL */
	ck_alias(alias32(0, 14, 3, 1), SYS_ENC(3, 3, 14, 3, 1), 0);  /* CNTV_CTL */
	ck_alias(alias32(0, 9, 12, 0), SYS_ENC(3, 3, 9, 12, 0), 0);  /* PMCR */
	ck_alias(alias32(0, 4, 6, 0), SYS_ENC(3, 0, 4, 6, 0), 0);    /* ICC_PMR */
	ck_alias(alias32(0, 12, 12, 4), SYS_ENC(3, 0, 12, 12, 4), 0); /* ICC_CTLR */
	ck_alias(alias32(0, 12, 11, 1), SYS_ENC(3, 0, 12, 11, 1), 0); /* ICC_DIR */
	ck_alias(alias32(0, 0, 1, 4), SYS_ENC(3, 0, 0, 1, 4), 0);    /* ID_MMFR0 */
	ck_alias(alias32(0, 1, 0, 1), SYS_ENC(3, 0, 1, 0, 1), 0);    /* ACTLR */
	ck_alias(alias32(0, 1, 0, 3), SYS_ENC(3, 0, 1, 0, 1), 32);   /* ACTLR2 */
}
END_TEST

static struct aa32_alias alias64(enum aa32_cp cp, unsigned int opc1, unsigned int crm, bool *ok)
{
	struct aa32_cp_access a = { .cp = cp, .is64 = true, .opc1 = opc1, .crm = crm };
	struct aa32_alias al = { 0, 0 };

	*ok = aa32_alias_of(&a, &al);
	return al;
}

START_TEST(test_64bit_aliases)
{
	bool ok;

	ck_alias(alias64(AA32_CP15, 0, 2, &ok), SYS_ENC(3, 0, 2, 0, 0), 0); /* TTBR0 */
	ck_assert(ok);
	ck_alias(alias64(AA32_CP15, 1, 2, &ok), SYS_ENC(3, 0, 2, 0, 1), 0); /* TTBR1 */
	ck_alias(alias64(AA32_CP15, 0, 12, &ok), SYS_ENC(3, 0, 12, 11, 5), 0); /* ICC_SGI1R */
	ck_alias(alias64(AA32_CP15, 1, 12, &ok), SYS_ENC(3, 0, 12, 11, 6), 0); /* ICC_ASGI1R */
	ck_alias(alias64(AA32_CP15, 2, 12, &ok), SYS_ENC(3, 0, 12, 11, 7), 0); /* ICC_SGI0R */
	ck_alias(alias64(AA32_CP15, 2, 14, &ok), SYS_ENC(3, 3, 14, 2, 2), 0); /* CNTP_CVAL */
	ck_alias(alias64(AA32_CP15, 3, 14, &ok), SYS_ENC(3, 3, 14, 3, 2), 0); /* CNTV_CVAL */
	ck_alias(alias64(AA32_CP15, 0, 9, &ok), SYS_ENC(3, 3, 9, 13, 0), 0); /* PMCCNTR */
	ck_assert(ok);
	alias64(AA32_CP15, 5, 9, &ok);
	ck_assert(!ok); /* no such 64-bit register: not guessed */
	ck_alias(alias64(AA32_CP14, 0, 1, &ok), SYS_ENC(2, 0, 1, 0, 0), 0); /* DBGDRAR */
	ck_assert(ok);
}
END_TEST

START_TEST(test_cp14_and_vmrs_aliases)
{
	struct aa32_cp_access a = { .cp = AA32_CP14, .read = true };
	struct aa32_alias al;

	ck_assert(aa32_alias_of(&a, &al)); /* DBGDIDR */
	ck_assert_uint_eq(al.enc, SYS_ENC(2, 0, 0, 0, 0));
	a = (struct aa32_cp_access){ .cp = AA32_CP10_ID, .read = true, .opc1 = 7, .crn = 7 };
	ck_assert(aa32_alias_of(&a, &al));
	ck_assert_uint_eq(al.enc, SYS_ENC(3, 0, 0, 3, 0)); /* MVFR0 */
	a.crn = 6;
	ck_assert(aa32_alias_of(&a, &al));
	ck_assert_uint_eq(al.enc, SYS_ENC(3, 0, 0, 3, 1)); /* MVFR1 */
	a.crn = 5;
	ck_assert(aa32_alias_of(&a, &al));
	ck_assert_uint_eq(al.enc, SYS_ENC(3, 0, 0, 3, 2)); /* MVFR2 */
	a.crn = 0;
	ck_assert(!aa32_alias_of(&a, &al)); /* FPSID does not trap with TID3 */
}
END_TEST

/* A 32-bit write to half of a 64-bit register keeps the other half. */
START_TEST(test_merge_halves)
{
	struct aa32_cp_access a32 = { .cp = AA32_CP15 }, a64 = { .cp = AA32_CP15, .is64 = true };
	struct aa32_alias low = { SYS_ENC(3, 0, 6, 0, 0), 0 }, high = { SYS_ENC(3, 0, 6, 0, 0), 32 };

	ck_assert_uint_eq(aa32_merge(0x1111111122222222ull, 0xdeadbeef, &a32, &high),
			  0xdeadbeef22222222ull);
	ck_assert_uint_eq(aa32_merge(0x1111111122222222ull, 0xdeadbeef, &a32, &low),
			  0x11111111deadbeefull);
	ck_assert_uint_eq(aa32_merge(0x1111111122222222ull, 0x0123456789abcdefull, &a64, &low),
			  0x0123456789abcdefull);
}
END_TEST

/* PSCI CPU_ON in an AArch32 domain: SVC, A/I/F masked, Thumb from entry bit 0, r0 = context. */
START_TEST(test_cpu_on_context)
{
	struct cachet_vcpu_context ctx;

	arch_vcpu_on_context(&ctx, 0x40301001, 0x1234567812345678ull, true);
	ck_assert_uint_eq(ctx.pc, 0x40301000);
	ck_assert_uint_eq(ctx.pstate, 0x1d3 | AA32_PSR_T);
	ck_assert_uint_eq(ctx.x[0], 0x12345678);
	ck_assert(arch_vcpu_context_valid(&ctx, true));
	arch_vcpu_on_context(&ctx, 0x40300000, 7, true);
	ck_assert_uint_eq(ctx.pstate, 0x1d3);
	ck_assert(arch_vcpu_context_valid(&ctx, true));
	ck_assert(!arch_vcpu_context_valid(&ctx, false)); /* an AArch32 PSTATE for AArch64 */
	arch_vcpu_on_context(&ctx, 0x40080000, 9, false);
	ck_assert_uint_eq(ctx.pstate, 0x3c5);
	ck_assert_uint_eq(ctx.x[0], 9);
	ck_assert(!arch_vcpu_context_valid(&ctx, true));
	ctx.pstate = 0x1da; /* HYP mode */
	ck_assert(!arch_vcpu_context_valid(&ctx, true));
}
END_TEST

static Suite *aa32_suite(void)
{
	Suite *s = suite_create("aa32");
	TCase *t = tcase_create("decode");

	tcase_add_test(t, test_decode_real_syndromes);
	tcase_add_test(t, test_decode_64bit);
	tcase_add_test(t, test_condition);
	tcase_add_test(t, test_condition_from_it_state);
	tcase_add_test(t, test_it_advance);
	tcase_add_test(t, test_banked_registers);
	tcase_add_test(t, test_tvm_aliases);
	tcase_add_test(t, test_setway_timer_gic_id_aliases);
	tcase_add_test(t, test_64bit_aliases);
	tcase_add_test(t, test_cp14_and_vmrs_aliases);
	tcase_add_test(t, test_merge_halves);
	tcase_add_test(t, test_cpu_on_context);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(aa32_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
