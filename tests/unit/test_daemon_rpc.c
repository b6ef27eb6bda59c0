/*
 * JSON-RPC framing and validation in cachetd: every malformed request gets
 * the error code PROTOCOL.md assigns and a message naming the problem, and
 * no handler runs on unchecked input.  Requests go through the daemon's
 * real method table over the fake library.
 */
#include "test_daemon_util.h"

#include "lbuf.h"
#include "server.h"

#define REQ(method, params) \
	"{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"" method "\",\"params\":" params "}"

START_TEST(malformed_json_is_parse_error)
{
	tu_expect_error("{\"jsonrpc\":\"2.0\",", RPC_PARSE_ERROR, "parse error");
	tu_expect_error("not json", RPC_PARSE_ERROR, "parse error");
	tu_expect_error("", RPC_PARSE_ERROR, "parse error");
	tu_expect_error("{\"jsonrpc\":'2.0'}", RPC_PARSE_ERROR, "parse error");
}
END_TEST

START_TEST(trailing_data_is_parse_error)
{
	tu_expect_error("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"info\"} {}", RPC_PARSE_ERROR,
			"trailing data");
}
END_TEST

START_TEST(parse_error_has_null_id)
{
	struct json_object *rsp = tu_call("{oops");

	ck_assert(json_object_is_type(tu_get(rsp, "id"), json_type_null));
	ck_assert_str_eq(json_object_get_string(tu_get(rsp, "jsonrpc")), "2.0");
	json_object_put(rsp);
}
END_TEST

START_TEST(invalid_utf8_is_parse_error)
{
	tu_expect_error("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"info\xff\"}", RPC_PARSE_ERROR,
			"parse error");
}
END_TEST

START_TEST(deep_nesting_is_parse_error)
{
	char line[256] = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"info\",\"params\":";
	size_t n = strlen(line);

	for (int i = 0; i < 40; i++)
		line[n++] = '[';
	for (int i = 0; i < 40; i++)
		line[n++] = ']';
	line[n++] = '}';
	line[n] = '\0';
	tu_expect_error(line, RPC_PARSE_ERROR, "parse error");
}
END_TEST

START_TEST(non_object_is_invalid_request)
{
	tu_expect_error("42", RPC_INVALID_REQUEST, "must be a JSON object (or a batch: an array "
			"of them), not an integer");
	tu_expect_error("\"info\"", RPC_INVALID_REQUEST, "not a string");
	tu_expect_error("null", RPC_INVALID_REQUEST, "not null");
	tu_expect_error("true", RPC_INVALID_REQUEST, "not a boolean");
	tu_expect_error("[]", RPC_INVALID_REQUEST, "an empty batch");
}
END_TEST

/* A batch is answered by an array of responses, in order, each with its id (spec, 6). */
START_TEST(batch_is_answered_in_order)
{
	struct json_object *rsp = tu_call("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"info\"},"
					  "{\"jsonrpc\":\"2.0\",\"id\":\"b\",\"method\":\"nope\"},"
					  "7]");
	struct json_object *e;

	ck_assert(json_object_is_type(rsp, json_type_array));
	ck_assert_uint_eq(json_object_array_length(rsp), 3);
	e = json_object_array_get_idx(rsp, 0);
	ck_assert_int_eq(json_object_get_int(tu_get(e, "id")), 1);
	ck_assert(json_object_object_get_ex(e, "result", NULL));
	e = json_object_array_get_idx(rsp, 1);
	ck_assert_str_eq(json_object_get_string(tu_get(e, "id")), "b");
	ck_assert_int_eq(json_object_get_int(tu_get(tu_get(e, "error"), "code")), -32601);
	e = json_object_array_get_idx(rsp, 2);
	ck_assert(json_object_is_type(tu_get(e, "id"), json_type_null));
	ck_assert_int_eq(json_object_get_int(tu_get(tu_get(e, "error"), "code")), -32600);
	json_object_put(rsp);
}
END_TEST

/* The id comes back as the client wrote it: any JSON number, never clamped or rounded. */
START_TEST(numeric_ids_are_echoed_exactly)
{
	static const char *const ids[] = { "99999999999999999999", "-99999999999999999999",
					   "18446744073709551615", "-0", "0", "1.50", "1e400",
					   "-2.5E-3", "9223372036854775807", "42" };

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		char line[256], want[64];
		size_t len;
		char *rsp;

		snprintf(line, sizeof(line), "{\"jsonrpc\":\"2.0\",\"id\":%s,\"method\":\"nope\"}",
			 ids[i]);
		rsp = rpc_handle_line(&methods_table, &tu_d, line, strlen(line), &len, NULL);
		snprintf(want, sizeof(want), "\"id\":%s,", ids[i]);
		ck_assert_msg(strstr(rsp, want) != NULL, "id %s answered as %s", ids[i], rsp);
		free(rsp);
	}
}
END_TEST

START_TEST(missing_id_is_invalid_request)
{
	tu_expect_error("{\"jsonrpc\":\"2.0\",\"method\":\"info\"}", RPC_INVALID_REQUEST, "missing id");
}
END_TEST

START_TEST(bad_id_types_are_invalid_request)
{
	tu_expect_error("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"info\"}", RPC_INVALID_REQUEST,
			"id must be");
	tu_expect_error("{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"info\"}", RPC_INVALID_REQUEST,
			"id must be");
	tu_expect_error("{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"info\"}", RPC_INVALID_REQUEST,
			"id must be");
}
END_TEST

START_TEST(id_is_echoed)
{
	struct json_object *rsp = tu_call("{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"method\":\"info\"}");

	ck_assert_str_eq(json_object_get_string(tu_get(rsp, "id")), "abc");
	json_object_put(rsp);
	rsp = tu_call("{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"nope\"}");
	ck_assert_int_eq(json_object_get_int(tu_get(rsp, "id")), 99);
	json_object_put(rsp);
}
END_TEST

START_TEST(version_is_checked)
{
	tu_expect_error("{\"id\":1,\"method\":\"info\"}", RPC_INVALID_REQUEST, "\"jsonrpc\" must be");
	tu_expect_error("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"info\"}", RPC_INVALID_REQUEST,
			"\"jsonrpc\" must be");
	tu_expect_error("{\"jsonrpc\":2,\"id\":1,\"method\":\"info\"}", RPC_INVALID_REQUEST,
			"\"jsonrpc\" must be");
}
END_TEST

START_TEST(method_is_checked)
{
	tu_expect_error("{\"jsonrpc\":\"2.0\",\"id\":1}", RPC_INVALID_REQUEST, "missing method");
	tu_expect_error("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":5}", RPC_INVALID_REQUEST,
			"method must be");
	tu_expect_error("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\"}", RPC_INVALID_REQUEST,
			"method must be");
}
END_TEST

START_TEST(unknown_member_is_invalid_request)
{
	tu_expect_error("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"info\",\"extra\":1}",
			RPC_INVALID_REQUEST, "unknown member \"extra\"");
}
END_TEST

START_TEST(unknown_method)
{
	tu_expect_error(REQ("reboot_everything", "{}"), RPC_METHOD_NOT_FOUND,
			"unknown method \"reboot_everything\"");
}
END_TEST

START_TEST(params_must_be_object)
{
	tu_expect_error(REQ("destroy", "[\"web\"]"), RPC_INVALID_PARAMS, "params must be an object");
	tu_expect_error(REQ("info", "3"), RPC_INVALID_PARAMS, "params must be an object");
}
END_TEST

START_TEST(unknown_params_are_rejected)
{
	tu_expect_error(REQ("info", "{\"verbose\":true}"), RPC_INVALID_PARAMS,
			"unknown parameter \"verbose\"");
	/* A parameter another method takes is still unknown here. */
	tu_expect_error(REQ("destroy", "{\"domain\":\"a\",\"pos\":0}"), RPC_INVALID_PARAMS,
			"unknown parameter \"pos\"");
}
END_TEST

START_TEST(missing_params_are_rejected)
{
	tu_expect_error(REQ("destroy", "{}"), RPC_INVALID_PARAMS, "missing parameter 'domain'");
	tu_expect_error("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"pause\"}", RPC_INVALID_PARAMS,
			"missing parameter 'domain'");
	tu_expect_error(REQ("console_write", "{\"domain\":\"a\"}"), RPC_INVALID_PARAMS,
			"missing parameter 'data'");
	tu_expect_error(REQ("create", "{\"paused\":true}"), RPC_INVALID_PARAMS,
			"missing parameter 'config'");
}
END_TEST

START_TEST(domain_param_types)
{
	tu_expect_error(REQ("destroy", "{\"domain\":true}"), RPC_INVALID_PARAMS,
			"domain: must be a domain name or a domain id");
	tu_expect_error(REQ("destroy", "{\"domain\":1.5}"), RPC_INVALID_PARAMS, "domain: must be");
	tu_expect_error(REQ("destroy", "{\"domain\":-1}"), RPC_INVALID_PARAMS, "domain: id must be");
	tu_expect_error(REQ("destroy", "{\"domain\":4294967296}"), RPC_INVALID_PARAMS,
			"domain: id must be");
}
END_TEST

static void expect_name_len(size_t len, int code, const char *what)
{
	static const char alphabet[] = "AZaz09_.-";
	static const char head[] = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"pause\","
				   "\"params\":{\"domain\":\"";
	char line[256];
	size_t n = strlen(head);

	memcpy(line, head, n);
	for (size_t i = 0; i < len; i++)
		line[n++] = alphabet[i % (sizeof(alphabet) - 1)];
	strcpy(line + n, "\"}}");
	tu_expect_error(line, code, what);
}

START_TEST(domain_names_are_validated)
{
	tu_expect_error(REQ("pause", "{\"domain\":\"\"}"), RPC_INVALID_PARAMS, "domain: invalid name");
	tu_expect_error(REQ("pause", "{\"domain\":\"a b\"}"), RPC_INVALID_PARAMS,
			"domain: invalid name");
	tu_expect_error(REQ("pause", "{\"domain\":\"../etc\"}"), RPC_INVALID_PARAMS,
			"domain: invalid name");
	tu_expect_error(REQ("pause", "{\"domain\":\"web\\u0000x\"}"), RPC_INVALID_PARAMS,
			"domain: invalid name");
	expect_name_len(64, RPC_INVALID_PARAMS, "domain: invalid name");
	/* 63 characters of the allowed alphabet pass validation (and name no domain). */
	expect_name_len(63, -32002, "no domain named");
}
END_TEST

START_TEST(scalar_params_are_validated)
{
	tu_expect_error(REQ("dmesg", "{\"pos\":-1}"), RPC_INVALID_PARAMS, "pos: must be");
	tu_expect_error(REQ("dmesg", "{\"pos\":\"0\"}"), RPC_INVALID_PARAMS, "pos: must be");
	tu_expect_error(REQ("console_write", "{\"domain\":\"a\",\"data\":5}"), RPC_INVALID_PARAMS,
			"data: must be a string");
	tu_expect_error(REQ("create", "{\"config\":{\"name\":\"a\",\"kernel\":\"/k\"},\"paused\":1}"),
			RPC_INVALID_PARAMS, "paused: must be true or false");
	tu_expect_error(REQ("create", "{\"config\":\"name=a\"}"), RPC_INVALID_PARAMS,
			"config: must be an object");
}
END_TEST

/* shutdown's wait, vcpu_pin's vcpu and cpus, vcpu_list's optional domain. */
START_TEST(lifecycle_and_vcpu_params_are_validated)
{
	tu_expect_error(REQ("shutdown", "{\"domain\":\"a\",\"wait\":\"yes\"}"), RPC_INVALID_PARAMS,
			"wait: must be true or false");
	tu_expect_error(REQ("reboot", "{}"), RPC_INVALID_PARAMS, "reboot: missing parameter 'domain'");
	tu_expect_error(REQ("vcpu_pin", "{\"domain\":\"a\",\"vcpu\":1.5,\"cpus\":\"0\"}"),
			RPC_INVALID_PARAMS, "vcpu: must be a vCPU number (0 to 15) or \"all\"");
	tu_expect_error(REQ("vcpu_pin", "{\"domain\":\"a\",\"vcpu\":\"All\",\"cpus\":\"0\"}"),
			RPC_INVALID_PARAMS, "vcpu: must be a vCPU number");
	tu_expect_error(REQ("vcpu_pin", "{\"domain\":\"a\",\"vcpu\":0,\"cpus\":null}"),
			RPC_INVALID_PARAMS, "cpus: must be a CPU list string of at most 1024 bytes");
	tu_expect_error(REQ("vcpu_pin", "{\"vcpu\":0,\"cpus\":\"0\"}"), RPC_INVALID_PARAMS,
			"vcpu_pin: missing parameter 'domain'");
	tu_expect_error(REQ("vcpu_list", "{\"domain\":[]}"), RPC_INVALID_PARAMS,
			"domain: must be a domain name or a domain id");
	tu_expect_error(REQ("vcpu_list", "{\"cpus\":\"0\"}"), RPC_INVALID_PARAMS,
			"vcpu_list: unknown parameter \"cpus\"");
}
END_TEST

START_TEST(cpus_param_is_capped)
{
	static const char head[] = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"vcpu_pin\","
				   "\"params\":{\"domain\":\"a\",\"vcpu\":0,\"cpus\":\"";
	size_t n = RPC_CPUS_MAX + 1, hl = strlen(head);
	char *line = malloc(hl + n + 4);

	ck_assert_ptr_nonnull(line);
	memcpy(line, head, hl);
	memset(line + hl, '0', n);
	strcpy(line + hl + n, "\"}}");
	tu_expect_error(line, RPC_INVALID_PARAMS, "cpus: must be a CPU list string of at most 1024");
	free(line);
}
END_TEST

START_TEST(console_write_data_is_capped)
{
	static const char head[] = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"console_write\","
				   "\"params\":{\"domain\":\"a\",\"data\":\"";
	size_t n = RPC_DATA_MAX + 1, hl = strlen(head);
	char *line = malloc(hl + n + 4);

	ck_assert_ptr_nonnull(line);
	memcpy(line, head, hl);
	memset(line + hl, 'x', n);
	strcpy(line + hl + n, "\"}}");
	tu_expect_error(line, RPC_INVALID_PARAMS, "data: must be a string of at most 65536 bytes");
	free(line);
}
END_TEST

START_TEST(config_errors_are_invalid_params)
{
	tu_expect_error(REQ("create", "{\"config\":{\"name\":\"a b\",\"kernel\":\"/k\"}}"),
			RPC_INVALID_PARAMS, "name: must match");
	tu_expect_error(REQ("create", "{\"config\":{\"name\":\"a\",\"kernel\":\"/k\",\"memory\":4096}}"),
			RPC_INVALID_PARAMS, "memory: must be between 16 and 3072 MiB");
	tu_expect_error(REQ("create", "{\"config\":{\"name\":\"a\",\"kernel\":\"/k\",\"vcpus\":0}}"),
			RPC_INVALID_PARAMS, "vcpus: must be between 1 and 8");
	tu_expect_error(REQ("create", "{\"config\":{\"name\":\"a\",\"kernel\":\"/k\",\"colour\":[]}}"),
			RPC_INVALID_PARAMS, "config: unknown key \"colour\"");
	tu_expect_error(REQ("create", "{\"config\":{\"name\":\"a\",\"kernel\":\"/k\",\"vif\":\"x\"}}"),
			RPC_INVALID_PARAMS, "vif: must be a list of at most 64 specs");
}
END_TEST

START_TEST(oversized_line_is_invalid_request)
{
	size_t len = RPC_LINE_MAX + 1;
	char *line = malloc(len);
	struct json_object *rsp;

	ck_assert_ptr_nonnull(line);
	memset(line, ' ', len);
	rsp = tu_call_len(line, len);
	ck_assert_int_eq(json_object_get_int(tu_get(tu_get(rsp, "error"), "code")),
			 RPC_INVALID_REQUEST);
	ck_assert_ptr_nonnull(strstr(json_object_get_string(tu_get(tu_get(rsp, "error"), "message")),
				     "longer than 1048576 bytes"));
	json_object_put(rsp);
	free(line);
}
END_TEST

START_TEST(crlf_and_blanks_are_accepted)
{
	struct json_object *res = tu_result("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"list\"}\r");

	ck_assert(json_object_is_type(tu_get(res, "domains"), json_type_array));
	json_object_put(res);
}
END_TEST

START_TEST(params_may_be_absent_or_empty)
{
	struct json_object *res = tu_result("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"info\"}");

	json_object_put(res);
	res = tu_result(REQ("info", "{}"));
	json_object_put(res);
	res = tu_result(REQ("dmesg", "{}"));
	json_object_put(res);
}
END_TEST

/* ---- framing on a connection: the line buffer and the per-connection loop */

static struct server_conn tc;

static void conn_setup(void)
{
	tu_setup();
	memset(&tc, 0, sizeof(tc));
	tc.fd = -1;
	lbuf_init(&tc.in, RPC_LINE_MAX);
}

static void conn_teardown(void)
{
	lbuf_free(&tc.in);
	free(tc.out);
	tu_teardown();
}

static void conn_feed(const char *p, size_t n)
{
	ck_assert_int_eq(lbuf_append(&tc.in, p, n), 0);
	server_conn_process(&tc, &tu_d);
}

/* The i-th response line queued on the connection, parsed. */
static struct json_object *conn_response(int i)
{
	const char *p = tc.out + tc.out_off;

	for (; i > 0; i--) {
		p = memchr(p, '\n', tc.out_len - (size_t)(p - tc.out));
		ck_assert_ptr_nonnull(p);
		p++;
	}
	return json_tokener_parse(p);
}

START_TEST(pipelined_requests_answered_in_order)
{
	const char *two = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"list\"}\n"
			  "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"nope\"}\n{\"jsonrpc\"";
	struct json_object *r0, *r1;

	conn_feed(two, strlen(two));
	r0 = conn_response(0);
	r1 = conn_response(1);
	ck_assert_int_eq(json_object_get_int(tu_get(r0, "id")), 1);
	ck_assert_int_eq(json_object_get_int(tu_get(r1, "id")), 2);
	json_object_put(r0);
	json_object_put(r1);
	/* The unfinished third request waits for its newline. */
	ck_assert_uint_eq(lbuf_pending(&tc.in), strlen("{\"jsonrpc\""));
	ck_assert(!tc.closing);
}
END_TEST

START_TEST(request_split_across_reads)
{
	const char *req = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"list\"}\n";
	struct json_object *r;

	for (size_t i = 0; req[i]; i++)
		conn_feed(req + i, 1);
	r = conn_response(0);
	ck_assert_int_eq(json_object_get_int(tu_get(r, "id")), 3);
	json_object_put(r);
}
END_TEST

START_TEST(oversized_line_closes_connection)
{
	char *junk = malloc(RPC_LINE_MAX + 1);
	struct json_object *r;

	ck_assert_ptr_nonnull(junk);
	memset(junk, 'a', RPC_LINE_MAX);
	conn_feed(junk, RPC_LINE_MAX);
	ck_assert(!tc.closing); /* exactly 1 MiB may still be a request */
	conn_feed("a", 1);
	ck_assert(tc.closing);
	r = conn_response(0);
	ck_assert_int_eq(json_object_get_int(tu_get(tu_get(r, "error"), "code")), RPC_INVALID_REQUEST);
	ck_assert(json_object_is_type(tu_get(r, "id"), json_type_null));
	json_object_put(r);
	free(junk);
}
END_TEST

START_TEST(line_of_exactly_the_cap_is_served)
{
	char *line = malloc(RPC_LINE_MAX + 1);
	const char *req = "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"list\"}";
	struct json_object *r;

	ck_assert_ptr_nonnull(line);
	memset(line, ' ', RPC_LINE_MAX);
	memcpy(line, req, strlen(req));
	line[RPC_LINE_MAX] = '\n';
	conn_feed(line, RPC_LINE_MAX + 1);
	ck_assert(!tc.closing);
	r = conn_response(0);
	ck_assert_int_eq(json_object_get_int(tu_get(r, "id")), 4);
	json_object_put(r);
	free(line);
}
END_TEST

static Suite *rpc_suite(void)
{
	Suite *s = suite_create("daemon_rpc");
	TCase *tc_env = tcase_create("envelope");
	TCase *tc_par = tcase_create("params");
	TCase *tc_conn = tcase_create("connection");

	tcase_add_checked_fixture(tc_env, tu_setup, tu_teardown);
	tcase_add_test(tc_env, malformed_json_is_parse_error);
	tcase_add_test(tc_env, trailing_data_is_parse_error);
	tcase_add_test(tc_env, parse_error_has_null_id);
	tcase_add_test(tc_env, invalid_utf8_is_parse_error);
	tcase_add_test(tc_env, deep_nesting_is_parse_error);
	tcase_add_test(tc_env, non_object_is_invalid_request);
	tcase_add_test(tc_env, batch_is_answered_in_order);
	tcase_add_test(tc_env, numeric_ids_are_echoed_exactly);
	tcase_add_test(tc_env, missing_id_is_invalid_request);
	tcase_add_test(tc_env, bad_id_types_are_invalid_request);
	tcase_add_test(tc_env, id_is_echoed);
	tcase_add_test(tc_env, version_is_checked);
	tcase_add_test(tc_env, method_is_checked);
	tcase_add_test(tc_env, unknown_member_is_invalid_request);
	tcase_add_test(tc_env, unknown_method);
	tcase_add_test(tc_env, oversized_line_is_invalid_request);
	tcase_add_test(tc_env, crlf_and_blanks_are_accepted);
	suite_add_tcase(s, tc_env);

	tcase_add_checked_fixture(tc_par, tu_setup, tu_teardown);
	tcase_add_test(tc_par, params_must_be_object);
	tcase_add_test(tc_par, unknown_params_are_rejected);
	tcase_add_test(tc_par, missing_params_are_rejected);
	tcase_add_test(tc_par, domain_param_types);
	tcase_add_test(tc_par, domain_names_are_validated);
	tcase_add_test(tc_par, scalar_params_are_validated);
	tcase_add_test(tc_par, console_write_data_is_capped);
	tcase_add_test(tc_par, lifecycle_and_vcpu_params_are_validated);
	tcase_add_test(tc_par, cpus_param_is_capped);
	tcase_add_test(tc_par, config_errors_are_invalid_params);
	tcase_add_test(tc_par, params_may_be_absent_or_empty);
	suite_add_tcase(s, tc_par);

	tcase_add_checked_fixture(tc_conn, conn_setup, conn_teardown);
	tcase_add_test(tc_conn, pipelined_requests_answered_in_order);
	tcase_add_test(tc_conn, request_split_across_reads);
	tcase_add_test(tc_conn, oversized_line_closes_connection);
	tcase_add_test(tc_conn, line_of_exactly_the_cap_is_served);
	suite_add_tcase(s, tc_conn);
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
