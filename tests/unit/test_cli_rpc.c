/*
 * End-to-end tests of the cachet CLI against a fake cachetd (a thread on a
 * temporary UNIX socket answering canned JSON-RPC): the requests each command
 * sends, how replies are shown, and how errors from the daemon or the
 * transport are printed.
 */
#define _GNU_SOURCE
#include <check.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "test_cli_fake.h"
#include "test_cli_util.h"

/* How the fake daemon misbehaves, if at all. */
enum fake_mode {
	MODE_NORMAL,
	MODE_GARBAGE,     /* a reply that is not JSON */
	MODE_WRONG_ID,    /* a reply to another request */
	MODE_NO_ANSWER,   /* close without answering */
	MODE_SLOW,        /* answer after the client gave up */
	MODE_HUGE,        /* a reply over 16 MiB */
	MODE_BAD_CREATE,  /* a create result without domid */
};

static enum fake_mode t_mode;
static const char *t_state_dir;
static char *t_tmp;
static bool t_console_forever; /* console_read keeps alive = true */
static bool t_console_dead;    /* console_read says alive = false from the start */
static int t_console_drops;    /* bytes the daemon reports dropped after the first chunk */
static int t_pty_master = -1;  /* typed into by console_read */
static const char *t_typed[4]; /* what to type, one piece per console_read */
static int t_ntyped;
static size_t t_accept_max;    /* console_write accepts at most this many bytes */

static fake_handler_fn t_handler;

static void t_setup(void)
{
	t_mode = MODE_NORMAL;
	t_console_forever = false;
	t_console_dead = false;
	t_pty_master = -1;
	memset(t_typed, 0, sizeof(t_typed));
	t_ntyped = 0;
	t_accept_max = SIZE_MAX;
	t_tmp = tmp_dir_new();
	t_state_dir = fake_start(t_handler);
}

static void t_teardown(void)
{
	fake_stop();
	tmp_dir_remove(t_tmp);
}

static const char *t_param_str(struct json_object *params, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(params, key, &v) ? json_object_get_string(v) : "";
}

static int64_t t_param_int(struct json_object *params, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(params, key, &v) ? json_object_get_int64(v) : -1;
}

static struct json_object *t_domain(int domid, const char *name, const char *state)
{
	struct json_object *d = json_object_new_object();

	json_object_object_add(d, "domid", json_object_new_int(domid));
	json_object_object_add(d, "name", json_object_new_string(name));
	json_object_object_add(d, "state", json_object_new_string(state));
	json_object_object_add(d, "vcpus", json_object_new_int(domid));
	json_object_object_add(d, "memory_kb", json_object_new_int(131072 * domid));
	json_object_object_add(d, "cpu_time_ns", json_object_new_int64(1500000000LL * domid));
	json_object_object_add(d, "cache_policy", json_object_new_string("dc-tvm"));
	return d;
}

static char *t_list(struct json_object *req)
{
	struct json_object *res = json_object_new_object(), *arr = json_object_new_array();

	json_object_array_add(arr, t_domain(1, "web", "running"));
	json_object_array_add(arr, t_domain(3, "db", "paused"));
	json_object_object_add(res, "domains", arr);
	return fake_result(req, res);
}

/* Console output "hello world\n" in two chunks, then the domain is gone. */
static char *t_console_read(struct json_object *params, struct json_object *req)
{
	static const char *const chunks[] = { "hello ", "world\n" };
	int64_t pos = t_param_int(params, "pos");
	struct json_object *res = json_object_new_object();
	int i = pos == 0 ? 0 : pos == 6 ? 1 : 2;

	if (t_ntyped < 4 && t_typed[t_ntyped] && t_pty_master >= 0) {
		const char *piece = t_typed[t_ntyped++];

		ck_assert_int_eq(write(t_pty_master, piece, strlen(piece)), (int)strlen(piece));
	}
	json_object_object_add(res, "data", json_object_new_string(i < 2 ? chunks[i] : ""));
	json_object_object_add(res, "next", json_object_new_int64(i < 2 ? pos + 6 : pos));
	json_object_object_add(res, "lost", json_object_new_int(0));
	json_object_object_add(res, "dropped", json_object_new_int(i == 0 ? 7 : 7 + t_console_drops));
	json_object_object_add(res, "alive",
			       json_object_new_boolean(!t_console_dead && (i < 2 || t_console_forever)));
	return fake_result(req, res);
}

static char *t_console_write(struct json_object *params, struct json_object *req)
{
	size_t len = strlen(t_param_str(params, "data"));
	struct json_object *res = json_object_new_object();

	json_object_object_add(res, "accepted",
			       json_object_new_int64((int64_t)(len < t_accept_max ? len : t_accept_max)));
	return fake_result(req, res);
}

static char *t_dmesg(struct json_object *params, struct json_object *req)
{
	int64_t pos = t_param_int(params, "pos");
	struct json_object *res = json_object_new_object();

	json_object_object_add(res, "data", json_object_new_string(pos == 0   ? "(XEN) one\n"
								  : pos == 10 ? "(XEN) two\n"
									      : ""));
	json_object_object_add(res, "next", json_object_new_int64(pos < 20 ? pos + 10 : pos));
	return fake_result(req, res);
}

static char *t_info(struct json_object *req)
{
	return fake_result(req, json_tokener_parse("{\"abi_version\":\"1.0\",\"hv_version\":"
						   "\"cachet-0.1.0\",\"nr_cpus\":4,"
						   "\"total_memory_kb\":4194304,\"free_memory_kb\":"
						   "3145728,\"features\":[\"s2fwb\",\"gicv3\"]}"));
}

static char *t_cache_stats(struct json_object *req)
{
	return fake_result(req, json_tokener_parse("{\"cache_policy\":\"s2-fault\","
						   "\"vcpus\":[{\"exits\":10,\"tvm_traps\":6,"
						   "\"hcr_dc\":0},{\"exits\":12345678901,"
						   "\"tvm_traps\":0,\"hcr_dc\":1}]}"));
}

static char *t_create(struct json_object *params, struct json_object *req)
{
	struct json_object *cfg, *res = json_object_new_object();

	if (t_mode == MODE_BAD_CREATE)
		return fake_result(req, res);
	json_object_object_get_ex(params, "config", &cfg);
	json_object_object_add(res, "domid", json_object_new_int(7));
	json_object_object_add(res, "name", json_object_new_string(t_param_str(cfg, "name")));
	return fake_result(req, res);
}

/* A domain op on "ghost" fails the way cachetd reports an unknown domain. */
static char *t_domain_op(struct json_object *params, struct json_object *req)
{
	if (strcmp(t_param_str(params, "domain"), "ghost") == 0)
		return fake_error(req, -32003, "no domain named 'ghost'");
	return fake_result(req, json_object_new_object());
}

static char *t_misbehave(struct json_object *req)
{
	char *huge;

	switch (t_mode) {
	case MODE_GARBAGE:
		return strdup("this is not json");
	case MODE_WRONG_ID:
		return strdup("{\"jsonrpc\":\"2.0\",\"id\":999,\"result\":{}}");
	case MODE_SLOW:
		usleep(600 * 1000);
		return NULL;
	case MODE_HUGE:
		huge = malloc(17 * 1024 * 1024);
		memset(huge, ' ', 17 * 1024 * 1024 - 1);
		huge[17 * 1024 * 1024 - 1] = '\0';
		return huge;
	default:
		(void)req;
		return NULL;
	}
}

static char *t_handler(const char *method, struct json_object *params, struct json_object *req)
{
	if (t_mode != MODE_NORMAL && t_mode != MODE_BAD_CREATE)
		return t_misbehave(req);
	if (strcmp(method, "create") == 0)
		return t_create(params, req);
	if (strcmp(method, "list") == 0)
		return t_list(req);
	if (strcmp(method, "destroy") == 0 || strcmp(method, "pause") == 0 ||
	    strcmp(method, "unpause") == 0)
		return t_domain_op(params, req);
	if (strcmp(method, "console_read") == 0)
		return t_console_read(params, req);
	if (strcmp(method, "console_write") == 0)
		return t_console_write(params, req);
	if (strcmp(method, "dmesg") == 0)
		return t_dmesg(params, req);
	if (strcmp(method, "info") == 0)
		return t_info(req);
	if (strcmp(method, "cache_stats") == 0)
		return t_cache_stats(req);
	return fake_error(req, -32601, "unknown method");
}

/* Starts the fake daemon and runs `cachet ARGS...` against it. */
static void t_run(struct cli_result *r, int in_fd, const char *const *args)
{
	struct cli_run_opts o = { .state_dir = t_state_dir, .in_fd = in_fd, .timeout_ms = 2000 };

	if (t_mode == MODE_SLOW)
		o.timeout_ms = 200;
	cli_run_argv(r, &o, args);
}

#define T_RUN(r, ...) t_run((r), -1, (const char *const[]){ __VA_ARGS__, NULL })

static void t_expect_method(int i, const char *method, const char *params)
{
	struct json_object *req = fake_request(i), *v;
	char *text = fake_params_text(i);

	ck_assert(json_object_object_get_ex(req, "jsonrpc", &v));
	ck_assert_str_eq(json_object_get_string(v), "2.0");
	ck_assert(json_object_object_get_ex(req, "id", &v));
	ck_assert(json_object_is_type(v, json_type_int));
	ck_assert(json_object_object_get_ex(req, "method", &v));
	ck_assert_str_eq(json_object_get_string(v), method);
	ck_assert_str_eq(text, params);
	free(text);
	json_object_put(req);
}

static char *t_write_cfg(const char *text)
{
	free(tmp_file_write(t_tmp, "Image", "kernel"));
	return tmp_file_write(t_tmp, "guest.cfg", text);
}

/* ---- create ----------------------------------------------------------- */

START_TEST(test_create_sends_config)
{
	char *cfg = t_write_cfg("name = 'g1'\nkernel = 'Image'\nmemory = 128\n"), *want;
	char *dir = realpath(t_tmp, NULL);
	struct cli_result r;

	T_RUN(&r, "create", cfg, "memory=256", "cache_policy='flush-load'");
	ck_assert_msg(r.status == 0, "stderr: %s", r.err);
	ck_assert_str_eq(r.out, "");
	ck_assert_int_eq(fake_nrequests(), 1);
	ck_assert_int_ge(asprintf(&want, "{\"config\":{\"name\":\"g1\",\"kernel\":\"%s/Image\","
					 "\"memory\":256,\"cache_policy\":\"flush-load\"},"
					 "\"paused\":false}",
				  dir),
			 0);
	t_expect_method(0, "create", want);
	free(want);
	free(dir);
	free(cfg);
	cli_result_free(&r);
}
END_TEST

START_TEST(test_create_paused)
{
	char *cfg = t_write_cfg("name = 'g1'\nkernel = 'Image'\n");
	struct cli_result r;
	char *text;

	T_RUN(&r, "create", "-p", cfg);
	ck_assert_int_eq(r.status, 0);
	text = fake_params_text(0);
	ck_assert_ptr_nonnull(strstr(text, "\"paused\":true"));
	free(text);
	free(cfg);
	cli_result_free(&r);
}
END_TEST

START_TEST(test_create_then_console)
{
	char *cfg = t_write_cfg("name = 'g1'\nkernel = 'Image'\n");
	struct cli_result r;

	T_RUN(&r, "create", cfg, "-c");
	ck_assert_msg(r.status == 0, "stderr: %s", r.err);
	ck_assert_str_eq(r.out, "hello world\n");
	ck_assert_int_eq(fake_nrequests(), 4);
	t_expect_method(1, "console_read", "{\"domain\":\"g1\",\"pos\":0}");
	t_expect_method(2, "console_read", "{\"domain\":\"g1\",\"pos\":6}");
	t_expect_method(3, "console_read", "{\"domain\":\"g1\",\"pos\":12}");
	free(cfg);
	cli_result_free(&r);
}
END_TEST

START_TEST(test_create_bad_config_sends_nothing)
{
	char *cfg = t_write_cfg("name = 'g1'\nkernel = 'Image'\nvcpus = 500\n");
	struct cli_result r;

	T_RUN(&r, "create", cfg);
	ck_assert_int_eq(r.status, 1);
	ck_assert_ptr_nonnull(strstr(r.err, "guest.cfg:3: vcpus: must be between 1 and 16"));
	ck_assert_int_eq(fake_nrequests(), 0);
	free(cfg);
	cli_result_free(&r);
}
END_TEST

/* ---- list --------------------------------------------------------------- */

START_TEST(test_list_table)
{
	struct cli_result r;

	T_RUN(&r, "list");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out,
			 "Name                                        ID   Mem VCPUs\tState\tTime(s)\n"
			 "web                                          1   128     1     r-----       1.5\n"
			 "db                                           3   384     3     --p---       4.5\n");
	t_expect_method(0, "list", "");
	cli_result_free(&r);
}
END_TEST

START_TEST(test_list_long_json)
{
	struct json_object *arr, *e, *v, *cfg;
	struct cli_result r;

	T_RUN(&r, "list", "-l");
	ck_assert_int_eq(r.status, 0);
	arr = json_tokener_parse(r.out);
	ck_assert_msg(json_object_is_type(arr, json_type_array), "not an array: %s", r.out);
	ck_assert_int_eq(json_object_array_length(arr), 2);
	e = json_object_array_get_idx(arr, 1);
	ck_assert(json_object_object_get_ex(e, "domid", &v));
	ck_assert_int_eq(json_object_get_int(v), 3);
	/* libxl's shape, as `xl list -l`; what Cachet adds is under "cachet". */
	ck_assert_str_eq(json_object_get_string(json_at(e, "config.c_info.name")), "db");
	ck_assert_int_eq(json_object_get_int(json_at(e, "config.b_info.target_memkb")), 384 * 1024);
	ck_assert_str_eq(json_object_get_string(json_at(e, "cachet.state")), "paused");
	cfg = json_at(e, "cachet.config");
	ck_assert_ptr_nonnull(cfg);
	ck_assert_int_eq(json_object_get_int(json_at(cfg, "memory")), 384);
	ck_assert_str_eq(json_object_get_string(json_at(e, "cachet.cache_policy")), "dc-tvm");
	json_object_put(arr);
	cli_result_free(&r);
}
END_TEST

START_TEST(test_list_filters)
{
	struct cli_result r;

	T_RUN(&r, "list", "db");
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_null(strstr(r.out, "web"));
	ck_assert_ptr_nonnull(strstr(r.out, "\ndb "));
	cli_result_free(&r);
	T_RUN(&r, "list", "1");
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "\nweb "));
	ck_assert_ptr_null(strstr(r.out, "\ndb "));
	cli_result_free(&r);
	T_RUN(&r, "list", "web", "nosuch");
	ck_assert_int_eq(r.status, 1);
	ck_assert_str_eq(r.err, "cachet: no domain named 'nosuch'\n");
	cli_result_free(&r);
}
END_TEST

/* ---- domain operations ------------------------------------------------ */

START_TEST(test_destroy_by_name_and_id)
{
	struct cli_result r;

	T_RUN(&r, "destroy", "web");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, "");
	ck_assert_str_eq(r.err, "");
	cli_result_free(&r);
	T_RUN(&r, "destroy", "3");
	ck_assert_int_eq(r.status, 0);
	cli_result_free(&r);
	t_expect_method(0, "destroy", "{\"domain\":\"web\"}");
	t_expect_method(1, "destroy", "{\"domain\":3}");
}
END_TEST

START_TEST(test_pause_unpause)
{
	struct cli_result r;

	T_RUN(&r, "pause", "db");
	ck_assert_int_eq(r.status, 0);
	cli_result_free(&r);
	T_RUN(&r, "unpause", "db");
	ck_assert_int_eq(r.status, 0);
	cli_result_free(&r);
	t_expect_method(0, "pause", "{\"domain\":\"db\"}");
	t_expect_method(1, "unpause", "{\"domain\":\"db\"}");
}
END_TEST

/* A JSON-RPC error is printed with the daemon's message, as it is. */
START_TEST(test_daemon_error_message_printed)
{
	struct cli_result r;

	T_RUN(&r, "destroy", "ghost");
	ck_assert_int_eq(r.status, 1);
	ck_assert_str_eq(r.out, "");
	ck_assert_str_eq(r.err, "cachet: no domain named 'ghost'\n");
	cli_result_free(&r);
}
END_TEST

/* ---- host commands ----------------------------------------------------- */

START_TEST(test_info)
{
	struct cli_result r;

	T_RUN(&r, "info");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, "nr_cpus                : 4\n"
				"total_memory           : 4096\n"
				"free_memory            : 3072\n"
				"hv_version             : cachet-0.1.0\n"
				"abi_version            : 1.0\n"
				"features               : s2fwb gicv3\n");
	cli_result_free(&r);
}
END_TEST

START_TEST(test_dmesg_reads_until_no_more)
{
	struct cli_result r;

	T_RUN(&r, "dmesg");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, "(XEN) one\n(XEN) two\n");
	ck_assert_int_eq(fake_nrequests(), 3);
	t_expect_method(1, "dmesg", "{\"pos\":10}");
	cli_result_free(&r);
}
END_TEST

START_TEST(test_cache_stats_table)
{
	struct cli_result r;

	T_RUN(&r, "cache-stats", "web");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, "cache_policy         s2-fault\n"
				"counter                    vcpu0       vcpu1\n"
				"exits                         10 12345678901\n"
				"tvm_traps                      6           0\n"
				"hcr_dc                         0           1\n");
	t_expect_method(0, "cache_stats", "{\"domain\":\"web\"}");
	cli_result_free(&r);
}
END_TEST

/* ---- console ------------------------------------------------------------ */

/* Without a terminal the console only polls: stdin is left unread. */
START_TEST(test_console_without_terminal_leaves_stdin)
{
	struct cli_result r;
	char buf[8] = "";
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(write(p[1], "xyz", 3), 3);
	t_run(&r, p[0], (const char *const[]){ "console", "web", NULL });
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, "hello world\n");
	for (int i = 0; i < fake_nrequests(); i++) {
		struct json_object *req = fake_request(i), *m;

		json_object_object_get_ex(req, "method", &m);
		ck_assert_str_eq(json_object_get_string(m), "console_read");
		json_object_put(req);
	}
	ck_assert_int_eq(read(p[0], buf, sizeof(buf)), 3);
	ck_assert_str_eq(buf, "xyz");
	close(p[0]);
	close(p[1]);
	cli_result_free(&r);
}
END_TEST

/* A domain that is gone still has its kept output shown, to the end. */
START_TEST(test_console_drains_output_of_a_dead_domain)
{
	struct cli_result r;

	t_console_dead = true;
	T_RUN(&r, "console", "web");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, "hello world\n");
	ck_assert_int_eq(fake_nrequests(), 3);
	t_expect_method(0, "console_read", "{\"domain\":\"web\",\"pos\":0}");
	cli_result_free(&r);
}
END_TEST

/* Output the guest wrote faster than the daemon could copy is reported, not hidden. */
START_TEST(test_console_reports_dropped_output)
{
	struct cli_result r;

	t_console_dead = true;
	t_console_drops = 4096;
	T_RUN(&r, "console", "web");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, "hello world\n");
	/* The 7 bytes dropped before the console attached are not this session's. */
	ck_assert_ptr_nonnull(strstr(r.err, "cachet: 4096 bytes of web's console output were lost"));
	ck_assert_ptr_null(strstr(r.err, "7 bytes"));
	cli_result_free(&r);
	t_console_drops = 0;
}
END_TEST

/* A console named by id is read by name, which outlives the domain. */
START_TEST(test_console_by_id_reads_by_name)
{
	struct cli_result r;

	T_RUN(&r, "console", "3");
	ck_assert_msg(r.status == 0, "stderr: %s", r.err);
	ck_assert_str_eq(r.out, "hello world\n");
	t_expect_method(0, "list", "");
	t_expect_method(1, "console_read", "{\"domain\":\"db\",\"pos\":0}");
	cli_result_free(&r);
	T_RUN(&r, "console", "9");
	ck_assert_int_eq(r.status, 1);
	ck_assert_str_eq(r.err, "cachet: no domain with id 9\n");
	cli_result_free(&r);
}
END_TEST

/* Everything the console_write requests carried, joined. */
static char *t_typed_text(void)
{
	char *all = calloc(1, 1);

	for (int i = 0; i < fake_nrequests(); i++) {
		struct json_object *req = fake_request(i), *p, *d;
		char *more;

		if (json_object_object_get_ex(req, "params", &p) &&
		    json_object_object_get_ex(p, "data", &d)) {
			ck_assert_int_ge(asprintf(&more, "%s%s", all, json_object_get_string(d)), 0);
			free(all);
			all = more;
		}
		json_object_put(req);
	}
	return all;
}

/* A pseudo-terminal pair for the console tests; returns the slave fd. */
static int t_open_pty(void)
{
	int slave;

	t_pty_master = posix_openpt(O_RDWR | O_NOCTTY);
	ck_assert_int_ge(t_pty_master, 0);
	ck_assert_int_eq(grantpt(t_pty_master), 0);
	ck_assert_int_eq(unlockpt(t_pty_master), 0);
	slave = open(ptsname(t_pty_master), O_RDWR | O_NOCTTY);
	ck_assert_int_ge(slave, 0);
	return slave;
}

static void t_expect_same_termios(const struct termios *a, const struct termios *b)
{
	ck_assert_uint_eq(a->c_iflag, b->c_iflag);
	ck_assert_uint_eq(a->c_oflag, b->c_oflag);
	ck_assert_uint_eq(a->c_cflag, b->c_cflag);
	ck_assert_uint_eq(a->c_lflag, b->c_lflag);
}

/* Typed bytes go to console_write; Ctrl+] detaches; the terminal is restored. */
START_TEST(test_console_terminal_forwards_and_detaches)
{
	struct termios before, after;
	struct cli_result r;
	int slave = t_open_pty();

	ck_assert_int_eq(tcgetattr(slave, &before), 0);
	ck_assert(before.c_lflag & ICANON);
	t_console_forever = true;
	t_typed[0] = "ab\x1dzz";
	t_run(&r, slave, (const char *const[]){ "console", "web", NULL });
	ck_assert_msg(r.status == 0, "stderr: %s", r.err);
	/* The keys arrive while output is shown: detaching may cut it short. */
	ck_assert_int_eq(strncmp(r.out, "hello ", 6), 0);
	ck_assert_int_eq(tcgetattr(slave, &after), 0);
	t_expect_same_termios(&before, &after);
	for (int i = 0, writes = 0; i < fake_nrequests(); i++) {
		char *params = fake_params_text(i);

		if (strstr(params, "\"data\"")) {
			ck_assert_str_eq(params, "{\"domain\":\"web\",\"data\":\"ab\"}");
			ck_assert_int_eq(++writes, 1);
		}
		free(params);
	}
	close(slave);
	close(t_pty_master);
	cli_result_free(&r);
}
END_TEST

/*
 * The daemon takes only UTF-8: a character split between reads is sent
 * whole, and a byte that is not UTF-8 is sent as U+FFFD.
 */
START_TEST(test_console_terminal_sends_utf8)
{
	struct cli_result r;
	int slave = t_open_pty();
	char *params;

	t_console_forever = true;
	t_typed[0] = "h\xc3";
	t_typed[1] = "\xa9\xff!";
	t_typed[2] = "\x1d";
	t_run(&r, slave, (const char *const[]){ "console", "web", NULL });
	ck_assert_msg(r.status == 0, "stderr: %s", r.err);
	params = t_typed_text();
	ck_assert_str_eq(params, "h\xc3\xa9\xef\xbf\xbd!");
	free(params);
	close(slave);
	close(t_pty_master);
	cli_result_free(&r);
}
END_TEST

/*
 * What the guest had no room for is offered again on the next round, never
 * from inside a character.
 */
START_TEST(test_console_terminal_resends_the_rest)
{
	struct cli_result r;
	int slave = t_open_pty();
	char *params;

	t_console_forever = true;
	t_accept_max = 2;
	t_typed[0] = "a\xc3\xa9" "cd";
	t_typed[1] = "";
	t_typed[2] = "";
	t_typed[3] = "\x1d";
	t_run(&r, slave, (const char *const[]){ "console", "web", NULL });
	ck_assert_msg(r.status == 0, "stderr: %s", r.err);
	params = t_typed_text();
	/* "a\xc3" is accepted: the rest of that character is dropped, not sent alone. */
	ck_assert_str_eq(params, "a\xc3\xa9" "cd" "cd");
	free(params);
	close(slave);
	close(t_pty_master);
	cli_result_free(&r);
}
END_TEST

/* The terminal is restored too when the domain goes away. */
START_TEST(test_console_terminal_restored_when_domain_ends)
{
	struct termios before, after;
	struct cli_result r;
	int slave = t_open_pty();

	ck_assert_int_eq(tcgetattr(slave, &before), 0);
	t_run(&r, slave, (const char *const[]){ "console", "web", NULL });
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, "hello world\n");
	ck_assert_int_eq(tcgetattr(slave, &after), 0);
	t_expect_same_termios(&before, &after);
	close(slave);
	close(t_pty_master);
	cli_result_free(&r);
}
END_TEST

/* ---- transport errors -------------------------------------------------- */

static void t_expect_failure(enum fake_mode mode, const char *msg)
{
	struct cli_result r;

	t_mode = mode;
	T_RUN(&r, "info");
	ck_assert_int_eq(r.status, 1);
	ck_assert_msg(strstr(r.err, msg) != NULL, "stderr '%s' lacks '%s'", r.err, msg);
	ck_assert_str_eq(r.out, "");
	cli_result_free(&r);
}

START_TEST(test_reply_not_json)
{
	t_expect_failure(MODE_GARBAGE, "cachet: cachetd sent a malformed reply (not a JSON object)");
}
END_TEST

START_TEST(test_reply_wrong_id)
{
	t_expect_failure(MODE_WRONG_ID, "cachet: cachetd sent a reply to another request");
}
END_TEST

START_TEST(test_no_answer)
{
	t_expect_failure(MODE_NO_ANSWER, "cachet: cachetd closed the connection without answering");
}
END_TEST

START_TEST(test_slow_daemon_times_out)
{
	t_expect_failure(MODE_SLOW, "did not answer within 0.2 s");
}
END_TEST

START_TEST(test_reply_over_16_mib)
{
	t_expect_failure(MODE_HUGE, "cachet: reply from cachetd is larger than 16 MiB");
}
END_TEST

START_TEST(test_result_missing_field)
{
	char *cfg = t_write_cfg("name = 'g1'\nkernel = 'Image'\n");
	struct cli_result r;

	t_mode = MODE_BAD_CREATE;
	T_RUN(&r, "create", cfg);
	ck_assert_int_eq(r.status, 1);
	ck_assert_ptr_nonnull(
		strstr(r.err, "cachet: malformed reply from cachetd: 'domid' missing or not an integer"));
	free(cfg);
	cli_result_free(&r);
}
END_TEST

static Suite *rpc_suite(void)
{
	Suite *s = suite_create("cli_rpc");
	TCase *cmd = tcase_create("commands"), *con = tcase_create("console");
	TCase *err = tcase_create("errors");

	tcase_add_checked_fixture(cmd, t_setup, t_teardown);
	tcase_add_checked_fixture(con, t_setup, t_teardown);
	tcase_add_checked_fixture(err, t_setup, t_teardown);
	tcase_add_test(cmd, test_create_sends_config);
	tcase_add_test(cmd, test_create_paused);
	tcase_add_test(cmd, test_create_then_console);
	tcase_add_test(cmd, test_create_bad_config_sends_nothing);
	tcase_add_test(cmd, test_list_table);
	tcase_add_test(cmd, test_list_long_json);
	tcase_add_test(cmd, test_list_filters);
	tcase_add_test(cmd, test_destroy_by_name_and_id);
	tcase_add_test(cmd, test_pause_unpause);
	tcase_add_test(cmd, test_info);
	tcase_add_test(cmd, test_dmesg_reads_until_no_more);
	tcase_add_test(cmd, test_cache_stats_table);
	tcase_add_test(con, test_console_without_terminal_leaves_stdin);
	tcase_add_test(con, test_console_drains_output_of_a_dead_domain);
	tcase_add_test(con, test_console_reports_dropped_output);
	tcase_add_test(con, test_console_by_id_reads_by_name);
	tcase_add_test(con, test_console_terminal_forwards_and_detaches);
	tcase_add_test(con, test_console_terminal_sends_utf8);
	tcase_add_test(con, test_console_terminal_resends_the_rest);
	tcase_add_test(con, test_console_terminal_restored_when_domain_ends);
	tcase_add_test(err, test_daemon_error_message_printed);
	tcase_add_test(err, test_reply_not_json);
	tcase_add_test(err, test_reply_wrong_id);
	tcase_add_test(err, test_no_answer);
	tcase_add_test(err, test_slow_daemon_times_out);
	tcase_add_test(err, test_reply_over_16_mib);
	tcase_add_test(err, test_result_missing_field);
	tcase_set_timeout(err, 20);
	suite_add_tcase(s, cmd);
	suite_add_tcase(s, con);
	suite_add_tcase(s, err);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(rpc_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
