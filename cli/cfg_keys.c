/*
 * The keys of a domain configuration: each one's type, range and allowed
 * values, and the checks that turn a parsed value into what the daemon gets
 * (relative paths become absolute ones).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cachet/public/abi.h"
#include "cachet/public/guest_map.h"
#include "cfg_int.h"
#include "utf8.h"

#define CFG_MAX_NAME 63
/* RAM banks 0 and 1 of the guest map (cachet/public/guest_map.h), in MiB. */
#define CFG_MEMORY_MAX_MB ((long long)CACHET_GUEST_RAM_MAX_MB)

enum cfg_type {
	CFG_STRING, /* any string */
	CFG_NAME,   /* a domain name */
	CFG_PATH,   /* a file, resolved to an absolute path */
	CFG_INT,    /* an integer in [min, max] */
	CFG_ENUM,   /* one of @values */
	CFG_CPUS,   /* a CPU list string, or a list of them (one per vCPU) */
};

struct cfg_key {
	const char *name;
	enum cfg_type type;
	long long min, max;
	const char *unit;
	/* CFG_ENUM: the values the daemon takes, and xl's others it does not take. */
	const char *const *values;
	const char *const *later_values;
	/* False for keys xl knows that this version cannot pass to cachetd yet. */
	bool supported;
};

static const char *const cfg_actions[] = { "destroy", "restart", "rename-restart", "preserve",
					   NULL };
/* Core dumps and soft reset do not exist in Cachet. */
static const char *const cfg_xl_only_actions[] = { "coredump-destroy", "coredump-restart",
						   "soft-reset", NULL };
static const char *const cfg_policies[] = { "dc-tvm", "s2-fault", "flush-load", "s2fwb", NULL };
/* A flat binary is booted only when the configuration asks for one. */
static const char *const cfg_formats[] = { "auto", "raw", NULL };

/* In the order the keys are sent to the daemon; the first CFG_NREQUIRED are required. */
static const struct cfg_key cfg_keys[] = {
	{ "name", CFG_NAME, 0, 0, NULL, NULL, NULL, true },
	{ "kernel", CFG_PATH, 0, 0, NULL, NULL, NULL, true },
	{ "ramdisk", CFG_PATH, 0, 0, NULL, NULL, NULL, true },
	{ "device_tree", CFG_PATH, 0, 0, NULL, NULL, NULL, true },
	{ "extra", CFG_STRING, 0, 0, NULL, NULL, NULL, true },
	{ "cmdline", CFG_STRING, 0, 0, NULL, NULL, NULL, true },
	{ "root", CFG_STRING, 0, 0, NULL, NULL, NULL, true },
	/* The guest map's two RAM banks; cachetd also bounds it by the machine's memory. */
	{ "memory", CFG_INT, 16, CFG_MEMORY_MAX_MB, " MiB", NULL, NULL, true },
	{ "maxmem", CFG_INT, 16, CFG_MEMORY_MAX_MB, " MiB", NULL, NULL, true },
	/* The hypervisor's limit, as cachetd checks it. */
	{ "vcpus", CFG_INT, 1, CACHET_MAX_VCPUS, "", NULL, NULL, true },
	{ "maxvcpus", CFG_INT, 1, CACHET_MAX_VCPUS, "", NULL, NULL, true },
	{ "cpus", CFG_CPUS, 0, 0, NULL, NULL, NULL, true },
	{ "on_poweroff", CFG_ENUM, 0, 0, NULL, cfg_actions, cfg_xl_only_actions, true },
	{ "on_reboot", CFG_ENUM, 0, 0, NULL, cfg_actions, cfg_xl_only_actions, true },
	{ "on_crash", CFG_ENUM, 0, 0, NULL, cfg_actions, cfg_xl_only_actions, true },
	{ "cache_policy", CFG_ENUM, 0, 0, NULL, cfg_policies, NULL, true },
	{ "kernel_format", CFG_ENUM, 0, 0, NULL, cfg_formats, NULL, true },
};
_Static_assert(sizeof(cfg_keys) / sizeof(cfg_keys[0]) == CFG_NKEYS, "CFG_NKEYS");

const char *cfg_key_name(size_t idx)
{
	return cfg_keys[idx].name;
}

bool cfg_name_is_valid(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len > CFG_MAX_NAME)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)name[i];

		if (!isalnum(ch) && ch != '_' && ch != '.' && ch != '-')
			return false;
	}
	return true;
}

static const char *cfg_type_name(struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_string:
		return "a string";
	case json_type_int:
		return "an integer";
	case json_type_array:
		return "a list";
	default:
		return "something else";
	}
}

static bool cfg_in_list(const char *const *list, const char *s)
{
	for (; list && *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

static int cfg_check_enum(struct cfg_lexer *lx, const struct cfg_key *k, const char *s)
{
	char allowed[256] = "";

	if (cfg_in_list(k->values, s))
		return 0;
	for (const char *const *v = k->values; *v; v++) {
		if (v != k->values)
			strcat(allowed, v[1] ? ", " : " or ");
		strcat(allowed, *v);
	}
	if (cfg_in_list(k->later_values, s))
		return cfg_fail(lx, "%s: '%s' is not supported by Cachet (use %s)", k->name, s,
				allowed);
	return cfg_fail(lx, "%s: invalid value '%s' (expected %s)", k->name, s, allowed);
}

/* One CPU list item: "all", or [^]N[-M]. */
static bool cfg_cpu_item_valid(const char *item, size_t len)
{
	unsigned long long lo, hi;
	const char *dash;

	if (len == 3 && strncmp(item, "all", 3) == 0)
		return true;
	if (len > 0 && item[0] == '^') {
		item++;
		len--;
	}
	dash = memchr(item, '-', len);
	if (!dash)
		return cfg_parse_uint(item, len, &lo) && lo < 4096;
	return cfg_parse_uint(item, (size_t)(dash - item), &lo) &&
	       cfg_parse_uint(dash + 1, len - (size_t)(dash - item) - 1, &hi) && lo <= hi &&
	       hi < 4096;
}

/* A CPU list as xl.cfg's cpus= takes it: "all", "0-3,5,^1". */
static bool cfg_cpulist_valid(const char *s)
{
	do {
		size_t len = strcspn(s, ",");

		if (!cfg_cpu_item_valid(s, len))
			return false;
		s += len;
	} while (*s++ == ',');
	return true;
}

static int cfg_check_cpus(struct cfg_lexer *lx, const struct cfg_key *k, struct json_object *v)
{
	size_t n = 1;

	if (json_object_is_type(v, json_type_array))
		n = json_object_array_length(v);
	for (size_t i = 0; i < n; i++) {
		struct json_object *item = v;
		const char *s;

		if (json_object_is_type(v, json_type_array))
			item = json_object_array_get_idx(v, i);
		if (!json_object_is_type(item, json_type_string))
			return cfg_fail(lx, "%s: expected a CPU list string, got %s", k->name,
					cfg_type_name(item));
		s = json_object_get_string(item);
		if (!cfg_cpulist_valid(s))
			return cfg_fail(lx, "%s: invalid CPU list '%s' (expected e.g. \"0-3,5,^1\")",
					k->name, s);
	}
	return 0;
}

static int cfg_check_int(struct cfg_lexer *lx, const struct cfg_key *k, struct json_object *v)
{
	int64_t n;

	if (!json_object_is_type(v, json_type_int))
		return cfg_fail(lx, "%s: expected an integer, got %s", k->name, cfg_type_name(v));
	n = json_object_get_int64(v);
	if (n < k->min || n > k->max)
		return cfg_fail(lx, "%s: must be between %lld and %lld%s (got %lld)", k->name,
				k->min, k->max, k->unit, (long long)n);
	return 0;
}

/* Turns a path value into an absolute path to an existing regular file. */
static int cfg_resolve_path(struct cfg_lexer *lx, const struct cfg_key *k, const char *s,
			    struct json_object **out)
{
	char joined[PATH_MAX], real[PATH_MAX];
	struct stat st;

	if (*s == '\0')
		return cfg_fail(lx, "%s: empty path", k->name);
	if (*s != '/' && lx->base_dir)
		snprintf(joined, sizeof(joined), "%s/%s", lx->base_dir, s);
	else
		snprintf(joined, sizeof(joined), "%s", s);
	if (!realpath(joined, real))
		return cfg_fail(lx, "%s: cannot use '%s' (%s): %s", k->name, s, joined,
				strerror(errno));
	if (stat(real, &st) < 0 || !S_ISREG(st.st_mode))
		return cfg_fail(lx, "%s: '%s' is not a regular file", k->name, real);
	*out = json_object_new_string(real);
	return *out ? 0 : cfg_fail(lx, "out of memory");
}

/*
 * Checks @v against the type of @k; may replace it (paths become absolute).
 * On success *@v is the value to store; on failure the caller still owns it.
 */
static int cfg_check_value(struct cfg_lexer *lx, const struct cfg_key *k, struct json_object **v)
{
	struct json_object *abs;
	const char *s;

	if (k->type == CFG_INT)
		return cfg_check_int(lx, k, *v);
	if (k->type == CFG_CPUS)
		return cfg_check_cpus(lx, k, *v);
	if (!json_object_is_type(*v, json_type_string))
		return cfg_fail(lx, "%s: expected a string, got %s", k->name, cfg_type_name(*v));
	s = json_object_get_string(*v);
	if (!utf8_valid(s, (size_t)json_object_get_string_len(*v)))
		return cfg_fail(lx, "%s: not valid UTF-8", k->name);
	if (k->type == CFG_NAME && !cfg_name_is_valid(s))
		return cfg_fail(lx, "%s: invalid domain name '%s' (1 to 63 of A-Z a-z 0-9 _ . -)",
				k->name, s);
	if (k->type == CFG_ENUM)
		return cfg_check_enum(lx, k, s);
	if (k->type != CFG_PATH)
		return 0;
	if (cfg_resolve_path(lx, k, s, &abs) < 0)
		return -1;
	json_object_put(*v);
	*v = abs;
	return 0;
}

bool cfg_key_find(const char *name, size_t len, size_t *idx)
{
	for (size_t i = 0; i < CFG_NKEYS; i++) {
		if (strlen(cfg_keys[i].name) == len && strncmp(cfg_keys[i].name, name, len) == 0) {
			*idx = i;
			return true;
		}
	}
	return false;
}

int cfg_key_store(struct cfg_lexer *lx, size_t idx, unsigned int line, struct json_object *v)
{
	const struct cfg_key *k = &cfg_keys[idx];
	struct cfg_slot *slot = &lx->c->slot[idx];
	unsigned int cur = lx->line;
	int ret;

	lx->line = line;
	if (slot->value && slot->gen == lx->c->gen)
		ret = cfg_fail(lx, "duplicate key '%s' (already set on line %u)", k->name,
			       slot->line);
	else if ((ret = cfg_check_value(lx, k, &v)) == 0 && !k->supported)
		ret = cfg_fail(lx, "%s: recognised but not supported yet by this version",
			       k->name);
	lx->line = cur;
	if (ret < 0) {
		json_object_put(v);
		return -1;
	}
	json_object_put(slot->value);
	slot->value = v;
	slot->line = line;
	slot->gen = lx->c->gen;
	return 0;
}
