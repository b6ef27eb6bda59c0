/*
 * virtio-rng (virtio 1.2, section 5.4): each buffer the driver offers is
 * filled from the host's getrandom(), so a guest's boot never waits for
 * entropy.  xl has no such device; Cachet gives every guest one unless its
 * configuration says rng = 0.  It has no features and no config space.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>

#include "backends.h"
#include "virtq.h"

#define VRNG_QUEUE 64u

struct vrng {
	uint64_t short_fills;    /* getrandom gave less than asked (signals) */
};

/* Fills the chain's writable buffers; the bytes written. */
static uint32_t vrng_fill(struct vrng *r, const struct virtq_chain *c)
{
	uint32_t total = 0;

	for (unsigned int i = 0; i < c->n; i++) {
		ssize_t got;

		if (!c->buf[i].device_writes)
			continue;
		do
			got = getrandom(c->buf[i].p, c->buf[i].len, 0);
		while (got < 0 && errno == EINTR);
		if (got < 0)
			break;
		total += (uint32_t)got;
		if ((uint32_t)got < c->buf[i].len) {
			r->short_fills++;
			break;
		}
	}
	return total;
}

static void vrng_queue_notify(void *be, struct vdev *dev, struct virtq *vq)
{
	struct virtq_chain *c = malloc(sizeof(*c));

	if (!c)
		return;
	while (virtq_pop(vq, c) == 1) {
		uint32_t n = vrng_fill(be, c);

		vdev_stats(dev)->requests++;
		vdev_stats(dev)->bytes_read += n;
		virtq_push(vq, c, n);
	}
	virtq_kick(vq);
	free(c);
}

static void vrng_destroy(void *be)
{
	free(be);
}

const struct vdev_backend_ops vrng_ops = {
	.name = "rng",
	.device_id = 4, /* VIRTIO_ID_RNG */
	.nr_queues = 1,
	.queue_max = VRNG_QUEUE,
	.queue_notify = vrng_queue_notify,
	.destroy = vrng_destroy,
};

void *vrng_new(const struct devcfg_dev *d, char *msg, size_t msglen)
{
	struct vrng *r = calloc(1, sizeof(*r));

	if (!r)
		snprintf(msg, msglen, "%s: out of memory", d->vdev);
	return r;
}
