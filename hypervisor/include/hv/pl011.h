/* PL011 UART console driver. */
#ifndef HV_PL011_H
#define HV_PL011_H

#include <stddef.h>
#include <stdint.h>

void pl011_init(uint64_t base);
void pl011_write(uint64_t base, const char *s, size_t n);
/* Raise the UART's interrupt when input arrives. */
void pl011_enable_rx_irq(uint64_t base);
/* Discards all pending input; returns how many bytes there were. */
size_t pl011_drain_rx(uint64_t base);

#endif
