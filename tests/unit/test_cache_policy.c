/*
 * Unit tests of the guest cache-coherency policy (hypervisor/core/
 * cache_policy.c): the DC/TVM transitions and flushes for the boot
 * sequences the test guests and real kernels perform.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hv/cache_policy.h"

static struct cp_state s;
static struct cachet_vcpu_stats st;

static void setup(void)
{
	memset(&st, 0, sizeof(st));
	cp_init(&s, CACHET_CACHE_DC_TVM);
}

START_TEST(test_reset_state)
{
	ck_assert(s.dc);
	ck_assert(s.tvm);
	ck_assert(!cp_caches_on(&s));
}
END_TEST

/* Linux and mmu-off-read: several writes with M = 0, then M, C and I together. */
START_TEST(test_m_and_c_together)
{
	ck_assert_int_eq(cp_sctlr_write(&s, false, false, &st), CP_FLUSH_NONE);
	ck_assert_int_eq(cp_sctlr_write(&s, false, false, &st), CP_FLUSH_NONE);
	ck_assert(s.dc && s.tvm);
	ck_assert_int_eq(cp_sctlr_write(&s, true, true, &st), CP_FLUSH_NONE);
	ck_assert(!s.dc);
	ck_assert(!s.tvm);
	ck_assert_uint_eq(st.dc_clears, 1);
	ck_assert_uint_eq(st.tvm_clears, 1);
	/* DC made every access cacheable, so nothing needs flushing. */
	ck_assert_uint_eq(st.flush_dc_drop + st.flush_toggle + st.flush_setway, 0);
}
END_TEST

/* FreeBSD and m-before-c: M first, C in a later write. */
START_TEST(test_m_before_c)
{
	ck_assert_int_eq(cp_sctlr_write(&s, true, false, &st), CP_FLUSH_DC_DROP);
	ck_assert(!s.dc);
	ck_assert(s.tvm); /* kept until C is set */
	ck_assert_uint_eq(st.flush_dc_drop, 1);
	ck_assert_int_eq(cp_sctlr_write(&s, true, false, &st), CP_FLUSH_NONE);
	ck_assert(s.tvm);
	/* The guest ran non-cacheable: turning caches on must flush again. */
	ck_assert_int_eq(cp_sctlr_write(&s, true, true, &st), CP_FLUSH_TOGGLE);
	ck_assert(!s.tvm);
	ck_assert_uint_eq(st.flush_dc_drop, 1);
	ck_assert_uint_eq(st.flush_toggle, 1);
	ck_assert_uint_eq(st.tvm_clears, 1);
}
END_TEST

/* Turning caches off again (kexec, reboot, arm32 decompressor handover). */
START_TEST(test_caches_off_again)
{
	cp_sctlr_write(&s, true, true, &st);
	/* A set/way op while TVM is off flushes at once and re-arms TVM. */
	ck_assert_int_eq(cp_set_way(&s, &st), CP_FLUSH_SETWAY);
	ck_assert(s.tvm);
	ck_assert_uint_eq(st.tvm_sets, 1);
	/* With TVM on, further set/way ops wait for the toggle. */
	ck_assert_int_eq(cp_set_way(&s, &st), CP_FLUSH_NONE);
	ck_assert_uint_eq(st.setway_traps, 2);
	ck_assert_int_eq(cp_sctlr_write(&s, true, false, &st), CP_FLUSH_TOGGLE);
	ck_assert(s.tvm);
	/*
	 * MMU off: DC is back, and what the guest wrote non-cacheable since
	 * the toggle is now read through the caches, so that is flushed too.
	 */
	ck_assert_int_eq(cp_sctlr_write(&s, false, false, &st), CP_FLUSH_TOGGLE);
	ck_assert(s.dc);
	ck_assert_uint_eq(st.flush_toggle, 2);
	ck_assert_uint_eq(st.dc_sets, 1);
	/* Back on in one write: accesses were cacheable under DC, no flush. */
	ck_assert_int_eq(cp_sctlr_write(&s, true, true, &st), CP_FLUSH_NONE);
	ck_assert(!s.tvm && !s.dc);
}
END_TEST

START_TEST(test_setway_with_caches_off_is_deferred)
{
	ck_assert_int_eq(cp_set_way(&s, &st), CP_FLUSH_NONE);
	ck_assert_uint_eq(st.flush_setway, 0);
	ck_assert(s.tvm);
}
END_TEST

START_TEST(test_flush_load_policy_traps_nothing)
{
	cp_init(&s, CACHET_CACHE_FLUSH_LOAD);
	ck_assert(!s.dc);
	ck_assert(!s.tvm);
	ck_assert_int_eq(cp_sctlr_write(&s, true, false, &st), CP_FLUSH_NONE);
	ck_assert_uint_eq(st.dc_clears + st.tvm_clears + st.flush_dc_drop, 0);
	/* Set/way is trapped for every policy and always flushes here. */
	ck_assert_int_eq(cp_set_way(&s, &st), CP_FLUSH_SETWAY);
	ck_assert(!s.tvm);
}
END_TEST

/* KVM's design: no DC, TVM from reset, every cache toggle flushes. */
START_TEST(test_s2_fault_policy)
{
	cp_init(&s, CACHET_CACHE_S2_FAULT);
	ck_assert(!s.dc && s.tvm && !s.fwb);
	ck_assert(cp_s2_lazy(&s));
	ck_assert(cp_s2_clean_before_map(CACHET_CACHE_S2_FAULT));
	ck_assert_int_eq(cp_sctlr_write(&s, true, false, &st), CP_FLUSH_NONE);
	ck_assert(s.tvm && cp_s2_lazy(&s));
	/* The guest ran non-cacheable from reset: caches on flushes. */
	ck_assert_int_eq(cp_sctlr_write(&s, true, true, &st), CP_FLUSH_TOGGLE);
	ck_assert(!s.tvm && !cp_s2_lazy(&s));
	ck_assert_uint_eq(st.dc_sets + st.dc_clears, 0);
	ck_assert_int_eq(cp_set_way(&s, &st), CP_FLUSH_SETWAY);
	ck_assert(s.tvm);
	ck_assert_int_eq(cp_sctlr_write(&s, false, false, &st), CP_FLUSH_TOGGLE);
	ck_assert(cp_s2_lazy(&s));
}
END_TEST

START_TEST(test_s2fwb_policy_needs_nothing)
{
	cp_init(&s, CACHET_CACHE_S2FWB);
	ck_assert(s.fwb && !s.dc && !s.tvm);
	ck_assert(!cp_s2_lazy(&s));
	ck_assert_int_eq(cp_sctlr_write(&s, true, false, &st), CP_FLUSH_NONE);
	ck_assert_int_eq(cp_set_way(&s, &st), CP_FLUSH_NONE);
	ck_assert_uint_eq(st.setway_traps, 1);
	ck_assert(!s.tvm);
}
END_TEST

START_TEST(test_none_policy_does_nothing)
{
	cp_init(&s, CACHET_CACHE_NONE);
	ck_assert(!s.fwb && !s.dc && !s.tvm);
	ck_assert(!cp_honours_builder_flush(CACHET_CACHE_NONE));
	ck_assert(cp_honours_builder_flush(CACHET_CACHE_FLUSH_LOAD));
	ck_assert_int_eq(cp_set_way(&s, &st), CP_FLUSH_NONE);
	ck_assert_uint_eq(st.flush_setway, 0);
}
END_TEST

static Suite *cp_suite(void)
{
	Suite *su = suite_create("cache_policy");
	TCase *tc = tcase_create("dc_tvm");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_reset_state);
	tcase_add_test(tc, test_m_and_c_together);
	tcase_add_test(tc, test_m_before_c);
	tcase_add_test(tc, test_caches_off_again);
	tcase_add_test(tc, test_setway_with_caches_off_is_deferred);
	tcase_add_test(tc, test_flush_load_policy_traps_nothing);
	tcase_add_test(tc, test_s2_fault_policy);
	tcase_add_test(tc, test_s2fwb_policy_needs_nothing);
	tcase_add_test(tc, test_none_policy_does_nothing);
	suite_add_tcase(su, tc);
	return su;
}

int main(void)
{
	SRunner *sr = srunner_create(cp_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
