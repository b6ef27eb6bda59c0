/*
 * netbe: the host side of a virtio-net device, where the guest's Ethernet
 * frames go and where the guest's come from.  Two backends, one file each:
 *   net_slirp.c  user-mode networking with libslirp: no privileges; DHCP,
 *                DNS and the host's loopback (as 10.0.2.2) from slirp, port
 *                forwards from the host into the guest;
 *   net_tap.c    a TAP device, attached to a bridge, for root; xl's script=
 *                runs with the device's name.
 * The device model (vdev_net.c) is the peer: it hands frames to the backend
 * with netbe_send and receives them through struct netbe_peer.  Everything
 * runs on the guest's device service thread, between its waits: backends
 * add their descriptors and timeout in poll_prepare and do their work in
 * poll_done, never blocking.
 *
 * Errors: constructors return NULL with a message naming the problem in
 * @msg (nothing is left open); send drops what the host cannot take and
 * counts it, as a network would.
 */
#ifndef CACHETD_NETBE_H
#define CACHETD_NETBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json.h>

#include "net_spec.h"
#include "vdev.h"

/* The device model's side, called by the backend. */
struct netbe_peer {
	void *opaque;
	/* Whether the guest has room for a frame now. */
	bool (*can_receive)(void *opaque);
	/* A frame for the guest: the device copies it, or drops it when full. */
	void (*receive)(void *opaque, const uint8_t *frame, size_t len);
};

struct netbe;

struct netbe_ops {
	const char *kind;        /* "user" or "bridge": network-list, stats */
	/* The MTU the device advertises (VIRTIO_NET_F_MTU), or 0 for the driver's default. */
	unsigned int mtu;
	/* One frame from the guest. */
	void (*send)(struct netbe *be, const uint8_t *frame, size_t len);
	void (*poll_prepare)(struct netbe *be, struct vdev_pollset *ps, int *timeout_ms);
	void (*poll_done)(struct netbe *be, const struct vdev_pollset *ps);
	/* Backend fields for the device's statistics object. */
	void (*stats)(struct netbe *be, struct json_object *out);
	void (*destroy)(struct netbe *be);
};

/* The common head of every backend's state. */
struct netbe {
	const struct netbe_ops *ops;
	struct netbe_peer peer;
	uint64_t tx_dropped;     /* frames from the guest the host did not take */
};

struct netbe *netbe_slirp_new(const struct net_cfg *cfg, const struct netbe_peer *peer,
			      char *msg, size_t msglen);
struct netbe *netbe_tap_new(const struct net_cfg *cfg, const struct netbe_peer *peer,
			    char *msg, size_t msglen);

/* The backend the vif asks for: TAP on a bridge when bridge= is given, else slirp. */
struct netbe *netbe_new(const struct net_cfg *cfg, const struct netbe_peer *peer, char *msg,
			size_t msglen);

/* Lowers the timeout of a wait to @ms when @ms is sooner (-1: none). */
void netbe_timeout_min(int *timeout_ms, int64_t ms);

#endif
