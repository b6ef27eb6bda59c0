/*
 * Virtual GICv3: interrupt state, injection and the choice of what goes
 * into list registers (see hv/vgic.h).
 */
#include "hv/vgic.h"

#include "hv/arch_vcpu.h"
#include "hv/domain.h"
#include "hv/sched.h"

#define VGIC_PRIO_RESET 0xa0
#define IROUTER_ANY (UINT64_C(1) << 31)

void vgic_changed(struct domain *d)
{
	__atomic_store_n(&d->vgic.gen, d->vgic.gen + 1, __ATOMIC_RELEASE);
}

struct vgic_irq *vgic_irq(struct domain *d, struct vcpu *v, unsigned int intid)
{
	if (intid < VGIC_NR_PRIVATE)
		return &v->vgic.priv[intid];
	if (intid < VGIC_NR_IRQS)
		return &d->vgic.spi[intid - VGIC_NR_PRIVATE];
	return NULL;
}

int vgic_init(struct domain *d)
{
	d->vgic.lock = SPINLOCK_INIT;
	d->vgic.gen = 1; /* no vCPU has picked yet: their picked_gen is 0 */
	for (unsigned int i = 0; i < VGIC_NR_SPIS; i++) {
		d->vgic.spi[i] = (struct vgic_irq){ .priority = VGIC_PRIO_RESET, .group = 1 };
		d->vgic.irouter[i] = 0;
	}
	return vgic_mmio_register(d);
}

/* The vCPU an SPI is routed to (IROUTER Aff0; "any" picks vCPU 0). */
static struct vcpu *vgic_spi_target(struct domain *d, unsigned int intid)
{
	uint64_t r = d->vgic.irouter[intid - VGIC_NR_PRIVATE];
	unsigned int id = (r & IROUTER_ANY) ? 0 : (unsigned int)((r & 0xff) | ((r >> 8 & 0xff) << 4));

	return &d->vcpus[id < d->max_vcpus ? id : 0];
}

static bool vgic_group_enabled(const struct domain *d, const struct vgic_irq *irq)
{
	return (d->vgic.ctlr & (irq->group ? 2u : 1u)) != 0;
}

static bool vgic_deliverable(const struct domain *d, const struct vgic_irq *irq)
{
	return irq->enabled && !irq->in_lr && (irq->pending || (!irq->edge && irq->level)) &&
	       vgic_group_enabled(d, irq);
}

/*
 * Wakes @v if it waits, and makes its pCPU look at it again.  A vCPU that
 * is off takes nothing until CPU_ON, which schedules it anyway: interrupting
 * its pCPU would only cost whoever runs there.
 */
void vgic_kick(struct vcpu *v)
{
	if (v->state == VCPU_OFFLINE)
		return;
	if (v->state == VCPU_BLOCKED)
		v->state = VCPU_RUNNABLE;
	arch_kick_cpu(v->pcpu);
}

/*
 * The vCPU to wake for SPI @intid, pending again now that no list register
 * holds it, when it is routed to a vCPU other than @v (which looks again
 * before it enters the guest); NULL otherwise.  Caller holds the lock.
 */
static struct vcpu *vgic_spi_released(struct domain *d, struct vcpu *v, unsigned int intid)
{
	struct vcpu *t;

	if (intid < VGIC_NR_PRIVATE || !vgic_deliverable(d, &d->vgic.spi[intid - VGIC_NR_PRIVATE]))
		return NULL;
	t = vgic_spi_target(d, intid);
	return t != v ? t : NULL;
}

/*
 * Takes back the SPIs @v's list registers hold, as not acknowledged (the
 * distributor keeps them: an edge one stays pending); returns the vCPUs
 * other than @v they are routed to now, bit n for vCPU n, to kick once the
 * lock is dropped.  Caller holds the lock.
 */
static uint32_t vgic_take_back_spis(struct domain *d, struct vcpu *v)
{
	uint32_t wake = 0;

	for (unsigned int i = 0; i < VGIC_NR_SPIS; i++) {
		struct vgic_irq *irq = &d->vgic.spi[i];
		struct vcpu *t;

		if (!irq->in_lr || irq->lr_vcpu != v->id)
			continue;
		irq->in_lr = false;
		irq->active = false;
		irq->pending |= irq->edge;
		t = vgic_spi_released(d, v, i + VGIC_NR_PRIVATE);
		if (t)
			wake |= 1u << t->id;
	}
	vgic_changed(d);
	return wake;
}

static void vgic_kick_mask(struct domain *d, uint32_t mask)
{
	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		if (mask & (1u << i))
			vgic_kick(&d->vcpus[i]);
	}
}

void vgic_vcpu_reset(struct vcpu *v)
{
	struct domain *d = v->dom;
	unsigned long flags = spin_lock_irqsave(&d->vgic.lock);
	uint32_t wake;

	for (unsigned int i = 0; i < VGIC_NR_PRIVATE; i++) {
		/* SGIs are edge-triggered by definition; PPIs reset to level. */
		v->vgic.priv[i] = (struct vgic_irq){ .priority = VGIC_PRIO_RESET, .group = 1,
						     .edge = i < 16 };
	}
	wake = vgic_take_back_spis(d, v);
	v->vgic.sleeping = true;
	spin_unlock_irqrestore(&d->vgic.lock, flags);
	vgic_kick_mask(d, wake);
}

void vgic_vcpu_off(struct vcpu *v)
{
	struct domain *d = v->dom;
	unsigned long flags = spin_lock_irqsave(&d->vgic.lock);
	uint32_t wake = vgic_take_back_spis(d, v);

	spin_unlock_irqrestore(&d->vgic.lock, flags);
	vgic_kick_mask(d, wake);
}

/* Whether @irq is for @v: its own private interrupt, or an SPI routed to it. */
static bool vgic_routed_to(struct domain *d, struct vcpu *v, unsigned int intid)
{
	return intid < VGIC_NR_PRIVATE || vgic_spi_target(d, intid) == v;
}

uint64_t vgic_ready_set(struct domain *d, struct vcpu *v)
{
	uint64_t set = 0;

	for (unsigned int i = 0; i < VGIC_NR_IRQS; i++) {
		if (vgic_deliverable(d, vgic_irq(d, v, i)) && vgic_routed_to(d, v, i))
			set |= UINT64_C(1) << i;
	}
	return set;
}

void vgic_inject(struct vcpu *v, unsigned int intid)
{
	struct domain *d = v->dom;
	unsigned long flags = spin_lock_irqsave(&d->vgic.lock);
	struct vgic_irq *irq = vgic_irq(d, v, intid);
	bool wake = false;

	if (irq != NULL) {
		/* Pending already (an SGI storm): nothing new to tell anyone. */
		wake = !vgic_deliverable(d, irq);
		irq->pending = true;
		wake = wake && vgic_deliverable(d, irq);
		vgic_changed(d);
	}
	spin_unlock_irqrestore(&d->vgic.lock, flags);
	if (wake)
		vgic_kick(intid < VGIC_NR_PRIVATE ? v : vgic_spi_target(d, intid));
}

void vgic_set_level(struct domain *d, struct vcpu *v, unsigned int intid, bool level)
{
	unsigned long flags = spin_lock_irqsave(&d->vgic.lock);
	struct vgic_irq *irq = vgic_irq(d, v, intid);
	bool wake = false;

	if (irq != NULL && irq->level != level) {
		irq->level = level;
		wake = level && vgic_deliverable(d, irq);
		vgic_changed(d);
	}
	spin_unlock_irqrestore(&d->vgic.lock, flags);
	if (wake)
		vgic_kick(intid < VGIC_NR_PRIVATE ? v : vgic_spi_target(d, intid));
}

bool vgic_can_wake(struct vcpu *v)
{
	struct domain *d = v->dom;
	unsigned long flags = spin_lock_irqsave(&d->vgic.lock);
	bool any = false;

	for (unsigned int i = 0; i < VGIC_NR_IRQS && !any; i++) {
		struct vgic_irq *irq = vgic_irq(d, v, i);

		any = irq->enabled && vgic_group_enabled(d, irq) &&
		      (i < VGIC_NR_PRIVATE || vgic_spi_target(d, i) == v);
	}
	spin_unlock_irqrestore(&d->vgic.lock, flags);
	return any;
}

bool vgic_has_pending(struct vcpu *v)
{
	struct domain *d = v->dom;
	unsigned long flags = spin_lock_irqsave(&d->vgic.lock);
	bool any = false;

	for (unsigned int i = 0; i < VGIC_NR_IRQS && !any; i++) {
		struct vgic_irq *irq = vgic_irq(d, v, i);

		bool held = irq->in_lr && (i < VGIC_NR_PRIVATE || irq->lr_vcpu == v->id);

		any = held || (vgic_deliverable(d, irq) && vgic_routed_to(d, v, i));
	}
	spin_unlock_irqrestore(&d->vgic.lock, flags);
	return any;
}

/* Inserts @it into @out (kept sorted by priority, best first) if it ranks. */
static unsigned int vgic_rank(struct vgic_lr_item *out, unsigned int n, unsigned int max,
			      struct vgic_lr_item it)
{
	unsigned int pos = n;

	while (pos > 0 && out[pos - 1].priority > it.priority)
		pos--;
	if (pos >= max)
		return n;
	for (unsigned int i = (n < max ? n : max - 1); i > pos; i--)
		out[i] = out[i - 1];
	out[pos] = it;
	return n < max ? n + 1 : n;
}

/*
 * Nothing can be newly deliverable to @v since its last pick if the
 * generation has not moved: that pick took all it found or filled every
 * free list register, and no list register was handed back since (that
 * moves the generation too).  A change racing with this unlocked read is
 * made by an injector that kicks @v's pCPU afterwards, so the guest exits
 * again at once and the next pick sees it.
 */
static bool vgic_nothing_new(struct vcpu *v)
{
	return __atomic_load_n(&v->dom->vgic.gen, __ATOMIC_ACQUIRE) == v->vgic.picked_gen;
}

unsigned int vgic_pick(struct vcpu *v, struct vgic_lr_item *out, unsigned int max)
{
	struct domain *d = v->dom;
	unsigned long flags;
	unsigned int n = 0;

	if (vgic_nothing_new(v))
		return 0;
	flags = spin_lock_irqsave(&d->vgic.lock);
	v->vgic.picked_gen = d->vgic.gen;

	for (unsigned int i = 0; i < VGIC_NR_IRQS && max > 0; i++) {
		struct vgic_irq *irq = vgic_irq(d, v, i);

		if (!vgic_deliverable(d, irq) || !vgic_routed_to(d, v, i))
			continue;
		n = vgic_rank(out, n, max, (struct vgic_lr_item){ i, irq->priority, irq->group,
								   !irq->edge });
	}
	for (unsigned int k = 0; k < n; k++) {
		struct vgic_irq *irq = vgic_irq(d, v, out[k].intid);

		irq->in_lr = true;
		irq->lr_vcpu = (uint8_t)v->id;
		irq->pending = false; /* now carried by the list register */
	}
	spin_unlock_irqrestore(&d->vgic.lock, flags);
	return n;
}

void vgic_lr_done(struct vcpu *v, uint32_t intid, bool still_pending, bool still_active)
{
	struct domain *d = v->dom;
	unsigned long flags = spin_lock_irqsave(&d->vgic.lock);
	struct vgic_irq *irq = vgic_irq(d, v, intid);
	struct vcpu *wake = NULL;

	if (irq != NULL) {
		irq->active = still_active;
		irq->in_lr = still_pending || still_active;
		vgic_changed(d);
		/* Re-routed while this list register held it: its new target may wait. */
		wake = vgic_spi_released(d, v, intid);
	}
	spin_unlock_irqrestore(&d->vgic.lock, flags);
	if (wake)
		vgic_kick(wake);
}

/* ICC_SGI1R_EL1 (GICv3 12.11.20): target list, Aff1..3, INTID, IRM. */
void vgic_sgi1r_write(struct vcpu *v, uint64_t val)
{
	struct domain *d = v->dom;
	unsigned int intid = (unsigned int)(val >> 24) & 0xf;
	bool all_but_self = (val >> 40) & 1;
	unsigned int aff1 = (unsigned int)(val >> 16) & 0xff;
	uint16_t targets = (uint16_t)val;

	/*
	 * Aff2/Aff3 are zero for every vCPU we create (at most 16 per Aff1);
	 * with IRM set the affinity fields name nobody and are ignored.
	 */
	if (!all_but_self && (((val >> 32) & 0xff) != 0 || ((val >> 48) & 0xff) != 0))
		return;
	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		struct vcpu *t = &d->vcpus[i];
		bool hit = all_but_self ? t != v
					: (i >> 4) == aff1 && (targets & (1u << (i & 15))) != 0;

		if (hit)
			vgic_inject(t, intid);
	}
}
