/*
 * Virtual-device operations (ABI 1.3): describing a device to the
 * hypervisor, reading its register state, raising its interrupt, and taking
 * the notifications the hypervisor posts in the mailbox.
 */
#include <string.h>

#include "cachet/public/guest_map.h"
#include "cachet/public/mbox.h"
#include "ops.h"
#include "transport.h"
#include "util.h"

static int ops_vdev_check(cachet_handle *h, const struct cachet_vdev_create_in *in)
{
	if (in->index >= CACHET_GUEST_VIRTIO_MAX)
		return err_set(h, CACHET_LIB_EINVAL, "vdev_create: index %u, at most %u devices",
			       in->index, CACHET_GUEST_VIRTIO_MAX);
	if (in->nr_queues == 0 || in->nr_queues > CACHET_VDEV_MAX_QUEUES)
		return err_set(h, CACHET_LIB_EINVAL, "vdev_create: %u queues (1 to %u)",
			       in->nr_queues, CACHET_VDEV_MAX_QUEUES);
	if (in->queue_num_max == 0 || in->queue_num_max > CACHET_VDEV_QUEUE_MAX ||
	    (in->queue_num_max & (in->queue_num_max - 1)) != 0)
		return err_set(h, CACHET_LIB_EINVAL, "vdev_create: queue size %u is not a power "
			       "of two up to %u", in->queue_num_max, CACHET_VDEV_QUEUE_MAX);
	if (in->config_len > CACHET_VDEV_CONFIG_MAX)
		return err_set(h, CACHET_LIB_EINVAL, "vdev_create: %u config bytes (at most %u)",
			       in->config_len, CACHET_VDEV_CONFIG_MAX);
	if (!(in->features & CACHET_VDEV_F_VERSION_1))
		return err_set(h, CACHET_LIB_EINVAL, "vdev_create: features lack VERSION_1");
	return 0;
}

int cachet_vdev_create(cachet_handle *h, const struct cachet_vdev_create_in *in)
{
	struct cachet_req req;
	struct cachet_rsp rsp;
	int rc;

	if (!h)
		return ops_bad_handle("vdev_create");
	if (!in)
		return err_set(h, CACHET_LIB_EINVAL, "vdev_create: NULL description");
	rc = ops_vdev_check(h, in);
	if (rc < 0)
		return rc;
	ops_init(&req, CACHET_OP_VDEV_CREATE);
	req.u.vdev_create = *in;
	return xport_call(h, "vdev_create", &req, &rsp);
}

int cachet_vdev_state(cachet_handle *h, cachet_domid_t domid, uint32_t index,
		      struct cachet_vdev_state *out)
{
	struct cachet_req req;
	struct cachet_rsp rsp;
	int rc;

	if (!h)
		return ops_bad_handle("vdev_state");
	if (!out)
		return err_set(h, CACHET_LIB_EINVAL, "vdev_state: NULL output");
	ops_init(&req, CACHET_OP_VDEV_STATE);
	req.u.vdev = (struct cachet_vdev_in){ domid, index };
	rc = xport_call(h, "vdev_state", &req, &rsp);
	if (rc < 0)
		return rc;
	if (rsp.u.vdev_state.nr_queues > CACHET_VDEV_MAX_QUEUES)
		return err_set(h, CACHET_LIB_EIO, "vdev_state: malformed answer: %u queues",
			       rsp.u.vdev_state.nr_queues);
	*out = rsp.u.vdev_state;
	return 0;
}

int cachet_vdev_signal(cachet_handle *h, cachet_domid_t domid, uint32_t index, uint32_t isr,
		       uint32_t flags, uint32_t resets)
{
	struct cachet_req req;
	struct cachet_rsp rsp;

	if (!h)
		return ops_bad_handle("vdev_signal");
	ops_init(&req, CACHET_OP_VDEV_SIGNAL);
	req.u.vdev_signal = (struct cachet_vdev_signal_in){ .domid = domid, .index = index,
							    .isr = isr, .flags = flags,
							    .resets = resets };
	return xport_call(h, "vdev_signal", &req, &rsp);
}

uint64_t cachet_vdev_notify_seq(cachet_handle *h)
{
	return h ? __atomic_load_n(&h->mbox->vdev_seq, __ATOMIC_ACQUIRE) : 0;
}

uint64_t cachet_vdev_notify_take(cachet_handle *h, cachet_domid_t domid, uint32_t index)
{
	uint64_t *w, old, mine = (uint64_t)(domid & 0xffffu) << CACHET_MBOX_HEAD_DOMID_SHIFT;

	if (!h || index >= CACHET_MBOX_VDEV_PER_DOM)
		return 0;
	w = &h->mbox->vdev_notify[CACHET_MBOX_VDEV_WORD(domid, index)];
	old = __atomic_load_n(w, __ATOMIC_ACQUIRE);
	do {
		if ((old & ~CACHET_MBOX_VDEV_BITS_MASK) != mine || (old & CACHET_MBOX_VDEV_BITS_MASK) == 0)
			return 0;
	} while (!__atomic_compare_exchange_n(w, &old, mine, false, __ATOMIC_ACQ_REL,
					      __ATOMIC_ACQUIRE));
	return old & CACHET_MBOX_VDEV_BITS_MASK;
}

/* Adds @isr to the device's posted request; false if the word holds another device's. */
static bool ops_vdev_post(cachet_handle *h, cachet_domid_t domid, uint32_t index, uint32_t isr,
			  uint32_t resets)
{
	uint64_t *w = &h->mbox->vdev_irq[CACHET_MBOX_VDEV_WORD(domid, index)];
	uint64_t mine = CACHET_MBOX_VDEV_IRQ(domid, resets, isr);
	uint64_t old = __atomic_load_n(w, __ATOMIC_RELAXED);

	do {
		if (old != 0 && (old & CACHET_MBOX_VDEV_IRQ_TAG_MASK) !=
					(mine & CACHET_MBOX_VDEV_IRQ_TAG_MASK))
			return false;
	} while (!__atomic_compare_exchange_n(w, &old, old | mine, false, __ATOMIC_RELEASE,
					      __ATOMIC_RELAXED));
	__atomic_fetch_or(&h->mbox->vdev_irq_doms[(domid % CACHET_MBOX_VDEV_DOMS) / 64],
			  UINT64_C(1) << (domid % 64), __ATOMIC_RELEASE);
	__atomic_fetch_add(&h->mbox->vdev_irq_seq, 1, __ATOMIC_RELEASE);
	xport_doorbell(h);
	return true;
}

int cachet_vdev_interrupt(cachet_handle *h, cachet_domid_t domid, uint32_t index, uint32_t isr,
			  uint32_t resets)
{
	if (!h)
		return ops_bad_handle("vdev_interrupt");
	if (index >= CACHET_MBOX_VDEV_PER_DOM || isr == 0 ||
	    (isr & ~(CACHET_VDEV_ISR_VRING | CACHET_VDEV_ISR_CONFIG)) != 0)
		return err_set(h, CACHET_LIB_EINVAL, "vdev_interrupt: device %u, status bits %#x",
			       index, isr);
	if (ops_vdev_post(h, domid, index, isr, resets))
		return 0;
	return cachet_vdev_signal(h, domid, index, isr, 0, resets);
}
