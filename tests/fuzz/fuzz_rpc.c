/*
 * Fuzzes the daemon's JSON-RPC layer: one input is one request line (or a
 * batch), handled by the real envelope, id, parameter and CONFIG
 * validation (daemon/rpc.c, rpc_id.c, params.c, config.c, cpulist.c) with a
 * method table whose handlers only validate: "check" takes every parameter,
 * "create" runs the CONFIG through config_parse.  Beyond "no crash", every
 * answer is one JSON line with "jsonrpc": "2.0" and an id, and either a
 * result or an error with a non-empty message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "rpc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct config_limits fuzz_limits = { 4096, 16, 8 };

static int fuzz_check(void *ctx, const struct rpc_params *p, struct json_object **res,
		      struct rpc_error *err)
{
	(void)ctx, (void)p, (void)err;
	*res = json_object_new_object();
	return 0;
}

static int fuzz_create(void *ctx, const struct rpc_params *p, struct json_object **res,
		       struct rpc_error *err)
{
	struct dom_config cfg;

	(void)ctx;
	if (config_parse(p->config, &fuzz_limits, &cfg, err) < 0) {
		if (err->message[0] == '\0' || err->code != RPC_INVALID_PARAMS)
			abort();
		return -1;
	}
	*res = config_to_json(&cfg);
	config_free(&cfg);
	return 0;
}

#define FUZZ_ALL_PARAMS (RPC_P_DOMAIN | RPC_P_POS | RPC_P_DATA | RPC_P_PAUSED | RPC_P_WAIT | \
			 RPC_P_VCPU | RPC_P_CPUS)

static const struct rpc_method fuzz_methods[] = {
	{ "check", fuzz_check, 0, FUZZ_ALL_PARAMS, true },
	{ "need", fuzz_check, RPC_P_DOMAIN | RPC_P_DATA, 0, false },
	{ "create", fuzz_create, RPC_P_CONFIG, RPC_P_PAUSED, false },
};

static void fuzz_check_response(struct json_object *r)
{
	struct json_object *v, *e;

	if (!json_object_object_get_ex(r, "jsonrpc", &v) ||
	    strcmp(json_object_get_string(v), "2.0") != 0 ||
	    !json_object_object_get_ex(r, "id", NULL))
		abort();
	if (json_object_object_get_ex(r, "result", NULL))
		return;
	if (!json_object_object_get_ex(r, "error", &e) || !json_object_object_get_ex(e, "message", &v) ||
	    json_object_get_string_len(v) == 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Odd inputs go to the read-only table: the access check runs too. */
	struct rpc_table t = { fuzz_methods, sizeof(fuzz_methods) / sizeof(fuzz_methods[0]),
			       size % 2 ? RPC_ACCESS_MONITOR : RPC_ACCESS_FULL };
	struct json_object *r;
	size_t len = 0;
	char *rsp = rpc_handle_line(&t, NULL, (const char *)data, size, &len, NULL);

	if (!rsp || len == 0 || rsp[len - 1] != '\n' || memchr(rsp, '\n', len - 1))
		abort();
	r = json_tokener_parse(rsp);
	if (!r)
		abort();
	if (json_object_is_type(r, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(r); i++)
			fuzz_check_response(json_object_array_get_idx(r, i));
	} else {
		fuzz_check_response(r);
	}
	json_object_put(r);
	free(rsp);
	return 0;
}
