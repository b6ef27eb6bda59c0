/*
 * The virtual GICv3 of a domain (GICv3 architecture, Arm IHI 0069):
 * a distributor and one redistributor per vCPU, emulated through stage-2
 * MMIO traps, with interrupts delivered through the CPU's list registers
 * (the virtual CPU interface itself is hardware).  This file is the
 * portable part: interrupt state and the register model.  The list-register
 * side lives in arch code (arch_vgic_*).
 *
 * INTIDs 0-15 are SGIs, 16-31 PPIs (both per vCPU), 32..VGIC_NR_IRQS-1 SPIs.
 */
#ifndef HV_VGIC_H
#define HV_VGIC_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/spinlock.h"

#define VGIC_NR_IRQS 64 /* SGIs, PPIs and SPIs 32..63 */
#define VGIC_NR_PRIVATE 32
#define VGIC_NR_SPIS (VGIC_NR_IRQS - VGIC_NR_PRIVATE)

struct domain;
struct vcpu;

/* One interrupt's configuration and state. */
struct vgic_irq {
	uint8_t priority;
	bool enabled;
	bool pending;    /* latched (edge) or software-set pending */
	bool level;      /* the input line, for level-triggered interrupts */
	bool active;     /* active in the guest, as far as we know */
	bool edge;       /* ICFGR: edge-triggered */
	bool in_lr;      /* currently held in a list register */
	uint8_t group;
	uint8_t lr_vcpu; /* whose list register holds it, while in_lr */
};

/* Per-vCPU: its private interrupts and redistributor state. */
struct vgic_cpu {
	struct vgic_irq priv[VGIC_NR_PRIVATE];
	bool sleeping;   /* GICR_WAKER.ProcessorSleep */
	uint64_t picked_gen; /* the domain's vgic_dist.gen its last vgic_pick() saw */
};

/*
 * Per-domain: the distributor.  One lock guards the interrupt state of the
 * whole domain (private interrupts included): injections come from any
 * pCPU, and contention is low.
 */
struct vgic_dist {
	spinlock_t lock;
	/*
	 * Moves on (under the lock) whenever an interrupt may have become
	 * deliverable, so that the pick before every guest entry can skip its
	 * scan, and the lock, when nothing changed since the last one.
	 */
	uint64_t gen;
	uint32_t ctlr;
	struct vgic_irq spi[VGIC_NR_SPIS];
	uint64_t irouter[VGIC_NR_SPIS];
};

int vgic_init(struct domain *d);
/* MMIO emulation of the distributor and redistributor frames (vgic_mmio.c). */
int vgic_mmio_register(struct domain *d);
/* Interrupt @intid as seen by @v (private ones are @v's own); caller holds the lock. */
struct vgic_irq *vgic_irq(struct domain *d, struct vcpu *v, unsigned int intid);
/* Caller holds the lock and changed state that may make an interrupt deliverable. */
void vgic_changed(struct domain *d);
/*
 * Puts @v's redistributor in its reset state and takes back every interrupt
 * its list registers held (a vCPU that is created, or started again after
 * CPU_OFF, holds none): an edge SPI that was still pending stays pending.
 */
void vgic_vcpu_reset(struct vcpu *v);
/*
 * @v powered off (PSCI CPU_OFF): the SPIs its list registers hold go back
 * to the distributor, so that a vCPU they are routed to now can take them
 * while @v is off; its private interrupts wait for it.
 */
void vgic_vcpu_off(struct vcpu *v);
/* The interrupts @v could take now, bit n for INTID n; caller holds the lock. */
uint64_t vgic_ready_set(struct domain *d, struct vcpu *v);
/* Wakes @v (and kicks its pCPU) because an interrupt became deliverable to it. */
void vgic_kick(struct vcpu *v);
/* Marks an edge interrupt pending (SGI from another vCPU, a virtual timer tick). */
void vgic_inject(struct vcpu *v, unsigned int intid);
/* Sets the line of a level-triggered interrupt (device SPIs, the timer PPI). */
void vgic_set_level(struct domain *d, struct vcpu *v, unsigned int intid, bool level);
/* Whether @v has an interrupt it could take (used to wake it from WFI). */
bool vgic_has_pending(struct vcpu *v);
/*
 * Whether any interrupt could ever wake @v from WFI: one enabled for it, in
 * an enabled group.  A vCPU that waits with none is woken at each tick.
 */
bool vgic_can_wake(struct vcpu *v);
/* The guest wrote ICC_SGI1R_EL1. */
void vgic_sgi1r_write(struct vcpu *v, uint64_t val);

/*
 * List-register protocol (the arch side calls these on the vCPU's pCPU):
 * before entry it asks for the next interrupt to present, after exit it
 * reports what the guest did with those it held.
 */
struct vgic_lr_item {
	uint32_t intid;
	uint8_t priority;
	uint8_t group;
	bool level;      /* level-triggered: ask for an EOI notification */
};
/* Picks up to @max interrupts to place in free list registers. */
unsigned int vgic_pick(struct vcpu *v, struct vgic_lr_item *out, unsigned int max);
/* An interrupt left its list register (the guest finished it), or is still in one. */
void vgic_lr_done(struct vcpu *v, uint32_t intid, bool still_pending, bool still_active);

/* Arch hooks: the list-register side. */
void arch_vgic_flush(struct vcpu *v);  /* before entering @v */
void arch_vgic_sync(struct vcpu *v);   /* after @v exits */

#endif
