/* Helpers the per-area operation files (ops.c, ops_vdev.c) share. */
#ifndef LIBBUILD_OPS_H
#define LIBBUILD_OPS_H

#include "cachet/public/abi.h"

/* A zeroed request for @op (the hypervisor rejects non-zero padding). */
void ops_init(struct cachet_req *req, enum cachet_op op);
/* Reports a NULL handle passed to @what: -CACHET_LIB_EINVAL. */
int ops_bad_handle(const char *what);

#endif
