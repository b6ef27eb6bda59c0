/*
 * The transport side of one virtio-mmio device in cachetd: follows the
 * driver's state as the hypervisor's register file holds it (VDEV_STATE),
 * starts the queues at DRIVER_OK, forgets everything at a reset, and marks
 * the device broken (DEVICE_NEEDS_RESET) when the driver breaks the rules
 * (daemon/DEVICES.md).  Runs on the guest's service thread only.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "dlog.h"
#include "vdev_int.h"

#define VDEV_LOG_INTERVAL_MS 1000 /* guest-caused log lines, at most one a second per device */

void *vdev_mem_ptr(const struct vdev_mem *m, uint64_t gpa, uint64_t len)
{
	for (unsigned int i = 0; i < 2; i++) {
		if (!m->bank[i] || gpa < m->base[i])
			continue;
		if (gpa - m->base[i] <= m->size[i] && len <= m->size[i] - (gpa - m->base[i]))
			return m->bank[i] + (gpa - m->base[i]);
	}
	return NULL;
}

int vdev_pollset_add(struct vdev_pollset *ps, int fd, short events)
{
	if (ps->n == VDEV_POLL_MAX)
		return -1;
	ps->fd[ps->n] = (struct pollfd){ .fd = fd, .events = events };
	return (int)ps->n++;
}

struct vdev_stats *vdev_stats(struct vdev *dev)
{
	return &dev->stats;
}

const struct vdev_mem *vdev_memory(const struct vdev *dev)
{
	return vguest_mem(dev->g);
}

static uint64_t vdev_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* A guest can cause these at will: one line a second per device at most. */
static void vdev_log(struct vdev *dev, const char *what, const char *why)
{
	uint64_t now = vdev_now_ms();

	if (now - dev->last_log_ms < VDEV_LOG_INTERVAL_MS)
		return;
	dev->last_log_ms = now;
	dlog("%s: virtio %s (device %u): %s%s", vguest_name(dev->g), dev->ops->name, dev->index,
	     what, why);
}

void vdev_interrupt(struct vdev *dev, uint32_t isr)
{
	int rc = cachet_vdev_interrupt(vguest_handle(dev->g), vguest_domid(dev->g), dev->index,
				       isr, dev->resets);

	if (rc == 0)
		dev->stats.interrupts++;
	else if (rc != -CACHET_ESTALE)
		vdev_log(dev, "cannot raise the interrupt: ", cachet_strerror(rc));
}

void vdev_mark_broken(struct vdev *dev, const char *why)
{
	int rc;

	if (dev->broken)
		return;
	dev->broken = true;
	dev->started = false;
	dev->stats.broken++;
	vdev_log(dev, "device needs a reset: ", why);
	rc = cachet_vdev_signal(vguest_handle(dev->g), vguest_domid(dev->g), dev->index, 0,
				CACHET_VDEV_SIG_NEEDS_RESET, dev->resets);
	if (rc < 0 && rc != -CACHET_ESTALE)
		vdev_log(dev, "cannot signal NEEDS_RESET: ", cachet_strerror(rc));
}

/* The driver reset the device: back to the state of creation. */
static void vdev_reset(struct vdev *dev, uint32_t resets)
{
	dev->resets = resets;
	dev->started = false;
	dev->broken = false;
	for (unsigned int i = 0; i < CACHET_VDEV_MAX_QUEUES; i++)
		dev->vq[i] = (struct virtq){ .dev = dev, .index = i };
	if (dev->ops->reset)
		dev->ops->reset(dev->be);
}

/* DRIVER_OK: every queue the driver made ready must be sound. */
static void vdev_start(struct vdev *dev, const struct cachet_vdev_state *st)
{
	for (unsigned int i = 0; i < dev->ops->nr_queues; i++)
		if (st->queue[i].ready &&
		    !virtq_setup(&dev->vq[i], &st->queue[i], st->queue_num_max,
				 (st->driver_features & VIRTQ_F_EVENT_IDX) != 0))
			return;
	dev->started = true;
	if (dev->ops->start)
		dev->ops->start(dev->be, dev, st->driver_features);
}

/* Brings our view up to the register file's; false if it cannot be read. */
static bool vdev_sync(struct vdev *dev)
{
	struct cachet_vdev_state st;
	int rc = cachet_vdev_state(vguest_handle(dev->g), vguest_domid(dev->g), dev->index, &st);

	if (rc < 0) {
		vdev_log(dev, "cannot read the device state: ", cachet_strerror(rc));
		return false;
	}
	if (st.resets != dev->resets)
		vdev_reset(dev, st.resets);
	/* Broken before (by an earlier daemon, too) or given up by the driver: wait for a reset. */
	if (st.status & (CACHET_VDEV_STATUS_NEEDS_RESET | CACHET_VDEV_STATUS_FAILED)) {
		dev->broken = (st.status & CACHET_VDEV_STATUS_NEEDS_RESET) != 0;
		dev->started = false;
		return true;
	}
	if ((st.status & CACHET_VDEV_STATUS_DRIVER_OK) && !dev->started && !dev->broken)
		vdev_start(dev, &st);
	return true;
}

static void vdev_serve_queue(struct vdev *dev, unsigned int q)
{
	if (dev->started && dev->vq[q].live)
		dev->ops->queue_notify(dev->be, dev, &dev->vq[q]);
}

void vdev_serve(struct vdev *dev, uint64_t bits, bool rescan)
{
	uint64_t queues = bits & ((1ull << CACHET_VDEV_MAX_QUEUES) - 1);

	dev->stats.notifications += (uint64_t)__builtin_popcountll(queues);
	/* A queue notified before the device started may mean the driver set DRIVER_OK just now. */
	if ((bits & CACHET_MBOX_VDEV_EV_STATE) || (queues && !dev->started && !dev->broken)) {
		if (!vdev_sync(dev))
			return;
	}
	if (queues && !dev->started && !dev->broken) {
		vdev_mark_broken(dev, "a queue was notified before DRIVER_OK");
		return;
	}
	for (unsigned int q = 0; q < dev->ops->nr_queues; q++)
		if (rescan || (queues & (1ull << q)))
			vdev_serve_queue(dev, q);
}

void vdev_resume(struct vdev *dev)
{
	vdev_reset(dev, dev->resets);
	dev->resets = UINT32_MAX; /* whatever the count is, take it as a reset we have seen */
	if (vdev_sync(dev))
		vdev_serve(dev, 0, true);
}
