/*
 * The guest console: an SBSA generic UART, the PL011 subset Linux drives as
 * "arm,sbsa-uart" (Arm DEN0094, appendix B; register layout of the PL011,
 * Arm DDI 0183).  Output goes to the domain's console ring; input comes from
 * CONSOLE_WRITE requests (and a BREAK from shutdown requests, which Linux
 * reads as the SysRq prefix).  The FIFOs are modelled as always empty on the
 * transmit side, so every write raises the transmit interrupt, as QEMU's
 * PL011 does.  Its interrupt line is the vGIC's SPI CACHET_GUEST_UART_SPI.
 */
#include "cachet/public/guest_map.h"
#include "hv/domain.h"
#include "hv/vdev.h"
#include "hv/vgic.h"

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

#define UART_DR_BE (1u << 10) /* break error: the BREAK condition as a "character" */
#define UART_FR_RXFE (1u << 4)
#define UART_FR_TXFE (1u << 7)
#define UART_INT_RX (1u << 4)
#define UART_INT_TX (1u << 5)
#define UART_INT_RT (1u << 6)
#define UART_INT_ALL 0x7ffu

/* Caller holds d->lock. */
static bool vuart_has_input(const struct domain *d)
{
	return d->input_len != 0 || d->input_break;
}

/*
 * Caller holds d->lock, so that levels reach the vGIC in the order they were
 * computed.  Most accesses (a character written while the transmit
 * interrupt is already raised or masked) leave the line as it was: the vGIC
 * and its lock, shared by every vCPU of the domain, are left alone then.
 */
static void vuart_update_irq_locked(struct domain *d)
{
	struct vdev_uart *u = &d->uart;
	bool level;

	if (vuart_has_input(d))
		u->ris |= UART_INT_RX | UART_INT_RT;
	else
		u->ris &= ~(UART_INT_RX | UART_INT_RT);
	level = (u->ris & u->imsc) != 0;
	if (level == u->line)
		return;
	u->line = level;
	vgic_set_level(d, NULL, CACHET_GUEST_UART_SPI, level);
}

void vuart_update_irq(struct domain *d)
{
	unsigned long flags = spin_lock_irqsave(&d->lock);

	vuart_update_irq_locked(d);
	spin_unlock_irqrestore(&d->lock, flags);
}

/* Caller holds d->lock. */
static uint32_t vuart_take_input(struct domain *d)
{
	uint32_t c;

	if (d->input_break) {
		d->input_break = false;
		return UART_DR_BE;
	}
	if (d->input_len == 0)
		return 0;
	c = (uint8_t)d->input_buf[d->input_head];
	d->input_head = (d->input_head + 1) % DOMAIN_INPUT_SIZE;
	d->input_len--;
	return c;
}

static uint64_t vuart_reg(struct domain *d, uint64_t off)
{
	struct vdev_uart *u = &d->uart;

	switch (off) {
	case UART_DR: return vuart_take_input(d);
	case UART_FR: return UART_FR_TXFE | (vuart_has_input(d) ? 0 : UART_FR_RXFE);
	case UART_LCR_H: return u->lcr_h;
	case UART_CR: return u->cr;
	case UART_IMSC: return u->imsc;
	case UART_RIS: return u->ris;
	case UART_MIS: return u->ris & u->imsc;
	default: return 0; /* RSR, IFLS, reserved and ID registers read as zero */
	}
}

static bool vuart_read(struct vcpu *v, void *priv, uint64_t off, unsigned int size, uint64_t *val)
{
	struct domain *d = priv;
	unsigned long flags = spin_lock_irqsave(&d->lock);

	(void)v;
	(void)size;
	*val = vuart_reg(d, off);
	if (off == UART_DR)
		vuart_update_irq_locked(d);
	spin_unlock_irqrestore(&d->lock, flags);
	return true;
}

static bool vuart_write(struct vcpu *v, void *priv, uint64_t off, unsigned int size, uint64_t val)
{
	struct domain *d = priv;
	struct vdev_uart *u = &d->uart;
	unsigned long flags = spin_lock_irqsave(&d->lock);
	char c = (char)val;

	(void)v;
	(void)size;
	switch (off) {
	case UART_DR:
		domain_console_output(d, &c, 1);
		u->ris |= UART_INT_TX; /* the transmit FIFO is empty again at once */
		break;
	case UART_LCR_H: u->lcr_h = (uint32_t)val; break;
	case UART_CR: u->cr = (uint32_t)val; break;
	case UART_IMSC: u->imsc = (uint32_t)val & UART_INT_ALL; break;
	case UART_ICR: u->ris &= ~(uint32_t)val; break;
	default: break; /* writes to other registers are ignored */
	}
	vuart_update_irq_locked(d);
	spin_unlock_irqrestore(&d->lock, flags);
	return true;
}

static const struct vdev_mmio_ops vuart_ops = { vuart_read, vuart_write };

int vuart_init(struct domain *d)
{
	d->uart = (struct vdev_uart){ .cr = 0x301 };
	return vdev_mmio_register(d, CACHET_GUEST_UART_BASE, CACHET_GUEST_UART_SIZE, &vuart_ops, d);
}
