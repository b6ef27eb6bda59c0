/*
 * The local twin of a guest TLBI (tlbi.h): every EL1 operation, in each of
 * its scopes (this PE, Inner and Outer Shareable, and the range forms),
 * maps to the same operation on this PE only; EL2 operations, reserved
 * operation numbers and other system instructions map to nothing, so they
 * are never executed on a guest's behalf.
 */
#include <check.h>
#include <stdlib.h>

#include "sysreg_trap.h"
#include "tlbi.h"

#define TLBI(crm, op2) SYS_ENC(1, 0, 8, crm, op2)

START_TEST(test_every_scope_maps_to_this_pe)
{
	static const unsigned int ops[] = { 0, 1, 2, 3, 5, 7 };
	static const unsigned int scopes[] = { 7, 3, 1 };

	for (unsigned int s = 0; s < 3; s++) {
		for (unsigned int o = 0; o < 6; o++)
			ck_assert_uint_eq(tlbi_local_twin(TLBI(scopes[s], ops[o])), TLBI(7, ops[o]));
	}
}
END_TEST

START_TEST(test_range_forms_map_to_local_ranges)
{
	static const unsigned int ops[] = { 1, 3, 5, 7 };
	static const unsigned int scopes[] = { 6, 2, 5 };

	for (unsigned int s = 0; s < 3; s++) {
		for (unsigned int o = 0; o < 4; o++)
			ck_assert_uint_eq(tlbi_local_twin(TLBI(scopes[s], ops[o])), TLBI(6, ops[o]));
	}
	/* No range form of VMALLE1 or ASIDE1. */
	ck_assert_uint_eq(tlbi_local_twin(TLBI(2, 0)), 0);
	ck_assert_uint_eq(tlbi_local_twin(TLBI(6, 2)), 0);
}
END_TEST

START_TEST(test_reserved_and_foreign_encodings_map_to_nothing)
{
	/* Reserved op2 values. */
	ck_assert_uint_eq(tlbi_local_twin(TLBI(3, 4)), 0);
	ck_assert_uint_eq(tlbi_local_twin(TLBI(7, 6)), 0);
	/* Unused CRm values of CRn 8. */
	ck_assert_uint_eq(tlbi_local_twin(TLBI(0, 1)), 0);
	ck_assert_uint_eq(tlbi_local_twin(TLBI(4, 1)), 0);
	/* EL2 and EL3 operations (op1 4 and 6): VAE2IS, ALLE1IS, VAE3. */
	ck_assert_uint_eq(tlbi_local_twin(SYS_ENC(1, 4, 8, 3, 1)), 0);
	ck_assert_uint_eq(tlbi_local_twin(SYS_ENC(1, 4, 8, 3, 4)), 0);
	ck_assert_uint_eq(tlbi_local_twin(SYS_ENC(1, 6, 8, 7, 1)), 0);
	/* Cache maintenance (CRn 7) and a system register (op0 3). */
	ck_assert_uint_eq(tlbi_local_twin(SYS_ENC(1, 0, 7, 5, 0)), 0);
	ck_assert_uint_eq(tlbi_local_twin(SYS_ENC(3, 0, 8, 3, 1)), 0);
}
END_TEST

static Suite *tlbi_suite(void)
{
	Suite *su = suite_create("tlbi");
	TCase *tc = tcase_create("twin");

	tcase_add_test(tc, test_every_scope_maps_to_this_pe);
	tcase_add_test(tc, test_range_forms_map_to_local_ranges);
	tcase_add_test(tc, test_reserved_and_foreign_encodings_map_to_nothing);
	suite_add_tcase(su, tc);
	return su;
}

int main(void)
{
	SRunner *sr = srunner_create(tlbi_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
