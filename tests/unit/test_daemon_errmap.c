/*
 * The one table mapping library error codes to JSON-RPC errors
 * (daemon/errmap.c): every code the library can return is in it, with the
 * code PROTOCOL.md prescribes (-32000 minus the error number).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cachet/cachet.h"
#include "errmap.h"
#include "rpc.h"

static const int every_code[] = {
	CACHET_EPERM, CACHET_ENOENT, CACHET_E2BIG, CACHET_ENOMEM, CACHET_ENODEV, CACHET_EFAULT,
	CACHET_EBUSY, CACHET_EEXIST, CACHET_EINVAL, CACHET_ENOSPC, CACHET_ERANGE, CACHET_ESTALE,
	CACHET_ENOSYS, CACHET_EVERSION, CACHET_LIB_EIO, CACHET_LIB_ETIMEDOUT,
	CACHET_LIB_ENOTREADY, CACHET_LIB_EIMAGE, CACHET_LIB_ENOMEM, CACHET_LIB_EINVAL,
	CACHET_LIB_ELAYOUT,
};

#define NCODES (sizeof(every_code) / sizeof(every_code[0]))

START_TEST(every_library_code_is_mapped)
{
	for (size_t i = 0; i < NCODES; i++) {
		const struct errmap_entry *m = errmap_find(-every_code[i]);

		ck_assert_msg(m != NULL, "code %d missing", every_code[i]);
		ck_assert_int_eq(errmap_code(-every_code[i]), -32000 - every_code[i]);
		ck_assert_int_eq(errmap_code(every_code[i]), -32000 - every_code[i]);
		ck_assert(strlen(errmap_text(-every_code[i])) > 0);
	}
}
END_TEST

START_TEST(table_rows_follow_the_rule)
{
	size_t n;
	const struct errmap_entry *t = errmap_table(&n);

	ck_assert_uint_eq(n, NCODES);
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(t[i].rpc_code, -32000 - t[i].lib_err);
		/* Application codes never collide with the standard JSON-RPC range. */
		ck_assert(t[i].rpc_code < -32000 && t[i].rpc_code > -33100);
		ck_assert_ptr_nonnull(t[i].name);
		for (size_t j = 0; j < i; j++)
			ck_assert_int_ne(t[i].lib_err, t[j].lib_err);
	}
}
END_TEST

START_TEST(examples_from_the_protocol)
{
	ck_assert_int_eq(errmap_code(-CACHET_ENOENT), -32002);
	ck_assert_int_eq(errmap_code(-CACHET_EEXIST), -32017);
	ck_assert_int_eq(errmap_code(-CACHET_LIB_ETIMEDOUT), -33002);
}
END_TEST

START_TEST(unknown_codes_are_internal_errors)
{
	ck_assert_ptr_null(errmap_find(-4242));
	ck_assert_int_eq(errmap_code(-4242), ERRMAP_UNKNOWN_CODE);
	ck_assert_int_eq(errmap_code(-4242), RPC_INTERNAL_ERROR);
	ck_assert_str_eq(errmap_text(-4242), "unexpected library error");
}
END_TEST

START_TEST(library_errors_carry_their_detail)
{
	struct rpc_error err;

	rpc_error_lib(&err, -CACHET_LIB_EIMAGE, "kernel /k", "bad ELF header");
	ck_assert_int_eq(err.code, -33004);
	ck_assert_str_eq(err.message, "kernel /k: bad ELF header");
	rpc_error_lib(&err, -CACHET_ENOMEM, "create", "");
	ck_assert_int_eq(err.code, -32012);
	ck_assert_str_eq(err.message, "create: not enough free memory in the hypervisor");
	rpc_error_lib(&err, -CACHET_EBUSY, "destroy", NULL);
	ck_assert_str_eq(err.message, "destroy: object in use");
}
END_TEST

static Suite *errmap_suite(void)
{
	Suite *s = suite_create("daemon_errmap");
	TCase *tc = tcase_create("errmap");

	tcase_add_test(tc, every_library_code_is_mapped);
	tcase_add_test(tc, table_rows_follow_the_rule);
	tcase_add_test(tc, examples_from_the_protocol);
	tcase_add_test(tc, unknown_codes_are_internal_errors);
	tcase_add_test(tc, library_errors_carry_their_detail);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(errmap_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
