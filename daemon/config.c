/*
 * Domain configuration: validation of the client's JSON, the xl defaults,
 * and the normalised JSON form the state files keep.  Each key has one row
 * in config_fields; a key without a row is an error, as PROTOCOL.md asks.
 */
#include "config_int.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cachet/public/guest_map.h"
#include "cpulist.h"


static const char *const config_policy_names[CACHET_CACHE_POLICY_MAX] = {
	[CACHET_CACHE_DC_TVM] = "dc-tvm",
	[CACHET_CACHE_S2_FAULT] = "s2-fault",
	[CACHET_CACHE_FLUSH_LOAD] = "flush-load",
	[CACHET_CACHE_S2FWB] = "s2fwb",
	[CACHET_CACHE_NONE] = "none",
};

/* enum cachet_kernel_format: a flat binary only when the configuration says so. */
static const char *const config_format_names[] = { "auto", "raw" };

static const char *const config_action_names[] = {
	[CONFIG_ACT_DESTROY] = "destroy",
	[CONFIG_ACT_RESTART] = "restart",
	[CONFIG_ACT_PRESERVE] = "preserve",
	[CONFIG_ACT_RENAME_RESTART] = "rename-restart",
};

/* xl's other actions: they need core dumps or soft reset, which Cachet does not have. */
static const char *const config_action_unsupported[] = {
	"coredump-destroy", "coredump-restart", "soft-reset",
};

#define CONFIG_NACTIONS (sizeof(config_action_names) / sizeof(config_action_names[0]))

const char *config_policy_name(enum cachet_cache_policy p)
{
	return (unsigned int)p < CACHET_CACHE_POLICY_MAX ? config_policy_names[p] : "unknown";
}

bool config_policy_unsafe(enum cachet_cache_policy p)
{
	return p == CACHET_CACHE_FLUSH_LOAD || p == CACHET_CACHE_NONE;
}

const char *config_action_name(enum config_action a)
{
	return (size_t)a < CONFIG_NACTIONS ? config_action_names[a] : "unknown";
}

void config_init(struct dom_config *c)
{
	memset(c, 0, sizeof(*c));
	c->memory_mb = CONFIG_MEMORY_DEFAULT_MB;
	c->vcpus = CONFIG_VCPUS_DEFAULT;
	c->cache_policy = CACHET_CACHE_DC_TVM;
	/* xl's defaults: only a reboot restarts the domain. */
	c->on_poweroff = CONFIG_ACT_DESTROY;
	c->on_reboot = CONFIG_ACT_RESTART;
	c->on_crash = CONFIG_ACT_DESTROY;
	c->rng = true;
}

void config_free(struct dom_config *c)
{
	free(c->kernel);
	free(c->ramdisk);
	free(c->extra);
	free(c->cmdline);
	free(c->root);
	free(c->device_tree);
	json_object_put(c->cpus);
	config_xl_free(c);
	config_init(c);
}

static bool config_has_control_chars(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return true;
	}
	return false;
}

int config_get_text(struct json_object *v, const char *key, size_t max, const char **out,
			   struct rpc_error *err)
{
	size_t len;

	char what[RPC_DESCRIBE_MAX];

	if (!json_object_is_type(v, json_type_string)) {
		rpc_error_set(err, RPC_INVALID_PARAMS, "%s: must be a string, not %s", key,
			      rpc_describe(v, what, sizeof(what)));
		return -1;
	}
	*out = json_object_get_string(v);
	len = (size_t)json_object_get_string_len(v);
	if (len > max) {
		rpc_error_set(err, RPC_INVALID_PARAMS, "%s: longer than %zu bytes", key, max);
		return -1;
	}
	if (config_has_control_chars(*out, len)) {
		rpc_error_set(err, RPC_INVALID_PARAMS, "%s: must not contain control characters", key);
		return -1;
	}
	return 0;
}

static int config_store(const char *s, char **slot, struct rpc_error *err)
{
	char *copy = strdup(s);

	if (!copy) {
		rpc_error_set(err, RPC_INTERNAL_ERROR, "out of memory");
		return -1;
	}
	free(*slot);
	*slot = copy;
	return 0;
}

static int config_parse_name(const struct config_field *f, struct json_object *v,
			     const struct config_limits *lim, struct dom_config *c,
			     struct rpc_error *err)
{
	char what[RPC_DESCRIBE_MAX];

	(void)lim;
	if (!json_object_is_type(v, json_type_string) ||
	    !rpc_name_valid(json_object_get_string(v), (size_t)json_object_get_string_len(v))) {
		rpc_error_set(err, RPC_INVALID_PARAMS, "%s: must match [A-Za-z0-9_.-]{1,63}, not %s",
			      f->key, rpc_describe(v, what, sizeof(what)));
		return -1;
	}
	memcpy(c->name, json_object_get_string(v), (size_t)json_object_get_string_len(v) + 1);
	return 0;
}

static int config_parse_path(const struct config_field *f, struct json_object *v,
			     const struct config_limits *lim, struct dom_config *c,
			     struct rpc_error *err)
{
	const char *s;

	(void)lim;
	if (config_get_text(v, f->key, CONFIG_PATH_MAX, &s, err) < 0)
		return -1;
	if (s[0] != '/') {
		char what[RPC_DESCRIBE_MAX];

		rpc_error_set(err, RPC_INVALID_PARAMS, "%s: must be an absolute path, not %s", f->key,
			      rpc_describe(v, what, sizeof(what)));
		return -1;
	}
	return config_store(s, (char **)((char *)c + f->off), err);
}

static int config_parse_text(const struct config_field *f, struct json_object *v,
			     const struct config_limits *lim, struct dom_config *c,
			     struct rpc_error *err)
{
	const char *s;

	(void)lim;
	if (config_get_text(v, f->key, CONFIG_CMDLINE_MAX, &s, err) < 0)
		return -1;
	return config_store(s, (char **)((char *)c + f->off), err);
}

/* An integer in [min, max]; a wrong type and a wrong value are told apart. */
static int config_get_range(struct json_object *v, const char *key, int64_t min, int64_t max,
			    const char *unit, int64_t *out, struct rpc_error *err)
{
	char what[RPC_DESCRIBE_MAX];

	if (!json_object_is_type(v, json_type_int)) {
		rpc_error_set(err, RPC_INVALID_PARAMS, "%s: must be a whole number%s%s, not %s", key,
			      *unit ? " of" : "", unit, rpc_describe(v, what, sizeof(what)));
		return -1;
	}
	if (json_object_get_int64(v) < min || json_object_get_int64(v) > max) {
		/* json-c keeps 64 bits: a value on its bounds may have been larger still. */
		bool huge = json_object_get_int64(v) == INT64_MIN ||
			    json_object_get_uint64(v) >= (uint64_t)INT64_MAX;

		rpc_error_set(err, RPC_INVALID_PARAMS, "%s: must be between %lld and %lld%s, not %s",
			      key, (long long)min, (long long)max, unit,
			      huge ? "a number that large" : json_object_to_json_string(v));
		return -1;
	}
	*out = json_object_get_int64(v);
	return 0;
}

static int config_parse_memory(const struct config_field *f, struct json_object *v,
			       const struct config_limits *lim, struct dom_config *c,
			       struct rpc_error *err)
{
	int64_t mb;

	if (config_get_range(v, f->key, CONFIG_MEMORY_MIN_MB, (int64_t)lim->memory_max_mb, " MiB",
			     &mb, err) < 0)
		return -1;
	*(uint64_t *)((char *)c + f->off) = (uint64_t)mb;
	return 0;
}

static int config_parse_vcpus(const struct config_field *f, struct json_object *v,
			      const struct config_limits *lim, struct dom_config *c,
			      struct rpc_error *err)
{
	int64_t n;

	if (config_get_range(v, f->key, 1, lim->vcpus_max, "", &n, err) < 0)
		return -1;
	*(unsigned int *)((char *)c + f->off) = (unsigned int)n;
	return 0;
}

static int config_parse_switch(const struct config_field *f, struct json_object *v,
			       const struct config_limits *lim, struct dom_config *c,
			       struct rpc_error *err)
{
	int64_t n;

	(void)lim;
	if (config_get_range(v, f->key, 0, 1, "", &n, err) < 0)
		return -1;
	*(bool *)((char *)c + f->off) = n != 0;
	return 0;
}

static bool config_in(const char *s, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(s, names[i]) == 0)
			return true;
	}
	return false;
}

/*
 * Index of v's string in names[0..n), or -1 with err naming the choices;
 * a value in later[0..nlater) is known but not supported, and says so.
 */
static int config_get_choice(struct json_object *v, const char *key, const char *const *names,
			     size_t n, const char *const *later, size_t nlater,
			     struct rpc_error *err)
{
	const char *s = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
	char choices[128] = "";

	for (size_t i = 0; s && i < n; i++) {
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	}
	for (size_t i = 0; i < n; i++) {
		size_t used = strlen(choices);

		snprintf(choices + used, sizeof(choices) - used, "%s\"%s\"", i ? ", " : "", names[i]);
	}
	if (s && config_in(s, later, nlater))
		rpc_error_set(err, RPC_INVALID_PARAMS, "%s: \"%s\" is not supported by cachetd (use %s)",
			      key, s, choices);
	else {
		char what[RPC_DESCRIBE_MAX];

		rpc_error_set(err, RPC_INVALID_PARAMS, "%s: must be one of %s, not %s", key, choices,
			      rpc_describe(v, what, sizeof(what)));
	}
	return -1;
}

static int config_parse_policy(const struct config_field *f, struct json_object *v,
			       const struct config_limits *lim, struct dom_config *c,
			       struct rpc_error *err)
{
	int i = config_get_choice(v, f->key, config_policy_names, CACHET_CACHE_POLICY_MAX, NULL, 0,
				  err);

	if (i < 0)
		return -1;
	if (config_policy_unsafe((enum cachet_cache_policy)i) && !lim->allow_unsafe_policies) {
		rpc_error_set(err, RPC_INVALID_PARAMS,
			      "%s: \"%s\" is a negative control under which guests may read stale "
			      "memory; cachetd refuses it unless started with --allow-unsafe-policies",
			      f->key, config_policy_names[i]);
		return -1;
	}
	c->cache_policy = (enum cachet_cache_policy)i;
	return 0;
}

static int config_parse_format(const struct config_field *f, struct json_object *v,
			       const struct config_limits *lim, struct dom_config *c,
			       struct rpc_error *err)
{
	int i = config_get_choice(v, f->key, config_format_names, 2, NULL, 0, err);

	(void)lim;
	if (i < 0)
		return -1;
	c->kernel_format = (enum cachet_kernel_format)i;
	return 0;
}

static int config_parse_action(const struct config_field *f, struct json_object *v,
			       const struct config_limits *lim, struct dom_config *c,
			       struct rpc_error *err)
{
	int i = config_get_choice(v, f->key, config_action_names, CONFIG_NACTIONS,
				  config_action_unsupported,
				  sizeof(config_action_unsupported) / sizeof(config_action_unsupported[0]),
				  err);

	(void)lim;
	if (i < 0)
		return -1;
	*(enum config_action *)((char *)c + f->off) = (enum config_action)i;
	return 0;
}

/* One CPU list, checked against the machine; *out is its text. */
static int config_get_cpulist(struct json_object *v, const char *key,
			      const struct config_limits *lim, const char **out,
			      struct rpc_error *err)
{
	uint64_t mask;
	char msg[256];

	if (config_get_text(v, key, CPULIST_TEXT_MAX, out, err) < 0)
		return -1;
	if (cpulist_parse(*out, lim->nr_cpus, &mask, msg, sizeof(msg)) < 0) {
		rpc_error_set(err, RPC_INVALID_PARAMS, "%s: %s", key, msg);
		return -1;
	}
	return 0;
}

/* A copy of a list of CPU lists, one per vCPU, each checked. */
static struct json_object *config_cpus_array(struct json_object *v,
					     const struct config_limits *lim,
					     struct rpc_error *err)
{
	size_t n = json_object_array_length(v);
	struct json_object *copy;

	if (n == 0 || n > CACHET_MAX_VCPUS) {
		rpc_error_set(err, RPC_INVALID_PARAMS,
			      "cpus: a list must hold 1 to %d CPU lists, one per vCPU",
			      CACHET_MAX_VCPUS);
		return NULL;
	}
	copy = json_object_new_array();
	for (size_t i = 0; copy && i < n; i++) {
		char key[32];
		const char *s;

		snprintf(key, sizeof(key), "cpus[%zu]", i);
		if (config_get_cpulist(json_object_array_get_idx(v, i), key, lim, &s, err) < 0) {
			json_object_put(copy);
			return NULL;
		}
		json_object_array_add(copy, json_object_new_string(s));
	}
	if (!copy)
		rpc_error_set(err, RPC_INTERNAL_ERROR, "out of memory");
	return copy;
}

/* "cpus": one CPU list for every vCPU, or a list of them (xl.cfg(5)). */
static int config_parse_cpus(const struct config_field *f, struct json_object *v,
			     const struct config_limits *lim, struct dom_config *c,
			     struct rpc_error *err)
{
	struct json_object *copy;
	const char *s;

	if (json_object_is_type(v, json_type_array)) {
		copy = config_cpus_array(v, lim, err);
		if (!copy)
			return -1;
	} else {
		if (config_get_cpulist(v, f->key, lim, &s, err) < 0)
			return -1;
		copy = json_object_new_string(s);
		if (!copy) {
			rpc_error_set(err, RPC_INTERNAL_ERROR, "out of memory");
			return -1;
		}
	}
	json_object_put(c->cpus);
	c->cpus = copy;
	return 0;
}

#define CONFIG_OFF(m) offsetof(struct dom_config, m)

static const struct config_field config_fields[] = {
	{ "name", config_parse_name, CONFIG_OFF(name) },
	{ "kernel", config_parse_path, CONFIG_OFF(kernel) },
	{ "kernel_format", config_parse_format, CONFIG_OFF(kernel_format) },
	{ "ramdisk", config_parse_path, CONFIG_OFF(ramdisk) },
	{ "device_tree", config_parse_path, CONFIG_OFF(device_tree) },
	{ "memory", config_parse_memory, CONFIG_OFF(memory_mb) },
	{ "maxmem", config_parse_memory, CONFIG_OFF(maxmem_mb) },
	{ "vcpus", config_parse_vcpus, CONFIG_OFF(vcpus) },
	{ "maxvcpus", config_parse_vcpus, CONFIG_OFF(maxvcpus) },
	{ "cpus", config_parse_cpus, CONFIG_OFF(cpus) },
	{ "extra", config_parse_text, CONFIG_OFF(extra) },
	{ "cmdline", config_parse_text, CONFIG_OFF(cmdline) },
	{ "root", config_parse_text, CONFIG_OFF(root) },
	{ "cache_policy", config_parse_policy, CONFIG_OFF(cache_policy) },
	{ "on_poweroff", config_parse_action, CONFIG_OFF(on_poweroff) },
	{ "on_reboot", config_parse_action, CONFIG_OFF(on_reboot) },
	{ "on_crash", config_parse_action, CONFIG_OFF(on_crash) },
	{ "uuid", config_parse_uuid, CONFIG_OFF(uuid) },
	{ "type", config_parse_type, CONFIG_OFF(type_given) },
	{ "gic_version", config_parse_gic, CONFIG_OFF(gic_version) },
	{ "vuart", config_parse_vuart, CONFIG_OFF(vuart) },
	{ "disk", config_parse_devices, CONFIG_OFF(disk) },
	{ "vif", config_parse_vifs, CONFIG_OFF(vif) },
	{ "rng", config_parse_switch, CONFIG_OFF(rng) },
	{ "ignored", config_parse_ignored, CONFIG_OFF(ignored) },
};

static const struct config_field *config_find(const char *key)
{
	for (size_t i = 0; i < sizeof(config_fields) / sizeof(config_fields[0]); i++) {
		if (strcmp(config_fields[i].key, key) == 0)
			return &config_fields[i];
	}
	return NULL;
}

/* Rules between fields, checked once every field is valid on its own. */
static int config_check_whole(const struct dom_config *c, struct rpc_error *err)
{
	char *line;
	size_t len;

	if (!c->name[0] || !c->kernel) {
		rpc_error_set(err, RPC_INVALID_PARAMS, "config: '%s' is required",
			      !c->name[0] ? "name" : "kernel");
		return -1;
	}
	if (c->maxmem_mb && c->maxmem_mb < c->memory_mb) {
		rpc_error_set(err, RPC_INVALID_PARAMS, "maxmem: must be at least memory (%llu MiB)",
			      (unsigned long long)c->memory_mb);
		return -1;
	}
	/* Pages allowed beyond those populated need the builder's support (cachet.h has none). */
	if (c->maxmem_mb > c->memory_mb) {
		rpc_error_set(err, RPC_INVALID_PARAMS,
			      "maxmem: above memory (%llu MiB) is not supported yet: the domain "
			      "builder populates all of its memory", (unsigned long long)c->memory_mb);
		return -1;
	}
	if (c->maxvcpus && c->maxvcpus < c->vcpus) {
		rpc_error_set(err, RPC_INVALID_PARAMS, "maxvcpus: must be at least vcpus (%u)",
			      c->vcpus);
		return -1;
	}
	line = config_cmdline(c);
	if (!line) {
		rpc_error_set(err, RPC_INTERNAL_ERROR, "out of memory");
		return -1;
	}
	len = strlen(line);
	free(line);
	if (len > CONFIG_CMDLINE_MAX) {
		rpc_error_set(err, RPC_INVALID_PARAMS, "%s: kernel command line longer than %d bytes",
			      c->cmdline ? "cmdline" : "root/extra", CONFIG_CMDLINE_MAX);
		return -1;
	}
	return 0;
}

int config_parse(struct json_object *obj, const struct config_limits *lim,
		 struct dom_config *out, struct rpc_error *err)
{
	config_init(out);
	if (!json_object_is_type(obj, json_type_object)) {
		rpc_error_set(err, RPC_INVALID_PARAMS, "config: must be an object");
		return -1;
	}
	json_object_object_foreach(obj, key, val) {
		const struct config_field *f = config_find(key);

		if (!f) {
			char what[RPC_DESCRIBE_MAX];

			rpc_error_set(err, RPC_INVALID_PARAMS, "config: unknown key %s",
				      rpc_quote(key, what, sizeof(what)));
			goto fail;
		}
		if (f->parse(f, val, lim, out, err) < 0)
			goto fail;
	}
	if (config_check_whole(out, err) < 0)
		goto fail;
	/* Every domain has a UUID, as in xl and libvirt. */
	if (!out->uuid[0])
		config_new_uuid(out);
	return 0;
fail:
	config_free(out);
	return -1;
}

char *config_cmdline(const struct dom_config *c)
{
	const char *root = c->root ? c->root : "";
	const char *extra = c->extra ? c->extra : "";
	size_t n;
	char *s;

	if (c->cmdline)
		return strdup(c->cmdline);
	n = strlen("root=") + strlen(root) + 1 + strlen(extra) + 1;
	s = malloc(n);
	if (!s)
		return NULL;
	/* libxl: "root=ROOT EXTRA", either part left out when not given. */
	snprintf(s, n, "%s%s%s%s", c->root ? "root=" : "", root, c->root && c->extra ? " " : "",
		 extra);
	return s;
}

static void config_add_string(struct json_object *o, const char *key, const char *v)
{
	if (v)
		json_object_object_add(o, key, json_object_new_string(v));
}

struct json_object *config_to_json(const struct dom_config *c)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	config_add_string(o, "name", c->name);
	config_add_string(o, "kernel", c->kernel);
	config_add_string(o, "kernel_format", config_format_names[c->kernel_format]);
	config_add_string(o, "ramdisk", c->ramdisk);
	config_add_string(o, "device_tree", c->device_tree);
	json_object_object_add(o, "memory", json_object_new_int64((int64_t)c->memory_mb));
	json_object_object_add(o, "maxmem", json_object_new_int64((int64_t)config_max_mb(c)));
	json_object_object_add(o, "vcpus", json_object_new_int64(c->vcpus));
	json_object_object_add(o, "maxvcpus", json_object_new_int64(config_max_vcpus(c)));
	if (c->cpus)
		json_object_object_add(o, "cpus", json_object_get(c->cpus));
	config_add_string(o, "extra", c->extra);
	config_add_string(o, "cmdline", c->cmdline);
	config_add_string(o, "root", c->root);
	config_add_string(o, "cache_policy", config_policy_name(c->cache_policy));
	config_add_string(o, "on_poweroff", config_action_name(c->on_poweroff));
	config_add_string(o, "on_reboot", config_action_name(c->on_reboot));
	config_add_string(o, "on_crash", config_action_name(c->on_crash));
	/* Written only when off, so that the configurations of older daemons read the same. */
	if (!c->rng)
		json_object_object_add(o, "rng", json_object_new_int(0));
	config_xl_to_json(c, o);
	return o;
}

bool config_restarts_on(const struct dom_config *c, uint32_t reason)
{
	enum config_action a;

	switch (reason) {
	case CACHET_SHUTDOWN_POWEROFF:
		a = c->on_poweroff;
		break;
	case CACHET_SHUTDOWN_REBOOT:
		a = c->on_reboot;
		break;
	case CACHET_SHUTDOWN_CRASH:
		a = c->on_crash;
		break;
	default:
		return false;
	}
	return a == CONFIG_ACT_RESTART || a == CONFIG_ACT_RENAME_RESTART;
}

unsigned int config_max_vcpus(const struct dom_config *c)
{
	return c->maxvcpus ? c->maxvcpus : c->vcpus;
}

uint64_t config_max_mb(const struct dom_config *c)
{
	return c->maxmem_mb ? c->maxmem_mb : c->memory_mb;
}

int config_affinity(const struct dom_config *c, unsigned int vcpu, unsigned int nr_cpus,
		    uint64_t *mask, char *msg, size_t msglen)
{
	struct json_object *list = c->cpus;
	char why[256];

	if (!list)
		return 0;
	/* As xl: a list pins the vCPUs it has an entry for and leaves the others free. */
	if (json_object_is_type(list, json_type_array)) {
		if (vcpu >= json_object_array_length(list))
			return 0;
		list = json_object_array_get_idx(list, vcpu);
	}
	if (cpulist_parse(json_object_get_string(list), nr_cpus, mask, why, sizeof(why)) < 0) {
		snprintf(msg, msglen, "cpus: vCPU %u: %s", vcpu, why);
		return -1;
	}
	return 1;
}

static int config_dup(const char *s, char **out)
{
	*out = s ? strdup(s) : NULL;
	return s && !*out ? -1 : 0;
}

int config_copy(struct dom_config *dst, const struct dom_config *src)
{
	*dst = *src;
	dst->kernel = dst->ramdisk = dst->extra = dst->cmdline = dst->root = NULL;
	dst->device_tree = NULL;
	/* The cpus value is never changed once parsed, so the copy shares it. */
	dst->cpus = json_object_get(src->cpus);
	config_xl_copy(dst);
	if (config_dup(src->kernel, &dst->kernel) < 0 ||
	    config_dup(src->ramdisk, &dst->ramdisk) < 0 ||
	    config_dup(src->extra, &dst->extra) < 0 ||
	    config_dup(src->cmdline, &dst->cmdline) < 0 ||
	    config_dup(src->root, &dst->root) < 0 ||
	    config_dup(src->device_tree, &dst->device_tree) < 0) {
		config_free(dst);
		return -1;
	}
	return 0;
}
