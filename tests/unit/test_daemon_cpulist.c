/*
 * xl CPU lists in cachetd (daemon/cpulist.c): "all", ranges and ^exclusions
 * applied left to right, every CPU checked against the machine, an empty
 * result refused; and affinity masks printed back the way xl prints them.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cpulist.h"

static uint64_t parse_ok(const char *s, unsigned int nr_cpus)
{
	char msg[256] = "";
	uint64_t mask = 0;

	ck_assert_msg(cpulist_parse(s, nr_cpus, &mask, msg, sizeof(msg)) == 0, "'%s': %s", s, msg);
	return mask;
}

static void parse_bad(const char *s, unsigned int nr_cpus, const char *want)
{
	char msg[256] = "";
	uint64_t mask = 0x5a;

	ck_assert_msg(cpulist_parse(s, nr_cpus, &mask, msg, sizeof(msg)) < 0, "'%s' was accepted", s);
	ck_assert_msg(strcmp(msg, want) == 0, "'%s': got '%s', want '%s'", s, msg, want);
	/* A refused list changes nothing. */
	ck_assert_uint_eq(mask, 0x5a);
}

static void format_is(uint64_t mask, unsigned int nr_cpus, const char *want)
{
	char buf[CPULIST_FORMAT_MAX];

	cpulist_format(mask, nr_cpus, buf, sizeof(buf));
	ck_assert_str_eq(buf, want);
}

START_TEST(single_cpus_and_ranges)
{
	ck_assert_uint_eq(parse_ok("0", 4), 0x1);
	ck_assert_uint_eq(parse_ok("3", 4), 0x8);
	ck_assert_uint_eq(parse_ok("0-3", 4), 0xf);
	ck_assert_uint_eq(parse_ok("1-2", 4), 0x6);
	ck_assert_uint_eq(parse_ok("2-2", 4), 0x4);
	ck_assert_uint_eq(parse_ok("0,2", 4), 0x5);
	ck_assert_uint_eq(parse_ok("3,0,3", 4), 0x9);
	ck_assert_uint_eq(parse_ok("63", 64), UINT64_C(1) << 63);
	ck_assert_uint_eq(parse_ok("0-63", 64), UINT64_MAX);
}
END_TEST

START_TEST(all_means_every_cpu_of_the_machine)
{
	ck_assert_uint_eq(parse_ok("all", 4), 0xf);
	ck_assert_uint_eq(parse_ok("all", 1), 0x1);
	ck_assert_uint_eq(parse_ok("all", 64), UINT64_MAX);
	ck_assert_uint_eq(cpulist_all(6), 0x3f);
}
END_TEST

/* The reference's example "0-3,5,^1", and order: an exclusion removes what came before. */
START_TEST(exclusions_apply_left_to_right)
{
	ck_assert_uint_eq(parse_ok("0-3,5,^1", 8), 0x2d);
	ck_assert_uint_eq(parse_ok("all,^0", 4), 0xe);
	ck_assert_uint_eq(parse_ok("0-7,^2-5", 8), 0xc3);
	/* Excluding first and adding later leaves the CPU in. */
	ck_assert_uint_eq(parse_ok("^1,0-3", 4), 0xf);
	ck_assert_uint_eq(parse_ok("3-8,^5", 16), 0x1d8);
}
END_TEST

START_TEST(empty_result_is_an_error)
{
	parse_bad("1,^1", 4, "'1,^1' leaves no CPU to run on");
	parse_bad("0-3,^0-3", 4, "'0-3,^0-3' leaves no CPU to run on");
	parse_bad("^2", 4, "'^2' leaves no CPU to run on");
}
END_TEST

START_TEST(cpus_must_exist)
{
	parse_bad("4", 4, "CPU 4 does not exist (the machine has CPUs 0-3)");
	parse_bad("2-7", 4, "CPUs 2-7 do not all exist (the machine has CPUs 0-3)");
	parse_bad("^9", 4, "CPU 9 does not exist (the machine has CPUs 0-3)");
	parse_bad("1", 1, "CPU 1 does not exist (the machine has CPU 0 only)");
	parse_bad("64", 64, "CPU 64 does not exist (the machine has CPUs 0-63)");
	parse_bad("99999999999999999999", 4,
		  "CPU 99999999999999999999 does not exist (the machine has CPUs 0-3)");
}
END_TEST

START_TEST(malformed_items)
{
	parse_bad("", 4, "empty item (items are separated by single commas)");
	parse_bad("0,,1", 4, "empty item (items are separated by single commas)");
	parse_bad("0,", 4, "empty item (items are separated by single commas)");
	parse_bad("x", 4, "invalid item 'x' (expected all, N, N-M or ^N-M)");
	parse_bad("1-", 4, "invalid item '1-' (expected all, N, N-M or ^N-M)");
	parse_bad("-1", 4, "invalid item '-1' (expected all, N, N-M or ^N-M)");
	parse_bad("0 ,1", 4, "invalid item '0 ' (expected all, N, N-M or ^N-M)");
	parse_bad("^x", 4, "invalid item '^x' (expected all, N, N-M or ^N-M)");
	parse_bad("1-2-3", 4, "invalid item '1-2-3' (expected all, N, N-M or ^N-M)");
	parse_bad("ALL", 4, "invalid item 'ALL' (expected all, N, N-M or ^N-M)");
	parse_bad("3-1", 4, "range '3-1' goes backwards");
	parse_bad("0,^all", 4, "'^all' is not allowed");
	parse_bad("nodes:0", 4, "NUMA node items are not supported (the machine has no NUMA nodes)");
	parse_bad("^node:1", 4, "NUMA node items are not supported (the machine has no NUMA nodes)");
}
END_TEST

START_TEST(limits)
{
	char *big = malloc(CPULIST_TEXT_MAX + 2);

	ck_assert_ptr_nonnull(big);
	memset(big, '0', CPULIST_TEXT_MAX + 1);
	big[CPULIST_TEXT_MAX + 1] = '\0';
	parse_bad(big, 4, "longer than 1024 bytes");
	free(big);
	parse_bad("0", 0, "the machine's 0 CPUs cannot be named in a CPU list");
	parse_bad("0", 65, "the machine's 65 CPUs cannot be named in a CPU list");
}
END_TEST

/* xl's print_bitmap: "all", "none", or ranges of the host's CPUs. */
START_TEST(format_like_xl)
{
	format_is(0xf, 4, "all");
	format_is(UINT64_MAX, 4, "all");
	format_is(0, 4, "none");
	format_is(0x30, 4, "none");
	format_is(0x1, 4, "0");
	format_is(0x7, 4, "0-2");
	format_is(0xd, 4, "0,2-3");
	format_is(0x2d, 8, "0,2-3,5");
	format_is(0xaa, 8, "1,3,5,7");
	format_is(UINT64_C(1) << 63, 64, "63");
	format_is(UINT64_MAX, 64, "all");
	format_is(UINT64_MAX >> 1, 64, "0-62");
}
END_TEST

START_TEST(format_fits_every_mask)
{
	char buf[CPULIST_FORMAT_MAX];

	/* Every other CPU is the longest form. */
	cpulist_format(UINT64_C(0x5555555555555555), 64, buf, sizeof(buf));
	ck_assert_uint_lt(strlen(buf), sizeof(buf) - 1);
	ck_assert_str_eq(buf + strlen(buf) - 3, ",62");
	/* A short buffer is cut, never overrun. */
	cpulist_format(0x2d, 8, buf, 4);
	ck_assert_uint_le(strlen(buf), 3);
}
END_TEST

START_TEST(format_and_parse_agree)
{
	for (uint64_t m = 1; m < 256; m++) {
		char buf[CPULIST_FORMAT_MAX];

		cpulist_format(m, 8, buf, sizeof(buf));
		ck_assert_uint_eq(parse_ok(buf, 8), m);
	}
}
END_TEST

static Suite *cpulist_suite(void)
{
	Suite *s = suite_create("daemon_cpulist");
	TCase *tc = tcase_create("cpulist");

	tcase_add_test(tc, single_cpus_and_ranges);
	tcase_add_test(tc, all_means_every_cpu_of_the_machine);
	tcase_add_test(tc, exclusions_apply_left_to_right);
	tcase_add_test(tc, empty_result_is_an_error);
	tcase_add_test(tc, cpus_must_exist);
	tcase_add_test(tc, malformed_items);
	tcase_add_test(tc, limits);
	tcase_add_test(tc, format_like_xl);
	tcase_add_test(tc, format_fits_every_mask);
	tcase_add_test(tc, format_and_parse_agree);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cpulist_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
