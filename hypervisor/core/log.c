/* Hypervisor log: console plus an in-memory ring (see hv/log.h). */
#include "hv/log.h"

#include <stdarg.h>
#include <stdbool.h>

#include "hv/fmt.h"
#include "hv/plat.h"
#include "hv/spinlock.h"

static char log_ring[LOG_RING_SIZE];
static uint64_t log_total; /* bytes ever written to the ring */
static spinlock_t log_lock = SPINLOCK_INIT;
/*
 * Exclusive loads and stores need Normal memory, so until the MMU is on the
 * lock is not taken (only the boot CPU runs then).
 */
static bool log_locking;

void log_enable_locking(void)
{
	log_locking = true;
}

void log_force_unlock(void)
{
	log_lock = SPINLOCK_INIT;
}

static void log_ring_append(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		log_ring[(log_total + i) % LOG_RING_SIZE] = s[i];
	log_total += n;
}

void log_printf(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	unsigned long flags = 0;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1;
	if (log_locking)
		flags = spin_lock_irqsave(&log_lock);
	log_ring_append(line, (size_t)n);
	plat_console_write(line, (size_t)n);
	if (log_locking)
		spin_unlock_irqrestore(&log_lock, flags);
}

size_t log_read(uint64_t *pos, char *buf, size_t size, uint64_t *lost)
{
	unsigned long flags = spin_lock_irqsave(&log_lock);
	uint64_t oldest = log_total > LOG_RING_SIZE ? log_total - LOG_RING_SIZE : 0;
	uint64_t p = *pos < oldest ? oldest : *pos;
	size_t n = 0;

	*lost = p - *pos;
	for (; p < log_total && n < size; p++, n++)
		buf[n] = log_ring[p % LOG_RING_SIZE];
	*pos = p;
	spin_unlock_irqrestore(&log_lock, flags);
	return n;
}
