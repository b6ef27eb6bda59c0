/*
 * Becoming a daemon, and making sure there is only one per state directory.
 * The process the user started waits on a pipe until the daemon reports
 * that its socket is accepting (or why it failed), so `cachetd && cachet
 * list` works and a failing start prints its reason.
 */
#ifndef CACHETD_DETACH_H
#define CACHETD_DETACH_H

#include <stddef.h>

/*
 * Double fork.  Returns only in the daemon (new session, cwd "/", stdio on
 * /dev/null) with *report the pipe to report through; the original process
 * exits with 0 after "ready", else prints the reason and exits with 1.
 * Returns -1 with msg set if it could not fork at all.
 */
int detach_start(int *report, char *msg, size_t msglen);
/* Reports success (fd < 0: foreground, nothing to do) and closes the pipe. */
void detach_ready(int fd);
/* Reports a startup failure (the parent prints it) and closes the pipe. */
void detach_fail(int fd, const char *msg);

/*
 * Takes STATE/cachetd.lock (flock, held until exit) and writes
 * STATE/cachetd.pid.  -1 with msg set if another daemon holds the lock.
 */
int detach_lock(const char *state_dir, int *lock_fd, char *msg, size_t msglen);
void detach_unlock(const char *state_dir, int lock_fd);

#endif
