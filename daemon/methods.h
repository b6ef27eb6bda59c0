/*
 * Pieces of the method set that live outside methods.c: domain creation
 * (create.c) and the statistics encoding (stats.c).
 */
#ifndef CACHETD_METHODS_H
#define CACHETD_METHODS_H

#include "cachetd.h"

/* Fills err from a library result, with the handle's detail message. */
void methods_lib_error(struct cachetd *d, struct rpc_error *err, int rc, const char *what);

/* The "create" method. */
int create_handler(void *ctx, const struct rpc_params *p, struct json_object **res,
		   struct rpc_error *err);

/* {"vcpus": [{COUNTER: n, ...}]} with the names of struct cachet_vcpu_stats. */
struct json_object *stats_to_json(const struct cachet_domain_stats_out *st);
/* The counter names in struct order, for tests. */
const char *stats_field_name(size_t i);
size_t stats_field_count(void);

#endif
