/*
 * What the daemon keeps on disk under its state directory:
 *   domains/NAME.json   one file per domain it created, so that a daemon
 *                       attaching to a running machine recovers the names
 *   console/NAME.log    each domain's console output
 * Names are validated before they get here, so they are safe file names.
 */
#ifndef CACHETD_STATE_H
#define CACHETD_STATE_H

#include <stddef.h>

#include "domtab.h"

#define STATE_FILE_MAX (64 * 1024)  /* bytes a domain state file may have */
#define STATE_VERSION 1
/*
 * A console log is rotated when it reaches this size: NAME.log becomes
 * NAME.log.1 (replacing the previous one), so a domain's console takes at
 * most twice this much disk, however much its guest prints.
 */
#define STATE_CONSOLE_LOG_MAX (8u * 1024 * 1024)

/*
 * Creates STATE, STATE/domains and STATE/console (mode 0700) as needed; a
 * directory that exists must belong to the daemon's user and be writable by
 * nobody else (-1 with msg set).
 */
int state_init_dirs(const char *state_dir, char *msg, size_t msglen);
/*
 * Opens a file of the state directory: never through a symbolic link,
 * close-on-exec, without blocking, and only if it is a regular file
 * (created 0600 with O_CREAT).  -1 with msg set otherwise.
 */
int state_open(const char *path, int flags, char *msg, size_t msglen);
/* "DIR/SUB/NAME" + suffix in a malloc'd string (sub and suffix may be ""). */
char *state_path(const char *dir, const char *sub, const char *name, const char *suffix);
/* Replaces @path by @text atomically (PATH.tmp, then rename). */
int state_write_atomic(const char *path, const char *text, char *msg, size_t msglen);
/* Writes domains/NAME.json atomically (temporary file and rename). */
int state_save(const char *state_dir, const struct dom_entry *e, char *msg, size_t msglen);
/*
 * Writes domains/NAME.json for a domain about to be built ("building":
 * true, the tag its DOMAIN_CREATE will carry, no domain id yet);
 * state_save replaces it once the build is done.
 */
int state_save_building(const char *state_dir, const struct dom_config *cfg, uint32_t tag,
			char *msg, size_t msglen);
/* Removes domains/NAME.json; a missing file is not an error. */
int state_remove(const char *state_dir, const char *name);
/* Reads and validates one state file into a new entry (alive, no console yet). */
int state_load(const char *path, struct dom_entry **out, char *msg, size_t msglen);
/* Calls fn for every domains/ *.json file (path, name); stops when fn returns < 0. */
int state_scan(const char *state_dir, int (*fn)(void *ctx, const char *path, const char *name),
	       void *ctx);
/*
 * Opens console/NAME.log for appending (emptied first when truncate) and
 * loads its tail into e->con, so that positions continue after a restart.
 */
int state_console_open(const char *state_dir, struct dom_entry *e, int truncate);
/* Appends console output to the log, rotating it at STATE_CONSOLE_LOG_MAX; -1 on failure. */
int state_console_write(const char *state_dir, struct dom_entry *e, const char *buf, size_t n);

#endif
