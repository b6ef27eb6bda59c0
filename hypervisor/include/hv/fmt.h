/*
 * Formatted output into a buffer: %d %i %u %x %X %p %s %c %%, with
 * optional '0' flag, field width and the length modifiers l, ll, z.
 */
#ifndef HV_FMT_H
#define HV_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* Like vsnprintf: returns the length the full output would have. */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
