/*
 * The daemon's guests with devices (vguest.h): one service thread per
 * guest, so that a guest waiting on a slow disk never delays another guest
 * or the RPC loop, and one notifier thread for the whole daemon that
 * watches the hypervisor's notification count in the mailbox and wakes the
 * guests whose devices were notified (an eventfd each).  The notifier polls
 * shared memory, sleeping from VGUEST_POLL_MIN_US after a notification,
 * doubling the sleep up to VGUEST_POLL_MAX_US while none come, and up to
 * VGUEST_POLL_IDLE_US once no device runs and none was notified for
 * VGUEST_IDLE_AFTER_US (a driver setting up a device keeps it short).  A service
 * thread that has just served notifications does not sleep either: for
 * VGUEST_SPIN_US it takes its own devices' notification words itself,
 * yielding the CPU between looks (a driver waiting for one request to
 * complete sends the next one soon after), so that a busy guest's requests
 * cross neither the notifier nor a thread wake-up (daemon/DEVICES.md has
 * the figures).
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "backends.h"
#include "dlog.h"
#include "vdev_int.h"
#include "vguest.h"

#define VGUEST_MAX 128
#define VGUEST_RESCAN_MS 500       /* queues looked at without a notification */
/*
 * A device the driver has not started is asked for its state (a VDEV_STATE
 * request, a mailbox round trip) this often without a notification, and
 * only while its guest shares its notification words with another guest
 * (ids CACHET_MBOX_VDEV_DOMS apart): the hypervisor then overwrites one's
 * bits with the other's, and a lost state change would stall a driver's
 * set-up.  A guest alone in its words loses none, so a guest that ignores
 * its virtio-rng costs nothing.
 */
#define VGUEST_STATE_RESCAN_MS 5000
#define VGUEST_SPIN_US 1000
#define VGUEST_POLL_MIN_US 20
#define VGUEST_POLL_MAX_US 2000
/*
 * With 64 guests that never start their virtio-rng, the 2 ms ceiling alone
 * cost cachetd 0.6 % of a core (500 wake-ups a second).
 */
#define VGUEST_POLL_IDLE_US 20000
#define VGUEST_IDLE_AFTER_US 1000000
#define VGUEST_PAGE 4096ull

struct vguest {
	cachet_handle *h;
	cachet_domid_t domid;
	char name[CONFIG_NAME_MAX + 1];
	struct vdev_mem mem;
	struct devcfg cfg;
	struct vdev dev[CACHET_GUEST_VIRTIO_MAX];
	uint64_t pending[CACHET_GUEST_VIRTIO_MAX]; /* notification bits, set by the notifier */
	uint64_t busy_us;        /* when the service thread last served a notification */
	uint64_t memory_mb;      /* the guest's RAM, mapped by the service thread */
	bool running;            /* a driver started one of its devices (vguest_any_started) */
	int efd;
	bool resume;
	bool mapped;             /* the map of the guest's RAM was tried (vguest_map_once) */
	bool stop;
	pthread_t thread;
};

static pthread_mutex_t vguest_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vguest *vguests[VGUEST_MAX];
static cachet_handle *vguest_notifier_h;
static pthread_t vguest_notifier;
static bool vguest_notifier_stop;

cachet_handle *vguest_handle(const struct vguest *g)
{
	return g->h;
}

cachet_domid_t vguest_domid(const struct vguest *g)
{
	return g->domid;
}

const char *vguest_name(const struct vguest *g)
{
	return g->name;
}

const struct vdev_mem *vguest_mem(const struct vguest *g)
{
	return &g->mem;
}

static uint64_t vguest_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static uint64_t vguest_now_ms(void)
{
	return vguest_now_us() / 1000u;
}

/* ---- the notifier ------------------------------------------------------ */

/*
 * Moves the hypervisor's notification bits of @g's devices to its pending
 * words; true if there were any.  The notifier and @g's own service thread
 * both call it: each bit is taken once, by a compare-and-swap.
 */
static bool vguest_take(struct vguest *g)
{
	bool any = false;

	for (unsigned int d = 0; d < g->cfg.n; d++) {
		uint64_t bits = cachet_vdev_notify_take(g->h, g->domid, d);

		if (bits) {
			__atomic_fetch_or(&g->pending[d], bits, __ATOMIC_RELEASE);
			any = true;
		}
	}
	return any;
}

/* Caller holds vguest_lock.  Moves the hypervisor's bits to the guests and wakes them. */
static void vguest_dispatch(void)
{
	for (unsigned int i = 0; i < VGUEST_MAX; i++) {
		struct vguest *g = vguests[i];

		if (g && vguest_take(g) && eventfd_write(g->efd, 1) < 0)
			dlog("%s: cannot wake the device thread: %s", g->name, strerror(errno));
	}
}

/* Whether a guest served here has a device running. */
static bool vguest_any_running(void)
{
	bool running = false;

	pthread_mutex_lock(&vguest_lock);
	for (unsigned int i = 0; i < VGUEST_MAX && !running; i++)
		running = vguests[i] && __atomic_load_n(&vguests[i]->running, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&vguest_lock);
	return running;
}

/* The notifier's longest sleep, @quiet_us after the last notification it saw. */
static uint64_t vguest_poll_max_us(uint64_t quiet_us)
{
	return quiet_us < VGUEST_IDLE_AFTER_US || vguest_any_running() ? VGUEST_POLL_MAX_US
									 : VGUEST_POLL_IDLE_US;
}

static void *vguest_notifier_main(void *arg)
{
	cachet_handle *h = arg;
	uint64_t seen = cachet_vdev_notify_seq(h), delay = VGUEST_POLL_MIN_US;
	uint64_t last = vguest_now_us();

	while (!__atomic_load_n(&vguest_notifier_stop, __ATOMIC_ACQUIRE)) {
		uint64_t now = cachet_vdev_notify_seq(h);
		struct timespec ts;

		if (now != seen) {
			seen = now;
			pthread_mutex_lock(&vguest_lock);
			vguest_dispatch();
			pthread_mutex_unlock(&vguest_lock);
			delay = VGUEST_POLL_MIN_US;
			last = vguest_now_us();
			continue;
		}
		ts = (struct timespec){ 0, (long)(delay * 1000) };
		nanosleep(&ts, NULL);
		delay = delay * 2 > VGUEST_POLL_MAX_US ? vguest_poll_max_us(vguest_now_us() - last)
						       : delay * 2;
	}
	return NULL;
}

/* Caller holds vguest_lock. */
static int vguest_notifier_start(cachet_handle *h)
{
	if (vguest_notifier_h)
		return 0;
	vguest_notifier_stop = false;
	if (pthread_create(&vguest_notifier, NULL, vguest_notifier_main, h) != 0)
		return -1;
	vguest_notifier_h = h;
	return 0;
}

/* ---- a guest's service thread ------------------------------------------ */

/*
 * Whether another guest served here has its device notifications in @g's
 * words (cachet/public/mbox.h): only guests with devices are notified, and
 * this daemon serves them all.
 */
static bool vguest_words_shared(const struct vguest *g)
{
	bool shared = false;

	pthread_mutex_lock(&vguest_lock);
	for (unsigned int i = 0; i < VGUEST_MAX && !shared; i++)
		shared = vguests[i] && vguests[i] != g &&
			 CACHET_MBOX_VDEV_WORD(vguests[i]->domid, 0) == CACHET_MBOX_VDEV_WORD(g->domid, 0);
	pthread_mutex_unlock(&vguest_lock);
	return shared;
}

static void vguest_wait(struct vguest *g, int timeout_ms)
{
	struct vdev_pollset ps = { .n = 0 };
	eventfd_t v;

	vdev_pollset_add(&ps, g->efd, POLLIN);
	for (unsigned int i = 0; i < g->cfg.n; i++)
		if (g->dev[i].ops->poll_prepare)
			g->dev[i].ops->poll_prepare(g->dev[i].be, &g->dev[i], &ps, &timeout_ms);
	if (poll(ps.fd, ps.n, timeout_ms) > 0 && (ps.fd[0].revents & POLLIN))
		eventfd_read(g->efd, &v);
	for (unsigned int i = 0; i < g->cfg.n; i++)
		if (g->dev[i].ops->poll_done)
			g->dev[i].ops->poll_done(g->dev[i].be, &g->dev[i], &ps);
}

/* Whether a driver started one of @g's devices: only their queues are rescanned. */
static bool vguest_any_started(const struct vguest *g)
{
	for (unsigned int i = 0; i < g->cfg.n; i++)
		if (g->dev[i].started)
			return true;
	return false;
}

/*
 * Waits for work: sleeps in poll() until the notifier, a backend's
 * descriptor or the rescan wakes it, unless a notification was served
 * less than VGUEST_SPIN_US ago; then it only looks at the backends'
 * descriptors and takes its own notification words, yielding in between.
 */
static void vguest_next(struct vguest *g)
{
	if (vguest_now_us() - g->busy_us >= VGUEST_SPIN_US) {
		vguest_wait(g, vguest_any_started(g) ? VGUEST_RESCAN_MS : VGUEST_STATE_RESCAN_MS);
		return;
	}
	vguest_wait(g, 0);
	if (!vguest_take(g))
		sched_yield();
}

/* Both RAM banks as the builder lays them out (guest_map.h): the first up to 3 GiB. */
static int vguest_map(struct vguest *g, uint64_t memory_mb, char *msg, size_t msglen)
{
	uint64_t bytes = memory_mb << 20;
	uint64_t size[2] = { bytes < CACHET_GUEST_RAM0_SIZE ? bytes : CACHET_GUEST_RAM0_SIZE, 0 };
	const uint64_t base[2] = { CACHET_GUEST_RAM0_BASE, CACHET_GUEST_RAM1_BASE };

	size[1] = bytes - size[0];
	for (unsigned int i = 0; i < 2; i++) {
		void *p;
		int rc;

		if (!size[i])
			continue;
		rc = cachet_map_foreign(g->h, g->domid, base[i] / VGUEST_PAGE, size[i] / VGUEST_PAGE,
					&p);
		if (rc < 0) {
			snprintf(msg, msglen, "devices: cannot map the guest's RAM: %s",
				 cachet_last_error(g->h));
			return -1;
		}
		g->mem.bank[i] = p;
		g->mem.base[i] = base[i];
		g->mem.size[i] = size[i];
	}
	return 0;
}

/*
 * Maps the guest's RAM when a device first needs it: its driver's first
 * status write or notification, not the create.  Mapping a 256 MiB guest
 * takes tens of milliseconds of translate requests, and every frame given
 * to the daemon counts as written, to be scrubbed when the guest goes
 * (hypervisor/include/hv/pt.h): a guest whose devices were never used
 * (destroyed early, or a bare-metal guest) costs neither.
 */
static void vguest_map_once(struct vguest *g)
{
	char msg[256];

	if (g->mapped)
		return;
	g->mapped = true;
	if (vguest_map(g, g->memory_mb, msg, sizeof(msg)) == 0)
		return;
	dlog("%s: %s", g->name, msg);
	for (unsigned int i = 0; i < g->cfg.n; i++)
		vdev_mark_broken(&g->dev[i], "the daemon cannot map the guest's RAM");
}

static void *vguest_main(void *arg)
{
	struct vguest *g = arg;
	uint64_t last_rescan = vguest_now_ms(), last_state = last_rescan;

	if (g->resume)
		vguest_map_once(g);
	for (unsigned int i = 0; g->resume && i < g->cfg.n; i++)
		vdev_resume(&g->dev[i]);
	while (!__atomic_load_n(&g->stop, __ATOMIC_ACQUIRE)) {
		bool rescan, state_rescan, served = false;

		vguest_next(g);
		rescan = vguest_now_ms() - last_rescan >= VGUEST_RESCAN_MS;
		if (rescan)
			last_rescan = vguest_now_ms();
		state_rescan = vguest_now_ms() - last_state >= VGUEST_STATE_RESCAN_MS;
		if (state_rescan)
			last_state = vguest_now_ms();
		state_rescan = state_rescan && vguest_words_shared(g);
		for (unsigned int i = 0; i < g->cfg.n; i++) {
			uint64_t bits = __atomic_exchange_n(&g->pending[i], 0, __ATOMIC_ACQUIRE);
			struct vdev *dev = &g->dev[i];

			/*
			 * Only the guest's own notifications make the thread spin:
			 * counting the rescan's made every guest with an unused
			 * device (a bare-metal guest's virtio-rng) spin 1 ms in 500.
			 */
			served |= bits != 0;
			/* A state notification lost to a sharer must not stall a driver's set-up. */
			if (state_rescan && !dev->started && !dev->broken)
				bits |= CACHET_MBOX_VDEV_EV_STATE;
			/* Before its first event a device has no queue to look at. */
			if (bits)
				vguest_map_once(g);
			if (bits || (rescan && g->mapped))
				vdev_serve(dev, bits, rescan);
		}
		if (served)
			g->busy_us = vguest_now_us();
		__atomic_store_n(&g->running, vguest_any_started(g), __ATOMIC_RELAXED);
	}
	return NULL;
}

/* ---- start and stop ------------------------------------------------------ */

static void vguest_unmap(struct vguest *g)
{
	for (unsigned int i = 0; i < 2; i++)
		if (g->mem.bank[i])
			munmap(g->mem.bank[i], g->mem.size[i]);
}

static void vguest_free(struct vguest *g)
{
	for (unsigned int i = 0; i < g->cfg.n; i++)
		if (g->dev[i].be)
			g->dev[i].ops->destroy(g->dev[i].be);
	vguest_unmap(g);
	if (g->efd >= 0)
		close(g->efd);
	free(g);
}

/* The device model of @d and its backend's state (NULL with @msg on failure). */
static void *vguest_backend(const struct vguest *g, const struct devcfg_dev *d,
			    const struct vdev_backend_ops **ops, char *msg, size_t msglen)
{
	switch (d->kind) {
	case DEVCFG_DISK:
		*ops = &vblk_ops;
		return vblk_new(d, msg, msglen);
	case DEVCFG_NET:
		*ops = &vnet_ops;
		return vnet_new(d, g->domid, msg, msglen);
	case DEVCFG_RNG:
		break;
	}
	*ops = &vrng_ops;
	return vrng_new(d, msg, msglen);
}

static int vguest_open(struct vguest *g, char *msg, size_t msglen)
{
	for (unsigned int i = 0; i < g->cfg.n; i++) {
		const struct devcfg_dev *d = &g->cfg.dev[i];
		struct vdev *dev = &g->dev[i];

		*dev = (struct vdev){ .g = g, .index = i };
		for (unsigned int q = 0; q < CACHET_VDEV_MAX_QUEUES; q++)
			dev->vq[q] = (struct virtq){ .dev = dev, .index = q };
		dev->be = vguest_backend(g, d, &dev->ops, msg, msglen);
		if (!dev->be)
			return -1;
	}
	return 0;
}

/* Describes device @dev to the hypervisor: what the guest's driver will find. */
static int vguest_describe(struct vguest *g, struct vdev *dev, char *msg, size_t msglen)
{
	const struct vdev_backend_ops *ops = dev->ops;
	struct cachet_vdev_create_in in = {
		.domid = g->domid, .index = dev->index, .device_id = ops->device_id,
		.nr_queues = ops->nr_queues, .queue_num_max = ops->queue_max,
		.features = CACHET_VDEV_F_VERSION_1 | VIRTQ_F_EVENT_IDX |
			    (ops->features ? ops->features(dev->be) : 0),
	};
	int rc;

	if (ops->config)
		in.config_len = (uint32_t)ops->config(dev->be, in.config, sizeof(in.config));
	rc = cachet_vdev_create(g->h, &in);
	if (rc < 0)
		snprintf(msg, msglen, "%s %s: %s", ops->name, g->cfg.dev[dev->index].vdev,
			 cachet_last_error(g->h));
	return rc < 0 ? -1 : 0;
}

/* Caller holds vguest_lock. */
static struct vguest **vguest_slot(cachet_domid_t domid, bool free_one)
{
	for (unsigned int i = 0; i < VGUEST_MAX; i++) {
		if (free_one ? !vguests[i] : vguests[i] && vguests[i]->domid == domid)
			return &vguests[i];
	}
	return NULL;
}

static int vguest_run(struct vguest *g, char *msg, size_t msglen)
{
	struct vguest **slot;
	int rc = -1;

	pthread_mutex_lock(&vguest_lock);
	slot = vguest_slot(0, true);
	if (!slot || vguest_notifier_start(g->h) < 0)
		snprintf(msg, msglen, "devices: the daemon serves devices of at most %u guests",
			 VGUEST_MAX);
	else if (pthread_create(&g->thread, NULL, vguest_main, g) != 0)
		snprintf(msg, msglen, "devices: cannot start the service thread");
	else
		rc = 0;
	if (rc == 0)
		*slot = g;
	pthread_mutex_unlock(&vguest_lock);
	return rc;
}

int vguest_start(cachet_handle *h, cachet_domid_t domid, const struct dom_config *c, bool resume,
		 char *msg, size_t msglen)
{
	struct vguest *g = calloc(1, sizeof(*g));
	int rc = -1;

	msg[0] = '\0';
	if (!g) {
		snprintf(msg, msglen, "devices: out of memory");
		return -1;
	}
	*g = (struct vguest){ .h = h, .domid = domid, .efd = -1, .resume = resume,
			      .memory_mb = c->memory_mb };
	snprintf(g->name, sizeof(g->name), "%s", c->name);
	if (devcfg_get(c, &g->cfg, msg, msglen) < 0 || g->cfg.n == 0) {
		rc = g->cfg.n == 0 && !msg[0] ? 0 : -1;
		free(g);
		return rc;
	}
	g->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (g->efd >= 0 && vguest_open(g, msg, msglen) == 0) {
		rc = 0;
		for (unsigned int i = 0; i < g->cfg.n && rc == 0 && !resume; i++)
			rc = vguest_describe(g, &g->dev[i], msg, msglen);
		if (rc == 0)
			rc = vguest_run(g, msg, msglen);
	} else if (g->efd < 0) {
		snprintf(msg, msglen, "devices: eventfd: %s", strerror(errno));
	}
	if (rc < 0)
		vguest_free(g);
	return rc;
}

static void vguest_join(struct vguest *g)
{
	__atomic_store_n(&g->stop, true, __ATOMIC_RELEASE);
	eventfd_write(g->efd, 1);
	pthread_join(g->thread, NULL);
	vguest_free(g);
}

void vguest_stop(cachet_domid_t domid)
{
	struct vguest **slot, *g = NULL;

	pthread_mutex_lock(&vguest_lock);
	slot = vguest_slot(domid, false);
	if (slot) {
		g = *slot;
		*slot = NULL;
	}
	pthread_mutex_unlock(&vguest_lock);
	if (g)
		vguest_join(g);
}

void vguest_stop_all(void)
{
	for (unsigned int i = 0; i < VGUEST_MAX; i++) {
		struct vguest *g;

		pthread_mutex_lock(&vguest_lock);
		g = vguests[i];
		vguests[i] = NULL;
		pthread_mutex_unlock(&vguest_lock);
		if (g)
			vguest_join(g);
	}
	if (vguest_notifier_h) {
		__atomic_store_n(&vguest_notifier_stop, true, __ATOMIC_RELEASE);
		pthread_join(vguest_notifier, NULL);
		vguest_notifier_h = NULL;
	}
}

/* ---- statistics ------------------------------------------------------------ */

static struct json_object *vguest_dev_stats(const struct vguest *g, const struct vdev *dev)
{
	const struct devcfg_dev *d = &g->cfg.dev[dev->index];
	const struct vdev_stats *s = &dev->stats;
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "index", json_object_new_int((int)dev->index));
	json_object_object_add(o, "type", json_object_new_string(dev->ops->name));
	json_object_object_add(o, "vdev", json_object_new_string(d->vdev));
	/* A disk's xl device number; a vif's index in vif = [...]. */
	if (d->kind != DEVCFG_RNG)
		json_object_object_add(o, "vdev_number", json_object_new_int64(d->vdev_number));
	if (d->kind == DEVCFG_DISK) {
		json_object_object_add(o, "target", json_object_new_string(d->target));
		json_object_object_add(o, "format", json_object_new_string(d->format));
	}
	json_object_object_add(o, "spi", json_object_new_int(CACHET_GUEST_VIRTIO_MMIO_SPI_FIRST +
							     (int)dev->index));
	json_object_object_add(o, "state", json_object_new_string(
		dev->broken ? "needs-reset" : dev->started ? "running" : "stopped"));
	json_object_object_add(o, "requests", json_object_new_int64((int64_t)s->requests));
	json_object_object_add(o, "bytes_read", json_object_new_int64((int64_t)s->bytes_read));
	json_object_object_add(o, "bytes_written", json_object_new_int64((int64_t)s->bytes_written));
	json_object_object_add(o, "errors", json_object_new_int64((int64_t)s->errors));
	json_object_object_add(o, "notifications", json_object_new_int64((int64_t)s->notifications));
	json_object_object_add(o, "interrupts", json_object_new_int64((int64_t)s->interrupts));
	json_object_object_add(o, "needs_reset", json_object_new_int64((int64_t)s->broken));
	if (dev->ops->stats)
		dev->ops->stats(dev->be, o);
	return o;
}

/*
 * The counters are written by the guest's thread and read here without
 * its lock: each is one aligned 64-bit word, so a reader sees an old or a
 * new value, never a torn one; a snapshot is not atomic across counters.
 */
struct json_object *vguest_stats(cachet_domid_t domid)
{
	struct json_object *a = NULL;
	struct vguest **slot;

	pthread_mutex_lock(&vguest_lock);
	slot = vguest_slot(domid, false);
	if (slot) {
		a = json_object_new_array();
		for (unsigned int i = 0; a && i < (*slot)->cfg.n; i++)
			json_object_array_add(a, vguest_dev_stats(*slot, &(*slot)->dev[i]));
	}
	pthread_mutex_unlock(&vguest_lock);
	return a;
}
