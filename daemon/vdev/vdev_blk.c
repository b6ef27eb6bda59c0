/*
 * virtio-blk (virtio 1.2, section 5.2) over a blk_store.  Requests are
 * served in order on the guest's service thread, each straight between the
 * store and guest RAM (no bounce buffer): a header, the data, a status
 * byte.  FLUSH returns only once fdatasync (or NBD_CMD_FLUSH) has, so data
 * the guest flushed is on the host's storage when its fsync returns.  A
 * read-only disk offers VIRTIO_BLK_F_RO and fails writes with IOERR.
 * Requests complete before the service thread looks at anything else, so a
 * reset by the driver finds none in flight (no reset callback).
 */
#include <endian.h>
#include <errno.h>
#include <linux/virtio_blk.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends.h"
#include "blk.h"
#include "virtq.h"

#define VBLK_SECTOR 512u
#define VBLK_QUEUE 256u            /* QueueNumMax */
#define VBLK_SEG_MAX (VBLK_QUEUE - 2) /* data segments besides header and status */
#define VBLK_DISCARD_MAX_SECTORS (1u << 22) /* 2 GiB per range */
#define VBLK_DISCARD_ALIGN 8u      /* sectors: 4 KiB, the host's page and hole size */

struct vblk {
	struct blk_store store;
	bool readonly;
	char id[VIRTIO_BLK_ID_BYTES];
	uint64_t flushes;
	uint64_t discards;
};

static uint64_t vblk_features(void *be)
{
	const struct vblk *b = be;

	return 1ull << VIRTIO_BLK_F_SEG_MAX | 1ull << VIRTIO_BLK_F_BLK_SIZE |
	       1ull << VIRTIO_BLK_F_FLUSH | (b->readonly ? 1ull << VIRTIO_BLK_F_RO : 0) |
	       (b->store.can_discard ? 1ull << VIRTIO_BLK_F_DISCARD : 0);
}

static size_t vblk_config(void *be, uint8_t *buf, size_t max)
{
	const struct vblk *b = be;
	struct virtio_blk_config c = {
		.capacity = htole64(b->store.size / VBLK_SECTOR),
		.seg_max = htole32(VBLK_SEG_MAX),
		.blk_size = htole32(VBLK_SECTOR),
		.max_discard_sectors = htole32(VBLK_DISCARD_MAX_SECTORS),
		.max_discard_seg = htole32(1),
		.discard_sector_alignment = htole32(VBLK_DISCARD_ALIGN),
	};
	size_t len = offsetof(struct virtio_blk_config, max_write_zeroes_sectors);

	len = len < max ? len : max;
	memcpy(buf, &c, len);
	return len;
}

/* Whether [sector, + bytes) lies on the disk. */
static bool vblk_in_range(const struct vblk *b, uint64_t sector, uint64_t bytes)
{
	uint64_t sectors = b->store.size / VBLK_SECTOR;

	return sector <= sectors && bytes / VBLK_SECTOR <= sectors - sector &&
	       (bytes % VBLK_SECTOR == 0 || bytes / VBLK_SECTOR < sectors - sector);
}

static uint8_t vblk_rw(struct vblk *b, struct vdev *dev, const struct virtq_chain *c,
		       uint64_t sector, bool write, uint32_t *written)
{
	struct iovec iov[VIRTQ_CHAIN_MAX];
	uint64_t len = write ? c->readable - sizeof(struct virtio_blk_outhdr) : c->writable - 1;
	int n = virtq_chain_iov(c, !write, write ? sizeof(struct virtio_blk_outhdr) : 0, len, iov,
				VIRTQ_CHAIN_MAX);
	int rc;

	if (write && b->readonly)
		return VIRTIO_BLK_S_IOERR;
	if (n < 0 || !vblk_in_range(b, sector, len))
		return VIRTIO_BLK_S_IOERR;
	rc = write ? b->store.ops->writev(&b->store, iov, n, sector * VBLK_SECTOR) :
		     b->store.ops->readv(&b->store, iov, n, sector * VBLK_SECTOR);
	if (rc < 0)
		return VIRTIO_BLK_S_IOERR;
	if (write)
		vdev_stats(dev)->bytes_written += len;
	else
		vdev_stats(dev)->bytes_read += len;
	*written = write ? 0 : (uint32_t)len;
	return VIRTIO_BLK_S_OK;
}

static uint8_t vblk_discard(struct vblk *b, const struct virtq_chain *c)
{
	struct virtio_blk_discard_write_zeroes seg;
	uint64_t sector, bytes;

	if (b->readonly)
		return VIRTIO_BLK_S_IOERR;
	if (!b->store.can_discard)
		return VIRTIO_BLK_S_UNSUPP;
	if (c->readable - sizeof(struct virtio_blk_outhdr) != sizeof(seg) ||
	    !virtq_chain_read(c, sizeof(struct virtio_blk_outhdr), &seg, sizeof(seg)))
		return VIRTIO_BLK_S_IOERR;
	sector = le64toh(seg.sector);
	bytes = (uint64_t)le32toh(seg.num_sectors) * VBLK_SECTOR;
	if (le32toh(seg.flags) != 0 || le32toh(seg.num_sectors) > VBLK_DISCARD_MAX_SECTORS ||
	    !vblk_in_range(b, sector, bytes))
		return VIRTIO_BLK_S_IOERR;
	b->discards++;
	return b->store.ops->discard(&b->store, sector * VBLK_SECTOR, bytes) == 0 ?
		       VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR;
}

static uint8_t vblk_get_id(const struct vblk *b, const struct virtq_chain *c, uint32_t *written)
{
	uint64_t len = c->writable - 1 < VIRTIO_BLK_ID_BYTES ? c->writable - 1 : VIRTIO_BLK_ID_BYTES;

	if (!virtq_chain_write(c, 0, b->id, len))
		return VIRTIO_BLK_S_IOERR;
	*written = (uint32_t)len;
	return VIRTIO_BLK_S_OK;
}

/* One request; the status byte for its last writable byte. */
static uint8_t vblk_request(struct vblk *b, struct vdev *dev, const struct virtq_chain *c,
			    uint32_t *written)
{
	struct virtio_blk_outhdr h;

	if (!virtq_chain_read(c, 0, &h, sizeof(h)))
		return VIRTIO_BLK_S_IOERR;
	switch (le32toh(h.type)) {
	case VIRTIO_BLK_T_IN:
		return vblk_rw(b, dev, c, le64toh(h.sector), false, written);
	case VIRTIO_BLK_T_OUT:
		return vblk_rw(b, dev, c, le64toh(h.sector), true, written);
	case VIRTIO_BLK_T_FLUSH:
		b->flushes++;
		return b->store.ops->flush(&b->store) == 0 ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR;
	case VIRTIO_BLK_T_GET_ID:
		return vblk_get_id(b, c, written);
	case VIRTIO_BLK_T_DISCARD:
		return vblk_discard(b, c);
	default:
		return VIRTIO_BLK_S_UNSUPP;
	}
}

static void vblk_queue_notify(void *be, struct vdev *dev, struct virtq *vq)
{
	struct virtq_chain *c = malloc(sizeof(*c));
	int got;

	if (!c)
		return; /* the queue is looked at again on the next notification or rescan */
	while ((got = virtq_pop(vq, c)) == 1) {
		uint32_t written = 0;
		uint8_t status;

		if (c->writable == 0) {
			vdev_mark_broken(dev, "a block request without a status byte");
			break;
		}
		status = vblk_request(be, dev, c, &written);
		virtq_chain_write(c, c->writable - 1, &status, 1);
		vdev_stats(dev)->requests++;
		if (status != VIRTIO_BLK_S_OK)
			vdev_stats(dev)->errors++;
		virtq_push(vq, c, written + 1);
	}
	virtq_kick(vq);
	free(c);
}

static void vblk_stats(void *be, struct json_object *out)
{
	const struct vblk *b = be;

	json_object_object_add(out, "capacity", json_object_new_int64((int64_t)b->store.size));
	json_object_object_add(out, "readonly", json_object_new_boolean(b->readonly));
	json_object_object_add(out, "flushes", json_object_new_int64((int64_t)b->flushes));
	json_object_object_add(out, "discards", json_object_new_int64((int64_t)b->discards));
}

static void vblk_destroy(void *be)
{
	struct vblk *b = be;

	b->store.ops->flush(&b->store);
	b->store.ops->close(&b->store);
	free(b);
}

const struct vdev_backend_ops vblk_ops = {
	.name = "blk",
	.device_id = 2, /* VIRTIO_ID_BLOCK */
	.nr_queues = 1,
	.queue_max = VBLK_QUEUE,
	.features = vblk_features,
	.config = vblk_config,
	.queue_notify = vblk_queue_notify,
	.stats = vblk_stats,
	.destroy = vblk_destroy,
};

void *vblk_new(const struct devcfg_dev *d, char *msg, size_t msglen)
{
	struct vblk *b = calloc(1, sizeof(*b));
	int rc;

	if (!b) {
		snprintf(msg, msglen, "disk %s: out of memory", d->vdev);
		return NULL;
	}
	b->readonly = d->readonly;
	rc = strcmp(d->format, "raw") == 0 ?
		     blk_file_open(d->target, d->readonly, &b->store, msg, msglen) :
		     blk_nbd_open(d->target, d->format, d->readonly, &b->store, msg, msglen);
	if (rc < 0) {
		free(b);
		return NULL;
	}
	if (d->no_discard)
		b->store.can_discard = false;
	/* GET_ID: the disk's name, as a serial number the guest can find it by. */
	strncpy(b->id, d->vdev, sizeof(b->id));
	return b;
}
