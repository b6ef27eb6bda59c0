/*
 * vdev_net: the virtio-net device model (virtio 1.2 section 5.1) over the
 * vdev framework, with a netbe backend (netbe.h) chosen by the vif.
 *
 * Offered: VIRTIO_NET_F_MAC, VIRTIO_NET_F_STATUS (the link is always up)
 * and VIRTIO_F_VERSION_1, so every buffer starts with the 12-byte
 * virtio_net_hdr; no checksum or segmentation offloads (neither slirp nor
 * the TAP device without IFF_VNET_HDR takes them), no control queue, one
 * queue pair: queue 0 receives, queue 1 transmits.
 */
#ifndef CACHETD_VDEV_NET_H
#define CACHETD_VDEV_NET_H

#include <stddef.h>

#include "netbe.h"
#include "vdev.h"

extern const struct vdev_backend_ops vdev_net_ops;

/*
 * The device's state for vdev_guest_add with vdev_net_ops, its backend
 * started (slirp listening for forwards, the TAP device on its bridge), or
 * NULL with a message naming the problem in @msg.
 */
void *vdev_net_new(const struct net_cfg *cfg, char *msg, size_t msglen);

#endif
