/*
 * virtq: a split virtqueue (virtio 1.2, section 2.7) served directly in
 * guest RAM.  Every guest-controlled value is checked before use: ring
 * addresses and each descriptor's buffer must lie wholly in guest RAM, a
 * chain may not be longer than the queue (so a loop is caught), indices
 * must name descriptors of the queue, and the driver may not make more
 * buffers available than the queue holds.  A violation marks the device
 * broken (vdev_mark_broken) and the queue stops; nothing outside the
 * guest's RAM is ever read or written.
 *
 * VIRTIO_F_EVENT_IDX is offered by every device: the driver says after
 * which used entry it wants an interrupt, and the device after which
 * available entry it wants a notification (set only when it finds the
 * queue empty).  Not offered: VIRTIO_F_INDIRECT_DESC, packed rings.
 */
#ifndef CACHETD_VIRTQ_H
#define CACHETD_VIRTQ_H

#include <linux/virtio_ring.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

#include "vdev.h"

/* The feature bit of VIRTIO_F_EVENT_IDX, offered by every device cachetd serves. */
#define VIRTQ_F_EVENT_IDX (1ull << VIRTIO_RING_F_EVENT_IDX)

/* One buffer of a chain, already translated and bounds-checked. */
struct virtq_buf {
	uint8_t *p;
	uint32_t len;
	bool device_writes;      /* VIRTQ_DESC_F_WRITE: the device fills it */
};

/* The most buffers one chain may have (also limited by the queue size). */
#define VIRTQ_CHAIN_MAX 256
struct virtq_chain {
	uint16_t head;           /* the descriptor index the used ring gets back */
	unsigned int n;
	struct virtq_buf buf[VIRTQ_CHAIN_MAX];
	uint64_t readable;       /* bytes in driver-written buffers */
	uint64_t writable;       /* bytes in device-writable buffers */
};

/* The queue's index in its device (0 .. nr_queues - 1). */
unsigned int virtq_index(const struct virtq *vq);
/*
 * Takes the next available chain: 1 with @c filled, 0 when there is none,
 * -1 when the driver broke the rules (the device is then marked broken).
 */
int virtq_pop(struct virtq *vq, struct virtq_chain *c);
/* Returns chain @c to the driver with @written bytes filled in. */
void virtq_push(struct virtq *vq, const struct virtq_chain *c, uint32_t written);
/*
 * After a batch of virtq_push: raises the used-buffer interrupt unless
 * nothing was pushed or the driver asked for none (used_event not passed
 * with EVENT_IDX, VIRTQ_AVAIL_F_NO_INTERRUPT without).
 */
void virtq_kick(struct virtq *vq);

/* Helpers over a chain's buffers, in order, for request headers and payloads. */
/* Copies @len bytes at byte @off of the readable part; false if short. */
bool virtq_chain_read(const struct virtq_chain *c, uint64_t off, void *dst, uint64_t len);
/* Copies into the writable part at byte @off; false if short. */
bool virtq_chain_write(const struct virtq_chain *c, uint64_t off, const void *src, uint64_t len);
/*
 * The bytes [off, off + len) of the chain's writable (@writable) or readable
 * part as at most @max iovecs, for readv/writev-style I/O straight to and
 * from guest RAM; the count, or -1 if the chain is shorter or needs more.
 */
int virtq_chain_iov(const struct virtq_chain *c, bool writable, uint64_t off, uint64_t len,
		    struct iovec *iov, int max);

#endif
