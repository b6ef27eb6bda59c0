/*
 * Split virtqueues served in guest RAM (virtq.h).  The driver owns the
 * descriptor table and the available ring and may change them at any time,
 * so every value is read once into a local and checked there; the checks
 * are what stands between a hostile guest and the daemon's memory.
 */
#include <endian.h>
#include <linux/virtio_ring.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vdev_int.h"

unsigned int virtq_index(const struct virtq *vq)
{
	return vq->index;
}

/* The driver broke a rule: the queue stops and the device is marked broken. */
static bool virtq_fail(struct virtq *vq, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool virtq_fail(struct virtq *vq, const char *fmt, ...)
{
	char why[160];
	int n = snprintf(why, sizeof(why), "queue %u: ", vq->index);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why + n, sizeof(why) - (size_t)n, fmt, ap);
	va_end(ap);
	vq->live = false;
	vdev_mark_broken(vq->dev, why);
	return false;
}

/* Ring sizes of virtio 1.2, 2.7: the rings' flags and idx, then the entries. */
static uint64_t virtq_avail_bytes(uint16_t num)
{
	return 4 + 2ull * num + 2;
}

static uint64_t virtq_used_bytes(uint16_t num)
{
	return 4 + 8ull * num + 2;
}

/*
 * The event index fields (virtio 1.2, 2.7.7 and 2.7.10): used_event, the
 * driver's, follows the available ring's entries; avail_event, ours,
 * follows the used ring's.  Both lie inside the ring sizes checked at
 * set-up.
 */
static uint16_t virtq_used_event(const struct virtq *vq)
{
	return le16toh(__atomic_load_n(&vq->avail->ring[vq->num], __ATOMIC_RELAXED));
}

static void virtq_set_avail_event(struct virtq *vq, uint16_t idx)
{
	__atomic_store_n((uint16_t *)&vq->used->ring[vq->num], htole16(idx), __ATOMIC_RELAXED);
}

static uint16_t virtq_avail_idx(const struct virtq *vq)
{
	return le16toh(__atomic_load_n(&vq->avail->idx, __ATOMIC_ACQUIRE));
}

bool virtq_setup(struct virtq *vq, const struct cachet_vdev_queue *q, uint32_t num_max,
		 bool event_idx)
{
	const struct vdev_mem *m = vdev_memory(vq->dev);

	if (q->num == 0 || q->num > num_max || (q->num & (q->num - 1)) != 0)
		return virtq_fail(vq, "size %u is not a power of two up to %u", q->num, num_max);
	vq->num = (uint16_t)q->num;
	vq->desc = (q->desc & 15) ? NULL : vdev_mem_ptr(m, q->desc, 16ull * vq->num);
	vq->avail = (q->driver & 1) ? NULL : vdev_mem_ptr(m, q->driver, virtq_avail_bytes(vq->num));
	vq->used = (q->device & 3) ? NULL : vdev_mem_ptr(m, q->device, virtq_used_bytes(vq->num));
	if (!vq->desc || !vq->avail || !vq->used)
		return virtq_fail(vq, "a ring is misaligned or outside guest RAM");
	/* Entries the used ring already holds are done (after a daemon restart, too). */
	vq->used_idx = le16toh(__atomic_load_n(&vq->used->idx, __ATOMIC_ACQUIRE));
	vq->last_avail = vq->used_idx;
	vq->pushed = false;
	vq->event_idx = event_idx;
	vq->signalled_valid = false;
	/* A restarted daemon may find avail_event behind: ask for the next entry. */
	if (event_idx)
		virtq_set_avail_event(vq, vq->last_avail);
	vq->live = true;
	return true;
}

/* Adds descriptor @d to the chain; false (queue broken) if it breaks a rule. */
static bool virtq_chain_add(struct virtq *vq, struct virtq_chain *c, const struct vring_desc *d)
{
	uint16_t flags = le16toh(d->flags);
	uint32_t len = le32toh(d->len);
	uint8_t *p;

	if (flags & VRING_DESC_F_INDIRECT)
		return virtq_fail(vq, "indirect descriptor in a chain (not offered)");
	p = vdev_mem_ptr(vdev_memory(vq->dev), le64toh(d->addr), len);
	if (!p)
		return virtq_fail(vq, "buffer %u of a chain (%u bytes) is outside guest RAM",
				  c->n, len);
	if (!(flags & VRING_DESC_F_WRITE) && c->writable)
		return virtq_fail(vq, "driver-written buffer %u after a device-written one",
				  c->n);
	c->buf[c->n++] = (struct virtq_buf){ p, len, (flags & VRING_DESC_F_WRITE) != 0 };
	if (flags & VRING_DESC_F_WRITE)
		c->writable += len;
	else
		c->readable += len;
	return true;
}

/* Walks the chain from @head; a chain longer than the queue must loop. */
static bool virtq_walk(struct virtq *vq, struct virtq_chain *c, uint16_t head)
{
	uint16_t i = head;

	*c = (struct virtq_chain){ .head = head };
	for (;;) {
		struct vring_desc d;

		if (i >= vq->num)
			return virtq_fail(vq, "descriptor index %u outside a queue of %u", i,
					  vq->num);
		if (c->n == vq->num || c->n == VIRTQ_CHAIN_MAX)
			return virtq_fail(vq, "a chain from %u is longer than the queue (%u): "
					  "a loop", head, vq->num);
		memcpy(&d, &vq->desc[i], sizeof(d));
		if (!virtq_chain_add(vq, c, &d))
			return false;
		if (!(le16toh(d.flags) & VRING_DESC_F_NEXT))
			return true;
		i = le16toh(d.next);
	}
}

int virtq_pop(struct virtq *vq, struct virtq_chain *c)
{
	uint16_t avail_idx, pending, head;

	if (!vq->live)
		return 0;
	avail_idx = virtq_avail_idx(vq);
	pending = (uint16_t)(avail_idx - vq->last_avail);
	/*
	 * Found empty: ask the driver to notify at its next entry, then look
	 * once more, since an entry it made available before it could see
	 * the request would otherwise wait for the next rescan.  While we are
	 * still taking entries, avail_event stays behind and the driver does
	 * not notify: we will find them anyway.
	 */
	if (pending == 0 && vq->event_idx) {
		virtq_set_avail_event(vq, vq->last_avail);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		avail_idx = virtq_avail_idx(vq);
		pending = (uint16_t)(avail_idx - vq->last_avail);
	}
	if (pending == 0)
		return 0;
	if (pending > vq->num)
		return virtq_fail(vq, "the available index jumped by %u in a queue of %u",
				  pending, vq->num) ? 0 : -1;
	head = le16toh(__atomic_load_n(&vq->avail->ring[vq->last_avail % vq->num],
				       __ATOMIC_RELAXED));
	if (!virtq_walk(vq, c, head))
		return -1;
	vq->last_avail++;
	return 1;
}

void virtq_push(struct virtq *vq, const struct virtq_chain *c, uint32_t written)
{
	struct vring_used_elem *e;

	if (!vq->live)
		return;
	e = &vq->used->ring[vq->used_idx % vq->num];
	e->id = htole32(c->head);
	e->len = htole32(written);
	vq->used_idx++;
	/* The entry must be visible before the index that publishes it. */
	__atomic_store_n(&vq->used->idx, htole16(vq->used_idx), __ATOMIC_RELEASE);
	vq->pushed = true;
}

/*
 * Whether the driver wants an interrupt for the entries used since the
 * last decision: with event indices, when used_idx has passed used_event
 * since then (NO_INTERRUPT is then to be ignored, virtio 1.2, 2.7.10);
 * without, unless it set NO_INTERRUPT.
 */
static bool virtq_wants_interrupt(struct virtq *vq)
{
	uint16_t old = vq->signalled;
	bool valid = vq->signalled_valid;

	if (!vq->event_idx)
		return !(le16toh(__atomic_load_n(&vq->avail->flags, __ATOMIC_RELAXED)) &
			 VRING_AVAIL_F_NO_INTERRUPT);
	vq->signalled = vq->used_idx;
	vq->signalled_valid = true;
	return !valid || vring_need_event(virtq_used_event(vq), vq->used_idx, old);
}

void virtq_kick(struct virtq *vq)
{
	if (!vq->pushed)
		return;
	vq->pushed = false;
	/* The used index must be visible before the driver's fields are read. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (virtq_wants_interrupt(vq))
		vdev_interrupt(vq->dev, CACHET_VDEV_ISR_VRING);
}

/* Copies between a flat range of the chain's readable or writable bytes and @flat. */
static bool virtq_chain_copy(const struct virtq_chain *c, bool writable, uint64_t off,
			     uint8_t *flat, uint64_t len, bool to_chain)
{
	struct iovec iov[VIRTQ_CHAIN_MAX];
	int n = virtq_chain_iov(c, writable, off, len, iov, VIRTQ_CHAIN_MAX);

	for (int i = 0; i < n; i++) {
		if (to_chain)
			memcpy(iov[i].iov_base, flat, iov[i].iov_len);
		else
			memcpy(flat, iov[i].iov_base, iov[i].iov_len);
		flat += iov[i].iov_len;
	}
	return n >= 0;
}

bool virtq_chain_read(const struct virtq_chain *c, uint64_t off, void *dst, uint64_t len)
{
	return virtq_chain_copy(c, false, off, dst, len, false);
}

bool virtq_chain_write(const struct virtq_chain *c, uint64_t off, const void *src, uint64_t len)
{
	return virtq_chain_copy(c, true, off, (uint8_t *)src, len, true);
}

int virtq_chain_iov(const struct virtq_chain *c, bool writable, uint64_t off, uint64_t len,
		    struct iovec *iov, int max)
{
	int n = 0;

	for (unsigned int i = 0; i < c->n && len; i++) {
		const struct virtq_buf *b = &c->buf[i];
		uint64_t take;

		if (b->device_writes != writable)
			continue;
		if (off >= b->len) {
			off -= b->len;
			continue;
		}
		if (n == max)
			return -1;
		take = b->len - off < len ? b->len - off : len;
		iov[n++] = (struct iovec){ b->p + off, (size_t)take };
		len -= take;
		off = 0;
	}
	return len == 0 ? n : -1;
}
