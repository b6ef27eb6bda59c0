/*
 * The libcachet wrappers of ABI 1.1 that cachetd relies on (vCPU info,
 * vCPU affinity, shutdown requests), against the library's fake mailbox
 * server: arguments refused before anything is sent, and requests encoded
 * field by field with the right operation.  What the hypervisor answers is
 * its own business (tests of hypervisor/core/mgmt.c); the fake server knows
 * nothing of these operations beyond recording them (its table of request
 * shapes has no rows for them yet), so only VCPU_INFO's status is checked.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cachet/cachet.h"
#include "cachet/public/guest_map.h"
#include "test_lib_fake.h"

static struct fake f;
static cachet_handle *h;

static void setup(void)
{
	fake_init(&f, FAKE_RAM_SIZE, CACHET_MBOX_SLOTS);
	fake_start(&f);
	ck_assert_int_eq(cachet_open(f.path, &h), 0);
	cachet_set_timeout_ms(h, 2000);
}

static void teardown(void)
{
	cachet_close(h);
	h = NULL;
	fake_stop_thread(&f);
	fake_fini(&f);
}

static void expect_refused(int rc, const char *what)
{
	ck_assert_int_eq(rc, -CACHET_LIB_EINVAL);
	ck_assert_msg(strstr(cachet_last_error(h), what) != NULL, "'%s' lacks '%s'",
		      cachet_last_error(h), what);
}

START_TEST(bad_arguments_are_refused_before_sending)
{
	struct cachet_vcpu_info_out out;

	ck_assert_int_eq(cachet_vcpu_info(NULL, 1, &out), -CACHET_LIB_EINVAL);
	ck_assert_int_eq(cachet_vcpu_set_affinity(NULL, 1, 0, 1), -CACHET_LIB_EINVAL);
	ck_assert_int_eq(cachet_domain_shutdown_request(NULL, 1, CACHET_SHUTDOWN_POWEROFF),
			 -CACHET_LIB_EINVAL);
	expect_refused(cachet_vcpu_info(h, 1, NULL), "vcpu_info: NULL output");
	expect_refused(cachet_vcpu_set_affinity(h, 1, CACHET_MAX_VCPUS, 1),
		       "vcpu_set_affinity: vCPU 16 above 15");
	expect_refused(cachet_vcpu_set_affinity(h, 1, 0, 0), "vcpu_set_affinity: empty affinity");
	expect_refused(cachet_domain_shutdown_request(h, 1, CACHET_SHUTDOWN_CRASH),
		       "domain_shutdown_request: reason 3 is not one this operation takes (power "
		       "off 1, reboot 2)");
	expect_refused(cachet_domain_shutdown_request(h, 1, CACHET_SHUTDOWN_NONE),
		       "domain_shutdown_request: reason 0");
	ck_assert_uint_eq(fake_nlog(&f), 0);
}
END_TEST

START_TEST(vcpu_info_asks_for_the_domain)
{
	struct cachet_vcpu_info_out out;
	struct cachet_req req;

	fake_force(&f, CACHET_OP_VCPU_INFO, -CACHET_ENOENT);
	ck_assert_int_eq(cachet_vcpu_info(h, 0, &out), -CACHET_ENOENT);
	ck_assert(fake_find(&f, CACHET_OP_VCPU_INFO, 0, &req));
	ck_assert_uint_eq(req.abi_version, CACHET_ABI_VERSION);
	ck_assert_uint_eq(req.u.dom.domid, 0);
	ck_assert_uint_eq(req.u.dom.pad, 0);
}
END_TEST

START_TEST(vcpu_set_affinity_encodes_its_fields)
{
	struct cachet_req req;

	cachet_vcpu_set_affinity(h, 5, 3, UINT64_C(0x8000000000000005));
	ck_assert_uint_eq(fake_count(&f, CACHET_OP_VCPU_SET_AFFINITY), 1);
	ck_assert(fake_find(&f, CACHET_OP_VCPU_SET_AFFINITY, 0, &req));
	ck_assert_uint_eq(req.u.affinity.domid, 5);
	ck_assert_uint_eq(req.u.affinity.vcpu, 3);
	ck_assert_uint_eq(req.u.affinity.affinity, UINT64_C(0x8000000000000005));
	/* Nothing past the input: the hypervisor rejects non-zero padding. */
	for (size_t i = sizeof(req.u.affinity); i < sizeof(req.u.raw); i++)
		ck_assert_uint_eq(req.u.raw[i], 0);
}
END_TEST

START_TEST(shutdown_request_encodes_its_fields)
{
	struct cachet_req req;

	cachet_domain_shutdown_request(h, 9, CACHET_SHUTDOWN_REBOOT);
	cachet_domain_shutdown_request(h, 10, CACHET_SHUTDOWN_POWEROFF);
	ck_assert_uint_eq(fake_count(&f, CACHET_OP_DOMAIN_SHUTDOWN_REQ), 2);
	ck_assert(fake_find(&f, CACHET_OP_DOMAIN_SHUTDOWN_REQ, 0, &req));
	ck_assert_uint_eq(req.u.shutdown.domid, 9);
	ck_assert_uint_eq(req.u.shutdown.reason, CACHET_SHUTDOWN_REBOOT);
	ck_assert(fake_find(&f, CACHET_OP_DOMAIN_SHUTDOWN_REQ, 1, &req));
	ck_assert_uint_eq(req.u.shutdown.domid, 10);
	ck_assert_uint_eq(req.u.shutdown.reason, CACHET_SHUTDOWN_POWEROFF);
	for (size_t i = sizeof(req.u.shutdown); i < sizeof(req.u.raw); i++)
		ck_assert_uint_eq(req.u.raw[i], 0);
}
END_TEST

static Suite *libops_suite(void)
{
	Suite *s = suite_create("daemon_libops");
	TCase *tc = tcase_create("libops");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, bad_arguments_are_refused_before_sending);
	tcase_add_test(tc, vcpu_info_asks_for_the_domain);
	tcase_add_test(tc, vcpu_set_affinity_encodes_its_fields);
	tcase_add_test(tc, shutdown_request_encodes_its_fields);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(libops_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
