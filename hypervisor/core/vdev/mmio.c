/* The per-domain MMIO registry (see hv/vdev.h). */
#include "hv/domain.h"
#include "hv/errno.h"
#include "hv/vdev.h"

int vdev_mmio_register(struct domain *d, uint64_t base, uint64_t size,
		       const struct vdev_mmio_ops *ops, void *priv)
{
	if (d->nr_mmio == CONFIG_MAX_MMIO)
		return -ENOSPC;
	d->mmio[d->nr_mmio++] = (struct vdev_mmio){ base, size, ops, priv };
	return 0;
}

const struct vdev_mmio *vdev_mmio_find(const struct domain *d, uint64_t ipa, unsigned int size)
{
	for (unsigned int i = 0; i < d->nr_mmio; i++) {
		const struct vdev_mmio *r = &d->mmio[i];

		if (ipa >= r->base && ipa - r->base < r->size && size <= r->size - (ipa - r->base))
			return r;
	}
	return NULL;
}
