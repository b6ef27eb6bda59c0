/*
 * Virtual GICv3 register frames: the distributor (GICD) and one
 * redistributor per vCPU (GICR: RD_base then SGI_base, 64 KiB each), as
 * Linux's GICv3 driver uses them (GICv3 spec, chapter 12).  Registers this
 * model does not implement read as zero and ignore writes, as the
 * architecture allows for the features it leaves out (LPIs, Group 0
 * security split, MBIs).
 */
#include "cachet/public/guest_map.h"
#include "hv/domain.h"
#include "hv/vgic.h"

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IIDR 0x0008
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ISPENDR 0x0200
#define GICD_ICPENDR 0x0280
#define GICD_ISACTIVER 0x0300
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0c00
#define GICD_IROUTER 0x6000
#define GIC_PIDR2 0xffe8

#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_DS (1u << 6)
#define GICD_CTLR_ENABLE_MASK 3u
/* 64 INTIDs (ITLinesNumber 1), 10 ID bits, no LPIs; only Non-secure state. */
#define GICD_TYPER_VALUE ((1u << 0) | (9u << 19))
#define GIC_IIDR_ARM 0x43b
#define GIC_PIDR2_ARCH_V3 0x30

#define GICR_CTLR 0x0000
#define GICR_IIDR 0x0004
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_SGI_BASE 0x10000
#define GICR_WAKER_SLEEP (1u << 1)
#define GICR_WAKER_ASLEEP (1u << 2)
#define GICR_TYPER_LAST (UINT64_C(1) << 4)

/* A register with one bit per interrupt: which bit-field of which INTIDs. */
enum vgic_bitreg { BIT_GROUP, BIT_SET_ENABLE, BIT_CLEAR_ENABLE, BIT_SET_PEND, BIT_CLEAR_PEND,
		   BIT_SET_ACTIVE, BIT_CLEAR_ACTIVE };

/* The INTIDs a frame's per-interrupt registers cover: [lo, hi). */
struct vgic_span {
	unsigned int lo, hi;
};

static const struct vgic_span gicd_span = { VGIC_NR_PRIVATE, VGIC_NR_IRQS };
static const struct vgic_span gicr_span = { 0, VGIC_NR_PRIVATE };

/* Interrupt @intid if the frame covers it (the rest read as zero, ignore writes). */
static struct vgic_irq *vgic_span_irq(struct domain *d, struct vcpu *v, struct vgic_span span,
				      unsigned int intid)
{
	return intid >= span.lo && intid < span.hi ? vgic_irq(d, v, intid) : NULL;
}

static bool vgic_bit_get(const struct vgic_irq *irq, enum vgic_bitreg kind)
{
	switch (kind) {
	case BIT_GROUP: return irq->group;
	case BIT_SET_ENABLE: case BIT_CLEAR_ENABLE: return irq->enabled;
	case BIT_SET_PEND: case BIT_CLEAR_PEND:
		return irq->pending || irq->in_lr || (!irq->edge && irq->level);
	default: return irq->active;
	}
}

static void vgic_bit_set(struct vgic_irq *irq, enum vgic_bitreg kind, bool bit)
{
	switch (kind) {
	case BIT_GROUP: irq->group = bit; break;
	case BIT_SET_ENABLE: irq->enabled |= bit; break;
	case BIT_CLEAR_ENABLE: irq->enabled &= !bit; break;
	case BIT_SET_PEND: irq->pending |= bit; break;
	case BIT_CLEAR_PEND: irq->pending &= !bit; break;
	case BIT_SET_ACTIVE: irq->active |= bit; break;
	case BIT_CLEAR_ACTIVE: irq->active &= !bit; break;
	}
}

static void vgic_bits_access(struct domain *d, struct vcpu *v, struct vgic_span span,
			     unsigned int first, enum vgic_bitreg kind, uint64_t *val, bool write)
{
	for (unsigned int i = 0; i < 32; i++) {
		struct vgic_irq *irq = vgic_span_irq(d, v, span, first + i);

		if (irq == NULL)
			continue;
		if (write)
			vgic_bit_set(irq, kind, (*val >> i) & 1);
		else
			*val |= (uint64_t)vgic_bit_get(irq, kind) << i;
	}
}

static void vgic_priority_access(struct domain *d, struct vcpu *v, struct vgic_span span,
				 unsigned int first, unsigned int size, uint64_t *val, bool write)
{
	for (unsigned int b = 0; b < size; b++) {
		struct vgic_irq *irq = vgic_span_irq(d, v, span, first + b);

		if (irq == NULL)
			continue;
		if (write)
			irq->priority = (uint8_t)(*val >> (8 * b));
		else
			*val |= (uint64_t)irq->priority << (8 * b);
	}
}

static void vgic_config_access(struct domain *d, struct vcpu *v, struct vgic_span span,
			       unsigned int first, uint64_t *val, bool write)
{
	for (unsigned int i = 0; i < 16; i++) {
		struct vgic_irq *irq = vgic_span_irq(d, v, span, first + i);

		/* SGIs are always edge; the rest follow bit 1 of each field. */
		if (irq == NULL)
			continue;
		if (write && first + i >= 16)
			irq->edge = (*val >> (2 * i + 1)) & 1;
		else if (!write)
			*val |= (uint64_t)irq->edge << (2 * i + 1);
	}
}

/*
 * The registers both frames share, at @off from the start of the block of
 * per-interrupt registers: bitmaps, priorities (byte-accessible) and
 * configuration.  Interrupts outside @span are RAZ/WI in this frame (with
 * ARE set, the distributor's copies of SGIs and PPIs are).
 */
static void vgic_irq_regs(struct domain *d, struct vcpu *v, struct vgic_span span, uint64_t off,
			  unsigned int size, uint64_t *val, bool write)
{
	static const struct { uint64_t base; enum vgic_bitreg kind; } bitregs[] = {
		{ GICD_IGROUPR, BIT_GROUP },	    { GICD_ISENABLER, BIT_SET_ENABLE },
		{ GICD_ICENABLER, BIT_CLEAR_ENABLE }, { GICD_ISPENDR, BIT_SET_PEND },
		{ GICD_ICPENDR, BIT_CLEAR_PEND },     { GICD_ISACTIVER, BIT_SET_ACTIVE },
		{ GICD_ICACTIVER, BIT_CLEAR_ACTIVE },
	};

	for (unsigned int r = 0; r < ARRAY_SIZE(bitregs); r++) {
		if (off >= bitregs[r].base && off < bitregs[r].base + 0x80) {
			if (size == 4)
				vgic_bits_access(d, v, span, (unsigned int)(off - bitregs[r].base) * 8,
						 bitregs[r].kind, val, write);
			return;
		}
	}
	if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + VGIC_NR_IRQS)
		vgic_priority_access(d, v, span, (unsigned int)(off - GICD_IPRIORITYR), size, val,
				     write);
	else if (off >= GICD_ICFGR && off < GICD_ICFGR + VGIC_NR_IRQS / 4 && size == 4)
		vgic_config_access(d, v, span, (unsigned int)(off - GICD_ICFGR) * 4, val, write);
}

/*
 * Kicks only where a write made something deliverable that was not before
 * (@before: each vCPU's ready set then): a guest writing registers in a loop
 * must not interrupt the pCPUs of its other vCPUs, or anyone else's guests.
 * Caller holds the lock; returns the vCPUs to kick once it is dropped.
 */
static uint32_t vgic_newly_ready(struct domain *d, const uint64_t *before)
{
	uint32_t kick = 0;

	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		if (vgic_ready_set(d, &d->vcpus[i]) & ~before[i])
			kick |= UINT32_C(1) << i;
	}
	return kick;
}

static void vgic_snapshot(struct domain *d, uint64_t *ready)
{
	for (unsigned int i = 0; i < d->max_vcpus; i++)
		ready[i] = vgic_ready_set(d, &d->vcpus[i]);
}

static void vgic_kick_set(struct domain *d, uint32_t kick)
{
	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		if (kick & (UINT32_C(1) << i))
			vgic_kick(&d->vcpus[i]);
	}
}

/* GICD_IROUTER<n>: 64-bit registers, accessed whole or by 32-bit halves. */
static void gicd_irouter_access(struct domain *d, uint64_t off, unsigned int size, uint64_t *val,
				bool write)
{
	uint64_t *r = &d->vgic.irouter[(off - GICD_IROUTER) / 8 - VGIC_NR_PRIVATE];
	unsigned int shift = (unsigned int)(off & 4) * 8;
	uint64_t mask = (size == 8 ? ~UINT64_C(0) : UINT64_C(0xffffffff)) << shift;

	if (size != 4 && size != 8)
		return;
	if (write)
		*r = (*r & ~mask) | ((*val << shift) & mask);
	else
		*val = (*r & mask) >> shift;
}

static void gicd_reg_access(struct domain *d, struct vcpu *v, uint64_t off, unsigned int size,
			    uint64_t *val, bool write)
{
	if (off == GICD_CTLR && size == 4) {
		if (write)
			d->vgic.ctlr = (uint32_t)*val & GICD_CTLR_ENABLE_MASK;
		else
			*val = d->vgic.ctlr | GICD_CTLR_ARE | GICD_CTLR_DS;
	} else if (off == GICD_TYPER && !write) {
		*val = GICD_TYPER_VALUE;
	} else if (off == GICD_IIDR && !write) {
		*val = GIC_IIDR_ARM;
	} else if (off == GIC_PIDR2 && !write) {
		*val = GIC_PIDR2_ARCH_V3;
	} else if (off >= GICD_IROUTER + 8 * VGIC_NR_PRIVATE &&
		   off < GICD_IROUTER + 8 * VGIC_NR_IRQS) {
		gicd_irouter_access(d, off, size, val, write);
	} else if (off >= GICD_IGROUPR && off < GICD_IROUTER) {
		vgic_irq_regs(d, v, gicd_span, off, size, val, write);
	}
}

static bool gicd_access(struct vcpu *v, void *priv, uint64_t off, unsigned int size, uint64_t *val,
			bool write)
{
	struct domain *d = priv;
	uint64_t before[CONFIG_MAX_VCPUS];
	uint32_t kick = 0;
	unsigned long flags = spin_lock_irqsave(&d->vgic.lock);

	if (write)
		vgic_snapshot(d, before);
	else
		*val = 0;
	gicd_reg_access(d, v, off, size, val, write);
	if (write) {
		kick = vgic_newly_ready(d, before);
		vgic_changed(d);
	}
	spin_unlock_irqrestore(&d->vgic.lock, flags);
	vgic_kick_set(d, kick);
	return true;
}

static bool gicd_read(struct vcpu *v, void *priv, uint64_t off, unsigned int size, uint64_t *val)
{
	return gicd_access(v, priv, off, size, val, false);
}

static bool gicd_write(struct vcpu *v, void *priv, uint64_t off, unsigned int size, uint64_t val)
{
	return gicd_access(v, priv, off, size, &val, true);
}

/* GICR_TYPER: affinity of the vCPU's MPIDR, its number, and Last on the final frame. */
static uint64_t gicr_typer(const struct domain *d, unsigned int id)
{
	uint64_t aff = (uint64_t)(id & 15) | ((uint64_t)(id >> 4) << 8);

	return (aff << 32) | ((uint64_t)id << 8) | (id + 1 == d->max_vcpus ? GICR_TYPER_LAST : 0);
}

static bool gicr_rd_access(struct domain *d, struct vcpu *t, uint64_t off, uint64_t *val,
			   bool write)
{
	if (off == GICR_WAKER) {
		if (write)
			t->vgic.sleeping = (*val & GICR_WAKER_SLEEP) != 0;
		else
			*val = t->vgic.sleeping ? GICR_WAKER_SLEEP | GICR_WAKER_ASLEEP : 0;
	} else if (!write && off == GICR_TYPER) {
		*val = gicr_typer(d, t->id);
	} else if (!write && off == GICR_TYPER + 4) {
		*val = gicr_typer(d, t->id) >> 32;
	} else if (!write && off == GICR_IIDR) {
		*val = GIC_IIDR_ARM;
	} else if (!write && off == GIC_PIDR2) {
		*val = GIC_PIDR2_ARCH_V3;
	}
	return true; /* GICR_CTLR and the LPI registers: RAZ/WI */
}

static bool gicr_access(struct vcpu *v, void *priv, uint64_t off, unsigned int size, uint64_t *val,
			bool write)
{
	struct domain *d = priv;
	unsigned int id = (unsigned int)(off / CACHET_GUEST_GICR_STRIDE);
	uint64_t in = off % CACHET_GUEST_GICR_STRIDE;
	struct vcpu *t;
	uint64_t before;
	bool kick;
	unsigned long flags;

	(void)v;
	if (id >= d->max_vcpus)
		return false;
	t = &d->vcpus[id];
	if (!write)
		*val = 0;
	flags = spin_lock_irqsave(&d->vgic.lock);
	/* A redistributor frame changes only its own vCPU's interrupts. */
	before = write ? vgic_ready_set(d, t) : 0;
	if (in < GICR_SGI_BASE)
		gicr_rd_access(d, t, in, val, write);
	else if (in - GICR_SGI_BASE < GICD_IROUTER)
		vgic_irq_regs(d, t, gicr_span, in - GICR_SGI_BASE, size, val, write);
	kick = write && (vgic_ready_set(d, t) & ~before) != 0;
	if (write)
		vgic_changed(d);
	spin_unlock_irqrestore(&d->vgic.lock, flags);
	if (kick)
		vgic_kick(t);
	return true;
}

static bool gicr_read(struct vcpu *v, void *priv, uint64_t off, unsigned int size, uint64_t *val)
{
	return gicr_access(v, priv, off, size, val, false);
}

static bool gicr_write(struct vcpu *v, void *priv, uint64_t off, unsigned int size, uint64_t val)
{
	return gicr_access(v, priv, off, size, &val, true);
}

static const struct vdev_mmio_ops gicd_ops = { gicd_read, gicd_write };
static const struct vdev_mmio_ops gicr_ops = { gicr_read, gicr_write };

int vgic_mmio_register(struct domain *d)
{
	int rc = vdev_mmio_register(d, CACHET_GUEST_GICD_BASE, CACHET_GUEST_GICD_SIZE, &gicd_ops, d);

	if (rc != 0)
		return rc;
	return vdev_mmio_register(d, CACHET_GUEST_GICR_BASE,
				  (uint64_t)d->max_vcpus * CACHET_GUEST_GICR_STRIDE, &gicr_ops, d);
}
