/* The floor's only output: virt's PL011, for a report before it stops. */
#include <stdint.h>

#include "floor.h"

#define FLOOR_UART_DR 0x09000000UL
#define FLOOR_UART_FR 0x09000018UL
#define FLOOR_UART_FR_TXFF (1u << 5)

static void floor_putc(char c)
{
	while (*(volatile uint32_t *)FLOOR_UART_FR & FLOOR_UART_FR_TXFF)
		;
	*(volatile uint32_t *)FLOOR_UART_DR = (uint8_t)c;
}

void floor_puts(const char *s)
{
	while (*s)
		floor_putc(*s++);
}

void floor_put_hex(uint64_t v)
{
	floor_puts("0x");
	for (int shift = 60; shift >= 0; shift -= 4)
		floor_putc("0123456789abcdef"[(v >> shift) & 0xf]);
}
