/*
 * The virtio-net device model (virtio 1.2 section 5.1), with a netbe
 * backend (netbe.h) chosen by the vif.
 *
 * Offered: VIRTIO_NET_F_MAC, VIRTIO_NET_F_STATUS (the link is always up),
 * VIRTIO_NET_F_MTU when the backend has an MTU of its own (slirp: 65520),
 * and VIRTIO_F_VERSION_1, so every buffer starts with the 12-byte
 * virtio_net_hdr; no checksum or segmentation offloads (neither slirp nor
 * the TAP device without IFF_VNET_HDR takes them), no control queue, one
 * queue pair: queue 0 receives, queue 1 transmits.
 *
 * Frames from the guest are
 * gathered from the transmit queue's chains (header, then the frame) and
 * handed to the backend; frames from the backend go into the receive
 * queue's chains behind a zeroed header.  When the guest has posted no
 * receive buffer, up to VNET_PENDING_MAX frames wait (a TCP burst from
 * slirp); beyond that they are dropped and counted, as a NIC drops when its
 * ring is full, and TCP recovers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends.h"
#include "net_spec.h"
#include "netbe.h"
#include "virtq.h"

/* Feature bits (virtio 1.2 section 5.1.3). */
#define VIRTIO_NET_F_MTU (1ull << 3)
#define VIRTIO_NET_F_MAC (1ull << 5)
#define VIRTIO_NET_F_STATUS (1ull << 16)
/* virtio_net_config.status (section 5.1.4). */
#define VIRTIO_NET_S_LINK_UP 1u
/* struct virtio_net_hdr with VIRTIO_F_VERSION_1: num_buffers included (5.1.6). */
#define VNET_HDR_LEN 12u
#define VNET_HDR_NUM_BUFFERS 10u
/* Queue indices (section 5.1.2). */
#define VNET_RXQ 0u
#define VNET_TXQ 1u
#define VNET_QUEUE_MAX 256u
/* The largest frame either way: no GSO, so an MTU of at most 64 KiB. */
#define VNET_FRAME_MAX 65536u
#define VNET_PENDING_MAX 128u
/* The device config space given: mac[6], status, max_virtqueue_pairs, mtu (5.1.4). */
#define VNET_CONFIG_LEN 12u

struct vnet_frame {
	size_t len;
	uint8_t *data;
};

struct vnet {
	struct net_cfg cfg;
	struct netbe *be;
	struct vdev *dev;        /* set while the driver has the device running */
	struct virtq *rxq;       /* the receive queue, known from its first notification */
	struct vnet_frame pending[VNET_PENDING_MAX]; /* a ring of frames for the guest */
	unsigned int pending_head, pending_n;
	uint64_t rx_dropped;     /* frames for the guest dropped: no room, or too big */
	uint64_t tx_malformed;   /* transmit chains without a header or too long */
	/*
	 * One chain per direction: sending a frame to slirp can make it answer
	 * at once (ARP, DHCP), which fills a receive chain while the transmit
	 * chain is still to be returned.
	 */
	struct virtq_chain rx_chain, tx_chain;
	uint8_t txbuf[VNET_HDR_LEN + VNET_FRAME_MAX];
};

static void vnet_pending_drop_all(struct vnet *n)
{
	while (n->pending_n) {
		free(n->pending[n->pending_head].data);
		n->pending_head = (n->pending_head + 1) % VNET_PENDING_MAX;
		n->pending_n--;
	}
}

/* A queue broke (vdev_mark_broken): nothing more until the driver resets the device. */
static void vnet_stop(struct vnet *n)
{
	n->dev = NULL;
	vnet_pending_drop_all(n);
}

/* Puts frame @f into the next receive chain: 1 done, 0 no chain, -1 queue broken. */
static int vnet_rx_one(struct vnet *n, const struct vnet_frame *f)
{
	static const uint8_t num_buffers_one[2] = { 1, 0 };
	uint8_t hdr[VNET_HDR_LEN] = { 0 };
	struct virtq_chain *c = &n->rx_chain;
	int got = virtq_pop(n->rxq, c);

	if (got <= 0)
		return got;
	/* Without VIRTIO_NET_F_MRG_RXBUF num_buffers is 1 (section 5.1.6.3.1). */
	memcpy(hdr + VNET_HDR_NUM_BUFFERS, num_buffers_one, sizeof(num_buffers_one));
	if (c->writable < VNET_HDR_LEN + f->len) {
		n->rx_dropped++;
		vdev_stats(n->dev)->errors++;
		virtq_push(n->rxq, c, 0);
		return 1;
	}
	virtq_chain_write(c, 0, hdr, VNET_HDR_LEN);
	virtq_chain_write(c, VNET_HDR_LEN, f->data, f->len);
	virtq_push(n->rxq, c, (uint32_t)(VNET_HDR_LEN + f->len));
	vdev_stats(n->dev)->requests++;
	vdev_stats(n->dev)->bytes_read += f->len;
	return 1;
}

/* Moves waiting frames into the guest's receive buffers while it has some. */
static void vnet_rx_flush(struct vnet *n)
{
	bool pushed = false;
	int r = 0;

	if (!n->dev || !n->rxq)
		return;
	while (n->pending_n) {
		struct vnet_frame *f = &n->pending[n->pending_head];

		r = vnet_rx_one(n, f);
		if (r <= 0)
			break;
		pushed = true;
		free(f->data);
		n->pending_head = (n->pending_head + 1) % VNET_PENDING_MAX;
		n->pending_n--;
	}
	if (pushed)
		virtq_kick(n->rxq);
	if (r < 0)
		vnet_stop(n);
}

static bool vnet_can_receive(void *opaque)
{
	struct vnet *n = opaque;

	return n->dev && n->pending_n < VNET_PENDING_MAX / 2;
}

static void vnet_receive(void *opaque, const uint8_t *frame, size_t len)
{
	struct vnet *n = opaque;
	struct vnet_frame *f;

	if (!n->dev || n->pending_n == VNET_PENDING_MAX || len > VNET_FRAME_MAX) {
		n->rx_dropped++;
		return;
	}
	f = &n->pending[(n->pending_head + n->pending_n) % VNET_PENDING_MAX];
	f->data = malloc(len ? len : 1);
	if (!f->data) {
		n->rx_dropped++;
		return;
	}
	memcpy(f->data, frame, len);
	f->len = len;
	n->pending_n++;
	vnet_rx_flush(n);
}

/* Sends every chain the driver made available on the transmit queue. */
static void vnet_tx(struct vnet *n, struct virtq *vq)
{
	bool pushed = false;
	int got;

	while ((got = virtq_pop(vq, &n->tx_chain)) > 0) {
		uint64_t len = n->tx_chain.readable;

		if (len < VNET_HDR_LEN || len > sizeof(n->txbuf) ||
		    !virtq_chain_read(&n->tx_chain, 0, n->txbuf, len)) {
			n->tx_malformed++;
			vdev_stats(n->dev)->errors++;
		} else {
			n->be->ops->send(n->be, n->txbuf + VNET_HDR_LEN, len - VNET_HDR_LEN);
			vdev_stats(n->dev)->requests++;
			vdev_stats(n->dev)->bytes_written += len - VNET_HDR_LEN;
		}
		virtq_push(vq, &n->tx_chain, 0);
		pushed = true;
	}
	if (pushed)
		virtq_kick(vq);
	if (got < 0)
		vnet_stop(n);
}

static uint64_t vnet_features(void *opaque)
{
	struct vnet *n = opaque;

	return VIRTIO_NET_F_MAC | VIRTIO_NET_F_STATUS | (n->be->ops->mtu ? VIRTIO_NET_F_MTU : 0);
}

/* A little-endian 16-bit field of the config space. */
static void vnet_le16(uint8_t *p, unsigned int v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static size_t vnet_config(void *opaque, uint8_t *buf, size_t max)
{
	struct vnet *n = opaque;

	if (max < VNET_CONFIG_LEN)
		return 0;
	memcpy(buf, n->cfg.mac, sizeof(n->cfg.mac));
	vnet_le16(buf + 6, VIRTIO_NET_S_LINK_UP);
	vnet_le16(buf + 8, 1); /* one queue pair (read only with VIRTIO_NET_F_MQ) */
	vnet_le16(buf + 10, n->be->ops->mtu);
	return VNET_CONFIG_LEN;
}

static void vnet_start(void *opaque, struct vdev *dev, uint64_t features)
{
	struct vnet *n = opaque;

	(void)features;
	n->dev = dev;
}

static void vnet_queue_notify(void *opaque, struct vdev *dev, struct virtq *vq)
{
	struct vnet *n = opaque;

	n->dev = dev;
	if (virtq_index(vq) == VNET_RXQ) {
		n->rxq = vq;
		vnet_rx_flush(n);
	} else if (virtq_index(vq) == VNET_TXQ) {
		vnet_tx(n, vq);
	}
}

static void vnet_reset(void *opaque)
{
	struct vnet *n = opaque;

	n->dev = NULL;
	n->rxq = NULL;
	vnet_pending_drop_all(n);
}

static void vnet_poll_prepare(void *opaque, struct vdev *dev, struct vdev_pollset *ps,
			      int *timeout_ms)
{
	struct vnet *n = opaque;

	(void)dev;
	n->be->ops->poll_prepare(n->be, ps, timeout_ms);
}

static void vnet_poll_done(void *opaque, struct vdev *dev, const struct vdev_pollset *ps)
{
	struct vnet *n = opaque;

	(void)dev;
	n->be->ops->poll_done(n->be, ps);
}

static void vnet_stats(void *opaque, struct json_object *out)
{
	struct vnet *n = opaque;
	char mac[18];

	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", n->cfg.mac[0], n->cfg.mac[1],
		 n->cfg.mac[2], n->cfg.mac[3], n->cfg.mac[4], n->cfg.mac[5]);
	json_object_object_add(out, "mac", json_object_new_string(mac));
	json_object_object_add(out, "network", json_object_new_string(n->be->ops->kind));
	if (n->cfg.bridge[0])
		json_object_object_add(out, "bridge", json_object_new_string(n->cfg.bridge));
	json_object_object_add(out, "rx_dropped", json_object_new_uint64(n->rx_dropped));
	json_object_object_add(out, "tx_dropped", json_object_new_uint64(n->be->tx_dropped));
	json_object_object_add(out, "tx_malformed", json_object_new_uint64(n->tx_malformed));
	n->be->ops->stats(n->be, out);
}

static void vnet_destroy(void *opaque)
{
	struct vnet *n = opaque;

	vnet_pending_drop_all(n);
	if (n->be)
		n->be->ops->destroy(n->be);
	free(n);
}

const struct vdev_backend_ops vnet_ops = {
	.name = "net",
	.device_id = 1,
	.nr_queues = 2,
	.queue_max = VNET_QUEUE_MAX,
	.features = vnet_features,
	.config = vnet_config,
	.start = vnet_start,
	.queue_notify = vnet_queue_notify,
	.reset = vnet_reset,
	.poll_prepare = vnet_poll_prepare,
	.poll_done = vnet_poll_done,
	.stats = vnet_stats,
	.destroy = vnet_destroy,
};

/* xl names a vif's backend device vifDOMID.DEVID; Linux allows 15 characters. */
static void vnet_default_ifname(struct net_cfg *cfg, cachet_domid_t domid, unsigned int index)
{
	if (!cfg->ifname[0])
		snprintf(cfg->ifname, sizeof(cfg->ifname), "vif%u.%u", (unsigned int)domid, index);
}

void *vnet_new(const struct devcfg_dev *d, cachet_domid_t domid, char *msg, size_t msglen)
{
	struct vnet *n = calloc(1, sizeof(*n));
	struct netbe_peer peer = { .can_receive = vnet_can_receive, .receive = vnet_receive };
	char why[256];

	if (!n) {
		snprintf(msg, msglen, "%s: out of memory", d->vdev);
		return NULL;
	}
	if (netspec_parse(d->spec, &n->cfg, why, sizeof(why)) < 0) {
		snprintf(msg, msglen, "vif '%s': %s", d->spec, why);
		free(n);
		return NULL;
	}
	vnet_default_ifname(&n->cfg, domid, d->vdev_number);
	peer.opaque = n;
	n->be = netbe_new(&n->cfg, &peer, why, sizeof(why));
	if (!n->be) {
		snprintf(msg, msglen, "vif '%s': %s", d->spec, why);
		free(n);
		return NULL;
	}
	return n;
}
