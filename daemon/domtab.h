/*
 * The daemon's table of the domains it created (or recovered): name, id,
 * configuration and console copy.  An entry outlives its domain so that
 * `cachet console` can still show what a dead domain printed, until a new
 * domain takes the name (PROTOCOL.md, console_read).
 */
#ifndef CACHETD_DOMTAB_H
#define CACHETD_DOMTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cachet/public/abi.h"
#include "conbuf.h"
#include "config.h"

#define DOMTAB_NO_DOMID UINT32_MAX /* an entry whose domain is being built again */

/* Entries kept at most; dead ones are dropped first, oldest first. */
#define DOMTAB_MAX 256

struct dom_entry {
	struct dom_config cfg;    /* owned; cfg.name is the domain's name */
	cachet_domid_t domid;
	uint32_t tag;             /* the tag it was created with (abi.h), 0 if unknown */
	bool alive;               /* the hypervisor still has the domain */
	uint64_t hv_con_pos;      /* next position to read in the hypervisor's ring */
	bool con_head_shared;     /* another domain's id has the same low 16 bits (mbox.h) */
	uint64_t con_dropped;     /* bytes the ring overwrote before they were copied */
	struct conbuf con;        /* the daemon's copy of the console */
	int con_fd;               /* STATE/console/NAME.log, or -1 */
	uint64_t con_log_base;    /* console bytes in older logs (rotated away), for positions */
	uint64_t con_log_len;     /* bytes in NAME.log */
	uint64_t serial;          /* creation order, to drop the oldest dead entry */
	bool stopped;             /* shut down or crashed and kept so (on_* = preserve) */
	uint64_t restart_window_ms; /* start of the current window of restarts */
	unsigned int restarts;    /* restarts in that window */
	bool building;            /* from a state file: its daemon died during the build */
	bool restarting;          /* its new domain is being built (domid is DOMTAB_NO_DOMID) */
	bool restart_renamed;     /* that restart is a rename-restart (for its event) */
};

struct domtab {
	struct dom_entry *v[DOMTAB_MAX];
	size_t n;
	uint64_t next_serial;
};

void domtab_init(struct domtab *t);
/* Frees every entry (closing console files). */
void domtab_clear(struct domtab *t);
/* A new entry taking ownership of *cfg's strings (cfg is reset), or NULL. */
struct dom_entry *domtab_entry_new(struct dom_config *cfg, cachet_domid_t domid);
void domtab_entry_free(struct dom_entry *e);
/*
 * Inserts e.  A dead entry with the same name is freed first; a live one
 * makes it fail (-1, e not inserted).  When the table is full the oldest
 * dead entry goes; -1 if all are alive.
 */
int domtab_add(struct domtab *t, struct dom_entry *e);
/* Removes e from the table (it is not freed). */
void domtab_remove(struct domtab *t, struct dom_entry *e);
struct dom_entry *domtab_find_name(const struct domtab *t, const char *name);
/* The live entry with that UUID (any case), or NULL. */
struct dom_entry *domtab_find_uuid(const struct domtab *t, const char *uuid);
/* The live entry with that domid, or NULL. */
struct dom_entry *domtab_find_domid(const struct domtab *t, cachet_domid_t domid);

#endif
