/*
 * The shared-memory mailbox transport (cachet/public/mbox.h).
 *
 * Ordering: the host fills a slot's payload with plain stores and publishes
 * it with a release store of state = REQUEST; the hypervisor answers the
 * same way with state = DONE, which the host observes with an acquire load
 * before it reads the answer.  The host alone moves a slot back to FREE,
 * again with a release store, so the hypervisor never sees a half-written
 * request.  Waiting first spins briefly with sched_yield() (an answer over a
 * doorbell usually takes tens of microseconds), then sleeps with a growing
 * back-off so a slow or stopped hypervisor costs no CPU.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "transport.h"
#include "util.h"

#define XPORT_SPIN_NS 100000ull      /* spin with sched_yield for ~100 us */
#define XPORT_SLEEP_MIN_NS 50000ull  /* then sleep 50 us ... */
#define XPORT_SLEEP_MAX_NS 1000000ull /* ... doubling up to 1 ms */
#define XPORT_SLOT_POLL_NS 1000000ull /* re-check timed-out slots every 1 ms */
#define XPORT_MBOX_OFFSET (CACHET_MBOX_ADDR - CACHET_MBOX_RAM_BASE)
#define XPORT_DOORBELL_BYTE 0
/* Slots one batch takes at most, so other threads and processes find some free. */
#define XPORT_BATCH_MAX 8u

static uint64_t xport_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void xport_sleep_ns(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000ull), (long)(ns % 1000000000ull) };

	nanosleep(&ts, NULL);
}

static uint32_t slot_state(const struct cachet_mbox_slot *s)
{
	return __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
}

static void slot_set_state(struct cachet_mbox_slot *s, uint32_t state)
{
	__atomic_store_n(&s->state, state, __ATOMIC_RELEASE);
}

static int xport_map_fd(cachet_handle *h, const char *path)
{
	struct stat st;
	void *p;

	if (fstat(h->fd, &st) != 0)
		return err_set(h, CACHET_LIB_EIO, "cannot stat RAM file %s: %s", path,
			       strerror(errno));
	if (!S_ISREG(st.st_mode))
		return err_set(h, CACHET_LIB_ENOTREADY, "%s is not a regular file (expected "
			       "QEMU's memory-backend-file)", path);
	if ((uint64_t)st.st_size < XPORT_MBOX_OFFSET + sizeof(struct cachet_mbox))
		return err_set(h, CACHET_LIB_ENOTREADY, "RAM file %s is %llu bytes, too small to "
			       "hold the mailbox at offset 0x%llx", path,
			       (unsigned long long)st.st_size, XPORT_MBOX_OFFSET);
	p = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, h->fd, 0);
	if (p == MAP_FAILED)
		return err_set(h, CACHET_LIB_EIO, "cannot map RAM file %s: %s", path,
			       strerror(errno));
	h->ram = p;
	h->ram_size = (uint64_t)st.st_size;
	h->mbox = (struct cachet_mbox *)(h->ram + XPORT_MBOX_OFFSET);
	return 0;
}

static int xport_check_header(cachet_handle *h, const char *path)
{
	const struct cachet_mbox *mb = h->mbox;
	/* ready is written last by the hypervisor: read it first, with acquire. */
	uint64_t ready = __atomic_load_n(&mb->ready, __ATOMIC_ACQUIRE);

	if (mb->magic != CACHET_MBOX_MAGIC)
		return err_set(h, CACHET_LIB_ENOTREADY, "no Cachet mailbox in %s at offset 0x%llx "
			       "(magic 0x%016llx): is the hypervisor booted from this RAM?", path,
			       XPORT_MBOX_OFFSET, (unsigned long long)mb->magic);
	if (ready != CACHET_MBOX_READY)
		return err_set(h, CACHET_LIB_ENOTREADY, "mailbox in %s is not ready: the "
			       "hypervisor has not finished booting", path);
	if (mb->abi_version >> 16 != CACHET_ABI_VERSION >> 16)
		return err_set(h, CACHET_LIB_ENOTREADY, "hypervisor speaks ABI %u.%u, this "
			       "library ABI %u.%u", mb->abi_version >> 16, mb->abi_version & 0xffff,
			       CACHET_ABI_VERSION >> 16, CACHET_ABI_VERSION & 0xffff);
	if (mb->nr_slots == 0 || mb->nr_slots > CACHET_MBOX_SLOTS)
		return err_set(h, CACHET_LIB_ENOTREADY, "mailbox header has %u slots (1..%u "
			       "expected)", mb->nr_slots, CACHET_MBOX_SLOTS);
	if (mb->slot_size != sizeof(struct cachet_mbox_slot))
		return err_set(h, CACHET_LIB_ENOTREADY, "mailbox slot size is %u bytes, this "
			       "library expects %zu", mb->slot_size, sizeof(struct cachet_mbox_slot));
	h->nr_slots = mb->nr_slots;
	h->boot_id = __atomic_load_n(&mb->boot_id, __ATOMIC_ACQUIRE);
	return 0;
}

/* The first word of a slot: state in the low half, owner in the high half. */
static uint64_t *slot_word(struct cachet_mbox_slot *s)
{
	return (uint64_t *)(void *)&s->state;
}

static uint64_t slot_word_make(uint32_t state, uint32_t owner)
{
	return (uint64_t)state | (uint64_t)owner << 32;
}

/*
 * Moves the slot from {@from, @owner} to {@to, @new_owner} if nobody else
 * changed it meanwhile; the acquire/release pair orders the payload as the
 * plain state stores do.
 */
static bool slot_cas(struct cachet_mbox_slot *s, uint32_t from, uint32_t owner, uint32_t to,
		     uint32_t new_owner)
{
	uint64_t expect = slot_word_make(from, owner);

	return __atomic_compare_exchange_n(slot_word(s), &expect, slot_word_make(to, new_owner),
					   false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

static uint32_t slot_owner(struct cachet_mbox_slot *s)
{
	return (uint32_t)(__atomic_load_n(slot_word(s), __ATOMIC_ACQUIRE) >> 32);
}

/*
 * Slots an earlier process with our owner id left busy (it died
 * mid-request) are treated like our own timed-out slots: untouched until
 * the hypervisor finishes them.  Other owners' slots are theirs.
 */
static void xport_adopt_slots(cachet_handle *h)
{
	for (unsigned int i = 0; i < h->nr_slots; i++) {
		struct cachet_mbox_slot *s = &h->mbox->slot[i];

		if (slot_state(s) != CACHET_SLOT_FREE && slot_owner(s) == h->owner)
			h->stuck |= 1u << i;
	}
}

int xport_attach_fd(cachet_handle *h, const char *path)
{
	int rc = xport_map_fd(h, path);

	if (rc == 0)
		rc = xport_check_header(h, path);
	if (rc < 0) {
		xport_detach(h);
		return rc;
	}
	xport_adopt_slots(h);
	return 0;
}

int xport_attach(cachet_handle *h, const char *path)
{
	h->fd = open(path, O_RDWR | O_CLOEXEC);
	if (h->fd < 0)
		return err_set(h, CACHET_LIB_EIO, "cannot open RAM file %s: %s", path,
			       strerror(errno));
	return xport_attach_fd(h, path);
}

static bool xport_owner_live(uint32_t owner, const uint32_t *live, size_t nr_live)
{
	for (size_t i = 0; i < nr_live; i++)
		if (live[i] == owner)
			return true;
	return false;
}

int xport_reclaim_others(cachet_handle *h, const uint32_t *live, size_t nr_live)
{
	int freed = 0;

	for (unsigned int i = 0; i < h->nr_slots; i++) {
		struct cachet_mbox_slot *s = &h->mbox->slot[i];
		uint32_t state = slot_state(s), owner = slot_owner(s);

		if (owner == h->owner || xport_owner_live(owner, live, nr_live))
			continue;
		/* A REQUEST may still be read by the hypervisor: wait for its DONE. */
		if ((state == CACHET_SLOT_CLAIMED || state == CACHET_SLOT_DONE) &&
		    slot_cas(s, state, owner, CACHET_SLOT_FREE, owner))
			freed++;
	}
	return freed;
}

void xport_detach(cachet_handle *h)
{
	if (h->ram)
		munmap(h->ram, (size_t)h->ram_size);
	if (h->fd >= 0)
		close(h->fd);
	h->ram = NULL;
	h->mbox = NULL;
	h->fd = -1;
}

/* The hypervisor rewrites the mailbox and bumps boot_id at every boot. */
static bool xport_same_boot(const cachet_handle *h)
{
	return __atomic_load_n(&h->mbox->ready, __ATOMIC_ACQUIRE) == CACHET_MBOX_READY &&
	       __atomic_load_n(&h->mbox->boot_id, __ATOMIC_ACQUIRE) == h->boot_id;
}

static int xport_rebooted(cachet_handle *h, const char *what)
{
	pthread_mutex_lock(&h->lock);
	h->dead = true;
	pthread_mutex_unlock(&h->lock);
	return err_set(h, CACHET_LIB_ENOTREADY, "%s: the hypervisor rebooted or reset its "
		       "mailbox (boot id was %llu); reopen the handle", what,
		       (unsigned long long)h->boot_id);
}

/* Gives back timed-out slots the hypervisor has since answered. Lock held. */
static void xport_reclaim_locked(cachet_handle *h)
{
	for (unsigned int i = 0; i < h->nr_slots; i++) {
		struct cachet_mbox_slot *s = &h->mbox->slot[i];

		if ((h->stuck & (1u << i)) && slot_state(s) != CACHET_SLOT_REQUEST) {
			/* DONE is ours to free; CLAIMED by us means we died before posting. */
			slot_cas(s, slot_state(s), h->owner, CACHET_SLOT_FREE, h->owner);
			h->stuck &= ~(1u << i);
		}
	}
}

/* Claims a FREE slot for this process: other processes may be claiming too. */
static int xport_claim_slot_locked(cachet_handle *h)
{
	uint32_t used = h->busy | h->stuck;

	for (unsigned int i = 0; i < h->nr_slots; i++) {
		struct cachet_mbox_slot *s = &h->mbox->slot[i];

		if (!(used & (1u << i)) && slot_state(s) == CACHET_SLOT_FREE &&
		    slot_cas(s, CACHET_SLOT_FREE, slot_owner(s), CACHET_SLOT_CLAIMED, h->owner))
			return (int)i;
	}
	return -1;
}

static void xport_deadline_ts(uint64_t ns, struct timespec *ts)
{
	ts->tv_sec = (time_t)(ns / 1000000000ull);
	ts->tv_nsec = (long)(ns % 1000000000ull);
}

static int xport_slot_take(cachet_handle *h, const char *what, uint64_t deadline,
			   unsigned int *idx)
{
	struct timespec ts;
	int i;

	pthread_mutex_lock(&h->lock);
	for (;;) {
		xport_reclaim_locked(h);
		i = xport_claim_slot_locked(h);
		if (i >= 0 || xport_now_ns() >= deadline)
			break;
		/* Our own threads signal; other slots are freed by others, so poll too. */
		xport_deadline_ts(LIB_MIN(deadline, xport_now_ns() + XPORT_SLOT_POLL_NS), &ts);
		pthread_cond_timedwait(&h->slot_freed, &h->lock, &ts);
	}
	if (i >= 0)
		h->busy |= 1u << i;
	pthread_mutex_unlock(&h->lock);
	if (i < 0)
		return err_set(h, CACHET_LIB_ETIMEDOUT, "%s: no free mailbox slot within the "
			       "timeout (all %u are in use, by this or other processes, or awaiting late "
			       "answers)", what,
			       h->nr_slots);
	*idx = (unsigned int)i;
	return 0;
}

/* Up to @max more free slots, without waiting: a batch takes what there is. */
static unsigned int xport_slot_take_more(cachet_handle *h, unsigned int *idx, unsigned int max)
{
	unsigned int got = 0;
	int i;

	pthread_mutex_lock(&h->lock);
	while (got < max && (i = xport_claim_slot_locked(h)) >= 0) {
		h->busy |= 1u << i;
		idx[got++] = (unsigned int)i;
	}
	pthread_mutex_unlock(&h->lock);
	return got;
}

static void xport_slot_put(cachet_handle *h, unsigned int idx, bool stuck)
{
	pthread_mutex_lock(&h->lock);
	h->busy &= ~(1u << idx);
	if (stuck)
		h->stuck |= 1u << idx;
	pthread_cond_signal(&h->slot_freed);
	pthread_mutex_unlock(&h->lock);
}

/*
 * Best effort: the hypervisor also looks at the mailbox at least once a
 * second, so a full or broken doorbell only delays the answer.  send() with
 * MSG_NOSIGNAL keeps a closed socket from killing the caller with SIGPIPE.
 */
static void xport_ring_doorbell(int fd)
{
	const char byte = XPORT_DOORBELL_BYTE;
	ssize_t n;

	if (fd < 0)
		return;
	do {
		n = send(fd, &byte, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno == ENOTSOCK)
			n = write(fd, &byte, 1);
	} while (n < 0 && errno == EINTR);
}

static int xport_doorbell_fd(cachet_handle *h)
{
	int fd;

	pthread_mutex_lock(&h->lock);
	fd = h->doorbell_fd;
	pthread_mutex_unlock(&h->lock);
	return fd;
}

void xport_doorbell(cachet_handle *h)
{
	xport_ring_doorbell(xport_doorbell_fd(h));
}

/*
 * Publishes @req in slot @s; the caller rings the doorbell.  The slot says
 * whether a doorbell follows: CPU 0 keeps its tick for requests without.
 */
static void xport_post(cachet_handle *h, struct cachet_mbox_slot *s, const struct cachet_req *req,
		       uint64_t seq)
{
	int fd = xport_doorbell_fd(h);

	s->seq = seq;
	s->flags = fd >= 0 ? CACHET_SLOT_F_DOORBELL : 0;
	s->reserved = 0;
	memcpy(&s->u.req, req, sizeof(*req));
	slot_set_state(s, CACHET_SLOT_REQUEST);
}

static int xport_timed_out(cachet_handle *h, const char *what, unsigned int ms,
			   uint64_t heartbeat0)
{
	uint64_t heartbeat = __atomic_load_n(&h->mbox->heartbeat, __ATOMIC_RELAXED);

	return err_set(h, CACHET_LIB_ETIMEDOUT, "%s: no answer from the hypervisor within "
		       "%u ms (%s)", what, ms, heartbeat != heartbeat0 ?
		       "its heartbeat advanced: it is alive but did not serve the request" :
		       "its heartbeat did not advance: is it running?");
}

/* Returns 0 once the slot is DONE, or a negative code. */
static int xport_wait(cachet_handle *h, const struct cachet_mbox_slot *s, uint64_t start,
		      uint64_t deadline)
{
	uint64_t nap = XPORT_SLEEP_MIN_NS;
	uint64_t now;

	for (;;) {
		if (slot_state(s) == CACHET_SLOT_DONE)
			return 0;
		if (!xport_same_boot(h))
			return -CACHET_LIB_ENOTREADY;
		now = xport_now_ns();
		if (now >= deadline)
			return -CACHET_LIB_ETIMEDOUT;
		if (now - start < XPORT_SPIN_NS) {
			sched_yield();
			continue;
		}
		xport_sleep_ns(LIB_MIN(nap, deadline - now));
		nap = LIB_MIN(nap * 2, XPORT_SLEEP_MAX_NS);
	}
}

static int xport_check_status(cachet_handle *h, const char *what, const struct cachet_rsp *rsp)
{
	int32_t st = rsp->status;

	if (st == 0)
		return 0;
	if (st > 0 || st < -1000)
		return err_set(h, CACHET_LIB_EIO, "%s: malformed answer status %d", what, (int)st);
	if (st == -CACHET_EVERSION)
		return err_set(h, CACHET_EVERSION, "%s: the hypervisor rejected ABI version "
			       "0x%08x (%s)", what, CACHET_ABI_VERSION, cachet_strerror(st));
	return err_set(h, -st, "%s: %s (hypervisor status %d)", what, cachet_strerror(st),
		       (int)st);
}

/* The answer is ours from the acquire load of DONE until the release of FREE. */
static int xport_collect(cachet_handle *h, const char *what, struct cachet_mbox_slot *s,
			 uint64_t seq, struct cachet_rsp *rsp)
{
	uint64_t echoed = s->seq;

	memcpy(rsp, &s->u.rsp, sizeof(*rsp));
	slot_set_state(s, CACHET_SLOT_FREE);
	if (echoed != seq)
		return err_set(h, CACHET_LIB_EIO, "%s: mailbox answered tag %llu, expected %llu",
			       what, (unsigned long long)echoed, (unsigned long long)seq);
	return xport_check_status(h, what, rsp);
}

struct xport_call_ctx {
	uint64_t start, deadline, seq, heartbeat;
	unsigned int timeout_ms;
	bool dead;
};

/* Reserves @n sequence numbers, from c->seq on, under one deadline. */
static void xport_call_begin(cachet_handle *h, struct xport_call_ctx *c, unsigned int n)
{
	pthread_mutex_lock(&h->lock);
	c->timeout_ms = h->timeout_ms;
	c->seq = h->next_seq + 1;
	h->next_seq += n;
	c->dead = h->dead;
	pthread_mutex_unlock(&h->lock);
	c->start = xport_now_ns();
	c->deadline = c->start + (uint64_t)c->timeout_ms * 1000000ull;
	c->heartbeat = __atomic_load_n(&h->mbox->heartbeat, __ATOMIC_RELAXED);
}

/* Waits for the answer in slot @idx, copies it out and gives the slot back. */
static int xport_finish(cachet_handle *h, const char *what, const struct xport_call_ctx *c,
			unsigned int idx, uint64_t seq, struct cachet_rsp *rsp)
{
	struct cachet_mbox_slot *s = &h->mbox->slot[idx];
	int rc = xport_wait(h, s, c->start, c->deadline);

	if (rc == -CACHET_LIB_ETIMEDOUT) {
		/* The hypervisor may still read this slot: keep it until it is DONE. */
		xport_slot_put(h, idx, true);
		return xport_timed_out(h, what, c->timeout_ms, c->heartbeat);
	}
	if (rc < 0) {
		/* A new boot owns the mailbox now; the slot is no longer ours to touch. */
		xport_slot_put(h, idx, false);
		return xport_rebooted(h, what);
	}
	rc = xport_collect(h, what, s, seq, rsp);
	xport_slot_put(h, idx, false);
	return rc;
}

/*
 * Sends up to @n requests, one per slot, under one doorbell, so that CPU 0
 * serves them in one pass over the mailbox; returns how many it sent (at
 * least one, waiting for a slot if need be, or a negative code).  Every
 * request sent is waited for, and the first error kept in *@err.
 */
static int xport_send_some(cachet_handle *h, const char *what, struct cachet_req *reqs,
			   struct cachet_rsp *rsps, unsigned int n, int *err)
{
	unsigned int idx[XPORT_BATCH_MAX], got;
	struct xport_call_ctx c;
	int rc;

	n = LIB_MIN(n, XPORT_BATCH_MAX);
	xport_call_begin(h, &c, n);
	if (c.dead || !xport_same_boot(h))
		return xport_rebooted(h, what);
	rc = xport_slot_take(h, what, c.deadline, &idx[0]);
	if (rc < 0)
		return rc;
	got = 1 + xport_slot_take_more(h, idx + 1, n - 1);
	for (unsigned int i = 0; i < got; i++)
		xport_post(h, &h->mbox->slot[idx[i]], &reqs[i], c.seq + i);
	xport_doorbell(h);
	for (unsigned int i = 0; i < got; i++) {
		rc = xport_finish(h, what, &c, idx[i], c.seq + i, &rsps[i]);
		if (rc < 0 && *err == 0)
			*err = rc;
	}
	return (int)got;
}

int xport_call_as_is(cachet_handle *h, const char *what, struct cachet_req *req,
		     struct cachet_rsp *rsp)
{
	int err = 0;
	int rc = xport_send_some(h, what, req, rsp, 1, &err);

	return rc < 0 ? rc : err;
}

/* The domain a request names: every input but these begins with its domid (abi.h). */
static uint32_t xport_req_domid(const struct cachet_req *req)
{
	switch (req->op) {
	case CACHET_OP_VERSION:
	case CACHET_OP_PHYSINFO:
	case CACHET_OP_DOMAIN_CREATE:
	case CACHET_OP_DOMAIN_LIST:
	case CACHET_OP_LOG_READ:
	case CACHET_OP_EVENT_READ:
		return CACHET_ERR_NO_DOMID;
	default:
		return req->u.dom.domid;
	}
}

int xport_call(cachet_handle *h, const char *what, struct cachet_req *req,
	       struct cachet_rsp *rsp)
{
	return xport_call_batch(h, what, req, rsp, 1);
}

int xport_call_batch(cachet_handle *h, const char *what, struct cachet_req *reqs,
		     struct cachet_rsp *rsps, unsigned int n)
{
	unsigned int done = 0;
	int err = 0;

	for (unsigned int i = 0; i < n; i++)
		reqs[i].abi_version = CACHET_ABI_VERSION;
	err_set_domid(n ? xport_req_domid(&reqs[0]) : CACHET_ERR_NO_DOMID);
	while (done < n && err == 0) {
		int sent = xport_send_some(h, what, reqs + done, rsps + done, n - done, &err);

		if (sent < 0)
			err = sent;
		else
			done += (unsigned int)sent;
	}
	err_set_domid(CACHET_ERR_NO_DOMID);
	return err;
}

bool xport_frame_ok(const cachet_handle *h, uint64_t mfn)
{
	uint64_t addr;

	if (mfn > (UINT64_MAX >> LIB_PAGE_SHIFT))
		return false;
	addr = mfn << LIB_PAGE_SHIFT;
	if (addr < CACHET_MBOX_RAM_BASE || addr - CACHET_MBOX_RAM_BASE > h->ram_size - LIB_PAGE_SIZE)
		return false;
	/* A guest frame inside the mailbox would be a hypervisor bug; never map it. */
	return addr + LIB_PAGE_SIZE <= CACHET_MBOX_ADDR || addr >= CACHET_MBOX_ADDR + CACHET_MBOX_SIZE;
}

uint64_t xport_frame_offset(uint64_t mfn)
{
	return (mfn << LIB_PAGE_SHIFT) - CACHET_MBOX_RAM_BASE;
}
