/*
 * The insides of a guest's device set, shared by the transport (vdev.c),
 * the virtqueues (virtq.c) and the service thread (vguest.c).  Backends see
 * only vdev.h and virtq.h.
 */
#ifndef CACHETD_VDEV_INT_H
#define CACHETD_VDEV_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "cachet/cachet.h"
#include "cachet/public/guest_map.h"
#include "cachet/public/mbox.h"
#include "vdev.h"
#include "virtq.h"

struct vring_desc;
struct vring_avail;
struct vring_used;

struct virtq {
	struct vdev *dev;
	unsigned int index;
	bool live;                   /* set up from the driver's registers */
	uint16_t num;
	struct vring_desc *desc;     /* in guest RAM, bounds checked at set-up */
	struct vring_avail *avail;
	struct vring_used *used;
	uint16_t last_avail;         /* next available entry to take */
	uint16_t used_idx;           /* our copy of used->idx */
	bool pushed;                 /* used entries added since the last kick */
	bool event_idx;              /* VIRTIO_F_EVENT_IDX negotiated */
	bool signalled_valid;        /* an interrupt decision was made since set-up */
	uint16_t signalled;          /* used_idx at that decision */
};

struct vguest;

struct vdev {
	struct vguest *g;
	unsigned int index;          /* window and SPI in the guest map */
	const struct vdev_backend_ops *ops;
	void *be;
	struct vdev_stats stats;
	uint32_t resets;             /* the driver's resets we have acted on */
	bool started;                /* DRIVER_OK seen, queues set up */
	bool broken;                 /* NEEDS_RESET signalled; waits for a reset */
	uint64_t last_log_ms;        /* rate limit of guest-caused log lines */
	struct virtq vq[CACHET_VDEV_MAX_QUEUES];
};

/* Acts on notification @bits (mbox.h) of @dev; with @rescan, looks at every queue. */
void vdev_serve(struct vdev *dev, uint64_t bits, bool rescan);
/* Picks the device up as the hypervisor has it (after a daemon restart or at start). */
void vdev_resume(struct vdev *dev);

/*
 * Sets the queue up from the driver's registers, with the event index
 * rules when the driver accepted VIRTIO_F_EVENT_IDX (@event_idx); false
 * (and the device broken) if they are bad.
 */
bool virtq_setup(struct virtq *vq, const struct cachet_vdev_queue *q, uint32_t num_max,
		 bool event_idx);

/* The guest's handle and identity, for the transport. */
cachet_handle *vguest_handle(const struct vguest *g);
cachet_domid_t vguest_domid(const struct vguest *g);
const char *vguest_name(const struct vguest *g);
const struct vdev_mem *vguest_mem(const struct vguest *g);

#endif
