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

static uint64_t vdev_size_mask(unsigned int size)
{
	return size >= 8 ? ~UINT64_C(0) : (UINT64_C(1) << (8 * size)) - 1;
}

bool vdev_mmio_access(struct vcpu *v, uint64_t ipa, unsigned int size, uint64_t *val, bool write)
{
	const struct vdev_mmio *r = vdev_mmio_find(v->dom, ipa, size);
	uint64_t mask = vdev_size_mask(size);
	bool ok;

	if (r == NULL)
		return false;
	if ((ipa & (size - 1)) != 0) {
		*val = 0;
		return true;
	}
	if (write)
		return r->ops->write(v, r->priv, ipa - r->base, size, *val & mask);
	*val = 0;
	ok = r->ops->read(v, r->priv, ipa - r->base, size, val);
	*val &= mask;
	return ok;
}
