/*
 * The exit profile (hv/exitprof.h): every exit lands in exactly one class,
 * the classes add up to the exits, a timed exit counts CACHET_EXIT_PROFILE_
 * SAMPLE times its ticks and an untimed one none, and the choice of timed
 * exits runs at the documented rate without locking onto a pattern of
 * alternating exits (a UART character is a flag read, then a data write).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hv/domain.h"
#include "hv/exitprof.h"

#define DRAWS 80000

static struct vcpu vcpu;

static void setup(void)
{
	memset(&vcpu, 0, sizeof(vcpu));
}

static uint64_t class_sum(const struct cachet_vcpu_stats *s)
{
	return s->mmio_exits + s->sysreg_exits + s->wfx_exits + s->irq_exits + s->other_exits;
}

START_TEST(test_each_class_counts_once)
{
	const enum exitprof_class classes[] = { EXITPROF_MMIO, EXITPROF_SYSREG, EXITPROF_WFX,
						EXITPROF_IRQ, EXITPROF_OTHER };
	struct cachet_vcpu_stats *s = &vcpu.stats;

	for (unsigned int i = 0; i < 5; i++) {
		for (unsigned int n = 0; n <= i; n++)
			exitprof_account(&vcpu, classes[i], false, 0);
	}
	ck_assert_uint_eq(s->mmio_exits, 1);
	ck_assert_uint_eq(s->sysreg_exits, 2);
	ck_assert_uint_eq(s->wfx_exits, 3);
	ck_assert_uint_eq(s->irq_exits, 4);
	ck_assert_uint_eq(s->other_exits, 5);
	ck_assert_uint_eq(class_sum(s), 15);
	/* Nothing was timed: no time is invented. */
	ck_assert_uint_eq(s->mmio_ticks + s->sysreg_ticks + s->wfx_ticks + s->irq_ticks +
				  s->other_ticks, 0);
}
END_TEST

START_TEST(test_timed_exit_stands_for_its_sample)
{
	struct cachet_vcpu_stats *s = &vcpu.stats;

	exitprof_account(&vcpu, EXITPROF_MMIO, true, 100);
	exitprof_account(&vcpu, EXITPROF_MMIO, false, 0);
	exitprof_account(&vcpu, EXITPROF_IRQ, true, 7);
	ck_assert_uint_eq(s->mmio_exits, 2);
	ck_assert_uint_eq(s->mmio_ticks, 100 * CACHET_EXIT_PROFILE_SAMPLE);
	ck_assert_uint_eq(s->irq_ticks, 7 * CACHET_EXIT_PROFILE_SAMPLE);
	ck_assert_uint_eq(s->sysreg_ticks + s->wfx_ticks + s->other_ticks, 0);
}
END_TEST

START_TEST(test_sample_rate_and_no_aliasing)
{
	unsigned int timed[2] = { 0, 0 };

	for (unsigned int i = 0; i < DRAWS; i++) {
		if (exitprof_sample(&vcpu))
			timed[i % 2]++;
	}
	/* About one in CACHET_EXIT_PROFILE_SAMPLE, within a quarter. */
	ck_assert_uint_gt(timed[0] + timed[1], DRAWS / CACHET_EXIT_PROFILE_SAMPLE * 3 / 4);
	ck_assert_uint_lt(timed[0] + timed[1], DRAWS / CACHET_EXIT_PROFILE_SAMPLE * 5 / 4);
	/* Both phases of an alternating pattern are timed about equally often. */
	ck_assert_uint_gt(timed[0], timed[1] * 3 / 4);
	ck_assert_uint_gt(timed[1], timed[0] * 3 / 4);
}
END_TEST

START_TEST(test_vcpus_draw_differently)
{
	struct vcpu other = { .id = 1 };
	unsigned int same = 0;

	for (unsigned int i = 0; i < 1000; i++)
		same += exitprof_sample(&vcpu) == exitprof_sample(&other);
	/* Identical sequences would agree on all 1000 draws. */
	ck_assert_uint_lt(same, 1000);
}
END_TEST

static Suite *exitprof_suite(void)
{
	Suite *su = suite_create("exitprof");
	TCase *tc = tcase_create("profile");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_each_class_counts_once);
	tcase_add_test(tc, test_timed_exit_stands_for_its_sample);
	tcase_add_test(tc, test_sample_rate_and_no_aliasing);
	tcase_add_test(tc, test_vcpus_draw_differently);
	suite_add_tcase(su, tc);
	return su;
}

int main(void)
{
	SRunner *sr = srunner_create(exitprof_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
