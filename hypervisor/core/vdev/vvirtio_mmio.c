/*
 * The virtio-mmio register file (virtio 1.2, section 4.2.2; Version 2 only:
 * the legacy layout is not offered).  Registers are 32 bits wide and must
 * be accessed as such; the device config space from offset 0x100 may be
 * read with 8, 16 or 32-bit accesses.  Anything else - another width, an
 * unknown offset, a write to a read-only register, a read of a write-only
 * one - reads as zero and is ignored, so a guest cannot upset the model.
 *
 * What the host must act on is posted to it (hv/mbox.h): QueueNotify, and
 * every write that changes the device's state (Status, including a reset,
 * and QueueReady).  The interrupt is a level: asserted while any
 * InterruptStatus bit is set, lowered when the driver acknowledges the last.
 */
#include "hv/vvirtio.h"

#include "cachet/public/mbox.h"
#include "hv/domain.h"
#include "hv/errno.h"
#include "hv/doorbell.h"
#include "hv/mbox.h"
#include "hv/string.h"
#include "hv/vgic.h"

#define VIRTIO_MMIO_MAGIC_VALUE 0x000
#define VIRTIO_MMIO_VERSION 0x004
#define VIRTIO_MMIO_DEVICE_ID 0x008
#define VIRTIO_MMIO_VENDOR_ID 0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES 0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES 0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_QUEUE_SEL 0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX 0x034
#define VIRTIO_MMIO_QUEUE_NUM 0x038
#define VIRTIO_MMIO_QUEUE_READY 0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY 0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS 0x060
#define VIRTIO_MMIO_INTERRUPT_ACK 0x064
#define VIRTIO_MMIO_STATUS 0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW 0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH 0x084
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW 0x090
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH 0x094
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW 0x0a0
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH 0x0a4
#define VIRTIO_MMIO_SHM_LEN_LOW 0x0b0
#define VIRTIO_MMIO_SHM_LEN_HIGH 0x0b4
#define VIRTIO_MMIO_SHM_BASE_LOW 0x0b8
#define VIRTIO_MMIO_SHM_BASE_HIGH 0x0bc
#define VIRTIO_MMIO_CONFIG_GENERATION 0x0fc
#define VIRTIO_MMIO_CONFIG 0x100

#define VIRTIO_MMIO_MAGIC 0x74726976u  /* "virt" */
#define VIRTIO_MMIO_VERSION_MODERN 2u
#define VIRTIO_MMIO_VENDOR 0x54484343u /* "CCHT" */
#define VIRTIO_MMIO_NO_SHM 0xffffffffu /* SHMLen/Base of a region that does not exist */

#define VVIRTIO_EV_STATE CACHET_MBOX_VDEV_EV_STATE
/* Not posted as such: a reset, after which queue bits still posted are stale. */
#define VVIRTIO_EV_RESET (1ull << 16)
#define VVIRTIO_EV_QUEUES ((1ull << CACHET_VDEV_MAX_QUEUES) - 1)

static struct vvirtio *vvirtio_dev(struct domain *d, uint64_t off)
{
	uint64_t i = off / CACHET_GUEST_VIRTIO_MMIO_STRIDE;

	return i < CACHET_GUEST_VIRTIO_MAX && d->virtio[i].present ? &d->virtio[i] : NULL;
}

static unsigned int vvirtio_index(const struct domain *d, const struct vvirtio *dev)
{
	return (unsigned int)(dev - d->virtio);
}

/*
 * The SPI follows InterruptStatus.  Called with dev->lock held (the vGIC
 * lock nests inside it): set after the unlock, an ACK racing a signal could
 * lower the line after the signal raised it, leaving InterruptStatus set
 * and the line low until the next signal.
 */
static void vvirtio_update_irq(struct domain *d, unsigned int index, bool level)
{
	vgic_set_level(d, NULL, CACHET_GUEST_VIRTIO_MMIO_SPI_FIRST + index, level);
}

static struct vvirtio_queue *vvirtio_sel_queue(struct vvirtio *dev)
{
	return dev->queue_sel < dev->nr_queues ? &dev->queue[dev->queue_sel] : NULL;
}

static uint32_t vvirtio_half(uint64_t v, uint32_t sel)
{
	return sel == 0 ? (uint32_t)v : sel == 1 ? (uint32_t)(v >> 32) : 0;
}

static uint32_t vvirtio_queue_reg(struct vvirtio *dev, uint64_t off)
{
	struct vvirtio_queue *q = vvirtio_sel_queue(dev);

	if (q == NULL)
		return 0;
	if (off == VIRTIO_MMIO_QUEUE_NUM_MAX)
		return dev->queue_num_max;
	return off == VIRTIO_MMIO_QUEUE_READY ? q->ready : 0;
}

/* Caller holds dev->lock. */
static uint32_t vvirtio_reg(struct vvirtio *dev, uint64_t off)
{
	switch (off) {
	case VIRTIO_MMIO_MAGIC_VALUE: return VIRTIO_MMIO_MAGIC;
	case VIRTIO_MMIO_VERSION: return VIRTIO_MMIO_VERSION_MODERN;
	case VIRTIO_MMIO_DEVICE_ID: return dev->device_id;
	case VIRTIO_MMIO_VENDOR_ID: return VIRTIO_MMIO_VENDOR;
	case VIRTIO_MMIO_DEVICE_FEATURES:
		return vvirtio_half(dev->device_features, dev->device_features_sel);
	case VIRTIO_MMIO_QUEUE_NUM_MAX:
	case VIRTIO_MMIO_QUEUE_READY: return vvirtio_queue_reg(dev, off);
	case VIRTIO_MMIO_INTERRUPT_STATUS: return dev->isr;
	case VIRTIO_MMIO_STATUS: return dev->status;
	case VIRTIO_MMIO_SHM_LEN_LOW:
	case VIRTIO_MMIO_SHM_LEN_HIGH:
	case VIRTIO_MMIO_SHM_BASE_LOW:
	case VIRTIO_MMIO_SHM_BASE_HIGH: return VIRTIO_MMIO_NO_SHM;
	case VIRTIO_MMIO_CONFIG_GENERATION: return dev->config_generation;
	default: return 0; /* write-only and reserved registers */
	}
}

/* Config space: little-endian bytes; past the device's config, zero. */
static uint64_t vvirtio_config_read(const struct vvirtio *dev, uint64_t off, unsigned int size)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < size; i++)
		if (off + i < dev->config_len)
			v |= (uint64_t)dev->config[off + i] << (8 * i);
	return v;
}

static bool vvirtio_read(struct vcpu *v, void *priv, uint64_t off, unsigned int size,
			 uint64_t *val)
{
	struct domain *d = priv;
	struct vvirtio *dev = vvirtio_dev(d, off);
	uint64_t reg = off % CACHET_GUEST_VIRTIO_MMIO_STRIDE;
	unsigned long flags;

	(void)v;
	*val = 0;
	if (dev == NULL)
		return true;
	flags = spin_lock_irqsave(&dev->lock);
	if (reg >= VIRTIO_MMIO_CONFIG && size <= 4)
		*val = vvirtio_config_read(dev, reg - VIRTIO_MMIO_CONFIG, size);
	else if (size == 4)
		*val = vvirtio_reg(dev, reg);
	spin_unlock_irqrestore(&dev->lock, flags);
	return true;
}

/* Caller holds dev->lock: back to the state at creation (virtio 1.2, 2.4). */
static void vvirtio_reset(struct vvirtio *dev)
{
	dev->status = 0;
	dev->isr = 0;
	dev->driver_features = 0;
	dev->device_features_sel = dev->driver_features_sel = dev->queue_sel = 0;
	memset(dev->queue, 0, sizeof(dev->queue));
	dev->resets++;
}

/*
 * Caller holds dev->lock.  FEATURES_OK stays clear when the driver accepted
 * a feature the device did not offer, or not VERSION_1 (virtio 1.2, 3.1.1:
 * the driver then reads Status back and gives up).
 */
static void vvirtio_set_status(struct vvirtio *dev, uint32_t val)
{
	bool bad = (dev->driver_features & ~dev->device_features) != 0 ||
		   !(dev->driver_features & CACHET_VDEV_F_VERSION_1);

	if ((val & CACHET_VDEV_STATUS_FEATURES_OK) && !(dev->status & CACHET_VDEV_STATUS_FEATURES_OK) &&
	    bad)
		val &= ~CACHET_VDEV_STATUS_FEATURES_OK;
	dev->status = (val & 0xffu) | (dev->status & CACHET_VDEV_STATUS_NEEDS_RESET);
}

static void vvirtio_set_half(uint64_t *v, uint32_t sel, uint32_t val)
{
	if (sel == 0)
		*v = (*v & ~0xffffffffull) | val;
	else if (sel == 1)
		*v = (*v & 0xffffffffull) | (uint64_t)val << 32;
}

static void vvirtio_set_addr(uint64_t *a, bool high, uint32_t val)
{
	vvirtio_set_half(a, high ? 1 : 0, val);
}

/* Caller holds dev->lock; a queue is configured only while it is not ready. */
static uint64_t vvirtio_queue_write(struct vvirtio *dev, uint64_t reg, uint32_t val)
{
	struct vvirtio_queue *q = vvirtio_sel_queue(dev);

	if (q == NULL)
		return 0;
	if (reg == VIRTIO_MMIO_QUEUE_READY) {
		q->ready = (val & 1) != 0;
		return VVIRTIO_EV_STATE;
	}
	if (q->ready)
		return 0;
	switch (reg) {
	case VIRTIO_MMIO_QUEUE_NUM: q->num = val; break;
	case VIRTIO_MMIO_QUEUE_DESC_LOW:
	case VIRTIO_MMIO_QUEUE_DESC_HIGH: vvirtio_set_addr(&q->desc, reg & 4, val); break;
	case VIRTIO_MMIO_QUEUE_DRIVER_LOW:
	case VIRTIO_MMIO_QUEUE_DRIVER_HIGH: vvirtio_set_addr(&q->driver, reg & 4, val); break;
	case VIRTIO_MMIO_QUEUE_DEVICE_LOW:
	case VIRTIO_MMIO_QUEUE_DEVICE_HIGH: vvirtio_set_addr(&q->device, reg & 4, val); break;
	default: break;
	}
	return 0;
}

/* Caller holds dev->lock.  Returns the notification bits to post to the host. */
static uint64_t vvirtio_reg_write(struct vvirtio *dev, uint64_t reg, uint32_t val)
{
	switch (reg) {
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL: dev->device_features_sel = val; return 0;
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL: dev->driver_features_sel = val; return 0;
	case VIRTIO_MMIO_DRIVER_FEATURES:
		if (!(dev->status & CACHET_VDEV_STATUS_FEATURES_OK))
			vvirtio_set_half(&dev->driver_features, dev->driver_features_sel, val);
		return 0;
	case VIRTIO_MMIO_QUEUE_SEL: dev->queue_sel = val; return 0;
	case VIRTIO_MMIO_QUEUE_NOTIFY:
		return val < dev->nr_queues ? 1ull << val : 0;
	case VIRTIO_MMIO_INTERRUPT_ACK: dev->isr &= ~val; return 0;
	case VIRTIO_MMIO_STATUS:
		if (val == 0) {
			vvirtio_reset(dev);
			return VVIRTIO_EV_STATE | VVIRTIO_EV_RESET;
		}
		vvirtio_set_status(dev, val);
		return VVIRTIO_EV_STATE;
	default: return vvirtio_queue_write(dev, reg, val);
	}
}

static bool vvirtio_write(struct vcpu *v, void *priv, uint64_t off, unsigned int size,
			  uint64_t val)
{
	struct domain *d = priv;
	struct vvirtio *dev = vvirtio_dev(d, off);
	uint64_t reg = off % CACHET_GUEST_VIRTIO_MMIO_STRIDE, bits;
	unsigned long flags;

	(void)v;
	/* The config space is read-only for every device Cachet offers. */
	if (dev == NULL || size != 4 || reg >= VIRTIO_MMIO_CONFIG)
		return true;
	flags = spin_lock_irqsave(&dev->lock);
	bits = vvirtio_reg_write(dev, reg, (uint32_t)val);
	if (reg == VIRTIO_MMIO_INTERRUPT_ACK || reg == VIRTIO_MMIO_STATUS)
		vvirtio_update_irq(d, vvirtio_index(d, dev), dev->isr != 0);
	spin_unlock_irqrestore(&dev->lock, flags);
	if (bits & VVIRTIO_EV_RESET)
		mbox_vdev_notify_reset(d->domid, vvirtio_index(d, dev));
	else if (bits != 0)
		mbox_vdev_notify(d->domid, vvirtio_index(d, dev), bits);
	if (bits & VVIRTIO_EV_QUEUES)
		doorbell_arm(d);
	return true;
}

static const struct vdev_mmio_ops vvirtio_ops = { vvirtio_read, vvirtio_write };

int vvirtio_init(struct domain *d)
{
	for (unsigned int i = 0; i < CACHET_GUEST_VIRTIO_MAX; i++)
		d->virtio[i] = (struct vvirtio){ .lock = SPINLOCK_INIT };
	return vdev_mmio_register(d, CACHET_GUEST_VIRTIO_MMIO_BASE,
				  CACHET_GUEST_VIRTIO_MAX * CACHET_GUEST_VIRTIO_MMIO_STRIDE,
				  &vvirtio_ops, d);
}

static bool vvirtio_create_valid(const struct cachet_vdev_create_in *in)
{
	return in->nr_queues != 0 && in->nr_queues <= CACHET_VDEV_MAX_QUEUES &&
	       in->queue_num_max != 0 && in->queue_num_max <= CACHET_VDEV_QUEUE_MAX &&
	       (in->queue_num_max & (in->queue_num_max - 1)) == 0 &&
	       in->config_len <= CACHET_VDEV_CONFIG_MAX && in->device_id != 0 &&
	       (in->features & CACHET_VDEV_F_VERSION_1) != 0;
}

int vvirtio_create(struct domain *d, const struct cachet_vdev_create_in *in)
{
	struct vvirtio *dev;

	if (in->index >= CACHET_GUEST_VIRTIO_MAX)
		return -ERANGE;
	if (!vvirtio_create_valid(in))
		return -EINVAL;
	if (d->state != CACHET_DOM_PAUSED)
		return -EPERM;
	dev = &d->virtio[in->index];
	if (dev->present)
		return -EEXIST;
	*dev = (struct vvirtio){ .lock = SPINLOCK_INIT, .device_id = in->device_id,
				 .nr_queues = in->nr_queues, .queue_num_max = in->queue_num_max,
				 .config_len = in->config_len, .device_features = in->features };
	memcpy(dev->config, in->config, in->config_len);
	__atomic_store_n(&dev->present, true, __ATOMIC_RELEASE);
	return 0;
}

static struct vvirtio *vvirtio_mgmt_dev(struct domain *d, uint32_t index)
{
	if (index >= CACHET_GUEST_VIRTIO_MAX || !d->virtio[index].present)
		return NULL;
	return &d->virtio[index];
}

int vvirtio_state(struct domain *d, uint32_t index, struct cachet_vdev_state *out)
{
	struct vvirtio *dev = vvirtio_mgmt_dev(d, index);
	unsigned long flags;

	if (dev == NULL)
		return -ENOENT;
	flags = spin_lock_irqsave(&dev->lock);
	*out = (struct cachet_vdev_state){ .device_id = dev->device_id, .status = dev->status,
					   .isr = dev->isr, .resets = dev->resets,
					   .nr_queues = dev->nr_queues,
					   .queue_num_max = dev->queue_num_max,
					   .driver_features = dev->driver_features };
	for (unsigned int i = 0; i < dev->nr_queues; i++) {
		const struct vvirtio_queue *q = &dev->queue[i];

		out->queue[i] = (struct cachet_vdev_queue){ .num = q->num, .ready = q->ready,
							    .desc = q->desc, .driver = q->driver,
							    .device = q->device };
	}
	spin_unlock_irqrestore(&dev->lock, flags);
	return 0;
}

int vvirtio_signal(struct domain *d, const struct cachet_vdev_signal_in *in)
{
	struct vvirtio *dev = vvirtio_mgmt_dev(d, in->index);
	unsigned long flags;
	int rc = 0;

	if (dev == NULL)
		return -ENOENT;
	if (in->pad != 0 || (in->isr & ~(CACHET_VDEV_ISR_VRING | CACHET_VDEV_ISR_CONFIG)) != 0 ||
	    (in->flags & ~CACHET_VDEV_SIG_NEEDS_RESET) != 0)
		return -EINVAL;
	flags = spin_lock_irqsave(&dev->lock);
	if (in->resets != dev->resets) {
		rc = -ESTALE;
	} else {
		dev->isr |= in->isr;
		if (in->flags & CACHET_VDEV_SIG_NEEDS_RESET) {
			dev->status |= CACHET_VDEV_STATUS_NEEDS_RESET;
			dev->isr |= CACHET_VDEV_ISR_CONFIG;
		}
	}
	if (rc == 0) {
		doorbell_disarm(d);
		vvirtio_update_irq(d, in->index, dev->isr != 0);
	}
	spin_unlock_irqrestore(&dev->lock, flags);
	return rc;
}
