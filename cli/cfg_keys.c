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
#include <stdint.h>
#include <sys/stat.h>

#include <uuid/uuid.h>

#include "cachet/public/abi.h"
#include "cachet/public/guest_map.h"
#include "cfgdev.h"
#include "cfg_int.h"
#include "utf8.h"

#define CFG_MAX_NAME 63
/* RAM banks 0 and 1 of the guest map (cachet/public/guest_map.h), in MiB. */
#define CFG_MEMORY_MAX_MB ((long long)CACHET_GUEST_RAM_MAX_MB)

enum cfg_type {
	CFG_ANY,    /* any value: keys Cachet ignores */
	CFG_STRING, /* any string */
	CFG_NAME,   /* a domain name */
	CFG_PATH,   /* a file, resolved to an absolute path */
	CFG_INT,    /* an integer in [min, max] */
	CFG_ENUM,   /* one of @values */
	CFG_CPUS,   /* a CPU list string, or a list of them (one per vCPU) */
	CFG_UUID,   /* a UUID, written back in lower case */
	CFG_DISKS,  /* a list of disk specs (xl-disk-configuration(5)) */
	CFG_VIFS,   /* a list of vif specs (xl-network-configuration(5)) */
};

struct cfg_key {
	const char *name;
	enum cfg_type type;
	enum cfg_use use;
	long long min, max;
	const char *unit;
	/*
	 * CFG_ENUM: the values Cachet takes, and xl's others: refused for a key
	 * Cachet implements, ignored with a warning for a CFG_USE_ARCH key.
	 */
	const char *const *values;
	const char *const *other_values;
};

static const char *const cfg_actions[] = { "destroy", "restart", "rename-restart", "preserve",
					   NULL };
/* Core dumps and soft reset do not exist in Cachet. */
static const char *const cfg_xl_only_actions[] = { "coredump-destroy", "coredump-restart",
						   "soft-reset", NULL };
static const char *const cfg_policies[] = { "dc-tvm", "s2-fault", "flush-load", "s2fwb", "none", NULL };
/* Guests have a virtual GICv3, which is also what "native"/"default" give on a GICv3 host. */
static const char *const cfg_gic_versions[] = { "v3", "native", "default", NULL };
static const char *const cfg_gic_other[] = { "v2", NULL };
static const char *const cfg_vuarts[] = { "sbsa_uart", NULL };
/* On Arm every guest is what xl calls PVH; "pv" and "hvm" are x86's. */
static const char *const cfg_arm_type[] = { "pvh", NULL };
static const char *const cfg_x86_types[] = { "pv", "hvm", NULL };
static const char *const cfg_builders[] = { "generic", "hvm", NULL };
static const char *const cfg_none[] = { NULL };
/* A flat binary is booted only when the configuration asks for one. */
static const char *const cfg_formats[] = { "auto", "raw", NULL };

#define CFG_KEY(n, t) { n, t, CFG_USE_ACT, 0, 0, NULL, NULL, NULL }
#define CFG_RANGE(n, lo, hi, u) { n, CFG_INT, CFG_USE_ACT, lo, hi, u, NULL, NULL }
#define CFG_CHOICE(n, v, o) { n, CFG_ENUM, CFG_USE_ACT, 0, 0, NULL, v, o }
#define CFG_ARCH(n, v, o) { n, CFG_ENUM, CFG_USE_ARCH, 0, 0, NULL, v, o }
#define CFG_IGNORED(n) { n, CFG_ANY, CFG_USE_IGNORE, 0, 0, NULL, NULL, NULL }

/*
 * Every key of xl.cfg(5) (Xen 4.17), plus cache_policy.  Implemented keys
 * come first, in the order they are sent to the daemon; the first
 * CFG_NREQUIRED are required (disk and vif among them: cachetd attaches
 * them; rng is Cachet's own).  Then the keys that do not apply to an Arm
 * guest of Cachet (x86, HVM, device models, Xen's grant tables and toolstack).
 */
static const struct cfg_key cfg_keys[] = {
	CFG_KEY("name", CFG_NAME),
	CFG_KEY("kernel", CFG_PATH),
	CFG_KEY("ramdisk", CFG_PATH),
	CFG_KEY("device_tree", CFG_PATH),
	CFG_KEY("extra", CFG_STRING),
	CFG_KEY("cmdline", CFG_STRING),
	CFG_KEY("root", CFG_STRING),
	/* The guest map's two RAM banks; cachetd also bounds it by the machine's memory. */
	CFG_RANGE("memory", 16, CFG_MEMORY_MAX_MB, " MiB"),
	CFG_RANGE("maxmem", 16, CFG_MEMORY_MAX_MB, " MiB"),
	/* The hypervisor's limit, as cachetd checks it. */
	CFG_RANGE("vcpus", 1, CACHET_MAX_VCPUS, ""),
	CFG_RANGE("maxvcpus", 1, CACHET_MAX_VCPUS, ""),
	CFG_KEY("cpus", CFG_CPUS),
	CFG_CHOICE("on_poweroff", cfg_actions, cfg_xl_only_actions),
	CFG_CHOICE("on_reboot", cfg_actions, cfg_xl_only_actions),
	CFG_CHOICE("on_crash", cfg_actions, cfg_xl_only_actions),
	CFG_CHOICE("cache_policy", cfg_policies, NULL),
	CFG_CHOICE("kernel_format", cfg_formats, NULL),
	CFG_KEY("uuid", CFG_UUID),
	CFG_ARCH("type", cfg_arm_type, cfg_x86_types),
	CFG_CHOICE("gic_version", cfg_gic_versions, cfg_gic_other),
	CFG_CHOICE("vuart", cfg_vuarts, NULL),
	CFG_KEY("disk", CFG_DISKS),
	CFG_KEY("vif", CFG_VIFS),
	/* Cachet's key, not xl's: a virtio entropy device (default 1). */
	CFG_RANGE("rng", 0, 1, ""),
	/* The deprecated spelling of type=; no value of it is Arm's. */
	CFG_ARCH("builder", cfg_none, cfg_builders),
	CFG_IGNORED("pool"), CFG_IGNORED("cpus_soft"), CFG_IGNORED("cpu_weight"),
	CFG_IGNORED("cap"), CFG_IGNORED("vnuma"), CFG_IGNORED("on_watchdog"),
	CFG_IGNORED("on_soft_reset"), CFG_IGNORED("bootloader"), CFG_IGNORED("bootloader_args"),
	CFG_IGNORED("seclabel"), CFG_IGNORED("init_seclabel"), CFG_IGNORED("max_event_channels"),
	CFG_IGNORED("max_grant_frames"), CFG_IGNORED("max_maptrack_frames"),
	CFG_IGNORED("max_grant_version"), CFG_IGNORED("nomigrate"), CFG_IGNORED("driver_domain"),
	CFG_IGNORED("xend_suspend_evtchn_compat"), CFG_IGNORED("vmtrace_buf_kb"),
	CFG_IGNORED("vpmu"), CFG_IGNORED("tee"), CFG_IGNORED("pvshim"), CFG_IGNORED("pvshim_path"),
	CFG_IGNORED("pvshim_cmdline"), CFG_IGNORED("pvshim_extra"), CFG_IGNORED("passthrough"),
	CFG_IGNORED("dtdev"), CFG_IGNORED("iomem"), CFG_IGNORED("ioports"), CFG_IGNORED("irqs"),
	CFG_IGNORED("pci"), CFG_IGNORED("pci_permissive"), CFG_IGNORED("pci_msitranslate"),
	CFG_IGNORED("pci_seize"), CFG_IGNORED("pci_power_mgmt"), CFG_IGNORED("rdm"),
	CFG_IGNORED("rdm_mem_boundary"), CFG_IGNORED("e820_host"), CFG_IGNORED("vtpm"),
	CFG_IGNORED("p9"), CFG_IGNORED("pvcalls"), CFG_IGNORED("vfb"), CFG_IGNORED("vkb"),
	CFG_IGNORED("vdispl"), CFG_IGNORED("vsnd"), CFG_IGNORED("channel"), CFG_IGNORED("usbctrl"),
	CFG_IGNORED("usbdev"), CFG_IGNORED("cpuid"), CFG_IGNORED("mca_caps"),
	CFG_IGNORED("msr_relaxed"), CFG_IGNORED("boot"), CFG_IGNORED("hdtype"),
	CFG_IGNORED("bios"), CFG_IGNORED("bios_path_override"), CFG_IGNORED("firmware"),
	CFG_IGNORED("pae"), CFG_IGNORED("acpi"), CFG_IGNORED("acpi_s3"), CFG_IGNORED("acpi_s4"),
	CFG_IGNORED("acpi_laptop_slate"), CFG_IGNORED("apic"), CFG_IGNORED("nx"),
	CFG_IGNORED("hap"), CFG_IGNORED("oos"), CFG_IGNORED("shadow_memory"),
	CFG_IGNORED("timer_mode"), CFG_IGNORED("tsc_mode"), CFG_IGNORED("hpet"),
	CFG_IGNORED("vpt_align"), CFG_IGNORED("viridian"), CFG_IGNORED("xen_platform_pci"),
	CFG_IGNORED("vendor_device"), CFG_IGNORED("nestedhvm"), CFG_IGNORED("altp2m"),
	CFG_IGNORED("altp2mhvm"), CFG_IGNORED("mmio_hole"), CFG_IGNORED("smbios_firmware"),
	CFG_IGNORED("acpi_firmware"), CFG_IGNORED("ms_vm_genid"), CFG_IGNORED("localtime"),
	CFG_IGNORED("rtc_timeoffset"), CFG_IGNORED("vga"), CFG_IGNORED("stdvga"),
	CFG_IGNORED("videoram"), CFG_IGNORED("vnc"), CFG_IGNORED("vnclisten"),
	CFG_IGNORED("vncdisplay"), CFG_IGNORED("vncunused"), CFG_IGNORED("vncpasswd"),
	CFG_IGNORED("keymap"), CFG_IGNORED("sdl"), CFG_IGNORED("opengl"), CFG_IGNORED("display"),
	CFG_IGNORED("xauthority"), CFG_IGNORED("nographic"), CFG_IGNORED("spice"),
	CFG_IGNORED("spicehost"), CFG_IGNORED("spiceport"), CFG_IGNORED("spicetls_port"),
	CFG_IGNORED("spicedisable_ticketing"), CFG_IGNORED("spicepasswd"),
	CFG_IGNORED("spiceagent_mouse"), CFG_IGNORED("spicevdagent"),
	CFG_IGNORED("spice_clipboard_sharing"), CFG_IGNORED("spiceusbredirection"),
	CFG_IGNORED("spice_image_compression"), CFG_IGNORED("spice_streaming_video"),
	CFG_IGNORED("serial"), CFG_IGNORED("soundhw"), CFG_IGNORED("usb"),
	CFG_IGNORED("usbdevice"), CFG_IGNORED("usbversion"), CFG_IGNORED("vkb_device"),
	CFG_IGNORED("gfx_passthru"), CFG_IGNORED("device_model"),
	CFG_IGNORED("device_model_version"), CFG_IGNORED("device_model_override"),
	CFG_IGNORED("device_model_stubdomain_override"),
	CFG_IGNORED("device_model_stubdomain_seclabel"), CFG_IGNORED("device_model_args"),
	CFG_IGNORED("device_model_args_pv"), CFG_IGNORED("device_model_args_hvm"),
	CFG_IGNORED("device_model_user"), CFG_IGNORED("dm_restrict"),
	CFG_IGNORED("stubdomain_memory"), CFG_IGNORED("stubdomain_kernel"),
	CFG_IGNORED("stubdomain_cmdline"), CFG_IGNORED("stubdomain_ramdisk"),
};

#define CFG_TABLE_SIZE (sizeof(cfg_keys) / sizeof(cfg_keys[0]))

size_t cfg_key_count(void)
{
	return CFG_TABLE_SIZE;
}

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

/* " 'VALUE'" for a scalar wrongly typed, so that the message shows it; "" for a list. */
static const char *cfg_value_text(struct json_object *v, char *buf, size_t size)
{
	if (json_object_is_type(v, json_type_array))
		return "";
	snprintf(buf, size, " '%.64s'", json_object_get_string(v));
	return buf;
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
	/* For a key that acts on Arm only, xl's other values are valid too (and ignored). */
	const char *const *choices = k->use == CFG_USE_ARCH && !k->values[0] ? k->other_values
									      : k->values;
	char allowed[256] = "";

	if (cfg_in_list(k->values, s) || (k->use == CFG_USE_ARCH && cfg_in_list(k->other_values, s)))
		return 0;
	for (const char *const *v = choices; *v; v++) {
		if (v != choices)
			strcat(allowed, v[1] ? ", " : " or ");
		strcat(allowed, *v);
	}
	if (cfg_in_list(k->other_values, s))
		return cfg_fail(lx, "%s: '%s' cannot be honoured by Cachet (use %s)", k->name, s,
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
	char text[80];
	int64_t n;

	if (!json_object_is_type(v, json_type_int))
		return cfg_fail(lx, "%s: expected an integer, got %s%s", k->name, cfg_type_name(v),
				cfg_value_text(v, text, sizeof(text)));
	n = json_object_get_int64(v);
	if (n < k->min || n > k->max)
		return cfg_fail(lx, "%s: must be between %lld and %lld%s (got %lld)", k->name,
				k->min, k->max, k->unit, (long long)n);
	return 0;
}

/* A UUID as xl takes it; stored in the lower-case form that libxl prints. */
static int cfg_check_uuid(struct cfg_lexer *lx, const struct cfg_key *k, struct json_object **v)
{
	char text[UUID_STR_LEN];
	struct json_object *norm;
	uuid_t u;

	if (json_object_get_string_len(*v) != UUID_STR_LEN - 1 ||
	    uuid_parse(json_object_get_string(*v), u) < 0)
		return cfg_fail(lx, "%s: invalid UUID '%s' (expected e.g. "
				"\"a8f9e2b1-3c4d-4e5f-8a9b-0c1d2e3f4a5b\")",
				k->name, json_object_get_string(*v));
	uuid_unparse_lower(u, text);
	norm = json_object_new_string(text);
	if (!norm)
		return cfg_fail(lx, "out of memory");
	json_object_put(*v);
	*v = norm;
	return 0;
}

/* Names the keys of a disk or vif that Cachet accepts but does not act on. */
static void cfg_warn_unhonoured(struct cfg_lexer *lx, bool disk, struct json_object *dev,
				const char *spec)
{
	char keys[256];

	if (disk)
		cfgdev_disk_unhonoured(dev, keys, sizeof(keys));
	else
		cfgdev_vif_unhonoured(dev, keys, sizeof(keys));
	if (keys[0])
		cfg_warn(lx->c, lx->src, lx->line, "%s '%s': ignoring %s (a %s is always a %s "
			 "served by cachetd)", disk ? "disk" : "vif", spec, keys,
			 disk ? "disk" : "vif", disk ? "virtio disk" : "virtio-net device");
}

/* disk= and vif=: a list of specs, each parsed now so that a typo is found at once. */
static int cfg_check_devices(struct cfg_lexer *lx, const struct cfg_key *k, struct json_object *v)
{
	char msg[256];

	if (!json_object_is_type(v, json_type_array))
		return cfg_fail(lx, "%s: expected a list of device specs, got %s", k->name,
				cfg_type_name(v));
	for (size_t i = 0; i < json_object_array_length(v); i++) {
		struct json_object *item = json_object_array_get_idx(v, i), *dev;

		if (!json_object_is_type(item, json_type_string))
			return cfg_fail(lx, "%s: expected a string spec, got %s", k->name,
					cfg_type_name(item));
		dev = k->type == CFG_DISKS ?
			      cfgdev_disk_parse(json_object_get_string(item), msg, sizeof(msg)) :
			      cfgdev_vif_parse(json_object_get_string(item), msg, sizeof(msg));
		if (!dev)
			return cfg_fail(lx, "%s: '%s': %s", k->name, json_object_get_string(item),
					msg);
		cfg_warn_unhonoured(lx, k->type == CFG_DISKS, dev, json_object_get_string(item));
		json_object_put(dev);
	}
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
	if (lx->c->paths_as_given) {
		*out = json_object_new_string(s);
		return *out ? 0 : cfg_fail(lx, "out of memory");
	}
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
	char text[80];
	struct json_object *abs;
	const char *s;

	if (k->type == CFG_ANY)
		return 0;
	if (k->type == CFG_INT)
		return cfg_check_int(lx, k, *v);
	if (k->type == CFG_CPUS)
		return cfg_check_cpus(lx, k, *v);
	if (k->type == CFG_DISKS || k->type == CFG_VIFS)
		return cfg_check_devices(lx, k, *v);
	if (!json_object_is_type(*v, json_type_string))
		return cfg_fail(lx, "%s: expected a string, got %s%s", k->name, cfg_type_name(*v),
				cfg_value_text(*v, text, sizeof(text)));
	s = json_object_get_string(*v);
	if (!utf8_valid(s, (size_t)json_object_get_string_len(*v)))
		return cfg_fail(lx, "%s: not valid UTF-8", k->name);
	if (k->type == CFG_NAME && !cfg_name_is_valid(s))
		return cfg_fail(lx, "%s: invalid domain name '%s' (1 to 63 of A-Z a-z 0-9 _ . -)",
				k->name, s);
	if (k->type == CFG_ENUM)
		return cfg_check_enum(lx, k, s);
	if (k->type == CFG_UUID)
		return cfg_check_uuid(lx, k, v);
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
	for (size_t i = 0; i < CFG_TABLE_SIZE; i++) {
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
	else
		ret = cfg_check_value(lx, k, &v);
	lx->line = cur;
	if (ret < 0) {
		json_object_put(v);
		return -1;
	}
	json_object_put(slot->value);
	slot->value = v;
	slot->line = line;
	slot->gen = lx->c->gen;
	slot->src = lx->src;
	slot->ignored = k->use == CFG_USE_IGNORE ||
			(k->use == CFG_USE_ARCH && !cfg_in_list(k->values, json_object_get_string(v)));
	return 0;
}

/* The edit distance between two short names (insertions, deletions, substitutions). */
static size_t cfg_distance(const char *a, size_t la, const char *b)
{
	size_t lb = strlen(b), row[64], diag, up;

	if (la >= 64 || lb >= 64)
		return SIZE_MAX;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			up = row[j];
			row[j] = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < row[j])
				row[j] = up + 1;
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			diag = up;
		}
	}
	return row[lb];
}

const char *cfg_key_closest(const char *name, size_t len)
{
	size_t best = SIZE_MAX, d;
	const char *hit = cfg_keys[0].name;

	for (size_t i = 0; i < CFG_TABLE_SIZE; i++) {
		d = cfg_distance(name, len, cfg_keys[i].name);
		if (d < best) {
			best = d;
			hit = cfg_keys[i].name;
		}
	}
	return hit;
}
