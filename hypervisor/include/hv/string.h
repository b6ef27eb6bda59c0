/*
 * The few C library string functions the hypervisor uses.  The compiler may
 * also emit calls to memcpy/memset on its own, so these keep their C names.
 * Host unit tests use the C library's versions instead of core/string.c.
 */
#ifndef HV_STRING_H
#define HV_STRING_H

#include <stddef.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

#endif
