/*
 * The twins of a guest TLBI (tlbi.h): every EL1 operation, in each of its
 * scopes (this PE, Inner and Outer Shareable, and the range forms), maps
 * to the same operation on this PE only, and a shareable one also to its
 * Inner Shareable form; EL2 operations, reserved operation numbers and
 * other system instructions map to nothing, so they are never executed on
 * a guest's behalf.  Then the record of which pCPUs a local-only TLBI has
 * not reached (tlbi_track.h).
 */
#include <check.h>
#include <stdlib.h>

#include "sysreg_trap.h"
#include "tlbi.h"
#include "tlbi_track.h"

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

START_TEST(test_shareable_twin_only_for_shareable_scopes)
{
	/* VAE1IS, VAE1OS -> VAE1IS; VAE1 (this PE) has none. */
	ck_assert_uint_eq(tlbi_shareable_twin(TLBI(3, 1)), TLBI(3, 1));
	ck_assert_uint_eq(tlbi_shareable_twin(TLBI(1, 1)), TLBI(3, 1));
	ck_assert_uint_eq(tlbi_shareable_twin(TLBI(7, 1)), 0);
	/* RVAE1IS, RVAE1OS -> RVAE1IS; RVAE1 has none. */
	ck_assert_uint_eq(tlbi_shareable_twin(TLBI(2, 1)), TLBI(2, 1));
	ck_assert_uint_eq(tlbi_shareable_twin(TLBI(5, 1)), TLBI(2, 1));
	ck_assert_uint_eq(tlbi_shareable_twin(TLBI(6, 1)), 0);
	/* Not TLBIs at all, or reserved. */
	ck_assert_uint_eq(tlbi_shareable_twin(TLBI(3, 4)), 0);
	ck_assert_uint_eq(tlbi_shareable_twin(SYS_ENC(1, 4, 8, 3, 1)), 0);
}
END_TEST

START_TEST(test_local_op_reaches_other_pcpus_at_their_next_entry)
{
	struct tlbi_track t = { 0 };
	uint64_t g = tlbi_track_begin_local(&t);

	tlbi_track_local_done(&t, 0, g);
	/* Done on pCPU 0 itself: nothing left there. */
	ck_assert(!tlbi_track_must_flush(&t, 0));
	/* pCPU 1 still holds what it invalidated: once, before its next entry. */
	ck_assert(tlbi_track_must_flush(&t, 1));
	ck_assert(!tlbi_track_must_flush(&t, 1));
}
END_TEST

START_TEST(test_racing_local_ops_reach_each_others_pcpus)
{
	struct tlbi_track t = { 0 };
	uint64_t a = tlbi_track_begin_local(&t); /* vCPU on pCPU 0 */
	uint64_t b = tlbi_track_begin_local(&t); /* vCPU on pCPU 1 */

	tlbi_track_local_done(&t, 1, b);
	tlbi_track_local_done(&t, 0, a);
	/* Each pCPU did only its own: both must invalidate before they enter. */
	ck_assert(tlbi_track_must_flush(&t, 0));
	ck_assert(tlbi_track_must_flush(&t, 1));
	ck_assert(!tlbi_track_must_flush(&t, 0));
}
END_TEST

START_TEST(test_op_counted_after_a_pcpu_fell_behind_does_not_clean_it)
{
	struct tlbi_track t = { 0 };
	uint64_t g;

	tlbi_track_local_done(&t, 1, tlbi_track_begin_local(&t));
	/* pCPU 0 has not entered since that one: its own op does not cover it. */
	g = tlbi_track_begin_local(&t);
	tlbi_track_local_done(&t, 0, g);
	ck_assert(tlbi_track_must_flush(&t, 0));
	ck_assert(!tlbi_track_must_flush(&t, 0));
}
END_TEST

START_TEST(test_nothing_counted_nothing_flushed)
{
	struct tlbi_track t = { 0 };

	for (unsigned int cpu = 0; cpu < CONFIG_MAX_CPUS; cpu++)
		ck_assert(!tlbi_track_must_flush(&t, cpu));
}
END_TEST

static Suite *tlbi_suite(void)
{
	Suite *su = suite_create("tlbi");
	TCase *tc = tcase_create("twin");

	tcase_add_test(tc, test_every_scope_maps_to_this_pe);
	tcase_add_test(tc, test_range_forms_map_to_local_ranges);
	tcase_add_test(tc, test_reserved_and_foreign_encodings_map_to_nothing);
	tcase_add_test(tc, test_shareable_twin_only_for_shareable_scopes);
	suite_add_tcase(su, tc);
	tc = tcase_create("track");
	tcase_add_test(tc, test_local_op_reaches_other_pcpus_at_their_next_entry);
	tcase_add_test(tc, test_racing_local_ops_reach_each_others_pcpus);
	tcase_add_test(tc, test_op_counted_after_a_pcpu_fell_behind_does_not_clean_it);
	tcase_add_test(tc, test_nothing_counted_nothing_flushed);
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
