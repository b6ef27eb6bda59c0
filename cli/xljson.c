/*
 * libxl's JSON form of a domain (xljson.h): generated with yajl from a
 * CONFIG, and read back into one.  Field names and enum spellings are
 * libxl's (libxl_types.idl): actions are "destroy", "restart",
 * "restart_rename", "preserve"; the Arm GIC is "v3" or "default".
 */
#define _GNU_SOURCE /* asprintf */
#include "xljson.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "cfgdev.h"

#define XLJSON_DEFAULT_MEMORY_MB 128
/* CPU numbers a CPU list may name (cachet.cfg(5)). */
#define XLJSON_CPUS_MAX 4096

/* CONFIG's action names and libxl's, in the same order. */
static const char *const xljson_actions[][2] = {
	{ "destroy", "destroy" },
	{ "restart", "restart" },
	{ "rename-restart", "restart_rename" },
	{ "preserve", "preserve" },
	{ "coredump-destroy", "coredump_destroy" },
	{ "coredump-restart", "coredump_restart" },
	{ "soft-reset", "soft_reset" },
};
#define XLJSON_NACTIONS (sizeof(xljson_actions) / sizeof(xljson_actions[0]))

/* ---- CONFIG readers ------------------------------------------------------- */

static struct json_object *xljson_get(struct json_object *o, const char *key,
				      enum json_type type)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, type))
		return NULL;
	return v;
}

static const char *xljson_str(struct json_object *o, const char *key)
{
	struct json_object *v = xljson_get(o, key, json_type_string);

	return v ? json_object_get_string(v) : NULL;
}

static int64_t xljson_int(struct json_object *o, const char *key, int64_t def)
{
	struct json_object *v = xljson_get(o, key, json_type_int);

	return v ? json_object_get_int64(v) : def;
}

/* ---- Generation ----------------------------------------------------------- */

static void xljson_gen_str(yajl_gen g, const char *s)
{
	yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

static void xljson_gen_kstr(yajl_gen g, const char *key, const char *v)
{
	if (!v)
		return;
	xljson_gen_str(g, key);
	xljson_gen_str(g, v);
}

static void xljson_gen_kint(yajl_gen g, const char *key, int64_t v)
{
	xljson_gen_str(g, key);
	yajl_gen_integer(g, v);
}

/* Any json-c value, as it is. */
static void xljson_gen_value(yajl_gen g, struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		yajl_gen_null(g);
		break;
	case json_type_boolean:
		yajl_gen_bool(g, json_object_get_boolean(v));
		break;
	case json_type_int:
		yajl_gen_integer(g, json_object_get_int64(v));
		break;
	case json_type_double:
		yajl_gen_double(g, json_object_get_double(v));
		break;
	case json_type_string:
		yajl_gen_string(g, (const unsigned char *)json_object_get_string(v),
				(size_t)json_object_get_string_len(v));
		break;
	case json_type_array:
		yajl_gen_array_open(g);
		for (size_t i = 0; i < json_object_array_length(v); i++)
			xljson_gen_value(g, json_object_array_get_idx(v, i));
		yajl_gen_array_close(g);
		break;
	case json_type_object:
		yajl_gen_map_open(g);
		json_object_object_foreach(v, key, val) {
			xljson_gen_str(g, key);
			xljson_gen_value(g, val);
		}
		yajl_gen_map_close(g);
		break;
	}
}

static void xljson_gen_c_info(yajl_gen g, struct json_object *c)
{
	xljson_gen_str(g, "c_info");
	yajl_gen_map_open(g);
	xljson_gen_kstr(g, "type", "pvh");
	xljson_gen_kstr(g, "name", xljson_str(c, "name"));
	xljson_gen_kstr(g, "uuid", xljson_str(c, "uuid"));
	yajl_gen_map_close(g);
}

/* libxl's b_info.cmdline is the whole line: xl joins root= and extra= into it. */
static void xljson_gen_cmdline(yajl_gen g, struct json_object *c)
{
	const char *root = xljson_str(c, "root"), *extra = xljson_str(c, "extra");
	char *line = NULL;

	if (xljson_str(c, "cmdline")) {
		xljson_gen_kstr(g, "cmdline", xljson_str(c, "cmdline"));
		return;
	}
	if (!root && !extra)
		return;
	if (asprintf(&line, "%s%s%s%s", root ? "root=" : "", root ? root : "",
		     root && extra ? " " : "", extra ? extra : "") < 0)
		return;
	xljson_gen_kstr(g, "cmdline", line);
	free(line);
}

/*
 * One CPU list ("0-3,^1") as a libxl bitmap, the list of its CPUs; false
 * (nothing written) when it needs the machine's size ("all").
 */
static bool xljson_cpus_bits(const char *list, bool bits[XLJSON_CPUS_MAX])
{
	memset(bits, 0, XLJSON_CPUS_MAX * sizeof(bool));
	for (const char *p = list; *p;) {
		bool clear = *p == '^';
		char *end;
		unsigned long lo = strtoul(p + clear, &end, 10), hi = lo;

		if (end == p + clear)
			return false; /* "all", or anything else the parser let through */
		if (*end == '-')
			hi = strtoul(end + 1, &end, 10);
		for (unsigned long c = lo; c <= hi && c < XLJSON_CPUS_MAX; c++)
			bits[c] = !clear;
		p = *end == ',' ? end + 1 : end;
		if (*end && *end != ',')
			return false;
	}
	return true;
}

static void xljson_gen_bitmap(yajl_gen g, const bool bits[XLJSON_CPUS_MAX])
{
	yajl_gen_array_open(g);
	for (int c = 0; c < XLJSON_CPUS_MAX; c++)
		if (bits[c])
			yajl_gen_integer(g, c);
	yajl_gen_array_close(g);
}

/* cpus= as libxl's vcpu_hard_affinity, one bitmap per vCPU it pins. */
static void xljson_gen_affinity(yajl_gen g, struct json_object *c, int64_t max_vcpus)
{
	struct json_object *cpus = NULL;
	static bool bits[XLJSON_CPUS_MAX];
	bool one = false;
	size_t n;

	if (!json_object_object_get_ex(c, "cpus", &cpus))
		return;
	one = json_object_is_type(cpus, json_type_string);
	n = one ? (size_t)max_vcpus : json_object_array_length(cpus);
	for (size_t i = 0; i < n; i++)
		if (!xljson_cpus_bits(json_object_get_string(one ? cpus : json_object_array_get_idx(cpus, i)),
				      bits))
			return;
	xljson_gen_str(g, "vcpu_hard_affinity");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < n; i++) {
		xljson_cpus_bits(json_object_get_string(one ? cpus : json_object_array_get_idx(cpus, i)),
				 bits);
		xljson_gen_bitmap(g, bits);
	}
	yajl_gen_array_close(g);
}

static void xljson_gen_arch_arm(yajl_gen g, struct json_object *c)
{
	const char *gic = xljson_str(c, "gic_version"), *vuart = xljson_str(c, "vuart");

	if (!gic && !vuart)
		return;
	xljson_gen_str(g, "arch_arm");
	yajl_gen_map_open(g);
	/* libxl names the host's own version "default"; Cachet's is always a GICv3. */
	if (gic)
		xljson_gen_kstr(g, "gic_version", strcmp(gic, "v3") == 0 ? "v3" : "default");
	xljson_gen_kstr(g, "vuart", vuart);
	yajl_gen_map_close(g);
}

static void xljson_gen_b_info(yajl_gen g, struct json_object *c)
{
	int64_t vcpus = xljson_int(c, "vcpus", 1);
	int64_t memory = xljson_int(c, "memory", XLJSON_DEFAULT_MEMORY_MB);

	xljson_gen_str(g, "b_info");
	yajl_gen_map_open(g);
	xljson_gen_kint(g, "max_vcpus", xljson_int(c, "maxvcpus", vcpus));
	/* A libxl bitmap is written as the list of its set bits. */
	xljson_gen_str(g, "avail_vcpus");
	yajl_gen_array_open(g);
	for (int64_t i = 0; i < vcpus; i++)
		yajl_gen_integer(g, i);
	yajl_gen_array_close(g);
	xljson_gen_affinity(g, c, xljson_int(c, "maxvcpus", vcpus));
	xljson_gen_kint(g, "max_memkb", xljson_int(c, "maxmem", memory) * 1024);
	xljson_gen_kint(g, "target_memkb", memory * 1024);
	xljson_gen_kstr(g, "kernel", xljson_str(c, "kernel"));
	xljson_gen_cmdline(g, c);
	xljson_gen_kstr(g, "ramdisk", xljson_str(c, "ramdisk"));
	xljson_gen_kstr(g, "device_tree", xljson_str(c, "device_tree"));
	xljson_gen_str(g, "type.pvh");
	yajl_gen_map_open(g);
	yajl_gen_map_close(g);
	xljson_gen_arch_arm(g, c);
	yajl_gen_map_close(g);
}

/* "disks" or "nics": each spec of CONFIG's "disk" or "vif" in libxl's shape. */
static int xljson_gen_devices(yajl_gen g, struct json_object *c, bool disks, char *msg,
			      size_t msglen)
{
	struct json_object *list = xljson_get(c, disks ? "disk" : "vif", json_type_array);
	char why[256];

	if (!list)
		return 0;
	xljson_gen_str(g, disks ? "disks" : "nics");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		const char *spec = json_object_get_string(json_object_array_get_idx(list, i));
		struct json_object *dev = disks ? cfgdev_disk_parse(spec, why, sizeof(why)) :
						  cfgdev_vif_parse(spec, why, sizeof(why));

		if (!dev) {
			snprintf(msg, msglen, "%s '%s': %s", disks ? "disk" : "vif", spec, why);
			return -1;
		}
		xljson_gen_value(g, dev);
		json_object_put(dev);
	}
	yajl_gen_array_close(g);
	return 0;
}

static const char *xljson_action_to_libxl(const char *a)
{
	for (size_t i = 0; a && i < XLJSON_NACTIONS; i++)
		if (strcmp(a, xljson_actions[i][0]) == 0)
			return xljson_actions[i][1];
	return a;
}

static int xljson_gen_config(yajl_gen g, struct json_object *c, char *msg, size_t msglen)
{
	static const char *const keys[][2] = {
		{ "on_poweroff", "destroy" }, { "on_reboot", "restart" }, { "on_crash", "destroy" },
	};

	xljson_gen_str(g, "config");
	yajl_gen_map_open(g);
	xljson_gen_c_info(g, c);
	xljson_gen_b_info(g, c);
	if (xljson_gen_devices(g, c, true, msg, msglen) < 0 ||
	    xljson_gen_devices(g, c, false, msg, msglen) < 0)
		return -1;
	for (size_t i = 0; i < 3; i++) {
		const char *a = xljson_str(c, keys[i][0]);

		xljson_gen_kstr(g, keys[i][0], xljson_action_to_libxl(a ? a : keys[i][1]));
	}
	yajl_gen_map_close(g);
	return 0;
}

static int xljson_gen_dom(yajl_gen g, const struct xljson_dom *d, char *msg, size_t msglen)
{
	yajl_gen_map_open(g);
	if (d->has_domid)
		xljson_gen_kint(g, "domid", d->domid);
	if (xljson_gen_config(g, d->config, msg, msglen) < 0)
		return -1;
	xljson_gen_str(g, "cachet");
	yajl_gen_map_open(g);
	xljson_gen_str(g, "config");
	xljson_gen_value(g, d->config);
	if (d->state) {
		json_object_object_foreach(d->state, key, val) {
			xljson_gen_str(g, key);
			xljson_gen_value(g, val);
		}
	}
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
	return 0;
}

char *xljson_render(const struct xljson_dom *doms, size_t n, bool array, char *msg,
		    size_t msglen)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	const unsigned char *buf;
	char *text = NULL;
	size_t len;
	int ret = 0;

	if (!g) {
		snprintf(msg, msglen, "out of memory");
		return NULL;
	}
	yajl_gen_config(g, yajl_gen_beautify, 1);
	if (array)
		yajl_gen_array_open(g);
	for (size_t i = 0; i < n && ret == 0; i++)
		ret = xljson_gen_dom(g, &doms[i], msg, msglen);
	if (array)
		yajl_gen_array_close(g);
	if (ret == 0 && yajl_gen_get_buf(g, &buf, &len) == yajl_gen_status_ok)
		text = strndup((const char *)buf, len);
	if (ret == 0 && !text)
		snprintf(msg, msglen, "out of memory");
	yajl_gen_free(g);
	return text;
}

/* ---- Reading libxl's shape back ----------------------------------------- */

static void xljson_put_str(struct json_object *out, const char *key, const char *v)
{
	if (v)
		json_object_object_add(out, key, json_object_new_string(v));
}

static const char *xljson_action_from_libxl(const char *a)
{
	for (size_t i = 0; a && i < XLJSON_NACTIONS; i++)
		if (strcmp(a, xljson_actions[i][1]) == 0)
			return xljson_actions[i][0];
	return a;
}

/* A libxl bitmap (list of set bits) as a CPU list "0,2,5"; NULL if malformed. */
static struct json_object *xljson_cpulist(struct json_object *bits)
{
	char buf[1024] = "";
	size_t used = 0;

	if (!json_object_is_type(bits, json_type_array) || json_object_array_length(bits) == 0)
		return NULL;
	for (size_t i = 0; i < json_object_array_length(bits); i++) {
		struct json_object *b = json_object_array_get_idx(bits, i);

		if (!json_object_is_type(b, json_type_int) || json_object_get_int64(b) < 0)
			return NULL;
		used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%lld", i ? "," : "",
					 (long long)json_object_get_int64(b));
		if (used >= sizeof(buf))
			return NULL;
	}
	return json_object_new_string(buf);
}

static void xljson_b_info_to_config(struct json_object *b, struct json_object *out)
{
	static const char *const paths[] = { "kernel", "ramdisk", "device_tree", "cmdline" };
	struct json_object *v, *arm = xljson_get(b, "arch_arm", json_type_object), *aff;
	/* libxl before 4.10 kept the PV boot fields under "type.pv". */
	struct json_object *pv = xljson_get(b, "type.pv", json_type_object);

	for (size_t i = 0; i < 4; i++)
		xljson_put_str(out, paths[i],
			       xljson_str(b, paths[i]) ? xljson_str(b, paths[i]) : xljson_str(pv, paths[i]));
	if ((v = xljson_get(b, "target_memkb", json_type_int)))
		json_object_object_add(out, "memory", json_object_new_int64(json_object_get_int64(v) / 1024));
	if ((v = xljson_get(b, "max_memkb", json_type_int)))
		json_object_object_add(out, "maxmem", json_object_new_int64(json_object_get_int64(v) / 1024));
	if ((v = xljson_get(b, "avail_vcpus", json_type_array)))
		json_object_object_add(out, "vcpus",
				       json_object_new_int64((int64_t)json_object_array_length(v)));
	if ((v = xljson_get(b, "max_vcpus", json_type_int)))
		json_object_object_add(out, "maxvcpus", json_object_get(v));
	if ((v = xljson_get(b, "vcpu_hard_affinity", json_type_array))) {
		aff = json_object_new_array();
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			struct json_object *l = xljson_cpulist(json_object_array_get_idx(v, i));

			json_object_array_add(aff, l ? l : json_object_new_string("all"));
		}
		json_object_object_add(out, "cpus", aff);
	}
	xljson_put_str(out, "gic_version", xljson_str(arm, "gic_version"));
	xljson_put_str(out, "vuart", xljson_str(arm, "vuart"));
}

/* libxl's disks and nics as xl specs. */
static int xljson_devices_to_config(struct json_object *cfg, bool disks, struct json_object *out,
				    char *msg, size_t msglen)
{
	struct json_object *list = xljson_get(cfg, disks ? "disks" : "nics", json_type_array), *specs;

	if (!list || json_object_array_length(list) == 0)
		return 0;
	specs = json_object_new_array();
	json_object_object_add(out, disks ? "disk" : "vif", specs);
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		struct json_object *dev = json_object_array_get_idx(list, i);
		char *spec = json_object_is_type(dev, json_type_object) ?
				     (disks ? cfgdev_disk_spec(dev) : cfgdev_vif_spec(dev)) :
				     NULL;

		if (!spec) {
			snprintf(msg, msglen, "config.%s[%zu]: not a libxl %s", disks ? "disks" : "nics",
				 i, disks ? "disk (no vdev)" : "nic");
			return -1;
		}
		json_object_array_add(specs, json_object_new_string(spec));
		free(spec);
	}
	return 0;
}

static int xljson_libxl_to_config(struct json_object *cfg, struct json_object *out, char *msg,
				  size_t msglen)
{
	static const char *const actions[] = { "on_poweroff", "on_reboot", "on_crash" };
	struct json_object *c_info = xljson_get(cfg, "c_info", json_type_object);
	const char *type = xljson_str(c_info, "type");

	if (!c_info) {
		snprintf(msg, msglen, "no \"c_info\" object: not libxl's JSON for a domain");
		return -1;
	}
	xljson_put_str(out, "name", xljson_str(c_info, "name"));
	xljson_put_str(out, "uuid", xljson_str(c_info, "uuid"));
	xljson_put_str(out, "type", type);
	xljson_b_info_to_config(xljson_get(cfg, "b_info", json_type_object), out);
	for (size_t i = 0; i < 3; i++)
		xljson_put_str(out, actions[i], xljson_action_from_libxl(xljson_str(cfg, actions[i])));
	if (xljson_devices_to_config(cfg, true, out, msg, msglen) < 0 ||
	    xljson_devices_to_config(cfg, false, out, msg, msglen) < 0)
		return -1;
	return 0;
}

int xljson_to_config(struct json_object *doc, struct json_object **out, char *msg,
		     size_t msglen)
{
	struct json_object *cachet, *cfg;

	if (json_object_is_type(doc, json_type_array)) {
		if (json_object_array_length(doc) != 1) {
			snprintf(msg, msglen, "a list of %zu domains: give exactly one",
				 json_object_array_length(doc));
			return -1;
		}
		doc = json_object_array_get_idx(doc, 0);
	}
	if (!json_object_is_type(doc, json_type_object)) {
		snprintf(msg, msglen, "not a JSON object");
		return -1;
	}
	cachet = xljson_get(doc, "cachet", json_type_object);
	cfg = xljson_get(cachet, "config", json_type_object);
	if (cfg)
		return json_object_deep_copy(cfg, out, NULL) == 0 ? 0 : -1;
	cfg = xljson_get(doc, "config", json_type_object);
	*out = json_object_new_object();
	if (xljson_libxl_to_config(cfg ? cfg : doc, *out, msg, msglen) == 0)
		return 0;
	json_object_put(*out);
	return -1;
}
