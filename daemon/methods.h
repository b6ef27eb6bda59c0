/*
 * Pieces of the method set that live outside methods.c: domain creation
 * (create.c), the vCPU methods (vcpu.c) and the statistics encoding
 * (stats.c).
 */
#ifndef CACHETD_METHODS_H
#define CACHETD_METHODS_H

#include "cachetd.h"

/* Fills err from a library result, with the handle's detail message. */
void methods_lib_error(struct cachetd *d, struct rpc_error *err, int rc, const char *what);
/*
 * The live domain a request names, and the daemon's entry for it (NULL for
 * a domain it did not create).  An unknown name is an error here; an
 * unknown id is left to the hypervisor to refuse.
 */
int methods_resolve(struct cachetd *d, const struct rpc_domref *r, cachet_domid_t *domid,
		    struct dom_entry **entry, struct rpc_error *err);

/* The "create" method. */
int create_handler(void *ctx, const struct rpc_params *p, struct json_object **res,
		   struct rpc_error *err);
/*
 * The "dtb" method: the device tree the builder would give a domain of
 * that configuration, as hex text ("dtb") and its size in bytes.
 */
int dtb_handler(void *ctx, const struct rpc_params *p, struct json_object **res,
		struct rpc_error *err);
/*
 * Builds a domain from c, pins its vCPUs as "cpus" says, and boots it
 * unless paused; *out is set on success.  On failure nothing is left
 * behind and err says which step failed.
 */
struct create_target {
	cachet_handle *h;
	unsigned int nr_cpus;        /* for "cpus" */
	const char *state_dir;       /* the "building" record, or NULL for none */
};
/* A built domain: its id and the tag it was created with, which its record keeps. */
struct create_built {
	cachet_domid_t domid;
	uint32_t tag;
};
int create_build(const struct create_target *t, const struct dom_config *c, bool paused,
		 struct create_built *out, struct rpc_error *err);
/*
 * Records a built domain (table, console log, state file) and gives the
 * create method's result; on failure destroys it again (NULL, err set).
 */
struct json_object *create_record(struct cachetd *d, struct dom_config *cfg,
				  const struct create_built *built, bool paused, struct rpc_error *err);

/* The vCPU methods (vcpu.c). */
int vcpu_list_handler(void *ctx, const struct rpc_params *p, struct json_object **res,
		      struct rpc_error *err);
int vcpu_pin_handler(void *ctx, const struct rpc_params *p, struct json_object **res,
		     struct rpc_error *err);

/* The "dev_stats" method (devices.c): {"devices": [{...}, ...]}, PROTOCOL.md. */
int dev_stats_handler(void *ctx, const struct rpc_params *p, struct json_object **res,
		      struct rpc_error *err);

/* {"vcpus": [{COUNTER: n, ...}]} with the names of struct cachet_vcpu_stats. */
struct json_object *stats_to_json(const struct cachet_domain_stats_out *st);
/* The counter names in struct order, for tests. */
const char *stats_field_name(size_t i);
size_t stats_field_count(void);

#endif
