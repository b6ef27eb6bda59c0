/*
 * virtio-mmio devices of a domain (virtio 1.2, section 4.2.2, the
 * "modern" register layout, Version 2).  The hypervisor holds the register
 * file; the host serves the virtqueues (daemon/DEVICES.md), learning of
 * notifications and state changes through the mailbox (mbox.h) and raising
 * interrupts with VDEV_SIGNAL.  All of a domain's devices share one MMIO
 * region, CACHET_GUEST_VIRTIO_MMIO_BASE, one window per device.
 */
#ifndef HV_VVIRTIO_H
#define HV_VVIRTIO_H

#include <stdbool.h>
#include <stdint.h>

#include "cachet/public/abi.h"
#include "cachet/public/guest_map.h"
#include "hv/spinlock.h"

struct domain;

struct vvirtio_queue {
	uint32_t num;
	bool ready;
	uint64_t desc, driver, device;
};

struct vvirtio {
	bool present;
	spinlock_t lock;              /* guest accesses (any pCPU) vs. management (CPU 0) */
	uint32_t device_id;
	uint32_t nr_queues;
	uint32_t queue_num_max;
	uint32_t config_len;
	uint64_t device_features;
	uint64_t driver_features;
	uint32_t device_features_sel;
	uint32_t driver_features_sel;
	uint32_t queue_sel;
	uint32_t status;
	uint32_t isr;
	uint32_t config_generation;
	uint32_t resets;
	struct vvirtio_queue queue[CACHET_VDEV_MAX_QUEUES];
	uint8_t config[CACHET_VDEV_CONFIG_MAX];
};

/* Registers the domain's virtio-mmio area (no devices yet). */
int vvirtio_init(struct domain *d);
/* Management side: errors are negative errno (see abi.h for their meaning). */
int vvirtio_create(struct domain *d, const struct cachet_vdev_create_in *in);
int vvirtio_state(struct domain *d, uint32_t index, struct cachet_vdev_state *out);
int vvirtio_signal(struct domain *d, const struct cachet_vdev_signal_in *in);

#endif
