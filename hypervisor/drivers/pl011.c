/*
 * PL011 UART, transmit only: the hypervisor's console (Arm DDI 0183,
 * "PrimeCell UART (PL011) Technical Reference Manual").  QEMU's model needs no
 * baud-rate set-up, so initialisation only enables the transmitter.
 */
#include "hv/pl011.h"

#include "hv/mmio.h"

#define UART_DR 0x00
#define UART_FR 0x18
#define UART_CR 0x30
#define UART_IMSC 0x38
#define UART_ICR 0x44
#define UART_FR_RXFE (1u << 4)
#define UART_FR_TXFF (1u << 5)
#define UART_INT_RX (1u << 4)
#define UART_INT_RT (1u << 6)
#define UART_CR_RXE (1u << 9)
#define UART_CR_UARTEN (1u << 0)
#define UART_CR_TXE (1u << 8)

void pl011_init(uint64_t base)
{
	mmio_write32(base + UART_CR, UART_CR_UARTEN | UART_CR_TXE | UART_CR_RXE);
}

void pl011_enable_rx_irq(uint64_t base)
{
	mmio_write32(base + UART_IMSC, UART_INT_RX | UART_INT_RT);
}

size_t pl011_drain_rx(uint64_t base)
{
	size_t n = 0;

	while (!(mmio_read32(base + UART_FR) & UART_FR_RXFE)) {
		(void)mmio_read32(base + UART_DR);
		n++;
	}
	mmio_write32(base + UART_ICR, UART_INT_RX | UART_INT_RT);
	return n;
}

static void pl011_putc(uint64_t base, char c)
{
	while (mmio_read32(base + UART_FR) & UART_FR_TXFF)
		;
	mmio_write32(base + UART_DR, (uint8_t)c);
}

void pl011_write(uint64_t base, const char *s, size_t n)
{
	/* Lines end in a bare '\n': consoles are read from files and pipes. */
	for (size_t i = 0; i < n; i++)
		pl011_putc(base, s[i]);
}
