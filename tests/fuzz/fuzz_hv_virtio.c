/*
 * Fuzzes the virtio-mmio register file (hypervisor/core/vdev/vvirtio_mmio.c)
 * as a guest and the daemon reach it: accesses of every size and offset
 * across the whole virtio area (windows with and without a device), and
 * VDEV_SIGNAL / VDEV_STATE requests with arbitrary fields between them.
 * Checks: reads fit the access; the identity registers never change;
 * InterruptStatus holds only the two defined bits and the device's SPI is
 * asserted exactly while it is non-zero; QueueNumMax is the description's
 * or 0; VDEV_STATE never reports more queues than the device has.
 */
#include <stdlib.h>

#include "cachet/public/guest_map.h"
#include "hv_harness.h"
#include "hv/vdev.h"
#include "hv/vgic.h"
#include "hv/vvirtio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define DEV 3u
#define QMAX 64u
#define WIN(i) (CACHET_GUEST_VIRTIO_MMIO_BASE + (i) * CACHET_GUEST_VIRTIO_MMIO_STRIDE)
#define AREA (CACHET_GUEST_VIRTIO_MAX * CACHET_GUEST_VIRTIO_MMIO_STRIDE)

static uint64_t vv_access(struct domain *d, uint64_t ipa, unsigned int size, uint64_t val,
			  bool write)
{
	if (!vdev_mmio_access(&d->vcpus[0], ipa, size, &val, write))
		abort();
	if (!write)
		hv_check_fits(val, size);
	return val;
}

static void vv_check(struct domain *d)
{
	uint64_t isr = vv_access(d, WIN(DEV) + 0x060, 4, 0, false);
	uint64_t qmax = vv_access(d, WIN(DEV) + 0x034, 4, 0, false);
	struct cachet_vdev_state st;

	if (vv_access(d, WIN(DEV), 4, 0, false) != 0x74726976 ||
	    vv_access(d, WIN(DEV) + 0x004, 4, 0, false) != 2 ||
	    vv_access(d, WIN(DEV) + 0x008, 4, 0, false) != 2 ||
	    vv_access(d, WIN(0), 4, 0, false) != 0)
		abort();
	if ((isr & ~3u) != 0 || vgic_irq(d, NULL, CACHET_GUEST_VIRTIO_MMIO_SPI_FIRST + DEV)->level !=
					(isr != 0))
		abort();
	if (qmax != 0 && qmax != QMAX)
		abort();
	if (vvirtio_state(d, DEV, &st) != 0 || st.nr_queues != 2 || (st.status & ~0xffu) != 0)
		abort();
}

static void vv_signal(struct domain *d, struct hv_input *in)
{
	struct cachet_vdev_signal_in sig = {
		.domid = d->domid, .index = (uint32_t)hv_input_bytes(in, 1) % 16,
		.isr = (uint32_t)hv_input_bytes(in, 1), .flags = (uint32_t)hv_input_bytes(in, 1),
		.resets = (uint32_t)hv_input_bytes(in, 1) % 4, .pad = (uint32_t)hv_input_bytes(in, 1) & 1,
	};

	vvirtio_signal(d, &sig);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hv_input in = { data, size, 0 };
	struct cachet_vdev_create_in desc = { .index = DEV, .device_id = 2, .nr_queues = 2,
					      .queue_num_max = QMAX, .config_len = 12,
					      .features = CACHET_VDEV_F_VERSION_1 | 0xff };
	struct domain *d = hv_domain_begin(1);

	d->state = CACHET_DOM_PAUSED;
	if (vvirtio_create(d, &desc) != 0)
		abort();
	d->state = CACHET_DOM_RUNNING;
	while (hv_input_left(&in)) {
		unsigned int op = (unsigned int)hv_input_bytes(&in, 1) % 4;
		/* Mostly the device's own window, sometimes anywhere in the area. */
		uint64_t off = hv_input_bytes(&in, 1) & 1 ? hv_input_bytes(&in, 3) % AREA :
							    DEV * CACHET_GUEST_VIRTIO_MMIO_STRIDE +
								    hv_input_bytes(&in, 2) % 0x200;
		unsigned int width = 1u << (hv_input_bytes(&in, 1) & 3);

		/* Aligned, as the data-abort path passes them: none crosses the end of the area. */
		off &= ~(uint64_t)(width - 1);
		if (op == 0)
			vv_access(d, CACHET_GUEST_VIRTIO_MMIO_BASE + off, width,
				  hv_input_bytes(&in, 8), true);
		else if (op == 1)
			vv_access(d, CACHET_GUEST_VIRTIO_MMIO_BASE + off, width, 0, false);
		else if (op == 2)
			vv_signal(d, &in);
		vv_check(d);
	}
	hv_domain_end(d);
	return 0;
}
