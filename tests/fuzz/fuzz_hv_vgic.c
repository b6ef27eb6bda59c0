/*
 * Fuzzes the virtual GICv3 as a guest reaches it: distributor and
 * redistributor MMIO of every size and offset (through the same access path
 * as the data-abort handler), SGIs written to ICC_SGI1R_EL1, device lines,
 * and the list-register protocol the arch side runs around each entry.
 * Beyond sanitizer findings it checks what the model promises: reads fit
 * the access, the identification registers read as they must, a vCPU is
 * never handed more interrupts than it has free list registers or an
 * INTID it cannot have, and a vCPU holding nothing does not look pending.
 */
#include <stdlib.h>

#include "cachet/public/guest_map.h"
#include "hv_harness.h"
#include "hv/vdev.h"
#include "hv/vgic.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define GICD_TYPER 0x0004
#define GICD_TYPER_VALUE 0x00480001u /* 64 INTIDs, 10 ID bits */
#define LRS 4

struct lr_state {
	unsigned int n;
	struct vgic_lr_item items[LRS];
};

static void fuzz_mmio(struct domain *d, struct hv_input *in)
{
	struct vcpu *v = &d->vcpus[hv_input_bytes(in, 1) % d->max_vcpus];
	unsigned int size = 1u << (hv_input_bytes(in, 1) & 3);
	bool gicr = hv_input_bytes(in, 1) & 1, write = hv_input_bytes(in, 1) & 1;
	uint64_t span = gicr ? d->max_vcpus * CACHET_GUEST_GICR_STRIDE : CACHET_GUEST_GICD_SIZE;
	uint64_t off = hv_input_bytes(in, 3) % span;
	uint64_t ipa = (gicr ? CACHET_GUEST_GICR_BASE : CACHET_GUEST_GICD_BASE) + off;
	uint64_t val = hv_input_bytes(in, 8);
	bool inside = off + size <= span;

	if (vdev_mmio_access(v, ipa, size, &val, write) != inside)
		abort();
	if (!write && inside)
		hv_check_fits(val, size);
	if (!write && !gicr && off == GICD_TYPER && size == 4 && val != GICD_TYPER_VALUE)
		abort();
}

/* Exactly the interrupts the "list registers" hold are marked as held by @v. */
static void hv_check_lrs(struct domain *d, struct vcpu *v, const struct lr_state *s)
{
	unsigned int held = 0;

	for (unsigned int i = 0; i < VGIC_NR_IRQS; i++) {
		struct vgic_irq *irq = vgic_irq(d, v, i);

		held += irq->in_lr && (i < VGIC_NR_PRIVATE || irq->lr_vcpu == v->id);
	}
	if (held != s->n)
		abort();
}

/* The arch side: fill free list registers, or retire what the guest finished. */
static void fuzz_lrs(struct domain *d, struct lr_state *lrs, struct hv_input *in)
{
	unsigned int id = (unsigned int)(hv_input_bytes(in, 1) % d->max_vcpus);
	struct vcpu *v = &d->vcpus[id];
	struct lr_state *s = &lrs[id];

	if (hv_input_bytes(in, 1) & 1) {
		unsigned int got = vgic_pick(v, s->items + s->n, LRS - s->n);

		for (unsigned int k = 0; k < got; k++) {
			if (s->items[s->n + k].intid >= VGIC_NR_IRQS)
				abort();
		}
		s->n += got;
		if (s->n > LRS)
			abort();
	} else if (s->n > 0) {
		unsigned int k = (unsigned int)(hv_input_bytes(in, 1) % s->n);
		unsigned int how = (unsigned int)hv_input_bytes(in, 1) % 3;

		/* Still pending, active, or done (the slot is freed only when done). */
		vgic_lr_done(v, s->items[k].intid, how == 0, how == 1);
		if (how == 2)
			s->items[k] = s->items[--s->n];
	}
	hv_check_lrs(d, v, s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hv_input in = { data, size, 0 };
	struct lr_state lrs[CONFIG_MAX_VCPUS] = { 0 };
	struct domain *d = hv_domain_begin(1 + (unsigned int)(hv_input_bytes(&in, 1) % 4));

	while (hv_input_left(&in)) {
		switch (hv_input_bytes(&in, 1) % 6) {
		case 0:
		case 1:
			fuzz_mmio(d, &in);
			break;
		case 2:
			vgic_sgi1r_write(&d->vcpus[hv_input_bytes(&in, 1) % d->max_vcpus],
					 hv_input_bytes(&in, 8));
			break;
		case 3: {
			unsigned int id = (unsigned int)(hv_input_bytes(&in, 1) % d->max_vcpus);
			unsigned int intid = (unsigned int)hv_input_bytes(&in, 1);

			vgic_set_level(d, &d->vcpus[id], intid, hv_input_bytes(&in, 1) & 1);
			break;
		}
		case 4: {
			/* CPU_ON or a new context: the list registers are gone. */
			unsigned int id = (unsigned int)(hv_input_bytes(&in, 1) % d->max_vcpus);

			vgic_vcpu_reset(&d->vcpus[id]);
			lrs[id].n = 0;
			hv_check_lrs(d, &d->vcpus[id], &lrs[id]);
			break;
		}
		default:
			fuzz_lrs(d, lrs, &in);
			break;
		}
	}
	hv_domain_end(d);
	return 0;
}
