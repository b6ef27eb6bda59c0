/*
 * vdev: cachetd's side of a guest's virtio-mmio devices (daemon/DEVICES.md).
 *
 * The hypervisor emulates each device's register file; cachetd serves its
 * virtqueues in guest RAM, mapped into the daemon (struct vdev_mem).  Each
 * guest with devices has one service thread (struct vdev_guest) that waits
 * for the hypervisor's notifications and for the backends' own descriptors,
 * so a slow disk of one guest never delays another guest or the RPC server.
 *
 * How a backend registers (one file per device model: vdev_blk.c,
 * vdev_rng.c, vdev_net.c; one per backend library: blk_file.c, blk_nbd.c):
 *  1. It defines a `const struct vdev_backend_ops` naming its virtio device
 *     type, queues and callbacks, and a constructor that opens what it
 *     needs (files, sockets) and returns its private state, failing with a
 *     message before anything is created.
 *  2. At domain creation the daemon's device list (vdev_guest_add) is given
 *     the ops and that state, in the guest's device order; the transport
 *     picks the device's window and SPI (guest_map.h) and describes it to
 *     the hypervisor (VDEV_CREATE) with the backend's features and config.
 *  3. From then on the service thread calls the callbacks, never two at
 *     once for one guest: queue_notify when the driver has made buffers
 *     available (the backend pops chains with virtq_pop, pushes them with
 *     virtq_push and raises the interrupt with virtq_kick), reset when the
 *     driver resets the device, poll_prepare/poll_done around each wait
 *     for backends with descriptors of their own (a TAP device, slirp).
 *  4. destroy when the domain goes away; the backend frees everything.
 * Errors: constructors return NULL with a message; callbacks that find the
 * guest broke the virtio rules call vdev_mark_broken(), never abort.
 */
#ifndef CACHETD_VDEV_H
#define CACHETD_VDEV_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json.h>

#include "cachet/public/abi.h"

struct vdev;
struct virtq;

/* Guest RAM as the daemon sees it: both banks mapped, bounds-checked. */
struct vdev_mem {
	uint8_t *bank[2];        /* NULL when the bank is empty */
	uint64_t base[2];        /* guest-physical base of each bank */
	uint64_t size[2];        /* bytes mapped */
};
/* A pointer to [gpa, gpa + len) if it lies wholly in guest RAM, else NULL. */
void *vdev_mem_ptr(const struct vdev_mem *m, uint64_t gpa, uint64_t len);

/* What `cachet dev-stats` reports per device; the transport counts notifications. */
struct vdev_stats {
	uint64_t requests;       /* chains served */
	uint64_t bytes_read;     /* from the backend into the guest */
	uint64_t bytes_written;  /* from the guest to the backend */
	uint64_t errors;         /* requests completed with an error status */
	uint64_t notifications;  /* QueueNotify writes seen */
	uint64_t interrupts;     /* interrupts raised */
	uint64_t broken;         /* times the device was marked NEEDS_RESET */
};

/* Descriptors a backend waits on besides the notifications (slirp, TAP). */
#define VDEV_POLL_MAX 64
struct vdev_pollset {
	struct pollfd fd[VDEV_POLL_MAX];
	unsigned int n;
};
/* Adds a descriptor; returns its index in @ps, or -1 when the set is full. */
int vdev_pollset_add(struct vdev_pollset *ps, int fd, short events);

struct vdev_backend_ops {
	const char *name;        /* "blk", "rng", "net": logs, stats, block-list */
	uint32_t device_id;      /* virtio device type: 1 net, 2 block, 4 entropy */
	unsigned int nr_queues;  /* 1 .. CACHET_VDEV_MAX_QUEUES */
	unsigned int queue_max;  /* QueueNumMax, a power of two */
	/* Device feature bits offered (VERSION_1 is added by the transport). */
	uint64_t (*features)(void *be);
	/* Writes the device config space into @buf; returns its length (<= max). */
	size_t (*config)(void *be, uint8_t *buf, size_t max);
	/* The driver set DRIVER_OK having accepted @features. */
	void (*start)(void *be, struct vdev *dev, uint64_t features);
	/* Queue @vq may have new available buffers. */
	void (*queue_notify)(void *be, struct vdev *dev, struct virtq *vq);
	/* The driver reset the device: forget queues and in-flight requests. */
	void (*reset)(void *be);
	/* Optional: descriptors and timeout (ms, -1 none) for the next wait. */
	void (*poll_prepare)(void *be, struct vdev *dev, struct vdev_pollset *ps, int *timeout_ms);
	/* Optional: after the wait, with revents filled in. */
	void (*poll_done)(void *be, struct vdev *dev, const struct vdev_pollset *ps);
	/* Optional: backend-specific fields added to the device's stats object. */
	void (*stats)(void *be, struct json_object *out);
	void (*destroy)(void *be);
};

/* The device's counters, updated by the backend under the service thread. */
struct vdev_stats *vdev_stats(struct vdev *dev);
/* The guest's RAM. */
const struct vdev_mem *vdev_memory(const struct vdev *dev);
/*
 * The driver broke the virtio rules (a descriptor outside RAM, a loop ...):
 * the device stops serving and the guest sees DEVICE_NEEDS_RESET with a
 * configuration-change interrupt.  @why goes to the daemon's log,
 * rate-limited.  Only a reset by the driver revives the device.
 */
void vdev_mark_broken(struct vdev *dev, const char *why);
/* Raises the device's interrupt with InterruptStatus bits @isr (CACHET_VDEV_ISR_*). */
void vdev_interrupt(struct vdev *dev, uint32_t isr);

#endif
