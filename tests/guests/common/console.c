/*
 * Console output through the UART at UART_BASE.  The guest sees Cachet's
 * emulated SBSA generic UART (Arm DEN0094, "Arm Base System Architecture",
 * generic UART), which has no control register to program: only UARTDR
 * and UARTFR are used, as in the PL011 (Arm DDI 0183).  A build for running
 * a guest directly on QEMU's virt board overrides UART_BASE with that
 * board's PL011 address.
 */
#include "console.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cachet/public/guest_map.h"

#ifndef UART_BASE
#define UART_BASE CACHET_GUEST_UART_BASE
#endif

#define UART_DR 0x00
#define UART_FR 0x18
#define UART_FR_TXFF (1u << 5) /* transmit FIFO full */

static volatile uint32_t *uart_reg(unsigned int off)
{
	return (volatile uint32_t *)(uintptr_t)(UART_BASE + off);
}

void console_putc(char c)
{
	while (*uart_reg(UART_FR) & UART_FR_TXFF)
		;
	*uart_reg(UART_DR) = (uint8_t)c;
}

void console_puts(const char *s)
{
	while (*s != '\0')
		console_putc(*s++);
}

struct fmt_spec {
	bool zero_pad;
	bool alt;
	unsigned int width;
	unsigned int base;
};

static void put_unsigned(uint64_t v, const struct fmt_spec *spec)
{
	char buf[24];
	unsigned int n = 0;

	do {
		unsigned int digit = (unsigned int)(v % spec->base);

		buf[n++] = (char)(digit < 10 ? '0' + digit : 'a' + digit - 10);
		v /= spec->base;
	} while (v != 0);
	if (spec->alt && spec->base == 16)
		console_puts("0x");
	for (unsigned int i = n; i < spec->width; i++)
		console_putc(spec->zero_pad ? '0' : ' ');
	while (n > 0)
		console_putc(buf[--n]);
}

static void put_signed(int64_t v, struct fmt_spec *spec)
{
	if (v < 0) {
		console_putc('-');
		if (spec->width > 0)
			spec->width--;
		/* Negate in unsigned arithmetic so INT64_MIN is printed right. */
		put_unsigned(-(uint64_t)v, spec);
	} else {
		put_unsigned((uint64_t)v, spec);
	}
}

/* Reads an integer argument of the given length (0: int, 1: long, 2: long long). */
static uint64_t arg_unsigned(va_list *ap, unsigned int len)
{
	if (len == 0)
		return va_arg(*ap, unsigned int);
	if (len == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned long long);
}

static int64_t arg_signed(va_list *ap, unsigned int len)
{
	if (len == 0)
		return va_arg(*ap, int);
	if (len == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, long long);
}

/* Prints one conversion starting after the '%'; returns where it ended. */
static const char *put_conversion(const char *p, va_list *ap)
{
	struct fmt_spec spec = { .base = 10 };
	unsigned int len = 0;

	for (;; p++) {
		if (*p == '0')
			spec.zero_pad = true;
		else if (*p == '#')
			spec.alt = true;
		else
			break;
	}
	while (*p >= '0' && *p <= '9')
		spec.width = spec.width * 10 + (unsigned int)(*p++ - '0');
	for (; *p == 'l' || *p == 'z'; p++)
		len = (*p == 'z' || len == 1) ? 2 : 1;

	switch (*p) {
	case 'c':
		console_putc((char)va_arg(*ap, int));
		break;
	case 's': {
		const char *s = va_arg(*ap, const char *);

		console_puts(s != NULL ? s : "(null)");
		break;
	}
	case 'd':
	case 'i':
		put_signed(arg_signed(ap, len), &spec);
		break;
	case 'u':
		put_unsigned(arg_unsigned(ap, len), &spec);
		break;
	case 'x':
		spec.base = 16;
		put_unsigned(arg_unsigned(ap, len), &spec);
		break;
	case 'p':
		spec.base = 16;
		spec.alt = true;
		put_unsigned((uintptr_t)va_arg(*ap, void *), &spec);
		break;
	case '%':
		console_putc('%');
		break;
	case '\0':
		return p;
	default:
		console_putc('%');
		console_putc(*p);
		break;
	}
	return p + 1;
}

void console_vprintf(const char *fmt, va_list ap)
{
	va_list args;

	va_copy(args, ap);
	while (*fmt != '\0') {
		if (*fmt != '%')
			console_putc(*fmt++);
		else
			fmt = put_conversion(fmt + 1, &args);
	}
	va_end(args);
}

void console_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	console_vprintf(fmt, ap);
	va_end(ap);
}
