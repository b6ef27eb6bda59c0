/*
 * The guest console: an SBSA generic UART, the PL011 subset Linux drives as
 * "arm,sbsa-uart" (Arm DEN0094 "Arm Base System Architecture", appendix B;
 * register layout of the PL011, Arm DDI 0183).  Output goes to the domain's
 * console ring; input comes from CONSOLE_WRITE requests.  Interrupt delivery
 * arrives with the virtual GIC; the status registers are kept exact already.
 */
#include "cachet/public/guest_map.h"
#include "hv/domain.h"
#include "hv/vdev.h"

#define UART_DR 0x000
#define UART_RSR 0x004
#define UART_FR 0x018
#define UART_LCR_H 0x02c
#define UART_CR 0x030
#define UART_IFLS 0x034
#define UART_IMSC 0x038
#define UART_RIS 0x03c
#define UART_MIS 0x040
#define UART_ICR 0x044

#define UART_FR_RXFE (1u << 4)
#define UART_FR_TXFE (1u << 7)
#define UART_INT_RX (1u << 4)
#define UART_INT_TX (1u << 5)

static uint32_t vuart_flags(const struct domain *d)
{
	return UART_FR_TXFE | (d->input_len == 0 ? UART_FR_RXFE : 0);
}

static uint32_t vuart_take_input(struct domain *d)
{
	uint32_t c;

	if (d->input_len == 0)
		return 0;
	c = (uint8_t)d->input_buf[d->input_head];
	d->input_head = (d->input_head + 1) % DOMAIN_INPUT_SIZE;
	d->input_len--;
	if (d->input_len == 0)
		d->uart.ris &= ~UART_INT_RX;
	return c;
}

static bool vuart_read(struct vcpu *v, void *priv, uint64_t off, unsigned int size, uint64_t *val)
{
	struct domain *d = priv;
	struct vdev_uart *u = &d->uart;

	(void)v;
	(void)size;
	switch (off) {
	case UART_DR: *val = vuart_take_input(d); break;
	case UART_RSR: *val = 0; break;
	case UART_FR: *val = vuart_flags(d); break;
	case UART_LCR_H: *val = u->lcr_h; break;
	case UART_CR: *val = u->cr; break;
	case UART_IFLS: *val = 0; break;
	case UART_IMSC: *val = u->imsc; break;
	case UART_RIS: *val = u->ris; break;
	case UART_MIS: *val = u->ris & u->imsc; break;
	default: *val = 0; break; /* reserved and identification registers read as zero */
	}
	return true;
}

static bool vuart_write(struct vcpu *v, void *priv, uint64_t off, unsigned int size, uint64_t val)
{
	struct domain *d = priv;
	struct vdev_uart *u = &d->uart;
	char c = (char)val;

	(void)v;
	(void)size;
	switch (off) {
	case UART_DR:
		byte_ring_put(&d->console, &c, 1);
		u->ris |= UART_INT_TX; /* the transmit FIFO is always empty again */
		break;
	case UART_LCR_H: u->lcr_h = (uint32_t)val; break;
	case UART_CR: u->cr = (uint32_t)val; break;
	case UART_IMSC: u->imsc = (uint32_t)val & 0x7ff; break;
	case UART_ICR: u->ris &= ~(uint32_t)val; break;
	default: break; /* writes to other registers are ignored */
	}
	return true;
}

static const struct vdev_mmio_ops vuart_ops = { vuart_read, vuart_write };

int vuart_init(struct domain *d)
{
	d->uart = (struct vdev_uart){ .cr = 0x301 };
	return vdev_mmio_register(d, CACHET_GUEST_UART_BASE, CACHET_GUEST_UART_SIZE, &vuart_ops, d);
}
