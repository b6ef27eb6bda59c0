/*
 * Internals of the configuration module: the row type of the key table
 * (config.c) and the parsers of the keys that libxl and libvirt need beyond
 * what builds a domain (config_xl.c: uuid, type, gic_version, vuart, the
 * device lists and the ignored keys).
 */
#ifndef CACHETD_CONFIG_INT_H
#define CACHETD_CONFIG_INT_H

#include "config.h"

struct config_field;
typedef int (*config_parse_fn)(const struct config_field *f, struct json_object *v,
			       const struct config_limits *lim, struct dom_config *c,
			       struct rpc_error *err);

struct config_field {
	const char *key;
	config_parse_fn parse;
	size_t off;               /* where the value goes in struct dom_config */
};

/* A string of at most @max bytes without control characters (NUL included). */
int config_get_text(struct json_object *v, const char *key, size_t max, const char **out,
		    struct rpc_error *err);

int config_parse_uuid(const struct config_field *f, struct json_object *v,
		const struct config_limits *lim, struct dom_config *c, struct rpc_error *err);
int config_parse_type(const struct config_field *f, struct json_object *v,
		const struct config_limits *lim, struct dom_config *c, struct rpc_error *err);
int config_parse_gic(const struct config_field *f, struct json_object *v,
		const struct config_limits *lim, struct dom_config *c, struct rpc_error *err);
int config_parse_vuart(const struct config_field *f, struct json_object *v,
		const struct config_limits *lim, struct dom_config *c, struct rpc_error *err);
int config_parse_devices(const struct config_field *f, struct json_object *v,
		const struct config_limits *lim, struct dom_config *c, struct rpc_error *err);
/* vif: as config_parse_devices, each spec checked and given a MAC (config_vif.c). */
int config_parse_vifs(const struct config_field *f, struct json_object *v,
		const struct config_limits *lim, struct dom_config *c, struct rpc_error *err);
int config_parse_ignored(const struct config_field *f, struct json_object *v,
		const struct config_limits *lim, struct dom_config *c, struct rpc_error *err);

/* Adds the fields of config_xl.c to @o, as config_to_json writes them. */
void config_xl_to_json(const struct dom_config *c, struct json_object *o);
/* Frees what config_xl.c's fields own. */
void config_xl_free(struct dom_config *c);
/* Makes @dst, a byte copy of a configuration, hold its own references. */
void config_xl_copy(struct dom_config *dst);

#endif
