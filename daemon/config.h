/*
 * A domain's configuration: the parsed xl.cfg the client sends as the
 * "config" object of create (PROTOCOL.md), validated field by field into a
 * struct the daemon owns, and written back to JSON for the state files.
 */
#ifndef CACHETD_CONFIG_H
#define CACHETD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "cachet/cachet.h"
#include "cachet/public/abi.h"
#include "cachet/public/guest_map.h"
#include "rpc.h"

#define CONFIG_NAME_MAX 63
#define CONFIG_PATH_MAX 4095
/* Linux arm64 COMMAND_LINE_SIZE is 2048 bytes including the NUL. */
#define CONFIG_CMDLINE_MAX 2047
#define CONFIG_MEMORY_MIN_MB 16
/* Both RAM banks of the guest map (guest_map.h): 3 GiB + 1016 GiB. */
#define CONFIG_MEMORY_MAX_MB CACHET_GUEST_RAM_MAX_MB
#define CONFIG_MEMORY_DEFAULT_MB 128
#define CONFIG_VCPUS_DEFAULT 1

/* What to do when a domain powers off, reboots or crashes (xl.cfg on_*). */
enum config_action {
	CONFIG_ACT_DESTROY,
	CONFIG_ACT_RESTART,        /* destroy, then build it again under the same name */
	CONFIG_ACT_PRESERVE,       /* leave it as it is */
	CONFIG_ACT_RENAME_RESTART, /* keep it under a new name, build it again */
};

/* Bounds that depend on the machine (the hypervisor's physinfo). */
struct config_limits {
	uint64_t memory_max_mb;
	unsigned int vcpus_max;
	unsigned int nr_cpus;     /* physical CPUs, for "cpus" */
	bool allow_unsafe_policies; /* cachetd --allow-unsafe-policies */
};

/* A UUID in its 36-character text form, plus the NUL. */
#define CONFIG_UUID_LEN 37
/* What one device list (disk, vif) may hold: the specs are parsed by the client. */
#define CONFIG_DEVICES_MAX 64
#define CONFIG_SPEC_MAX 1024
/* The xl keys Cachet keeps without acting on them, as JSON text. */
#define CONFIG_IGNORED_MAX (64 * 1024)

struct dom_config {
	char name[CONFIG_NAME_MAX + 1];
	char uuid[CONFIG_UUID_LEN]; /* lower case; generated when the client gives none */
	char gic_version[8];      /* "v3", "native", "default", or "" when not given */
	char vuart[16];           /* "sbsa_uart", or "" when not given */
	bool type_given;          /* type = "pvh" (the only Arm type) was given */
	struct json_object *disk; /* owned: the disk specs as given, or NULL (not attached) */
	struct json_object *vif;  /* owned: the vif specs, each with its mac=, or NULL */
	struct json_object *ignored; /* owned: xl keys that do not apply, kept, or NULL */
	char *kernel;             /* owned; absolute path */
	char *ramdisk;            /* owned; NULL when absent */
	char *extra;              /* owned; NULL when absent */
	char *cmdline;            /* owned; NULL when absent */
	char *root;               /* owned; NULL when absent */
	char *device_tree;        /* owned; NULL when absent */
	uint64_t memory_mb;       /* populated at build */
	uint64_t maxmem_mb;       /* the domain's limit; 0: as memory */
	unsigned int vcpus;       /* online at boot (the guest starts the others itself) */
	unsigned int maxvcpus;    /* the domain's vCPUs; 0: as vcpus */
	struct json_object *cpus; /* owned: "cpus" as given (a string or an array), or NULL */
	enum cachet_cache_policy cache_policy;
	enum cachet_kernel_format kernel_format; /* "auto" (by its format) or "raw" */
	enum config_action on_poweroff;
	enum config_action on_reboot;
	enum config_action on_crash;
	bool rng;                 /* a virtio entropy device (Cachet's key; default on) */
};

/* Sets the xl defaults; nothing owned yet. */
void config_init(struct dom_config *c);
void config_free(struct dom_config *c);
/*
 * Validates obj into *out (initialised here).  On failure returns -1 with
 * err set to -32602 and a message naming the field; *out holds nothing.
 */
int config_parse(struct json_object *obj, const struct config_limits *lim,
		 struct dom_config *out, struct rpc_error *err);
/* The normalised configuration as JSON (defaults spelled out), or NULL. */
struct json_object *config_to_json(const struct dom_config *c);
/* A deep copy of src into *dst (initialised here); -1 when memory ran out. */
int config_copy(struct dom_config *dst, const struct dom_config *src);
/*
 * The kernel command line: cmdline, else "root=ROOT EXTRA" as xl builds it
 * (with cmdline, root and extra are ignored, as xl ignores them).
 * Returns a malloc'd string (possibly empty) or NULL when memory ran out.
 */
char *config_cmdline(const struct dom_config *c);
/* The domain's vCPU count (maxvcpus, else vcpus) and page limit (maxmem, else memory). */
unsigned int config_max_vcpus(const struct dom_config *c);
uint64_t config_max_mb(const struct dom_config *c);
/*
 * The hard affinity "cpus" gives vCPU @vcpu on a machine of @nr_cpus CPUs:
 * 1 with *mask set, 0 when the vCPU is not pinned, -1 (msg set) when the
 * list does not fit this machine.
 */
int config_affinity(const struct dom_config *c, unsigned int vcpu, unsigned int nr_cpus,
		    uint64_t *mask, char *msg, size_t msglen);

/* Whether the on_* action for a stop of @reason (enum cachet_shutdown_reason) restarts. */
bool config_restarts_on(const struct dom_config *c, uint32_t reason);

/* Gives the configuration a new random UUID. */
void config_new_uuid(struct dom_config *c);

const char *config_policy_name(enum cachet_cache_policy p);
/* Whether a policy is a negative control (refused without --allow-unsafe-policies). */
bool config_policy_unsafe(enum cachet_cache_policy p);
const char *config_action_name(enum config_action a);

#endif
