/*
 * utf8: UTF-8 checks.  cachetd parses requests with UTF-8 validation, so
 * every string the CLI sends must be valid UTF-8 (RFC 3629: no overlong
 * forms, no UTF-16 surrogates, nothing past U+10FFFF).
 */
#ifndef CACHET_CLI_UTF8_H
#define CACHET_CLI_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* What an invalid byte becomes, as the daemon does for console output. */
#define UTF8_REPLACEMENT "\xef\xbf\xbd"

/*
 * The length of the UTF-8 sequence at @p, which has @n > 0 bytes: 0 if it is
 * invalid, more than @n if it is a valid beginning cut short.
 */
size_t utf8_seq(const char *p, size_t n);

/* True if the @n bytes at @p are valid UTF-8. */
bool utf8_valid(const char *p, size_t n);

#endif
