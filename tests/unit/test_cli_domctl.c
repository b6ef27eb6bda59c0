/*
 * The cachet CLI's lifecycle and vCPU commands against a fake cachetd:
 * shutdown [-w] and reboot, vcpu-list's table, vcpu-pin's request, and
 * list -l showing the configuration the daemon stored.  Each test checks
 * both what was sent and what was printed.
 */
#define _GNU_SOURCE
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_cli_fake.h"
#include "test_cli_util.h"

static const char *t_state_dir;
static char *t_tmp;
static bool t_bad_rows;       /* vcpu_list rows lack "affinity" */
static int t_shutdown_delay_ms; /* how long shutdown takes to answer */

static fake_handler_fn t_handler;

static void t_setup(void)
{
	t_bad_rows = false;
	t_shutdown_delay_ms = 0;
	t_tmp = tmp_dir_new();
	t_state_dir = fake_start(t_handler);
}

static void t_teardown(void)
{
	fake_stop();
	tmp_dir_remove(t_tmp);
}

static bool t_param_is(struct json_object *params, const char *key, const char *value)
{
	struct json_object *v;

	return json_object_object_get_ex(params, key, &v) &&
	       json_object_is_type(v, json_type_string) && strcmp(json_object_get_string(v), value) == 0;
}

static struct json_object *t_vcpu(int domid, const char *name, int vcpu, const char *state,
				  int pcpu, const char *affinity, int64_t ns)
{
	struct json_object *r = json_object_new_object();

	json_object_object_add(r, "domid", json_object_new_int(domid));
	json_object_object_add(r, "name", json_object_new_string(name));
	json_object_object_add(r, "vcpu", json_object_new_int(vcpu));
	json_object_object_add(r, "state", json_object_new_string(state));
	json_object_object_add(r, "pcpu", json_object_new_int(pcpu));
	if (!t_bad_rows)
		json_object_object_add(r, "affinity", json_object_new_string(affinity));
	json_object_object_add(r, "cpu_time_ns", json_object_new_int64(ns));
	return r;
}

/* web (id 1) has two vCPUs, db (id 3) one; a domain param selects one of them. */
static char *t_vcpu_list(struct json_object *params, struct json_object *req)
{
	struct json_object *res = json_object_new_object(), *rows = json_object_new_array(), *d;
	bool web = true, db = true;

	if (params && json_object_object_get_ex(params, "domain", &d)) {
		web = t_param_is(params, "domain", "web") ||
		      (json_object_is_type(d, json_type_int) && json_object_get_int(d) == 1);
		db = t_param_is(params, "domain", "db") ||
		     (json_object_is_type(d, json_type_int) && json_object_get_int(d) == 3);
		if (!web && !db) {
			json_object_put(res);
			json_object_put(rows);
			return fake_error(req, -32002, "no domain named 'ghost'");
		}
	}
	if (web) {
		json_object_array_add(rows, t_vcpu(1, "web", 0, "runnable", 2, "all", 1500000000));
		json_object_array_add(rows, t_vcpu(1, "web", 1, "offline", 1, "0,2-3", 0));
	}
	if (db)
		json_object_array_add(rows, t_vcpu(3, "db", 0, "blocked", 3, "3", 12345678901LL));
	json_object_object_add(res, "vcpus", rows);
	return fake_result(req, res);
}

static char *t_list(struct json_object *req)
{
	return fake_result(req, json_tokener_parse(
		"{\"domains\":[{\"domid\":1,\"name\":\"web\",\"state\":\"running\",\"vcpus\":2,"
		"\"memory_kb\":262144,\"cpu_time_ns\":1,\"cache_policy\":\"dc-tvm\",\"config\":"
		"{\"name\":\"web\",\"kernel\":\"/boot/Image\",\"memory\":256,\"maxmem\":256,"
		"\"vcpus\":2,\"maxvcpus\":4,\"cpus\":[\"1\",\"2-3\"],\"on_reboot\":\"restart\"}},"
		"{\"domid\":3,\"name\":\"db\",\"state\":\"paused\",\"vcpus\":1,\"memory_kb\":131072,"
		"\"cpu_time_ns\":2,\"cache_policy\":\"s2fwb\"}]}"));
}

static char *t_handler(const char *method, struct json_object *params, struct json_object *req)
{
	if (strcmp(method, "vcpu_list") == 0)
		return t_vcpu_list(params, req);
	if (strcmp(method, "list") == 0)
		return t_list(req);
	if (t_param_is(params, "domain", "ghost"))
		return fake_error(req, -32002, "no domain named 'ghost'");
	if (strcmp(method, "vcpu_pin") == 0 && t_param_is(params, "cpus", "9"))
		return fake_error(req, -32602, "cpus: CPU 9 does not exist (the machine has CPUs 0-3)");
	if (strcmp(method, "shutdown") == 0)
		usleep((useconds_t)t_shutdown_delay_ms * 1000);
	if (strcmp(method, "shutdown") == 0 || strcmp(method, "reboot") == 0 ||
	    strcmp(method, "vcpu_pin") == 0)
		return fake_result(req, json_object_new_object());
	return fake_error(req, -32601, "unknown method");
}

static void t_run(struct cli_result *r, int timeout_ms, const char *const *args)
{
	struct cli_run_opts o = { .state_dir = t_state_dir, .in_fd = -1, .timeout_ms = timeout_ms };

	cli_run_argv(r, &o, args);
}

#define T_RUN(r, ...) t_run((r), 2000, (const char *const[]){ __VA_ARGS__, NULL })

static void t_expect_method(int i, const char *method, const char *params)
{
	struct json_object *req = fake_request(i), *v;
	char *text = fake_params_text(i);

	ck_assert(json_object_object_get_ex(req, "method", &v));
	ck_assert_str_eq(json_object_get_string(v), method);
	ck_assert_str_eq(text, params);
	free(text);
	json_object_put(req);
}

/* A usage error: exit status 2, the message, and nothing sent to the daemon. */
static void t_expect_usage(const char *msg, const char *const *args)
{
	int before = fake_nrequests();
	struct cli_result r;

	t_run(&r, 2000, args);
	ck_assert_int_eq(r.status, 2);
	ck_assert_msg(strstr(r.err, msg) != NULL, "stderr '%s' lacks '%s'", r.err, msg);
	ck_assert_str_eq(r.out, "");
	ck_assert_int_eq(fake_nrequests(), before);
	cli_result_free(&r);
}

#define T_USAGE(msg, ...) t_expect_usage((msg), (const char *const[]){ __VA_ARGS__, NULL })

/* ---- shutdown and reboot ------------------------------------------------ */

START_TEST(test_shutdown_asks_without_waiting)
{
	struct cli_result r;

	T_RUN(&r, "shutdown", "web");
	ck_assert_msg(r.status == 0, "stderr: %s", r.err);
	ck_assert_str_eq(r.out, "");
	ck_assert_str_eq(r.err, "");
	t_expect_method(0, "shutdown", "{\"domain\":\"web\",\"wait\":false}");
	cli_result_free(&r);
}
END_TEST

/* -w waits for the daemon as long as it takes, beyond the usual per-call limit. */
START_TEST(test_shutdown_w_waits_for_the_daemon)
{
	struct cli_result r;

	t_shutdown_delay_ms = 600;
	t_run(&r, 200, (const char *const[]){ "shutdown", "-w", "3", NULL });
	ck_assert_msg(r.status == 0, "stderr: %s", r.err);
	ck_assert_str_eq(r.err, "");
	t_expect_method(0, "shutdown", "{\"domain\":3,\"wait\":true}");
	cli_result_free(&r);
	/* Without -w the usual limit holds. */
	t_run(&r, 200, (const char *const[]){ "shutdown", "3", NULL });
	ck_assert_int_eq(r.status, 1);
	ck_assert_ptr_nonnull(strstr(r.err, "did not answer within 0.2 s"));
	cli_result_free(&r);
}
END_TEST

START_TEST(test_shutdown_usage)
{
	T_USAGE("cachet shutdown: missing DOMAIN", "shutdown");
	T_USAGE("cachet shutdown: missing DOMAIN", "shutdown", "-w");
	T_USAGE("cachet shutdown: too many arguments", "shutdown", "a", "b");
	T_USAGE("cachet shutdown: unknown option '-F'", "shutdown", "-F", "web");
	T_USAGE("Usage: cachet shutdown [-w] DOMAIN", "shutdown", "web/x");
}
END_TEST

START_TEST(test_reboot)
{
	struct cli_result r;

	T_RUN(&r, "reboot", "db");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, "");
	t_expect_method(0, "reboot", "{\"domain\":\"db\"}");
	cli_result_free(&r);
	T_RUN(&r, "reboot", "ghost");
	ck_assert_int_eq(r.status, 1);
	ck_assert_str_eq(r.err, "cachet: no domain named 'ghost'\n");
	cli_result_free(&r);
	T_USAGE("cachet reboot: missing DOMAIN", "reboot");
}
END_TEST

/* ---- vcpu-list ------------------------------------------------------------ */

static const char t_header[] =
	"Name                                ID  VCPU   CPU State   Time(s) Affinity\n";
static const char t_web_rows[] =
	"web                                  1     0     2   r--       1.5  all\n"
	"web                                  1     1     -   --p       0.0  0,2-3\n";
static const char t_db_row[] =
	"db                                   3     0     3   -b-      12.3  3\n";

START_TEST(test_vcpu_list_table)
{
	struct cli_result r;
	char want[1024];

	T_RUN(&r, "vcpu-list");
	ck_assert_msg(r.status == 0, "stderr: %s", r.err);
	snprintf(want, sizeof(want), "%s%s%s", t_header, t_web_rows, t_db_row);
	ck_assert_str_eq(r.out, want);
	t_expect_method(0, "vcpu_list", "");
	cli_result_free(&r);
}
END_TEST

START_TEST(test_vcpu_list_of_some_domains)
{
	struct cli_result r;
	char want[1024];

	T_RUN(&r, "vcpu-list", "db");
	ck_assert_int_eq(r.status, 0);
	snprintf(want, sizeof(want), "%s%s", t_header, t_db_row);
	ck_assert_str_eq(r.out, want);
	t_expect_method(0, "vcpu_list", "{\"domain\":\"db\"}");
	cli_result_free(&r);
	/* One header, then each domain in the order given. */
	T_RUN(&r, "vcpu-list", "3", "web");
	ck_assert_int_eq(r.status, 0);
	snprintf(want, sizeof(want), "%s%s%s", t_header, t_db_row, t_web_rows);
	ck_assert_str_eq(r.out, want);
	t_expect_method(1, "vcpu_list", "{\"domain\":3}");
	t_expect_method(2, "vcpu_list", "{\"domain\":\"web\"}");
	cli_result_free(&r);
}
END_TEST

START_TEST(test_vcpu_list_errors)
{
	struct cli_result r;

	T_USAGE("cachet vcpu-list: 'a b' is not a domain name or id", "vcpu-list", "web", "a b");
	T_RUN(&r, "vcpu-list", "ghost");
	ck_assert_int_eq(r.status, 1);
	ck_assert_str_eq(r.err, "cachet: no domain named 'ghost'\n");
	cli_result_free(&r);
	t_bad_rows = true;
	T_RUN(&r, "vcpu-list", "db");
	ck_assert_int_eq(r.status, 1);
	ck_assert_str_eq(r.err,
			 "cachet: malformed reply from cachetd: 'affinity' missing or not a string\n");
	cli_result_free(&r);
}
END_TEST

/* ---- vcpu-pin ------------------------------------------------------------- */

START_TEST(test_vcpu_pin_sends_the_list)
{
	struct cli_result r;

	T_RUN(&r, "vcpu-pin", "web", "1", "0-3,^1");
	ck_assert_msg(r.status == 0, "stderr: %s", r.err);
	ck_assert_str_eq(r.out, "");
	t_expect_method(0, "vcpu_pin", "{\"domain\":\"web\",\"vcpu\":1,\"cpus\":\"0-3,^1\"}");
	cli_result_free(&r);
	T_RUN(&r, "vcpu-pin", "3", "all", "all");
	ck_assert_int_eq(r.status, 0);
	t_expect_method(1, "vcpu_pin", "{\"domain\":3,\"vcpu\":\"all\",\"cpus\":\"all\"}");
	cli_result_free(&r);
}
END_TEST

START_TEST(test_vcpu_pin_usage)
{
	T_USAGE("cachet vcpu-pin: missing DOMAIN", "vcpu-pin");
	T_USAGE("cachet vcpu-pin: missing VCPU", "vcpu-pin", "web");
	T_USAGE("cachet vcpu-pin: missing CPUS", "vcpu-pin", "web", "0");
	T_USAGE("cachet vcpu-pin: too many arguments (Cachet has no soft affinity)", "vcpu-pin",
		"web", "0", "1", "2");
	T_USAGE("cachet vcpu-pin: 'x' is not a vCPU number or 'all'", "vcpu-pin", "web", "x", "1");
	T_USAGE("cachet vcpu-pin: '1a' is not a vCPU number or 'all'", "vcpu-pin", "web", "1a", "1");
	T_USAGE("cachet vcpu-pin: 'a/b' is not a domain name or id", "vcpu-pin", "a/b", "0", "1");
}
END_TEST

/* The daemon checks the list against the machine; its message is printed as it is. */
START_TEST(test_vcpu_pin_daemon_error)
{
	struct cli_result r;

	T_RUN(&r, "vcpu-pin", "web", "0", "9");
	ck_assert_int_eq(r.status, 1);
	ck_assert_str_eq(r.err, "cachet: cpus: CPU 9 does not exist (the machine has CPUs 0-3)\n");
	cli_result_free(&r);
}
END_TEST

/* ---- list -l and create ----------------------------------------------------- */

START_TEST(test_list_long_shows_the_stored_config)
{
	struct json_object *arr, *cfg, *v;
	struct cli_result r;

	T_RUN(&r, "list", "-l", "web");
	ck_assert_int_eq(r.status, 0);
	arr = json_tokener_parse(r.out);
	ck_assert_msg(json_object_is_type(arr, json_type_array), "not an array: %s", r.out);
	ck_assert_int_eq(json_object_array_length(arr), 1);
	cfg = json_at(json_object_array_get_idx(arr, 0), "cachet.config");
	ck_assert_int_eq(json_object_get_int(json_at(json_object_array_get_idx(arr, 0),
						     "config.b_info.max_vcpus")), 4);
	ck_assert(json_object_object_get_ex(cfg, "maxvcpus", &v));
	ck_assert_int_eq(json_object_get_int(v), 4);
	ck_assert(json_object_object_get_ex(cfg, "cpus", &v));
	ck_assert_str_eq(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN), "[\"1\",\"2-3\"]");
	ck_assert(json_object_object_get_ex(cfg, "kernel", &v));
	ck_assert_str_eq(json_object_get_string(v), "/boot/Image");
	json_object_put(arr);
	cli_result_free(&r);
}
END_TEST

/* As xl: cmdline wins over root and extra, with a warning; all three are sent as given. */
START_TEST(test_create_warns_that_cmdline_wins)
{
	char *cfg;
	struct cli_result r;

	free(tmp_file_write(t_tmp, "Image", "kernel"));
	cfg = tmp_file_write(t_tmp, "g.cfg", "name='g'\nkernel='Image'\ncmdline='console=hvc0'\n"
				     "root='/dev/vda'\n");
	T_RUN(&r, "create", "-n", cfg);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(
		strstr(r.err, "Warning: ignoring root= and extra= in favour of cmdline=\n"));
	ck_assert_ptr_nonnull(strstr(r.out, "\"cmdline\": \"console=hvc0\""));
	ck_assert_ptr_nonnull(strstr(r.out, "\"root\": \"/dev/vda\""));
	cli_result_free(&r);
	free(cfg);
	cfg = tmp_file_write(t_tmp, "h.cfg", "name='g'\nkernel='Image'\nroot='/dev/vda'\n");
	T_RUN(&r, "create", "-n", cfg);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_null(strstr(r.err, "Warning"));
	cli_result_free(&r);
	free(cfg);
}
END_TEST

static Suite *domctl_suite(void)
{
	Suite *s = suite_create("cli_domctl");
	TCase *life = tcase_create("lifecycle"), *vcpu = tcase_create("vcpu");

	tcase_add_checked_fixture(life, t_setup, t_teardown);
	tcase_add_checked_fixture(vcpu, t_setup, t_teardown);
	tcase_add_test(life, test_shutdown_asks_without_waiting);
	tcase_add_test(life, test_shutdown_w_waits_for_the_daemon);
	tcase_add_test(life, test_shutdown_usage);
	tcase_add_test(life, test_reboot);
	tcase_add_test(life, test_list_long_shows_the_stored_config);
	tcase_add_test(life, test_create_warns_that_cmdline_wins);
	tcase_add_test(vcpu, test_vcpu_list_table);
	tcase_add_test(vcpu, test_vcpu_list_of_some_domains);
	tcase_add_test(vcpu, test_vcpu_list_errors);
	tcase_add_test(vcpu, test_vcpu_pin_sends_the_list);
	tcase_add_test(vcpu, test_vcpu_pin_usage);
	tcase_add_test(vcpu, test_vcpu_pin_daemon_error);
	tcase_set_timeout(life, 20);
	suite_add_tcase(s, life);
	suite_add_tcase(s, vcpu);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(domctl_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
