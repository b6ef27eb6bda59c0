/*
 * One wrapper per ABI operation.  Each checks its arguments before anything
 * is sent (so a programming error is reported by the library, not as a
 * hypervisor status), builds a zeroed request (the hypervisor rejects
 * non-zero padding), and checks that the answer is consistent with what was
 * asked before copying it out.
 */
#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "transport.h"
#include "util.h"

void ops_init(struct cachet_req *req, enum cachet_op op)
{
	memset(req, 0, sizeof(*req));
	req->op = (uint32_t)op;
}

int ops_bad_handle(const char *what)
{
	return err_set(NULL, CACHET_LIB_EINVAL, "%s: NULL handle", what);
}

static int ops_malformed(cachet_handle *h, const char *what, const char *field,
			 unsigned long long got, unsigned long long limit)
{
	return err_set(h, CACHET_LIB_EIO, "%s: malformed answer: %s %llu exceeds %llu", what,
		       field, got, limit);
}

int cachet_call_raw(cachet_handle *h, struct cachet_req *req, struct cachet_rsp *rsp)
{
	if (!h)
		return ops_bad_handle("raw request");
	if (!req || !rsp)
		return err_set(h, CACHET_LIB_EINVAL, "raw request: NULL request or answer");
	return xport_call_as_is(h, "raw request", req, rsp);
}

int cachet_version(cachet_handle *h, struct cachet_version_out *out)
{
	struct cachet_req req;
	struct cachet_rsp rsp;
	int rc;

	if (!h)
		return ops_bad_handle("version");
	if (!out)
		return err_set(h, CACHET_LIB_EINVAL, "version: NULL output");
	ops_init(&req, CACHET_OP_VERSION);
	rc = xport_call(h, "version", &req, &rsp);
	if (rc < 0)
		return rc;
	*out = rsp.u.version;
	out->hv_version[sizeof(out->hv_version) - 1] = '\0';
	return 0;
}

int cachet_physinfo(cachet_handle *h, struct cachet_physinfo_out *out)
{
	struct cachet_req req;
	struct cachet_rsp rsp;
	int rc;

	if (!h)
		return ops_bad_handle("physinfo");
	if (!out)
		return err_set(h, CACHET_LIB_EINVAL, "physinfo: NULL output");
	ops_init(&req, CACHET_OP_PHYSINFO);
	rc = xport_call(h, "physinfo", &req, &rsp);
	if (rc == 0)
		*out = rsp.u.physinfo;
	return rc;
}

static int ops_check_create(cachet_handle *h, const struct cachet_domain_create_in *in,
			    const cachet_domid_t *domid)
{
	if (!in || !domid)
		return err_set(h, CACHET_LIB_EINVAL, "domain_create: NULL %s",
			       in ? "domid output" : "input");
	if (in->max_vcpus == 0 || in->max_vcpus > CACHET_MAX_VCPUS)
		return err_set(h, CACHET_LIB_EINVAL, "domain_create: max_vcpus %u not in 1..%u",
			       in->max_vcpus, CACHET_MAX_VCPUS);
	if (in->flags & ~CACHET_DOMF_AARCH32)
		return err_set(h, CACHET_LIB_EINVAL, "domain_create: unknown flags 0x%x",
			       in->flags & ~CACHET_DOMF_AARCH32);
	if (in->max_pages == 0)
		return err_set(h, CACHET_LIB_EINVAL, "domain_create: max_pages is 0");
	if (in->cache_policy >= CACHET_CACHE_POLICY_MAX)
		return err_set(h, CACHET_LIB_EINVAL, "domain_create: unknown cache policy %u",
			       in->cache_policy);
	return 0;
}

int cachet_domain_create(cachet_handle *h, const struct cachet_domain_create_in *in,
			 cachet_domid_t *domid)
{
	struct cachet_req req;
	struct cachet_rsp rsp;
	int rc;

	if (!h)
		return ops_bad_handle("domain_create");
	rc = ops_check_create(h, in, domid);
	if (rc < 0)
		return rc;
	ops_init(&req, CACHET_OP_DOMAIN_CREATE);
	req.u.create.max_vcpus = in->max_vcpus;
	req.u.create.flags = in->flags;
	req.u.create.max_pages = in->max_pages;
	req.u.create.cache_policy = in->cache_policy;
	req.u.create.tag = in->tag;
	rc = xport_call(h, "domain_create", &req, &rsp);
	if (rc == 0)
		*domid = rsp.u.create.domid;
	return rc;
}

static int ops_domid_call(cachet_handle *h, enum cachet_op op, const char *what,
			  cachet_domid_t domid, struct cachet_rsp *rsp)
{
	struct cachet_req req;

	if (!h)
		return ops_bad_handle(what);
	ops_init(&req, op);
	req.u.dom.domid = domid;
	return xport_call(h, what, &req, rsp);
}

int cachet_domain_destroy(cachet_handle *h, cachet_domid_t domid)
{
	struct cachet_rsp rsp;

	return ops_domid_call(h, CACHET_OP_DOMAIN_DESTROY, "domain_destroy", domid, &rsp);
}

int cachet_domain_pause(cachet_handle *h, cachet_domid_t domid)
{
	struct cachet_rsp rsp;

	return ops_domid_call(h, CACHET_OP_DOMAIN_PAUSE, "domain_pause", domid, &rsp);
}

int cachet_domain_unpause(cachet_handle *h, cachet_domid_t domid)
{
	struct cachet_rsp rsp;

	return ops_domid_call(h, CACHET_OP_DOMAIN_UNPAUSE, "domain_unpause", domid, &rsp);
}

int cachet_domain_getinfo(cachet_handle *h, cachet_domid_t domid, struct cachet_dominfo *out)
{
	struct cachet_rsp rsp;
	int rc;

	if (h && !out)
		return err_set(h, CACHET_LIB_EINVAL, "domain_getinfo: NULL output");
	rc = ops_domid_call(h, CACHET_OP_DOMAIN_GETINFO, "domain_getinfo", domid, &rsp);
	if (rc == 0)
		*out = rsp.u.info;
	return rc;
}

int cachet_domain_stats(cachet_handle *h, cachet_domid_t domid,
			struct cachet_domain_stats_out *out)
{
	struct cachet_rsp rsp;
	int rc;

	if (h && !out)
		return err_set(h, CACHET_LIB_EINVAL, "domain_stats: NULL output");
	rc = ops_domid_call(h, CACHET_OP_DOMAIN_STATS, "domain_stats", domid, &rsp);
	if (rc < 0)
		return rc;
	if (rsp.u.stats.nr_vcpus > CACHET_STATS_VCPUS)
		return ops_malformed(h, "domain_stats", "nr_vcpus", rsp.u.stats.nr_vcpus,
				     CACHET_STATS_VCPUS);
	*out = rsp.u.stats;
	return 0;
}

/* One DOMAIN_LIST request; returns the count received or a negative code. */
static int ops_list_chunk(cachet_handle *h, cachet_domid_t first, struct cachet_dominfo *out,
			  unsigned int max)
{
	struct cachet_req req;
	struct cachet_rsp rsp;
	int rc;

	ops_init(&req, CACHET_OP_DOMAIN_LIST);
	req.u.list.first = first;
	req.u.list.max = max;
	rc = xport_call(h, "domain_list", &req, &rsp);
	if (rc < 0)
		return rc;
	if (rsp.u.list.count > max)
		return ops_malformed(h, "domain_list", "count", rsp.u.list.count, max);
	memcpy(out, rsp.u.list.dom, rsp.u.list.count * sizeof(*out));
	return (int)rsp.u.list.count;
}

int cachet_domain_list(cachet_handle *h, cachet_domid_t first, struct cachet_dominfo *out,
		       unsigned int max)
{
	unsigned int total = 0;
	int n;

	if (!h)
		return ops_bad_handle("domain_list");
	if (!out || max == 0 || max > INT32_MAX)
		return err_set(h, CACHET_LIB_EINVAL, "domain_list: %s", !out ? "NULL output" :
			       "max must be in 1..INT32_MAX");
	while (total < max) {
		unsigned int want = LIB_MIN(max - total, (unsigned int)CACHET_LIST_MAX);

		n = ops_list_chunk(h, first, out + total, want);
		if (n < 0)
			return n;
		total += (unsigned int)n;
		/* A short answer means there are no more domains after these. */
		if ((unsigned int)n < want || out[total - 1].domid == UINT32_MAX)
			break;
		first = out[total - 1].domid + 1;
	}
	return (int)total;
}

static int ops_check_populate(cachet_handle *h, uint64_t gfn, uint64_t nr_pages,
			      unsigned int order)
{
	uint64_t align = UINT64_C(1) << (order <= 9 ? order : 0);

	if (order > 9)
		return err_set(h, CACHET_LIB_EINVAL, "populate: order %u above 9 (2 MiB)", order);
	if ((gfn | nr_pages) & (align - 1))
		return err_set(h, CACHET_LIB_EINVAL, "populate: gfn 0x%llx / %llu pages not "
			       "aligned to order %u", (unsigned long long)gfn,
			       (unsigned long long)nr_pages, order);
	if (!lib_gfn_range_in_ram(gfn, nr_pages))
		return err_set(h, CACHET_LIB_EINVAL, "populate: gfn 0x%llx + %llu pages is empty "
			       "or outside guest RAM", (unsigned long long)gfn,
			       (unsigned long long)nr_pages);
	return 0;
}

int cachet_populate(cachet_handle *h, cachet_domid_t domid, uint64_t gfn, uint64_t nr_pages,
		    unsigned int order)
{
	struct cachet_req req;
	struct cachet_rsp rsp;
	int rc;

	if (!h)
		return ops_bad_handle("populate");
	rc = ops_check_populate(h, gfn, nr_pages, order);
	/* The per-request limit is a multiple of 2 MiB, so chunks keep the order's alignment. */
	while (rc == 0 && nr_pages > 0) {
		uint64_t n = LIB_MIN(nr_pages, (uint64_t)CACHET_POPULATE_MAX_PAGES);

		ops_init(&req, CACHET_OP_POPULATE);
		req.u.populate.domid = domid;
		req.u.populate.order = order;
		req.u.populate.gfn = gfn;
		req.u.populate.nr_pages = n;
		rc = xport_call(h, "populate", &req, &rsp);
		gfn += n;
		nr_pages -= n;
	}
	return rc;
}

/* Translate requests sent together: a 32 MiB kernel window is 19 of them. */
#define OPS_TRANSLATE_BATCH 8u

/* Checks and copies out the answers of a batch of translate requests. */
static int ops_translate_answers(cachet_handle *h, const struct cachet_req *reqs,
				 const struct cachet_rsp *rsps, unsigned int n, uint64_t *mfns)
{
	for (unsigned int i = 0; i < n; i++) {
		const struct cachet_translate_in *in = &reqs[i].u.translate;

		if (rsps[i].u.translate.nr != in->nr)
			return err_set(h, CACHET_LIB_EIO, "translate: asked for %u frames at gfn "
				       "0x%llx, got %u", in->nr, (unsigned long long)in->gfn,
				       rsps[i].u.translate.nr);
		memcpy(mfns, rsps[i].u.translate.mfn, in->nr * sizeof(*mfns));
		mfns += in->nr;
	}
	return 0;
}

/* Up to OPS_TRANSLATE_BATCH requests of CACHET_TRANSLATE_MAX frames; *done frames answered. */
static int ops_translate_batch(cachet_handle *h, cachet_domid_t domid, uint64_t gfn, uint64_t nr,
			       uint64_t *mfns, struct cachet_req *reqs, struct cachet_rsp *rsps,
			       uint64_t *done)
{
	unsigned int n = 0;
	int rc;

	*done = 0;
	while (n < OPS_TRANSLATE_BATCH && *done < nr) {
		uint32_t k = (uint32_t)LIB_MIN(nr - *done, (uint64_t)CACHET_TRANSLATE_MAX);

		ops_init(&reqs[n], CACHET_OP_TRANSLATE);
		reqs[n].u.translate.domid = domid;
		reqs[n].u.translate.nr = k;
		reqs[n++].u.translate.gfn = gfn + *done;
		*done += k;
	}
	rc = xport_call_batch(h, "translate", reqs, rsps, n);
	return rc < 0 ? rc : ops_translate_answers(h, reqs, rsps, n, mfns);
}

int cachet_translate(cachet_handle *h, cachet_domid_t domid, uint64_t gfn, uint64_t nr,
		     uint64_t *mfns)
{
	struct cachet_req *reqs;
	struct cachet_rsp *rsps;
	uint64_t done;
	int rc = 0;

	if (!h)
		return ops_bad_handle("translate");
	if (!mfns)
		return err_set(h, CACHET_LIB_EINVAL, "translate: NULL output");
	if (!lib_gfn_range_in_ram(gfn, nr))
		return err_set(h, CACHET_LIB_EINVAL, "translate: gfn 0x%llx + %llu pages is empty "
			       "or outside guest RAM", (unsigned long long)gfn,
			       (unsigned long long)nr);
	/* Some 60 KiB: on the heap, for callers whose threads have small stacks. */
	reqs = malloc(OPS_TRANSLATE_BATCH * sizeof(*reqs));
	rsps = malloc(OPS_TRANSLATE_BATCH * sizeof(*rsps));
	if (!reqs || !rsps)
		rc = err_set(h, CACHET_LIB_ENOMEM, "translate: out of memory");
	while (rc == 0 && nr > 0) {
		rc = ops_translate_batch(h, domid, gfn, nr, mfns, reqs, rsps, &done);
		gfn += done;
		nr -= done;
		mfns += done;
	}
	free(reqs);
	free(rsps);
	return rc;
}

int cachet_vcpu_set_context(cachet_handle *h, cachet_domid_t domid, unsigned int vcpu,
			    uint32_t flags, const struct cachet_vcpu_context *ctx)
{
	struct cachet_req req;
	struct cachet_rsp rsp;

	if (!h)
		return ops_bad_handle("vcpu_set_context");
	if (!ctx)
		return err_set(h, CACHET_LIB_EINVAL, "vcpu_set_context: NULL context");
	if (vcpu >= CACHET_MAX_VCPUS)
		return err_set(h, CACHET_LIB_EINVAL, "vcpu_set_context: vCPU %u above %u", vcpu,
			       CACHET_MAX_VCPUS - 1);
	if (flags & ~CACHET_VCPU_ONLINE)
		return err_set(h, CACHET_LIB_EINVAL, "vcpu_set_context: unknown flags 0x%x",
			       flags & ~CACHET_VCPU_ONLINE);
	ops_init(&req, CACHET_OP_VCPU_SET_CONTEXT);
	req.u.vcpu_ctx.domid = domid;
	req.u.vcpu_ctx.vcpu = vcpu;
	req.u.vcpu_ctx.flags = flags;
	req.u.vcpu_ctx.ctx = *ctx;
	return xport_call(h, "vcpu_set_context", &req, &rsp);
}

static int ops_ring_read(cachet_handle *h, enum cachet_op op, const char *what,
			 cachet_domid_t domid, uint64_t *pos, char *buf, size_t size,
			 uint64_t *lost)
{
	struct cachet_req req;
	struct cachet_rsp rsp;
	uint32_t max;
	int rc;

	if (!h)
		return ops_bad_handle(what);
	if (!pos || !buf || size == 0)
		return err_set(h, CACHET_LIB_EINVAL, "%s: %s", what,
			       size == 0 ? "zero-sized buffer" : "NULL position or buffer");
	max = (uint32_t)LIB_MIN(size, (size_t)CACHET_RING_READ_MAX);
	ops_init(&req, op);
	req.u.ring.domid = domid;
	req.u.ring.max = max;
	req.u.ring.pos = *pos;
	rc = xport_call(h, what, &req, &rsp);
	if (rc < 0)
		return rc;
	if (rsp.u.ring.len > max)
		return ops_malformed(h, what, "len", rsp.u.ring.len, max);
	memcpy(buf, rsp.u.ring.data, rsp.u.ring.len);
	*pos = rsp.u.ring.next;
	if (lost)
		*lost = rsp.u.ring.lost;
	return (int)rsp.u.ring.len;
}

int cachet_console_read(cachet_handle *h, cachet_domid_t domid, uint64_t *pos, char *buf,
			size_t size, uint64_t *lost)
{
	return ops_ring_read(h, CACHET_OP_CONSOLE_READ, "console_read", domid, pos, buf, size,
			     lost);
}

bool cachet_console_may_have_output(cachet_handle *h, cachet_domid_t domid, uint64_t pos)
{
	uint64_t head;

	if (h == NULL)
		return true;
	head = __atomic_load_n(&h->mbox->console_heads[domid % CACHET_MBOX_CONSOLE_HEADS],
			       __ATOMIC_ACQUIRE);
	return head != CACHET_MBOX_CONSOLE_HEAD(domid, pos);
}

int cachet_log_read(cachet_handle *h, uint64_t *pos, char *buf, size_t size, uint64_t *lost)
{
	return ops_ring_read(h, CACHET_OP_LOG_READ, "log_read", 0, pos, buf, size, lost);
}

/* One CONSOLE_WRITE request; returns the bytes accepted or a negative code. */
static int ops_console_write_chunk(cachet_handle *h, cachet_domid_t domid, const char *buf,
				   uint32_t len)
{
	struct cachet_req req;
	struct cachet_rsp rsp;
	int rc;

	ops_init(&req, CACHET_OP_CONSOLE_WRITE);
	req.u.console_write.domid = domid;
	req.u.console_write.len = len;
	memcpy(req.u.console_write.data, buf, len);
	rc = xport_call(h, "console_write", &req, &rsp);
	if (rc < 0)
		return rc;
	if (rsp.u.console_write.accepted > len)
		return ops_malformed(h, "console_write", "accepted", rsp.u.console_write.accepted,
				     len);
	return (int)rsp.u.console_write.accepted;
}

int cachet_console_write(cachet_handle *h, cachet_domid_t domid, const char *buf, size_t len)
{
	size_t done = 0;

	if (!h)
		return ops_bad_handle("console_write");
	if (!buf || len == 0 || len > INT32_MAX)
		return err_set(h, CACHET_LIB_EINVAL, "console_write: %s",
			       !buf ? "NULL buffer" : "length must be in 1..INT32_MAX");
	while (done < len) {
		uint32_t n = (uint32_t)LIB_MIN(len - done, (size_t)CACHET_CONSOLE_WRITE_MAX);
		int acc = ops_console_write_chunk(h, domid, buf + done, n);

		if (acc < 0)
			return acc;
		done += (size_t)acc;
		/* A short count means the guest's input buffer is full: stop there. */
		if ((uint32_t)acc < n)
			break;
	}
	return (int)done;
}

bool cachet_event_may_be_pending(cachet_handle *h, uint64_t seq)
{
	if (h == NULL)
		return true;
	return __atomic_load_n(&h->mbox->event_next, __ATOMIC_ACQUIRE) != seq;
}

int cachet_event_read(cachet_handle *h, uint64_t *seq, struct cachet_event *ev, unsigned int max,
		      uint64_t *lost)
{
	struct cachet_req req;
	struct cachet_rsp rsp;
	unsigned int want;
	int rc;

	if (!h)
		return ops_bad_handle("event_read");
	if (!seq || !ev || max == 0)
		return err_set(h, CACHET_LIB_EINVAL, "event_read: %s",
			       max == 0 ? "max is 0" : "NULL sequence or output");
	want = LIB_MIN(max, (unsigned int)CACHET_EVENT_MAX);
	ops_init(&req, CACHET_OP_EVENT_READ);
	req.u.events.seq = *seq;
	rc = xport_call(h, "event_read", &req, &rsp);
	if (rc < 0)
		return rc;
	if (rsp.u.events.count > CACHET_EVENT_MAX)
		return ops_malformed(h, "event_read", "count", rsp.u.events.count, CACHET_EVENT_MAX);
	/* The ABI has no max field: take what fits and resume after the last one taken. */
	if (rsp.u.events.count > want) {
		memcpy(ev, rsp.u.events.ev, want * sizeof(*ev));
		*seq = ev[want - 1].seq + 1;
	} else {
		want = rsp.u.events.count;
		memcpy(ev, rsp.u.events.ev, want * sizeof(*ev));
		*seq = rsp.u.events.next;
	}
	for (unsigned int i = 0; i < want; i++)
		ev[i].detail[sizeof(ev[i].detail) - 1] = '\0';
	if (lost)
		*lost = rsp.u.events.lost;
	return (int)want;
}

int cachet_cache_flush(cachet_handle *h, cachet_domid_t domid, uint64_t gfn, uint64_t nr_pages)
{
	struct cachet_req req;
	struct cachet_rsp rsp;

	if (!h)
		return ops_bad_handle("cache_flush");
	if (!lib_gfn_range_in_ram(gfn, nr_pages))
		return err_set(h, CACHET_LIB_EINVAL, "cache_flush: gfn 0x%llx + %llu pages is empty "
			       "or outside guest RAM", (unsigned long long)gfn,
			       (unsigned long long)nr_pages);
	ops_init(&req, CACHET_OP_CACHE_FLUSH);
	req.u.flush.domid = domid;
	req.u.flush.gfn = gfn;
	req.u.flush.nr_pages = nr_pages;
	return xport_call(h, "cache_flush", &req, &rsp);
}

int cachet_vcpu_info(cachet_handle *h, cachet_domid_t domid, struct cachet_vcpu_info_out *out)
{
	struct cachet_rsp rsp;
	int rc;

	if (h && !out)
		return err_set(h, CACHET_LIB_EINVAL, "vcpu_info: NULL output");
	rc = ops_domid_call(h, CACHET_OP_VCPU_INFO, "vcpu_info", domid, &rsp);
	if (rc < 0)
		return rc;
	if (rsp.u.vcpus.nr_vcpus > CACHET_STATS_VCPUS)
		return ops_malformed(h, "vcpu_info", "nr_vcpus", rsp.u.vcpus.nr_vcpus,
				     CACHET_STATS_VCPUS);
	*out = rsp.u.vcpus;
	return 0;
}

int cachet_vcpu_set_affinity(cachet_handle *h, cachet_domid_t domid, unsigned int vcpu,
			     uint64_t affinity)
{
	struct cachet_req req;
	struct cachet_rsp rsp;

	if (!h)
		return ops_bad_handle("vcpu_set_affinity");
	if (vcpu >= CACHET_MAX_VCPUS)
		return err_set(h, CACHET_LIB_EINVAL, "vcpu_set_affinity: vCPU %u above %u", vcpu,
			       CACHET_MAX_VCPUS - 1);
	/* A vCPU allowed on no pCPU could never run again. */
	if (affinity == 0)
		return err_set(h, CACHET_LIB_EINVAL, "vcpu_set_affinity: empty affinity");
	ops_init(&req, CACHET_OP_VCPU_SET_AFFINITY);
	req.u.affinity.domid = domid;
	req.u.affinity.vcpu = vcpu;
	req.u.affinity.affinity = affinity;
	return xport_call(h, "vcpu_set_affinity", &req, &rsp);
}

/* SHUTDOWN_REQ and SHUTDOWN take the same input; @reason_ok says which reasons the op has. */
static int ops_shutdown(cachet_handle *h, uint32_t op, const char *what, cachet_domid_t domid,
			uint32_t reason, bool reason_ok)
{
	struct cachet_req req;
	struct cachet_rsp rsp;

	if (!h)
		return ops_bad_handle(what);
	if (!reason_ok)
		return err_set(h, CACHET_LIB_EINVAL, "%s: reason %u is not one this operation "
			       "takes (power off %u, reboot %u%s)", what, reason,
			       CACHET_SHUTDOWN_POWEROFF, CACHET_SHUTDOWN_REBOOT,
			       op == CACHET_OP_DOMAIN_SHUTDOWN ? ", crash 3" : "");
	ops_init(&req, op);
	req.u.shutdown.domid = domid;
	req.u.shutdown.reason = reason;
	return xport_call(h, what, &req, &rsp);
}

int cachet_domain_shutdown_request(cachet_handle *h, cachet_domid_t domid, uint32_t reason)
{
	return ops_shutdown(h, CACHET_OP_DOMAIN_SHUTDOWN_REQ, "domain_shutdown_request", domid,
			    reason, reason == CACHET_SHUTDOWN_POWEROFF ||
					    reason == CACHET_SHUTDOWN_REBOOT);
}

int cachet_domain_shutdown(cachet_handle *h, cachet_domid_t domid, uint32_t reason)
{
	return ops_shutdown(h, CACHET_OP_DOMAIN_SHUTDOWN, "domain_shutdown", domid, reason,
			    reason == CACHET_SHUTDOWN_POWEROFF || reason == CACHET_SHUTDOWN_REBOOT ||
				    reason == CACHET_SHUTDOWN_CRASH);
}

int cachet_domain_set_max_pages(cachet_handle *h, cachet_domid_t domid, uint64_t max_pages)
{
	struct cachet_req req;
	struct cachet_rsp rsp;

	if (!h)
		return ops_bad_handle("domain_set_max_pages");
	if (max_pages == 0)
		return err_set(h, CACHET_LIB_EINVAL, "domain_set_max_pages: zero pages");
	ops_init(&req, CACHET_OP_DOMAIN_SET_MAX_PAGES);
	req.u.max_pages.domid = domid;
	req.u.max_pages.max_pages = max_pages;
	return xport_call(h, "domain_set_max_pages", &req, &rsp);
}
