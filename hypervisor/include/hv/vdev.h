/*
 * Emulated devices: an MMIO registry per domain ({base, size, ops, private
 * data}) that the stage-2 data-abort handler dispatches to, and the device
 * models themselves (one file each under core/vdev/).
 */
#ifndef HV_VDEV_H
#define HV_VDEV_H

#include <stdbool.h>
#include <stdint.h>

struct domain;
struct vcpu;

struct vdev_mmio_ops {
	/* @off is the offset in the region; @size 1, 2, 4 or 8 bytes. */
	bool (*read)(struct vcpu *v, void *priv, uint64_t off, unsigned int size, uint64_t *val);
	bool (*write)(struct vcpu *v, void *priv, uint64_t off, unsigned int size, uint64_t val);
};

struct vdev_mmio {
	uint64_t base;
	uint64_t size;
	const struct vdev_mmio_ops *ops;
	void *priv;
};

/* Registers a region; -ENOSPC if the domain's table is full. */
int vdev_mmio_register(struct domain *d, uint64_t base, uint64_t size,
		       const struct vdev_mmio_ops *ops, void *priv);
/* The region containing [ipa, ipa + size), or NULL. */
const struct vdev_mmio *vdev_mmio_find(const struct domain *d, uint64_t ipa, unsigned int size);
/*
 * One guest access of @size bytes (1, 2, 4 or 8) at @ipa, as the data-abort
 * handler decoded it.  A store passes only the bytes it stores; a load
 * returns only the bytes it loads (zero-extended; the caller sign-extends).
 * A misaligned access reads as zero and is ignored: the registers are
 * defined for naturally aligned accesses only.  Returns false when no
 * device claims @ipa (the guest touched a hole) or the device refused.
 */
bool vdev_mmio_access(struct vcpu *v, uint64_t ipa, unsigned int size, uint64_t *val, bool write);

/* SBSA UART (PL011 subset) feeding the domain's console ring. */
struct vdev_uart {
	uint32_t imsc;   /* interrupt mask */
	uint32_t ris;    /* raw interrupt status */
	uint32_t cr;
	uint32_t lcr_h;
	bool line;       /* the level last given to the vGIC */
};

int vuart_init(struct domain *d);
/* Recomputes the UART's interrupt line (after input arrived). */
void vuart_update_irq(struct domain *d);

/* PSCI calls from a guest (HVC): returns false for a call it does not know. */
bool vpsci_call(struct vcpu *v, uint64_t *regs);

#endif
