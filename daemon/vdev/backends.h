/* The device models cachetd offers (one file each) and their constructors. */
#ifndef CACHETD_BACKENDS_H
#define CACHETD_BACKENDS_H

#include <stddef.h>

#include "cachet/cachet.h"
#include "devcfg.h"
#include "vdev.h"

/* virtio-blk (vdev_blk.c): a disk of the configuration. */
extern const struct vdev_backend_ops vblk_ops;
void *vblk_new(const struct devcfg_dev *d, char *msg, size_t msglen);

/*
 * virtio-net (vdev_net.c): a vif of the configuration, its backend
 * (netbe.h) started: slirp listening for its forwards, or the TAP device on
 * its bridge (named vifDOMID.N unless vifname= says otherwise).
 */
extern const struct vdev_backend_ops vnet_ops;
void *vnet_new(const struct devcfg_dev *d, cachet_domid_t domid, char *msg, size_t msglen);

/* virtio-rng (vdev_rng.c): the host's getrandom(). */
extern const struct vdev_backend_ops vrng_ops;
void *vrng_new(const struct devcfg_dev *d, char *msg, size_t msglen);

#endif
