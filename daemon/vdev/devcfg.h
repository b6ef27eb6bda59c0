/*
 * devcfg: the virtio devices a configuration gives a guest, in device
 * order: the disks of disk = [...] (xl-disk-configuration(5); xvdX, sdX,
 * hdX and vdX names number the disks, which become the guest's
 * virtio disks in that order), then the network devices of vif = [...] in
 * their order (net_spec.h reads each), then the entropy device unless
 * rng = 0.
 */
#ifndef CACHETD_DEVCFG_H
#define CACHETD_DEVCFG_H

#include <stdbool.h>
#include <stddef.h>

#include "cachet/public/guest_map.h"
#include "config.h"

enum devcfg_kind { DEVCFG_DISK, DEVCFG_NET, DEVCFG_RNG };

struct devcfg_dev {
	enum devcfg_kind kind;
	char vdev[16];            /* the disk's name in the configuration, e.g. "xvda" */
	unsigned int vdev_number; /* its xl device number (block-list's Vdev) */
	char target[CONFIG_PATH_MAX + 1]; /* the image or block device */
	const char *format;       /* "raw" or "qcow2" */
	bool readonly;
	char spec[CONFIG_SPEC_MAX + 1]; /* a vif: its spec, as kept (with its mac=) */
	bool no_discard;          /* the spec said no-discard */
};

struct devcfg {
	unsigned int n;
	struct devcfg_dev dev[CACHET_GUEST_VIRTIO_MAX];
};

/*
 * The devices of @c into @out; -1 with @msg naming the disk and the
 * problem.  Keys of a disk spec that Cachet does not honour are logged by
 * name (they do not fail the configuration).
 */
int devcfg_get(const struct dom_config *c, struct devcfg *out, char *msg, size_t msglen);

#endif
