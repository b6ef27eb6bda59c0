/*
 * The one place where library error codes (CACHET_E* from the hypervisor,
 * CACHET_LIB_E* from libcachet) become JSON-RPC errors.  PROTOCOL.md fixes
 * the rule: application errors use code -32000 minus the library's error
 * number, so a client can tell "no such domain" from "out of memory"
 * without parsing the message.
 */
#ifndef CACHETD_ERRMAP_H
#define CACHETD_ERRMAP_H

#include <stddef.h>

struct errmap_entry {
	int lib_err;      /* positive CACHET_E* / CACHET_LIB_E* number */
	int rpc_code;     /* -32000 - lib_err */
	const char *name; /* the macro's name, for logs */
	const char *text; /* what it means to a user of the daemon */
};

/* The JSON-RPC code for a library result (negative or positive code). */
int errmap_code(int lib_err);
/* A short description of a library result, never NULL. */
const char *errmap_text(int lib_err);
/* The entry for a library result, or NULL if the table does not know it. */
const struct errmap_entry *errmap_find(int lib_err);
/* The whole table, for tests and documentation. */
const struct errmap_entry *errmap_table(size_t *count);

/* Code used for a library result the table does not know. */
#define ERRMAP_UNKNOWN_CODE (-32603)

#endif
