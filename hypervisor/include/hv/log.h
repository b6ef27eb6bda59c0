/*
 * The hypervisor log: every line goes to the console and into an in-memory
 * ring that the management interface can read back (dmesg).
 */
#ifndef HV_LOG_H
#define HV_LOG_H

#include <stddef.h>
#include <stdint.h>

#define LOG_RING_SIZE (64 * 1024)

void log_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Called once the MMU is on and several CPUs may log at once. */
void log_enable_locking(void);
/*
 * Copies ring bytes starting at absolute offset *pos (bytes ever logged) into
 * buf; *pos advances.  Bytes overwritten since are skipped and counted in
 * *lost.  Returns the length copied.
 */
size_t log_read(uint64_t *pos, char *buf, size_t size, uint64_t *lost);
/* Lets the panic path print even if another CPU died holding the log lock. */
void log_force_unlock(void);

#endif
