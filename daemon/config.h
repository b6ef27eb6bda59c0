/*
 * A domain's configuration: the parsed xl.cfg the client sends as the
 * "config" object of create (PROTOCOL.md), validated field by field into a
 * struct the daemon owns, and written back to JSON for the state files.
 */
#ifndef CACHETD_CONFIG_H
#define CACHETD_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "cachet/public/abi.h"
#include "rpc.h"

#define CONFIG_NAME_MAX 63
#define CONFIG_PATH_MAX 4095
/* Linux arm64 COMMAND_LINE_SIZE is 2048 bytes including the NUL. */
#define CONFIG_CMDLINE_MAX 2047
#define CONFIG_MEMORY_MIN_MB 16
#define CONFIG_MEMORY_DEFAULT_MB 128
#define CONFIG_VCPUS_DEFAULT 1

/* What to do when a domain powers off, reboots or crashes (xl.cfg on_*). */
enum config_action {
	CONFIG_ACT_DESTROY,
	CONFIG_ACT_RESTART,
	CONFIG_ACT_PRESERVE,
};

/* Bounds that depend on the machine (the hypervisor's physinfo). */
struct config_limits {
	uint64_t memory_max_mb;
	unsigned int vcpus_max;
};

struct dom_config {
	char name[CONFIG_NAME_MAX + 1];
	char *kernel;             /* owned; absolute path */
	char *ramdisk;            /* owned; NULL when absent */
	char *extra;              /* owned; NULL when absent */
	char *cmdline;            /* owned; NULL when absent */
	char *root;               /* owned; NULL when absent */
	uint64_t memory_mb;
	unsigned int vcpus;
	enum cachet_cache_policy cache_policy;
	enum config_action on_poweroff;
	enum config_action on_reboot;
	enum config_action on_crash;
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
/*
 * The kernel command line: cmdline, else "root=ROOT EXTRA" as xl builds it.
 * Returns a malloc'd string (possibly empty) or NULL when memory ran out.
 */
char *config_cmdline(const struct dom_config *c);

const char *config_policy_name(enum cachet_cache_policy p);
const char *config_action_name(enum config_action a);

#endif
