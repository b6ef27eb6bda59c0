/*
 * The configuration keys that describe a domain to libxl and libvirt rather
 * than build it: its UUID, the Arm guest type and interrupt controller, the
 * console model, the disk and vif lists (kept, not attached yet: the client
 * has parsed the specs) and the xl keys that do not apply to Arm, kept so
 * that a configuration written back loses nothing.
 */
#include <stdio.h>
#include <string.h>

#include <uuid/uuid.h>

#include "config_int.h"

/* Sets *(char[size]) at f->off in @c to the string @v when it is one of @allowed. */
static int config_pick(const struct config_field *f, struct json_object *v,
		       const char *const *allowed, const char *choices, struct dom_config *c,
		       size_t size, struct rpc_error *err)
{
	const char *s = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;

	for (; s && *allowed; allowed++) {
		if (strcmp(s, *allowed) == 0) {
			snprintf((char *)c + f->off, size, "%s", s);
			return 0;
		}
	}
	rpc_error_set(err, RPC_INVALID_PARAMS, "%s: must be %s", f->key, choices);
	return -1;
}

int config_parse_uuid(const struct config_field *f, struct json_object *v,
		      const struct config_limits *lim, struct dom_config *c, struct rpc_error *err)
{
	const char *s;
	uuid_t u;

	(void)lim;
	if (config_get_text(v, f->key, CONFIG_UUID_LEN - 1, &s, err) < 0)
		return -1;
	if (strlen(s) != CONFIG_UUID_LEN - 1 || uuid_parse(s, u) < 0) {
		rpc_error_set(err, RPC_INVALID_PARAMS,
			      "%s: must be a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)", f->key);
		return -1;
	}
	uuid_unparse_lower(u, c->uuid);
	return 0;
}

void config_new_uuid(struct dom_config *c)
{
	uuid_t u;

	uuid_generate_random(u);
	uuid_unparse_lower(u, c->uuid);
}

int config_parse_type(const struct config_field *f, struct json_object *v,
		      const struct config_limits *lim, struct dom_config *c, struct rpc_error *err)
{
	(void)lim;
	/* The client keeps x86's "pv" and "hvm" under "ignored"; here only Arm's is valid. */
	if (!json_object_is_type(v, json_type_string) ||
	    strcmp(json_object_get_string(v), "pvh") != 0) {
		rpc_error_set(err, RPC_INVALID_PARAMS, "%s: must be \"pvh\" (the Arm guest type)",
			      f->key);
		return -1;
	}
	c->type_given = true;
	return 0;
}

int config_parse_gic(const struct config_field *f, struct json_object *v,
		     const struct config_limits *lim, struct dom_config *c, struct rpc_error *err)
{
	static const char *const versions[] = { "v3", "native", "default", NULL };

	(void)lim;
	/* Guests get a virtual GICv3: a GICv2 cannot be honoured. */
	return config_pick(f, v, versions, "\"v3\", \"native\" or \"default\" (guests have a GICv3)",
			   c, sizeof(c->gic_version), err);
}

int config_parse_vuart(const struct config_field *f, struct json_object *v,
		       const struct config_limits *lim, struct dom_config *c, struct rpc_error *err)
{
	static const char *const models[] = { "sbsa_uart", NULL };

	(void)lim;
	return config_pick(f, v, models, "\"sbsa_uart\"", c, sizeof(c->vuart), err);
}

/* disk and vif: up to CONFIG_DEVICES_MAX spec strings, kept as given. */
int config_parse_devices(const struct config_field *f, struct json_object *v,
			 const struct config_limits *lim, struct dom_config *c,
			 struct rpc_error *err)
{
	struct json_object **slot = (struct json_object **)((char *)c + f->off);
	size_t n = json_object_is_type(v, json_type_array) ? json_object_array_length(v) : 0;
	const char *s;

	(void)lim;
	if (!json_object_is_type(v, json_type_array) || n > CONFIG_DEVICES_MAX) {
		rpc_error_set(err, RPC_INVALID_PARAMS, "%s: must be a list of at most %d specs",
			      f->key, CONFIG_DEVICES_MAX);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (config_get_text(json_object_array_get_idx(v, i), f->key, CONFIG_SPEC_MAX, &s,
				    err) < 0)
			return -1;
	json_object_put(*slot);
	*slot = json_object_get(v);
	return 0;
}

/* What the client could not use: any JSON object, kept as it is, within a bound. */
int config_parse_ignored(const struct config_field *f, struct json_object *v,
			 const struct config_limits *lim, struct dom_config *c,
			 struct rpc_error *err)
{
	(void)lim;
	if (!json_object_is_type(v, json_type_object) ||
	    strlen(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN)) > CONFIG_IGNORED_MAX) {
		rpc_error_set(err, RPC_INVALID_PARAMS, "%s: must be an object of at most %d bytes",
			      f->key, CONFIG_IGNORED_MAX);
		return -1;
	}
	json_object_put(c->ignored);
	c->ignored = json_object_get(v);
	return 0;
}

static void config_add_ref(struct json_object *o, const char *key, struct json_object *v)
{
	if (v)
		json_object_object_add(o, key, json_object_get(v));
}

void config_xl_to_json(const struct dom_config *c, struct json_object *o)
{
	if (c->uuid[0])
		json_object_object_add(o, "uuid", json_object_new_string(c->uuid));
	json_object_object_add(o, "type", json_object_new_string("pvh"));
	if (c->gic_version[0])
		json_object_object_add(o, "gic_version", json_object_new_string(c->gic_version));
	if (c->vuart[0])
		json_object_object_add(o, "vuart", json_object_new_string(c->vuart));
	config_add_ref(o, "disk", c->disk);
	config_add_ref(o, "vif", c->vif);
	config_add_ref(o, "ignored", c->ignored);
}

void config_xl_free(struct dom_config *c)
{
	json_object_put(c->disk);
	json_object_put(c->vif);
	json_object_put(c->ignored);
}

void config_xl_copy(struct dom_config *dst)
{
	/* These values are never changed once parsed, so the copy shares them. */
	json_object_get(dst->disk);
	json_object_get(dst->vif);
	json_object_get(dst->ignored);
}
