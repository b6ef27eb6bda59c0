/*
 * memset and memcpy, which the compiler may call even in freestanding
 * code.  Accesses stay naturally aligned: with the MMU off, memory is
 * Device memory and an unaligned access faults.
 */
#include <stddef.h>
#include <stdint.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);

void *memset(void *dst, int c, size_t n)
{
	volatile unsigned char *d = dst;

	/* volatile keeps the compiler from turning this loop into a memset call. */
	while (n-- > 0)
		*d++ = (unsigned char)c;
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	volatile unsigned char *d = dst;
	const unsigned char *s = src;

	while (n-- > 0)
		*d++ = *s++;
	return dst;
}
