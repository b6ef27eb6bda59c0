/*
 * cachetd's vCPU methods over the fake library: vcpu_list (every domain's
 * vCPUs, or one domain's, affinities as xl CPU lists), vcpu_pin (checked
 * before anything moves, "all" or one vCPU), and create's hard affinity
 * ("cpus", applied between build and boot) with maxvcpus.
 */
#include "test_daemon_util.h"

#include "methods.h"

static char kernel[160];

static void setup(void)
{
	tu_setup();
	tu_image(kernel, sizeof(kernel), "Image");
}

static struct json_object *row(struct json_object *res, size_t i)
{
	struct json_object *rows = tu_get(res, "vcpus");

	ck_assert_uint_lt(i, json_object_array_length(rows));
	return json_object_array_get_idx(rows, i);
}

static void expect_row(struct json_object *r, cachet_domid_t domid, const char *name,
		       unsigned int vcpu, const char *state, unsigned int pcpu, const char *affinity)
{
	ck_assert_int_eq(json_object_get_int64(tu_get(r, "domid")), domid);
	ck_assert_str_eq(json_object_get_string(tu_get(r, "name")), name);
	ck_assert_int_eq(json_object_get_int(tu_get(r, "vcpu")), (int)vcpu);
	ck_assert_str_eq(json_object_get_string(tu_get(r, "state")), state);
	ck_assert_int_eq(json_object_get_int(tu_get(r, "pcpu")), (int)pcpu);
	ck_assert_str_eq(json_object_get_string(tu_get(r, "affinity")), affinity);
	ck_assert_int_eq(json_object_object_length(r), 7);
}

/* ---- vcpu_list */

START_TEST(vcpu_list_shows_every_domain)
{
	cachet_domid_t web = tu_create("web", kernel, ",\"vcpus\":2", false);
	cachet_domid_t db = tu_create("db", kernel, "", false), other;
	cachet_dom *b = cachet_dom_new(tu_h);
	struct json_object *r;

	cachet_dom_set_vcpus(b, 1);
	ck_assert_int_eq(cachet_dom_build(b, &other), 0);
	cachet_dom_free(b);
	fake_find(db)->vcpu[0].state = CACHET_VCPU_STATE_BLOCKED;
	fake_find(db)->vcpu[0].pcpu = 3;
	r = tu_method("vcpu_list", "{}");
	ck_assert_uint_eq(json_object_array_length(tu_get(r, "vcpus")), 4);
	expect_row(row(r, 0), web, "web", 0, "runnable", 0, "all");
	ck_assert_int_eq(json_object_get_int64(tu_get(row(r, 0), "cpu_time_ns")), 1500000000);
	expect_row(row(r, 1), web, "web", 1, "offline", 1, "all");
	ck_assert_int_eq(json_object_get_int64(tu_get(row(r, 1), "cpu_time_ns")), 3000000000);
	expect_row(row(r, 2), db, "db", 0, "blocked", 3, "all");
	expect_row(row(r, 3), other, "(domid 3)", 0, "runnable", 0, "all");
	json_object_put(r);
}
END_TEST

START_TEST(vcpu_list_of_one_domain)
{
	char params[64];
	struct json_object *r;
	cachet_domid_t db;

	tu_create("web", kernel, ",\"vcpus\":2", false);
	db = tu_create("db", kernel, ",\"vcpus\":3", false);
	r = tu_method("vcpu_list", "{\"domain\":\"db\"}");
	ck_assert_uint_eq(json_object_array_length(tu_get(r, "vcpus")), 3);
	expect_row(row(r, 2), db, "db", 2, "offline", 2, "all");
	json_object_put(r);
	snprintf(params, sizeof(params), "{\"domain\":%u}", db);
	r = tu_method("vcpu_list", params);
	ck_assert_uint_eq(json_object_array_length(tu_get(r, "vcpus")), 3);
	json_object_put(r);
	tu_method_err("vcpu_list", "{\"domain\":\"nope\"}", -32002, "no domain named 'nope'");
	tu_method_err("vcpu_list", "{\"domain\":99}", -32002, "vcpu_list: no such domain");
	tu_method_err("vcpu_list", "{\"vcpu\":0}", -32602, "vcpu_list: unknown parameter \"vcpu\"");
}
END_TEST

/* Affinities come back as xl CPU lists of the machine's 4 CPUs. */
START_TEST(vcpu_list_formats_affinity)
{
	cachet_domid_t id = tu_create("web", kernel, ",\"vcpus\":3", false);
	struct json_object *r;

	fake_find(id)->vcpu[0].affinity = 0xd;
	fake_find(id)->vcpu[1].affinity = 0x6;
	fake_find(id)->vcpu[2].affinity = 0xf0; /* no CPU of this machine */
	r = tu_method("vcpu_list", "{\"domain\":\"web\"}");
	ck_assert_str_eq(json_object_get_string(tu_get(row(r, 0), "affinity")), "0,2-3");
	ck_assert_str_eq(json_object_get_string(tu_get(row(r, 1), "affinity")), "1-2");
	ck_assert_str_eq(json_object_get_string(tu_get(row(r, 2), "affinity")), "none");
	json_object_put(r);
}
END_TEST

/* A domain that goes away during a full listing is left out; other failures are errors. */
START_TEST(vcpu_list_failures)
{
	struct json_object *r;

	tu_create("web", kernel, "", false);
	tu_create("db", kernel, "", false);
	fake_fail("cachet_vcpu_info", -CACHET_ENOENT, "");
	r = tu_method("vcpu_list", "{}");
	ck_assert_uint_eq(json_object_array_length(tu_get(r, "vcpus")), 1);
	ck_assert_str_eq(json_object_get_string(tu_get(row(r, 0), "name")), "db");
	json_object_put(r);
	fake_fail("cachet_vcpu_info", -CACHET_LIB_ETIMEDOUT, "no answer in 5000 ms");
	tu_method_err("vcpu_list", "{}", -33002, "vcpu_list: no answer in 5000 ms");
	fake_fail("cachet_domain_list", -CACHET_LIB_EIO, "bad answer");
	tu_method_err("vcpu_list", "{}", -33001, "vcpu_list: bad answer");
}
END_TEST

/* ---- vcpu_pin */

START_TEST(vcpu_pin_one_vcpu)
{
	cachet_domid_t id = tu_create("web", kernel, ",\"vcpus\":2", false);

	tu_method_ok("vcpu_pin", "{\"domain\":\"web\",\"vcpu\":1,\"cpus\":\"0-3,^1\"}");
	ck_assert_uint_eq(fake_find(id)->vcpu[1].affinity, 0xd);
	ck_assert_uint_eq(fake_find(id)->vcpu[0].affinity, 0xf);
	tu_method_ok("vcpu_pin", "{\"domain\":\"web\",\"vcpu\":0,\"cpus\":\"3\"}");
	ck_assert_uint_eq(fake_find(id)->vcpu[0].affinity, 0x8);
}
END_TEST

START_TEST(vcpu_pin_all_vcpus)
{
	cachet_domid_t id = tu_create("web", kernel, ",\"vcpus\":2,\"maxvcpus\":3", false);
	char params[96];

	snprintf(params, sizeof(params), "{\"domain\":%u,\"vcpu\":\"all\",\"cpus\":\"2\"}", id);
	tu_method_ok("vcpu_pin", params);
	/* Every vCPU the domain has, online or not. */
	for (int i = 0; i < 3; i++)
		ck_assert_uint_eq(fake_find(id)->vcpu[i].affinity, 0x4);
	tu_method_ok("vcpu_pin", "{\"domain\":\"web\",\"vcpu\":\"all\",\"cpus\":\"all\"}");
	for (int i = 0; i < 3; i++)
		ck_assert_uint_eq(fake_find(id)->vcpu[i].affinity, 0xf);
}
END_TEST

/* Nothing reaches the hypervisor until the whole request is known to be right. */
START_TEST(vcpu_pin_checks_everything_first)
{
	char trace[FAKE_TRACE];

	tu_create("web", kernel, ",\"vcpus\":2", false);
	snprintf(trace, sizeof(trace), "%s", fake.trace);
	tu_method_err("vcpu_pin", "{\"domain\":\"web\",\"vcpu\":0,\"cpus\":\"4\"}", -32602,
		      "cpus: CPU 4 does not exist (the machine has CPUs 0-3)");
	tu_method_err("vcpu_pin", "{\"domain\":\"web\",\"vcpu\":\"all\",\"cpus\":\"1,^1\"}", -32602,
		      "cpus: '1,^1' leaves no CPU to run on");
	tu_method_err("vcpu_pin", "{\"domain\":\"web\",\"vcpu\":0,\"cpus\":\"0-\"}", -32602,
		      "cpus: invalid item '0-'");
	tu_method_err("vcpu_pin", "{\"domain\":\"web\",\"vcpu\":2,\"cpus\":\"0\"}", -32002,
		      "vcpu_pin: domain 1 has no vCPU 2 (it has 2)");
	tu_method_err("vcpu_pin", "{\"domain\":\"web\",\"vcpu\":-1,\"cpus\":\"0\"}", -32602,
		      "vcpu: must be a vCPU number (0 to 15) or \"all\"");
	tu_method_err("vcpu_pin", "{\"domain\":\"web\",\"vcpu\":128,\"cpus\":\"0\"}", -32602,
		      "vcpu: must be a vCPU number");
	tu_method_err("vcpu_pin", "{\"domain\":\"web\",\"vcpu\":\"some\",\"cpus\":\"0\"}", -32602,
		      "vcpu: must be a vCPU number");
	tu_method_err("vcpu_pin", "{\"domain\":\"web\",\"vcpu\":0,\"cpus\":[\"0\"]}", -32602,
		      "cpus: must be a CPU list string");
	tu_method_err("vcpu_pin", "{\"domain\":\"web\",\"vcpu\":0}", -32602,
		      "vcpu_pin: missing parameter 'cpus'");
	tu_method_err("vcpu_pin", "{\"domain\":\"web\",\"cpus\":\"0\"}", -32602,
		      "vcpu_pin: missing parameter 'vcpu'");
	tu_method_err("vcpu_pin", "{\"domain\":\"nope\",\"vcpu\":0,\"cpus\":\"0\"}", -32002,
		      "no domain named 'nope'");
	tu_method_err("vcpu_pin", "{\"domain\":42,\"vcpu\":0,\"cpus\":\"0\"}", -32002,
		      "vcpu_pin: no such domain");
	ck_assert_str_eq(fake.trace, trace);
}
END_TEST

START_TEST(vcpu_pin_library_errors)
{
	tu_create("web", kernel, "", false);
	fake_fail("cachet_vcpu_set_affinity", -CACHET_EINVAL, "CPU 2 is offline");
	tu_method_err("vcpu_pin", "{\"domain\":\"web\",\"vcpu\":0,\"cpus\":\"2\"}", -32022,
		      "vcpu_pin: vCPU 0: CPU 2 is offline");
}
END_TEST

/* ---- create: maxvcpus and cpus */

START_TEST(create_pins_between_build_and_boot)
{
	cachet_domid_t id = tu_create("web", kernel, ",\"vcpus\":3,\"cpus\":[\"2\",\"0-1,3\"]", false);
	char want[128];

	/* A list pins the vCPUs it has an entry for; vCPU 2 stays free. */
	snprintf(want, sizeof(want), "build %u,pin %u.0=0x4,pin %u.1=0xb,boot %u", id, id, id, id);
	ck_assert_str_eq(fake.trace, want);
	ck_assert_uint_eq(fake_find(id)->vcpu[2].affinity, 0xf);
}
END_TEST

START_TEST(create_paused_still_pins)
{
	cachet_domid_t id = tu_create("web", kernel, ",\"cpus\":\"1\"", true);
	char want[64];

	snprintf(want, sizeof(want), "build %u,pin %u.0=0x2", id, id);
	ck_assert_str_eq(fake.trace, want);
}
END_TEST

START_TEST(create_with_maxvcpus)
{
	cachet_domid_t id = tu_create("web", kernel, ",\"vcpus\":2,\"maxvcpus\":4,\"cpus\":\"1-2\"",
				      false);
	struct json_object *r;

	/* The domain has maxvcpus; the guest brings the others up through PSCI. */
	ck_assert_uint_eq(fake.last_vcpus, 4);
	ck_assert_uint_eq(fake_find(id)->info.max_vcpus, 4);
	for (int i = 0; i < 4; i++)
		ck_assert_uint_eq(fake_find(id)->vcpu[i].affinity, 0x6);
	r = tu_method("vcpu_list", "{\"domain\":\"web\"}");
	ck_assert_uint_eq(json_object_array_length(tu_get(r, "vcpus")), 4);
	ck_assert_str_eq(json_object_get_string(tu_get(row(r, 3), "affinity")), "1-2");
	json_object_put(r);
}
END_TEST

START_TEST(create_fails_cleanly_when_a_pin_fails)
{
	char params[512];

	fake_fail("cachet_vcpu_set_affinity", -CACHET_EINVAL, "CPU 1 is offline");
	snprintf(params, sizeof(params),
		 "{\"config\":{\"name\":\"web\",\"kernel\":\"%s\",\"cpus\":\"1\"}}", kernel);
	tu_method_err("create", params, -32022, "cpus: vCPU 0: CPU 1 is offline");
	ck_assert_uint_eq(fake.destroys, 1);
	ck_assert_ptr_null(fake_find(1));
	ck_assert_uint_eq(tu_d.doms.n, 0);
	snprintf(params, sizeof(params),
		 "{\"config\":{\"name\":\"web\",\"kernel\":\"%s\",\"cpus\":\"4\"}}", kernel);
	tu_method_err("create", params, -32602, "cpus: CPU 4 does not exist");
	ck_assert_uint_eq(fake.next_domid, 2);
}
END_TEST

static Suite *vcpu_suite(void)
{
	Suite *s = suite_create("daemon_vcpu");
	TCase *tc = tcase_create("vcpu");

	tcase_add_checked_fixture(tc, setup, tu_teardown);
	tcase_add_test(tc, vcpu_list_shows_every_domain);
	tcase_add_test(tc, vcpu_list_of_one_domain);
	tcase_add_test(tc, vcpu_list_formats_affinity);
	tcase_add_test(tc, vcpu_list_failures);
	tcase_add_test(tc, vcpu_pin_one_vcpu);
	tcase_add_test(tc, vcpu_pin_all_vcpus);
	tcase_add_test(tc, vcpu_pin_checks_everything_first);
	tcase_add_test(tc, vcpu_pin_library_errors);
	tcase_add_test(tc, create_pins_between_build_and_boot);
	tcase_add_test(tc, create_paused_still_pins);
	tcase_add_test(tc, create_with_maxvcpus);
	tcase_add_test(tc, create_fails_cleanly_when_a_pin_fails);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(vcpu_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
