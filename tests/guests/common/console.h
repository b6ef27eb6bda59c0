/*
 * The guest console: transmit-only driver for the SBSA generic UART (a
 * PL011 subset) plus a small printf.  Lines end in a bare '\n'.
 */
#ifndef GUEST_CONSOLE_H
#define GUEST_CONSOLE_H

#include <stdarg.h>

void console_putc(char c);
void console_puts(const char *s);

/*
 * Formats like printf, for the conversions the guests use: %c %s %d %i %u
 * %x %p and %%, with the length modifiers l, ll and z, the flags '0' and
 * '#', and a field width.  Anything else is printed as it stands.
 */
void console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void console_vprintf(const char *fmt, va_list ap);

#endif
