/*
 * Helpers shared by the daemon's unit tests: a daemon context over the fake
 * library in a temporary state directory, and one-line JSON-RPC calls.
 */
#ifndef TEST_DAEMON_UTIL_H
#define TEST_DAEMON_UTIL_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cachetd.h"
#include "dlog.h"
#include "rpc.h"
#include "state.h"
#include "test_daemon_fakelib.h"

static char tu_dir[64];
static char tu_ram[96];
static cachet_handle *tu_h;
static struct cachetd tu_d;

/* A fresh state directory, fake hypervisor and daemon context. */
static inline void tu_setup(void)
{
	char msg[256], log[128];
	FILE *f;

	snprintf(tu_dir, sizeof(tu_dir), "/tmp/cachetd-test-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tu_dir));
	ck_assert_int_eq(state_init_dirs(tu_dir, msg, sizeof(msg)), 0);
	snprintf(log, sizeof(log), "%s/cachetd.log", tu_dir);
	ck_assert_int_eq(dlog_open(log, false), 0);
	snprintf(tu_ram, sizeof(tu_ram), "%s/ram", tu_dir);
	f = fopen(tu_ram, "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
	fake_reset();
	ck_assert_int_eq(cachet_open(tu_ram, &tu_h), 0);
	ck_assert_int_eq(cachetd_init(&tu_d, tu_dir, tu_h), 0);
}

static inline void tu_teardown(void)
{
	char cmd[128];

	cachetd_fini(&tu_d);
	cachet_close(tu_h);
	dlog_close();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tu_dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Sends one request line; returns the parsed response (caller puts it). */
static inline struct json_object *tu_call_len(const char *line, size_t len)
{
	size_t rlen = 0;
	char *rsp = rpc_handle_line(&methods_table, &tu_d, line, len, &rlen, NULL);
	struct json_object *o;

	ck_assert_ptr_nonnull(rsp);
	ck_assert_uint_eq(strlen(rsp), rlen);
	/* One response line: exactly one '\n', at the end. */
	ck_assert_int_eq(rsp[rlen - 1], '\n');
	ck_assert_ptr_eq(strchr(rsp, '\n'), rsp + rlen - 1);
	o = json_tokener_parse(rsp);
	ck_assert_msg(o != NULL, "response is not JSON: %s", rsp);
	free(rsp);
	return o;
}

static inline struct json_object *tu_call(const char *line)
{
	return tu_call_len(line, strlen(line));
}

static inline struct json_object *tu_get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	ck_assert_msg(json_object_object_get_ex(o, key, &v), "no '%s' in %s", key,
		      json_object_to_json_string(o));
	return v;
}

/* Asserts an error response with code and a message containing what. */
static inline void tu_expect_error(const char *line, int code, const char *what)
{
	struct json_object *rsp = tu_call(line);
	struct json_object *err = tu_get(rsp, "error");
	const char *msg = json_object_get_string(tu_get(err, "message"));

	ck_assert_msg(!json_object_object_get_ex(rsp, "result", NULL), "result and error");
	ck_assert_msg(json_object_get_int(tu_get(err, "code")) == code,
		      "%s: expected code %d, got %s", line, code, json_object_to_json_string(rsp));
	ck_assert_msg(strstr(msg, what) != NULL, "%s: message '%s' lacks '%s'", line, msg, what);
	json_object_put(rsp);
}

/* Asserts success and returns the result (a new reference). */
static inline struct json_object *tu_result(const char *line)
{
	struct json_object *rsp = tu_call(line);
	struct json_object *res;

	ck_assert_msg(!json_object_object_get_ex(rsp, "error", NULL), "%s failed: %s", line,
		      json_object_to_json_string(rsp));
	res = json_object_get(tu_get(rsp, "result"));
	json_object_put(rsp);
	return res;
}

static inline void tu_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static inline bool tu_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* ---- Requests by method and params, for the method tests. */

/* "{...,"method":M,"params":P}" in a malloc'd line. */
static inline char *tu_request(const char *method, const char *params)
{
	size_t n = strlen(method) + strlen(params) + 64;
	char *line = malloc(n);

	ck_assert_ptr_nonnull(line);
	snprintf(line, n, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"%s\",\"params\":%s}", method,
		 params);
	return line;
}

/* The result of a call that must succeed (a new reference). */
static inline struct json_object *tu_method(const char *method, const char *params)
{
	char *line = tu_request(method, params);
	struct json_object *res = tu_result(line);

	free(line);
	return res;
}

static inline void tu_method_ok(const char *method, const char *params)
{
	json_object_put(tu_method(method, params));
}

static inline void tu_method_err(const char *method, const char *params, int code, const char *what)
{
	char *line = tu_request(method, params);

	tu_expect_error(line, code, what);
	free(line);
}

/* A readable file standing in for a kernel (or any image) in the state directory. */
static inline void tu_image(char *path, size_t size, const char *name)
{
	snprintf(path, size, "%s/%s", tu_dir, name);
	tu_write_file(path, "image bytes");
}

/* Creates a domain from {"name":NAME,"kernel":KERNEL EXTRA}; returns its id. */
static inline cachet_domid_t tu_create(const char *name, const char *kernel, const char *extra,
				       bool paused)
{
	char params[2048];
	struct json_object *res;
	cachet_domid_t domid;

	snprintf(params, sizeof(params),
		 "{\"config\":{\"name\":\"%s\",\"kernel\":\"%s\"%s},\"paused\":%s}", name, kernel,
		 extra, paused ? "true" : "false");
	res = tu_method("create", params);
	ck_assert_str_eq(json_object_get_string(tu_get(res, "name")), name);
	domid = (cachet_domid_t)json_object_get_int64(tu_get(res, "domid"));
	json_object_put(res);
	return domid;
}

/* The state file of a domain the daemon keeps (NULL if it has none). */
static inline struct json_object *tu_state_file(const char *name)
{
	char *p = state_path(tu_dir, "domains", name, ".json");
	struct json_object *o = json_object_from_file(p);

	free(p);
	return o;
}

#endif
