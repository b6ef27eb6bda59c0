/*
 * The daemon's own log (STATE/cachetd.log or --log-file): one timestamped
 * line per event, so an operator can reconstruct what happened to a domain.
 */
#ifndef CACHETD_DLOG_H
#define CACHETD_DLOG_H

#include <stdbool.h>

/* Opens the log for appending; echo copies every line to stderr too. */
int dlog_open(const char *path, bool echo);
/*
 * Opens the log's path again (after logrotate moved the file away: SIGHUP);
 * on failure the old file stays in use and -1 is returned.
 */
int dlog_reopen(void);
void dlog_close(void);
void dlog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
