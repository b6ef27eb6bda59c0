/*
 * Validation of the "params" member of a request.  Each method declares
 * which parameters it requires and which it accepts (rpc_method); this file
 * knows how each parameter is checked, so no handler sees an unchecked or
 * unknown field.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cachet/public/guest_map.h"
#include "rpc.h"

struct param_spec {
	const char *key;
	unsigned int bit;
	int (*parse)(struct json_object *v, struct rpc_params *out, struct rpc_error *err);
};

#define RPC_DESCRIBE_TEXT 48 /* bytes of a value quoted in a message */

const char *rpc_describe(struct json_object *v, char *buf, size_t size)
{
	enum json_type t = json_object_get_type(v);
	const char *text;
	size_t len;

	if (t == json_type_null || t == json_type_object || t == json_type_array) {
		snprintf(buf, size, "%s", rpc_type_name(t));
		return buf;
	}
	/* JSON's own escapes quote the bytes: control characters cannot reach a terminal. */
	text = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
						 JSON_C_TO_STRING_NOSLASHESCAPE);
	len = strlen(text);
	if (len > RPC_DESCRIBE_TEXT)
		snprintf(buf, size, "%s (%.*s...)", rpc_type_name(t), RPC_DESCRIBE_TEXT, text);
	else
		snprintf(buf, size, "%s (%s)", rpc_type_name(t), text);
	return buf;
}

const char *rpc_quote(const char *s, char *buf, size_t size)
{
	struct json_object *o = json_object_new_string_len(s, (int)strnlen(s, RPC_DESCRIBE_TEXT));
	const char *text = o ? json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
							     JSON_C_TO_STRING_NOSLASHESCAPE)
			     : "\"\"";

	snprintf(buf, size, "%s%s", text, strlen(s) > RPC_DESCRIBE_TEXT ? "..." : "");
	json_object_put(o);
	return buf;
}

bool rpc_name_valid(const char *s, size_t len)
{
	if (len == 0 || len > 63)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return false;
	}
	return true;
}

static int params_domain(struct json_object *v, struct rpc_params *out, struct rpc_error *err)
{
	char what[RPC_DESCRIBE_MAX];

	if (json_object_is_type(v, json_type_int)) {
		int64_t id = json_object_get_int64(v);

		if (id < 0 || id > (int64_t)UINT32_MAX) {
			rpc_error_set(err, RPC_INVALID_PARAMS, "domain: id must be between 0 and %u, "
				      "not %s", UINT32_MAX, rpc_describe(v, what, sizeof(what)));
			return -1;
		}
		out->dom.by_id = true;
		out->dom.domid = (cachet_domid_t)id;
		return 0;
	}
	if (json_object_is_type(v, json_type_string)) {
		const char *s = json_object_get_string(v);
		size_t len = (size_t)json_object_get_string_len(v);

		if (!rpc_name_valid(s, len)) {
			rpc_error_set(err, RPC_INVALID_PARAMS,
				      "domain: invalid name %s (expected [A-Za-z0-9_.-]{1,63})",
				      rpc_quote(s, what, sizeof(what)));
			return -1;
		}
		out->dom.by_id = false;
		memcpy(out->dom.name, s, len + 1);
		return 0;
	}
	rpc_error_set(err, RPC_INVALID_PARAMS, "domain: must be a domain name or a domain id, not %s",
		      rpc_describe(v, what, sizeof(what)));
	return -1;
}

static int params_pos(struct json_object *v, struct rpc_params *out, struct rpc_error *err)
{
	char what[RPC_DESCRIBE_MAX];

	if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0) {
		rpc_error_set(err, RPC_INVALID_PARAMS, "pos: must be a non-negative integer, not %s",
			      rpc_describe(v, what, sizeof(what)));
		return -1;
	}
	out->pos = (uint64_t)json_object_get_int64(v);
	return 0;
}

static int params_data(struct json_object *v, struct rpc_params *out, struct rpc_error *err)
{
	if (!json_object_is_type(v, json_type_string) ||
	    json_object_get_string_len(v) > RPC_DATA_MAX) {
		rpc_error_set(err, RPC_INVALID_PARAMS, "data: must be a string of at most %d bytes",
			      RPC_DATA_MAX);
		return -1;
	}
	out->data = json_object_get_string(v);
	out->data_len = (size_t)json_object_get_string_len(v);
	return 0;
}

static int params_config(struct json_object *v, struct rpc_params *out, struct rpc_error *err)
{
	if (!json_object_is_type(v, json_type_object)) {
		rpc_error_set(err, RPC_INVALID_PARAMS, "config: must be an object");
		return -1;
	}
	out->config = v;
	return 0;
}

static int params_paused(struct json_object *v, struct rpc_params *out, struct rpc_error *err)
{
	char what[RPC_DESCRIBE_MAX];

	if (!json_object_is_type(v, json_type_boolean)) {
		rpc_error_set(err, RPC_INVALID_PARAMS, "paused: must be true or false, not %s",
			      rpc_describe(v, what, sizeof(what)));
		return -1;
	}
	out->paused = json_object_get_boolean(v);
	return 0;
}

static int params_wait(struct json_object *v, struct rpc_params *out, struct rpc_error *err)
{
	char what[RPC_DESCRIBE_MAX];

	if (!json_object_is_type(v, json_type_boolean)) {
		rpc_error_set(err, RPC_INVALID_PARAMS, "wait: must be true or false, not %s",
			      rpc_describe(v, what, sizeof(what)));
		return -1;
	}
	out->wait = json_object_get_boolean(v);
	return 0;
}

/* A vCPU number (the handler checks it against the domain) or "all". */
static int params_vcpu(struct json_object *v, struct rpc_params *out, struct rpc_error *err)
{
	if (json_object_is_type(v, json_type_string) && strcmp(json_object_get_string(v), "all") == 0) {
		out->vcpu = RPC_VCPU_ALL;
		return 0;
	}
	if (json_object_is_type(v, json_type_int) && json_object_get_int64(v) >= 0 &&
	    json_object_get_int64(v) < CACHET_MAX_VCPUS) {
		out->vcpu = (uint32_t)json_object_get_int64(v);
		return 0;
	}
	char what[RPC_DESCRIBE_MAX];

	rpc_error_set(err, RPC_INVALID_PARAMS, "vcpu: must be a vCPU number (0 to %d) or \"all\", "
		      "not %s", CACHET_MAX_VCPUS - 1, rpc_describe(v, what, sizeof(what)));
	return -1;
}

/* A CPU list's syntax and range depend on the machine: the handler parses it. */
static int params_cpus(struct json_object *v, struct rpc_params *out, struct rpc_error *err)
{
	if (!json_object_is_type(v, json_type_string) ||
	    json_object_get_string_len(v) > RPC_CPUS_MAX) {
		rpc_error_set(err, RPC_INVALID_PARAMS,
			      "cpus: must be a CPU list string of at most %d bytes (e.g. \"0-3,^1\")",
			      RPC_CPUS_MAX);
		return -1;
	}
	out->cpus = json_object_get_string(v);
	return 0;
}

static const struct param_spec params_specs[] = {
	{ "domain", RPC_P_DOMAIN, params_domain },
	{ "pos", RPC_P_POS, params_pos },
	{ "data", RPC_P_DATA, params_data },
	{ "config", RPC_P_CONFIG, params_config },
	{ "paused", RPC_P_PAUSED, params_paused },
	{ "wait", RPC_P_WAIT, params_wait },
	{ "vcpu", RPC_P_VCPU, params_vcpu },
	{ "cpus", RPC_P_CPUS, params_cpus },
};

static const struct param_spec *params_find(const char *key, unsigned int allowed)
{
	for (size_t i = 0; i < sizeof(params_specs) / sizeof(params_specs[0]); i++) {
		if ((params_specs[i].bit & allowed) && strcmp(params_specs[i].key, key) == 0)
			return &params_specs[i];
	}
	return NULL;
}

static int params_check_required(const struct rpc_method *m, const struct rpc_params *out,
				 struct rpc_error *err)
{
	for (size_t i = 0; i < sizeof(params_specs) / sizeof(params_specs[0]); i++) {
		if ((m->required & params_specs[i].bit) && !(out->present & params_specs[i].bit)) {
			rpc_error_set(err, RPC_INVALID_PARAMS, "%s: missing parameter '%s'", m->name,
				      params_specs[i].key);
			return -1;
		}
	}
	return 0;
}

int rpc_params_parse(struct json_object *params, const struct rpc_method *m,
		     struct rpc_params *out, struct rpc_error *err)
{
	unsigned int allowed = m->required | m->optional;

	memset(out, 0, sizeof(*out));
	if (params && !json_object_is_type(params, json_type_object)) {
		rpc_error_set(err, RPC_INVALID_PARAMS, "%s: params must be an object", m->name);
		return -1;
	}
	if (params) {
		json_object_object_foreach(params, key, val) {
			const struct param_spec *s = params_find(key, allowed);

			if (!s) {
				char what[RPC_DESCRIBE_MAX];

				rpc_error_set(err, RPC_INVALID_PARAMS, "%s: unknown parameter %s",
					      m->name, rpc_quote(key, what, sizeof(what)));
				return -1;
			}
			if (s->parse(val, out, err) < 0)
				return -1;
			out->present |= s->bit;
		}
	}
	return params_check_required(m, out, err);
}
