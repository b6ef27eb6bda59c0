/*
 * Fuzzes the emulated SBSA UART as a guest and the console service reach
 * it: register accesses of every size and offset through the data-abort
 * handler's access path, console input (with BREAKs) arriving between them.
 * Checks: reads fit the access, the flag register's receive-empty bit says
 * whether input is waiting, every byte written to the data register reaches
 * the console ring, and input is read back in order.
 */
#include <stdlib.h>

#include "cachet/public/guest_map.h"
#include "hv_harness.h"
#include "hv/vdev.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define UART_DR 0x000
#define UART_FR 0x018
#define UART_FR_RXFE (1u << 4)
#define UART_DR_BE (1u << 10)

static uint64_t uart_access(struct domain *d, uint64_t off, unsigned int size, uint64_t val,
			    bool write)
{
	if (!vdev_mmio_access(&d->vcpus[0], CACHET_GUEST_UART_BASE + off, size, &val, write))
		abort();
	if (!write)
		hv_check_fits(val, size);
	return val;
}

/* The receive side against a model of what was typed. */
struct uart_model {
	char typed[512];
	unsigned int head, len;
};

static void uart_check_read(struct domain *d, struct uart_model *m)
{
	bool waiting = d->input_len != 0 || d->input_break;
	uint64_t fr = uart_access(d, UART_FR, 4, 0, false);
	bool was_break = d->input_break;
	uint64_t c;

	if (((fr & UART_FR_RXFE) == 0) != waiting)
		abort();
	c = uart_access(d, UART_DR, 4, 0, false);
	if (was_break) {
		if (c != UART_DR_BE)
			abort();
	} else if (m->len > 0) {
		if (c != (uint8_t)m->typed[m->head % sizeof(m->typed)])
			abort();
		m->head++;
		m->len--;
	} else if (c != 0) {
		abort();
	}
}

static void uart_type(struct domain *d, struct uart_model *m, struct hv_input *in)
{
	char buf[8];
	unsigned int n = (unsigned int)(hv_input_bytes(in, 1) % sizeof(buf));
	uint32_t took;

	for (unsigned int i = 0; i < n; i++)
		buf[i] = (char)hv_input_bytes(in, 1);
	took = domain_console_input(d, buf, n, hv_input_bytes(in, 1) & 1);
	for (uint32_t i = 0; i < took; i++)
		m->typed[(m->head + m->len + i) % sizeof(m->typed)] = buf[i];
	m->len += took;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hv_input in = { data, size, 0 };
	struct uart_model m = { .head = 0 };
	struct domain *d = hv_domain_begin(1);

	while (hv_input_left(&in)) {
		unsigned int op = (unsigned int)hv_input_bytes(&in, 1) % 4;
		uint64_t off = hv_input_bytes(&in, 2) % CACHET_GUEST_UART_SIZE;
		unsigned int width = 1u << (hv_input_bytes(&in, 1) & 3);

		off &= ~(uint64_t)(width - 1);
		if (op == 0) {
			uart_type(d, &m, &in);
		} else if (op == 1) {
			uart_check_read(d, &m);
		} else if (op == 2) {
			uint64_t before = d->console.total;

			uart_access(d, off, width, hv_input_bytes(&in, 8), true);
			if (d->console.total != before + (off == UART_DR))
				abort();
		} else {
			bool was_break = d->input_break;

			uart_access(d, off, width, 0, false);
			/* A read of the data register takes the BREAK, or one character. */
			if (off == UART_DR && !was_break && m.len > 0) {
				m.head++;
				m.len--;
			}
		}
	}
	hv_domain_end(d);
	return 0;
}
