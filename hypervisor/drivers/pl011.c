/*
 * PL011 UART: the hypervisor's console (Arm DDI 0183, "PrimeCell UART
 * (PL011) Technical Reference Manual") and, through its receive interrupt,
 * the management mailbox's doorbell (the bytes received mean nothing).
 * QEMU's model needs no baud-rate set-up.
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

/*
 * The interrupt is cleared before the FIFO is emptied, never after: a byte
 * that arrives between the last empty check and a late clear would stay
 * in the FIFO with its interrupt gone, and QEMU's model (which raises RX
 * only when the FIFO fills up to its trigger level, and stops taking input
 * while it is full) would never interrupt again: the doorbell would be
 * dead, every request waiting for CPU 0's tick.  Cleared first, a byte
 * arriving meanwhile is drained here and at worst leaves one spurious
 * interrupt behind.
 */
size_t pl011_drain_rx(uint64_t base)
{
	size_t n = 0;

	mmio_write32(base + UART_ICR, UART_INT_RX | UART_INT_RT);
	while (!(mmio_read32(base + UART_FR) & UART_FR_RXFE)) {
		(void)mmio_read32(base + UART_DR);
		n++;
	}
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
