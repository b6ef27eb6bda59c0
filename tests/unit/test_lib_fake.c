/*
 * The fake mailbox server of libcachet's unit tests: see test_lib_fake.h.
 */
#include <check.h>
#include <fcntl.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cachet/public/guest_map.h"
#include "test_lib_fake.h"

#define FAKE_GFN0 (CACHET_GUEST_RAM0_BASE >> 12)
#define FAKE_EVENTS 40u
static const char fake_console[] = "fake console output\n";

void fake_init_file(struct fake *f, uint64_t size)
{
	const char *dir = getenv("TMPDIR");
	char tmpl[256];
	int fd;

	memset(f, 0, sizeof(*f));
	snprintf(tmpl, sizeof(tmpl), "%s/cachet-test-ram-XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : dir ? dir : "/tmp");
	fd = mkstemp(tmpl);
	ck_assert_msg(fd >= 0, "mkstemp %s failed", tmpl);
	/* Unlinked at once so a failing test leaves nothing behind. */
	unlink(tmpl);
	ck_assert_int_eq(ftruncate(fd, (off_t)size), 0);
	f->fd = fd;
	f->size = size;
	snprintf(f->path, sizeof(f->path), "/proc/self/fd/%d", fd);
	f->ram = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ck_assert(f->ram != MAP_FAILED);
	f->mb = (struct cachet_mbox *)(f->ram + (CACHET_MBOX_ADDR - CACHET_MBOX_RAM_BASE));
	f->pool_top = (CACHET_MBOX_RAM_BASE + size) >> 12;
	pthread_mutex_init(&f->log_lock, NULL);
}

void fake_write_header(struct fake *f, unsigned int nr_slots)
{
	struct cachet_mbox *mb = f->mb;

	memset(mb, 0, sizeof(*mb));
	mb->magic = CACHET_MBOX_MAGIC;
	mb->abi_version = CACHET_ABI_VERSION;
	mb->nr_slots = nr_slots;
	mb->slot_size = sizeof(struct cachet_mbox_slot);
	mb->header_size = offsetof(struct cachet_mbox, slot);
	mb->boot_id = 1;
	__atomic_store_n(&mb->ready, CACHET_MBOX_READY, __ATOMIC_RELEASE);
}

void fake_init(struct fake *f, uint64_t size, unsigned int nr_slots)
{
	fake_init_file(f, size);
	fake_write_header(f, nr_slots);
}

void fake_set(int *ctl, int v)
{
	__atomic_store_n(ctl, v, __ATOMIC_SEQ_CST);
}

void fake_force(struct fake *f, enum cachet_op op, int32_t status)
{
	__atomic_store_n(&f->force_status[op], status, __ATOMIC_SEQ_CST);
}

void fake_set_p2m(struct fake *f, uint64_t gfn, uint64_t mfn)
{
	ck_assert(gfn >= FAKE_GFN0 && gfn - FAKE_GFN0 < FAKE_GUEST_PAGES);
	f->p2m[gfn - FAKE_GFN0] = mfn;
}

uint64_t fake_get_p2m(struct fake *f, uint64_t gfn)
{
	ck_assert(gfn >= FAKE_GFN0 && gfn - FAKE_GFN0 < FAKE_GUEST_PAGES);
	return f->p2m[gfn - FAKE_GFN0];
}

static void fake_log(struct fake *f, const struct cachet_req *req)
{
	pthread_mutex_lock(&f->log_lock);
	if (f->nlog == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 64;
		f->log = realloc(f->log, f->cap * sizeof(*f->log));
		ck_assert(f->log != NULL);
	}
	f->log[f->nlog].op = req->op;
	f->log[f->nlog].req = *req;
	f->nlog++;
	pthread_mutex_unlock(&f->log_lock);
}

/* ---- What the library must send: version and zero padding. */

struct fake_in_shape {
	uint32_t size;  /* bytes of the payload the op uses */
	int pad_off;    /* offset of a uint32_t pad field, or -1 */
};

static const struct fake_in_shape fake_shapes[CACHET_OP_MAX] = {
	[CACHET_OP_VERSION] = { 0, -1 },
	[CACHET_OP_PHYSINFO] = { 0, -1 },
	[CACHET_OP_DOMAIN_CREATE] = { sizeof(struct cachet_domain_create_in), -1 },
	[CACHET_OP_DOMAIN_DESTROY] = { sizeof(struct cachet_domid_in),
				       offsetof(struct cachet_domid_in, pad) },
	[CACHET_OP_DOMAIN_PAUSE] = { sizeof(struct cachet_domid_in),
				     offsetof(struct cachet_domid_in, pad) },
	[CACHET_OP_DOMAIN_UNPAUSE] = { sizeof(struct cachet_domid_in),
				       offsetof(struct cachet_domid_in, pad) },
	[CACHET_OP_DOMAIN_GETINFO] = { sizeof(struct cachet_domid_in),
				       offsetof(struct cachet_domid_in, pad) },
	[CACHET_OP_DOMAIN_LIST] = { sizeof(struct cachet_domain_list_in), -1 },
	[CACHET_OP_POPULATE] = { sizeof(struct cachet_populate_in), -1 },
	[CACHET_OP_TRANSLATE] = { sizeof(struct cachet_translate_in), -1 },
	[CACHET_OP_VCPU_SET_CONTEXT] = { sizeof(struct cachet_vcpu_set_context_in),
					 offsetof(struct cachet_vcpu_set_context_in, pad) },
	[CACHET_OP_CONSOLE_READ] = { sizeof(struct cachet_ring_read_in), -1 },
	[CACHET_OP_LOG_READ] = { sizeof(struct cachet_ring_read_in), -1 },
	[CACHET_OP_EVENT_READ] = { sizeof(struct cachet_event_read_in), -1 },
	[CACHET_OP_DOMAIN_STATS] = { sizeof(struct cachet_domid_in),
				     offsetof(struct cachet_domid_in, pad) },
	[CACHET_OP_CACHE_FLUSH] = { sizeof(struct cachet_cache_flush_in),
				    offsetof(struct cachet_cache_flush_in, pad) },
	[CACHET_OP_CONSOLE_WRITE] = { sizeof(struct cachet_console_write_in), -1 },
	[CACHET_OP_DOMAIN_SHUTDOWN] = { sizeof(struct cachet_shutdown_req_in), -1 },
	[CACHET_OP_DOMAIN_SET_MAX_PAGES] = { sizeof(struct cachet_max_pages_in),
					     offsetof(struct cachet_max_pages_in, pad) },
};

static bool fake_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static bool fake_padding_ok(const struct cachet_mbox_slot *s, const struct cachet_req *req)
{
	const struct fake_in_shape *sh = &fake_shapes[req->op];
	const uint8_t *raw = req->u.raw;
	uint32_t pad;

	if (s->owner == 0 || (s->flags & ~CACHET_SLOT_F_DOORBELL) || s->reserved)
		return false;
	if (!fake_zero(raw + sh->size, CACHET_PAYLOAD_SIZE - sh->size))
		return false;
	if (req->op == CACHET_OP_CONSOLE_WRITE) {
		uint32_t len = req->u.console_write.len;

		if (len <= CACHET_CONSOLE_WRITE_MAX &&
		    !fake_zero((const uint8_t *)req->u.console_write.data + len,
			       CACHET_CONSOLE_WRITE_MAX - len))
			return false;
	}
	if (sh->pad_off < 0)
		return true;
	memcpy(&pad, raw + sh->pad_off, sizeof(pad));
	return pad == 0;
}

/* ---- The model. */

static bool fake_dom_ok(struct fake *f, cachet_domid_t d)
{
	return d < FAKE_MAX_DOMS && f->dom_used[d];
}

static int32_t fake_create(struct fake *f, const struct cachet_req *req, struct cachet_rsp *rsp)
{
	if (req->u.create.max_vcpus == 0 || req->u.create.max_pages == 0)
		return -CACHET_EINVAL;
	for (cachet_domid_t d = 1; d < FAKE_MAX_DOMS; d++) {
		if (!f->dom_used[d]) {
			f->dom_used[d] = true;
			rsp->u.create.domid = d;
			return 0;
		}
	}
	return -CACHET_ENOSPC;
}

static int32_t fake_alloc_block(struct fake *f, uint64_t idx, uint64_t n)
{
	uint64_t pool_bottom = (CACHET_MBOX_RAM_BASE + FAKE_POOL_OFFSET) >> 12;
	uint64_t top = (f->pool_top - n) & ~(n - 1);

	if (f->pool_top < n || top < pool_bottom)
		return -CACHET_ENOMEM;
	for (uint64_t i = 0; i < n; i++)
		if (f->p2m[idx + i])
			return -CACHET_EEXIST;
	for (uint64_t i = 0; i < n; i++)
		f->p2m[idx + i] = top + i;
	/* Unlike the hypervisor, hand out dirty frames: the builder must not rely on zeroes. */
	if (!__atomic_load_n(&f->no_fill, __ATOMIC_SEQ_CST))
		memset(f->ram + (top << 12) - CACHET_MBOX_RAM_BASE, FAKE_FILL, n << 12);
	f->pool_top = top;
	return 0;
}

static int32_t fake_record_range(struct fake *f, const struct cachet_populate_in *in)
{
	struct fake_range *r = &f->ranges[f->nr_ranges];

	if (f->nr_ranges == FAKE_MAX_RANGES)
		return -CACHET_ENOMEM;
	r->gfn = in->gfn;
	r->nr = in->nr_pages;
	r->order = in->order;
	f->nr_ranges++;
	return 0;
}

/* LAZY: the frame of a tracked page, allocating its block on first use. */
static int32_t fake_lazy_frame(struct fake *f, uint64_t gfn, uint64_t *mfn)
{
	for (unsigned int i = 0; i < f->nr_ranges; i++) {
		const struct fake_range *r = &f->ranges[i];
		uint64_t n = 1ull << r->order;
		uint64_t first = gfn & ~(n - 1);
		int32_t rc;

		if (gfn < r->gfn || gfn - r->gfn >= r->nr)
			continue;
		if (gfn < FAKE_GFN0 || first + n - FAKE_GFN0 > FAKE_GUEST_PAGES)
			return -CACHET_ERANGE;
		if (!f->p2m[gfn - FAKE_GFN0]) {
			rc = fake_alloc_block(f, first - FAKE_GFN0, n);
			if (rc)
				return rc;
		}
		*mfn = f->p2m[gfn - FAKE_GFN0];
		return 0;
	}
	return -CACHET_EFAULT;
}

static int32_t fake_populate(struct fake *f, const struct cachet_populate_in *in)
{
	uint64_t n = 1ull << in->order;
	int32_t rc = 0;

	if (!fake_dom_ok(f, in->domid))
		return -CACHET_ENOENT;
	if (in->order > 9 || ((in->gfn | in->nr_pages) & (n - 1)) || in->nr_pages == 0)
		return -CACHET_EINVAL;
	if (in->nr_pages > CACHET_POPULATE_MAX_PAGES)
		return -CACHET_E2BIG;
	if (f->mode == FAKE_P2M_FORMULA)
		return 0;
	if (f->mode == FAKE_P2M_LAZY)
		return fake_record_range(f, in);
	if (in->gfn < FAKE_GFN0 || in->gfn - FAKE_GFN0 + in->nr_pages > FAKE_GUEST_PAGES)
		return -CACHET_ERANGE;
	for (uint64_t i = 0; i < in->nr_pages && rc == 0; i += n)
		rc = fake_alloc_block(f, in->gfn - FAKE_GFN0 + i, n);
	return rc;
}

static int32_t fake_translate(struct fake *f, const struct cachet_translate_in *in,
			      struct cachet_translate_out *out)
{
	if (!fake_dom_ok(f, in->domid))
		return -CACHET_ENOENT;
	if (in->nr == 0 || in->nr > CACHET_TRANSLATE_MAX)
		return -CACHET_E2BIG;
	for (uint32_t i = 0; i < in->nr; i++) {
		uint64_t gfn = in->gfn + i;

		if (f->mode == FAKE_P2M_FORMULA) {
			out->mfn[i] = gfn + FAKE_FORMULA_DELTA;
			continue;
		}
		if (f->mode == FAKE_P2M_LAZY) {
			int32_t rc = fake_lazy_frame(f, gfn, &out->mfn[i]);

			if (rc)
				return rc;
			continue;
		}
		if (gfn < FAKE_GFN0 || gfn - FAKE_GFN0 >= FAKE_GUEST_PAGES ||
		    !f->p2m[gfn - FAKE_GFN0])
			return -CACHET_EFAULT;
		out->mfn[i] = f->p2m[gfn - FAKE_GFN0];
	}
	if (__atomic_load_n(&f->bad_mfn, __ATOMIC_SEQ_CST))
		out->mfn[0] = (CACHET_MBOX_RAM_BASE + f->size) >> 12;
	out->nr = in->nr;
	return 0;
}

static int32_t fake_list(struct fake *f, const struct cachet_domain_list_in *in,
			 struct cachet_domain_list_out *out)
{
	uint32_t n = 0;

	if (in->max == 0 || in->max > CACHET_LIST_MAX)
		return -CACHET_E2BIG;
	for (cachet_domid_t d = in->first; d < FAKE_MAX_DOMS && n < in->max; d++)
		if (f->dom_used[d])
			out->dom[n++].domid = d;
	for (uint32_t i = 0; i < f->extra_doms && n < in->max; i++)
		if (100 + i >= in->first)
			out->dom[n++].domid = 100 + i;
	out->count = n;
	return 0;
}

static int32_t fake_ring(const struct cachet_ring_read_in *in, struct cachet_ring_read_out *out)
{
	uint64_t total = sizeof(fake_console) - 1;
	uint64_t pos = in->pos < total ? in->pos : total;
	uint32_t len = (uint32_t)(total - pos);

	if (in->max == 0 || in->max > CACHET_RING_READ_MAX)
		return -CACHET_E2BIG;
	if (len > in->max)
		len = in->max;
	memcpy(out->data, fake_console + pos, len);
	out->len = len;
	out->next = pos + len;
	return 0;
}

static int32_t fake_events(const struct cachet_event_read_in *in, struct cachet_event_read_out *out)
{
	uint32_t n = 0;

	for (uint64_t s = in->seq; s < FAKE_EVENTS && n < CACHET_EVENT_MAX; s++, n++) {
		out->ev[n].seq = s;
		out->ev[n].domid = 1;
		out->ev[n].kind = CACHET_EVENT_SHUTDOWN;
		snprintf(out->ev[n].detail, sizeof(out->ev[n].detail), "event %llu",
			 (unsigned long long)s);
	}
	out->count = n;
	out->next = in->seq + n;
	return 0;
}

static int32_t fake_domid_op(struct fake *f, const struct cachet_req *req, struct cachet_rsp *rsp)
{
	cachet_domid_t d = req->u.dom.domid;

	if (!fake_dom_ok(f, d))
		return -CACHET_ENOENT;
	if (req->op == CACHET_OP_DOMAIN_DESTROY)
		f->dom_used[d] = false;
	if (req->op == CACHET_OP_DOMAIN_GETINFO) {
		rsp->u.info.domid = d;
		rsp->u.info.state = CACHET_DOM_PAUSED;
	}
	if (req->op == CACHET_OP_DOMAIN_STATS)
		rsp->u.stats.nr_vcpus = 2;
	return 0;
}

static int32_t fake_misc(struct fake *f, const struct cachet_req *req, struct cachet_rsp *rsp)
{
	switch (req->op) {
	case CACHET_OP_VERSION:
		rsp->u.version.abi_version = CACHET_ABI_VERSION;
		snprintf(rsp->u.version.hv_version, sizeof(rsp->u.version.hv_version), "fake-1");
		return 0;
	case CACHET_OP_PHYSINFO:
		rsp->u.physinfo.nr_cpus = 4;
		rsp->u.physinfo.page_size = 4096;
		return 0;
	case CACHET_OP_VCPU_SET_CONTEXT:
		return fake_dom_ok(f, req->u.vcpu_ctx.domid) ? 0 : -CACHET_ENOENT;
	case CACHET_OP_CACHE_FLUSH:
		return fake_dom_ok(f, req->u.flush.domid) ? 0 : -CACHET_ENOENT;
	case CACHET_OP_CONSOLE_WRITE:
		rsp->u.console_write.accepted = req->u.console_write.len > 100 ? 100 :
						req->u.console_write.len;
		return 0;
	default:
		return -CACHET_ENOSYS;
	}
}

static int32_t fake_handle(struct fake *f, const struct cachet_mbox_slot *s,
			   const struct cachet_req *req, struct cachet_rsp *rsp)
{
	int32_t forced;

	if (req->abi_version != CACHET_ABI_VERSION) {
		f->bad_requests++;
		return -CACHET_EVERSION;
	}
	if (req->op == 0 || req->op >= CACHET_OP_MAX)
		return -CACHET_ENOSYS;
	if (!fake_padding_ok(s, req)) {
		f->bad_requests++;
		return -CACHET_EINVAL;
	}
	forced = __atomic_load_n(&f->force_status[req->op], __ATOMIC_SEQ_CST);
	if (forced)
		return forced;
	switch (req->op) {
	case CACHET_OP_DOMAIN_CREATE:
		return fake_create(f, req, rsp);
	case CACHET_OP_DOMAIN_DESTROY:
	case CACHET_OP_DOMAIN_PAUSE:
	case CACHET_OP_DOMAIN_UNPAUSE:
	case CACHET_OP_DOMAIN_GETINFO:
	case CACHET_OP_DOMAIN_STATS:
		return fake_domid_op(f, req, rsp);
	case CACHET_OP_DOMAIN_LIST:
		return fake_list(f, &req->u.list, &rsp->u.list);
	case CACHET_OP_POPULATE:
		return fake_populate(f, &req->u.populate);
	case CACHET_OP_TRANSLATE:
		return fake_translate(f, &req->u.translate, &rsp->u.translate);
	case CACHET_OP_CONSOLE_READ:
	case CACHET_OP_LOG_READ:
		return fake_ring(&req->u.ring, &rsp->u.ring);
	case CACHET_OP_EVENT_READ:
		return fake_events(&req->u.events, &rsp->u.events);
	default:
		return fake_misc(f, req, rsp);
	}
}

/* ---- The server thread. */

static void fake_serve(struct fake *f, struct cachet_mbox_slot *s)
{
	struct cachet_req req;
	struct cachet_rsp rsp;

	memcpy(&req, &s->u.req, sizeof(req));
	fake_log(f, &req);
	memset(&rsp, 0, sizeof(rsp));
	rsp.status = fake_handle(f, s, &req, &rsp);
	memcpy(&s->u.rsp, &rsp, sizeof(rsp));
	f->mb->served++;
	__atomic_store_n(&s->state, CACHET_SLOT_DONE, __ATOMIC_RELEASE);
}

static void *fake_main(void *arg)
{
	struct fake *f = arg;

	while (!__atomic_load_n(&f->stop, __ATOMIC_SEQ_CST)) {
		bool busy = false;

		__atomic_fetch_add(&f->mb->heartbeat, 1, __ATOMIC_RELAXED);
		for (unsigned int i = 0; i < f->mb->nr_slots && i < CACHET_MBOX_SLOTS; i++) {
			struct cachet_mbox_slot *s = &f->mb->slot[i];

			if (__atomic_load_n(&f->silent, __ATOMIC_SEQ_CST))
				break;
			if (__atomic_load_n(&s->state, __ATOMIC_ACQUIRE) == CACHET_SLOT_REQUEST) {
				fake_serve(f, s);
				busy = true;
			}
		}
		if (busy)
			continue;
		/* Polling that still lets others run: the client may be on this CPU. */
		if (__atomic_load_n(&f->busy_poll, __ATOMIC_SEQ_CST))
			sched_yield();
		else
			usleep(20);
	}
	return NULL;
}

void fake_start(struct fake *f)
{
	fake_set(&f->stop, 0);
	ck_assert_int_eq(pthread_create(&f->thread, NULL, fake_main, f), 0);
	f->running = true;
}

void fake_stop_thread(struct fake *f)
{
	if (!f->running)
		return;
	fake_set(&f->stop, 1);
	pthread_join(f->thread, NULL);
	f->running = false;
}

void fake_fini(struct fake *f)
{
	fake_stop_thread(f);
	munmap(f->ram, f->size);
	close(f->fd);
	free(f->log);
	pthread_mutex_destroy(&f->log_lock);
}

/* ---- Inspection. */

unsigned int fake_count(struct fake *f, enum cachet_op op)
{
	unsigned int n = 0;

	pthread_mutex_lock(&f->log_lock);
	for (unsigned int i = 0; i < f->nlog; i++)
		n += f->log[i].op == (uint32_t)op;
	pthread_mutex_unlock(&f->log_lock);
	return n;
}

unsigned int fake_nlog(struct fake *f)
{
	unsigned int n;

	pthread_mutex_lock(&f->log_lock);
	n = f->nlog;
	pthread_mutex_unlock(&f->log_lock);
	return n;
}

struct fake_call fake_call_at(struct fake *f, unsigned int i)
{
	struct fake_call c;

	pthread_mutex_lock(&f->log_lock);
	ck_assert_uint_lt(i, f->nlog);
	c = f->log[i];
	pthread_mutex_unlock(&f->log_lock);
	return c;
}

bool fake_find(struct fake *f, enum cachet_op op, unsigned int i, struct cachet_req *out)
{
	bool found = false;

	pthread_mutex_lock(&f->log_lock);
	for (unsigned int k = 0; k < f->nlog && !found; k++) {
		if (f->log[k].op == (uint32_t)op && i-- == 0) {
			*out = f->log[k].req;
			found = true;
		}
	}
	pthread_mutex_unlock(&f->log_lock);
	return found;
}

void fake_clear_log(struct fake *f)
{
	pthread_mutex_lock(&f->log_lock);
	f->nlog = 0;
	pthread_mutex_unlock(&f->log_lock);
}

unsigned int fake_live_domains(struct fake *f)
{
	unsigned int n = 0;

	for (unsigned int d = 0; d < FAKE_MAX_DOMS; d++)
		n += f->dom_used[d];
	return n;
}

void fake_read_guest(struct fake *f, uint64_t gpa, void *buf, size_t len)
{
	uint8_t *out = buf;

	while (len > 0) {
		uint64_t mfn = fake_get_p2m(f, gpa >> 12);
		size_t in_page = 4096 - (gpa & 4095);
		size_t n = len < in_page ? len : in_page;

		ck_assert_msg(mfn != 0, "guest page 0x%llx not populated", (unsigned long long)gpa);
		memcpy(out, f->ram + (mfn << 12) - CACHET_MBOX_RAM_BASE + (gpa & 4095), n);
		out += n;
		gpa += n;
		len -= n;
	}
}
