/* PL011 UART console driver. */
#ifndef HV_PL011_H
#define HV_PL011_H

#include <stddef.h>
#include <stdint.h>

void pl011_init(uint64_t base);
void pl011_write(uint64_t base, const char *s, size_t n);

#endif
