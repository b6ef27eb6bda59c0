/* A small printf formatter (see hv/fmt.h). */
#include "hv/fmt.h"

#include <stdbool.h>
#include <stdint.h>

struct fmt_out {
	char *buf;
	size_t size;
	size_t len;
};

struct fmt_spec {
	bool zero_pad;
	bool left;      /* '-': pad on the right */
	bool alternate; /* '#': 0x before hexadecimal */
	unsigned int width;
	unsigned int longs; /* number of 'l' (z counts as one) */
};

static void fmt_putc(struct fmt_out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void fmt_pad(struct fmt_out *o, char c, unsigned int n)
{
	while (n-- > 0)
		fmt_putc(o, c);
}

static void fmt_str(struct fmt_out *o, const char *s, const struct fmt_spec *sp)
{
	unsigned int n = 0;

	if (s == NULL)
		s = "(null)";
	while (s[n] != '\0')
		n++;
	if (!sp->left && sp->width > n)
		fmt_pad(o, ' ', sp->width - n);
	while (*s != '\0')
		fmt_putc(o, *s++);
	if (sp->left && sp->width > n)
		fmt_pad(o, ' ', sp->width - n);
}

static void fmt_num(struct fmt_out *o, uint64_t v, unsigned int base, bool upper, bool neg,
		    const struct fmt_spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	const char *prefix = neg ? "-" : (sp->alternate && base == 16) ? "0x" : "";
	char tmp[24];
	unsigned int n = 0, total;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v != 0);
	total = n + (unsigned int)(neg ? 1 : prefix[0] != '\0' ? 2 : 0);
	if (!sp->zero_pad && !sp->left && sp->width > total)
		fmt_pad(o, ' ', sp->width - total);
	while (*prefix != '\0')
		fmt_putc(o, *prefix++);
	if (sp->zero_pad && !sp->left && sp->width > total)
		fmt_pad(o, '0', sp->width - total);
	while (n > 0)
		fmt_putc(o, tmp[--n]);
	if (sp->left && sp->width > total)
		fmt_pad(o, ' ', sp->width - total);
}

static uint64_t fmt_arg_unsigned(va_list *ap, unsigned int longs)
{
	if (longs >= 2)
		return va_arg(*ap, unsigned long long);
	if (longs == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

static int64_t fmt_arg_signed(va_list *ap, unsigned int longs)
{
	if (longs >= 2)
		return va_arg(*ap, long long);
	if (longs == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

/* Parses flags, width and length at *fmt; leaves *fmt at the conversion. */
static struct fmt_spec fmt_parse_spec(const char **fmt)
{
	struct fmt_spec sp = { false, false, false, 0, 0 };
	const char *f = *fmt;

	for (;; f++) {
		if (*f == '0')
			sp.zero_pad = true;
		else if (*f == '-')
			sp.left = true;
		else if (*f == '#')
			sp.alternate = true;
		else
			break;
	}
	while (*f >= '0' && *f <= '9')
		sp.width = sp.width * 10 + (unsigned int)(*f++ - '0');
	while (*f == 'l' || *f == 'z') {
		sp.longs++; /* size_t is unsigned long here */
		f++;
	}
	*fmt = f;
	return sp;
}

static void fmt_convert(struct fmt_out *o, char conv, struct fmt_spec *sp, va_list *ap)
{
	int64_t s;

	switch (conv) {
	case 'd':
	case 'i':
		s = fmt_arg_signed(ap, sp->longs);
		fmt_num(o, s < 0 ? (uint64_t)0 - (uint64_t)s : (uint64_t)s, 10, false, s < 0, sp);
		break;
	case 'u':
		fmt_num(o, fmt_arg_unsigned(ap, sp->longs), 10, false, false, sp);
		break;
	case 'x':
	case 'X':
		fmt_num(o, fmt_arg_unsigned(ap, sp->longs), 16, conv == 'X', false, sp);
		break;
	case 'p':
		sp->alternate = true;
		sp->zero_pad = true;
		sp->width = 18;
		fmt_num(o, (uintptr_t)va_arg(*ap, void *), 16, false, false, sp);
		break;
	case 's':
		fmt_str(o, va_arg(*ap, const char *), sp);
		break;
	case 'c':
		fmt_putc(o, (char)va_arg(*ap, int));
		break;
	default:
		fmt_putc(o, '%');
		fmt_putc(o, conv);
		break;
	}
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out o = { buf, size, 0 };
	va_list args;

	va_copy(args, ap);
	while (*fmt != '\0') {
		struct fmt_spec sp;

		if (*fmt != '%') {
			fmt_putc(&o, *fmt++);
			continue;
		}
		fmt++;
		if (*fmt == '%') {
			fmt_putc(&o, *fmt++);
			continue;
		}
		sp = fmt_parse_spec(&fmt);
		if (*fmt == '\0')
			break;
		fmt_convert(&o, *fmt++, &sp, &args);
	}
	va_end(args);
	if (size > 0)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
