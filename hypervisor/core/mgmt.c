/*
 * Management operations (cachet/public/abi.h), as served from the mailbox.
 * Every field of every request is checked here before anything changes;
 * handlers return negative errno, translated once into CACHET_E* codes.
 */
#include "hv/arch.h"
#include "hv/domain.h"
#include "hv/errno.h"
#include "hv/event.h"
#include "hv/log.h"
#include "hv/mbox.h"
#include "hv/mm.h"
#include "hv/scrub.h"
#include "hv/smp.h"
#include "hv/string.h"

typedef int (*mgmt_fn)(const struct cachet_req *req, struct cachet_rsp *rsp);

static bool pad_zero(uint32_t pad)
{
	return pad == 0;
}

static int mgmt_domain(cachet_domid_t domid, uint32_t pad, struct domain **out)
{
	if (!pad_zero(pad))
		return -EINVAL;
	*out = domain_find(domid);
	return *out != NULL ? 0 : -ENOENT;
}

static int op_version(const struct cachet_req *req, struct cachet_rsp *rsp)
{
	struct cachet_version_out *o = &rsp->u.version;
	struct arch_features f;
	const char *v = CACHET_VERSION;

	(void)req;
	arch_probe_features(&f);
	o->abi_version = CACHET_ABI_VERSION;
	o->features = (f.s2fwb ? CACHET_FEAT_S2FWB : 0) | (f.aarch32_el1 ? CACHET_FEAT_AARCH32 : 0);
	for (unsigned int i = 0; v[i] != '\0' && i < sizeof(o->hv_version) - 1; i++)
		o->hv_version[i] = v[i];
	return 0;
}

static int op_physinfo(const struct cachet_req *req, struct cachet_rsp *rsp)
{
	struct cachet_physinfo_out *o = &rsp->u.physinfo;
	struct palloc_stats st;

	(void)req;
	scrub_get_stats(&st);
	*o = (struct cachet_physinfo_out){ .nr_cpus = smp_online_count(), .page_size = PAGE_SIZE,
					   .total_pages = st.total_pages, .free_pages = st.free_pages,
					   .counter_hz = arch_counter_freq(),
					   .max_domains = CONFIG_MAX_DOMAINS,
					   .max_vcpus = CONFIG_MAX_VCPUS };
	return 0;
}

/* The CPU features a new domain needs: FEAT_S2FWB for s2fwb, AArch32 EL1 for 32-bit vCPUs. */
static bool mgmt_cpu_can_run(const struct cachet_domain_create_in *in)
{
	struct arch_features f;

	arch_probe_features(&f);
	if (cp_s2_forced_wb(in->cache_policy) && !f.s2fwb)
		return false;
	return !(in->flags & CACHET_DOMF_AARCH32) || f.aarch32_el1;
}

static int op_create(const struct cachet_req *req, struct cachet_rsp *rsp)
{
	const struct cachet_domain_create_in *in = &req->u.create;
	struct palloc_stats st;
	struct domain *d;
	int rc;

	scrub_get_stats(&st);
	if (in->max_vcpus == 0 || in->max_vcpus > CONFIG_MAX_VCPUS ||
	    in->max_pages == 0 || (in->flags & ~CACHET_DOMF_AARCH32) != 0 ||
	    in->cache_policy >= CACHET_CACHE_POLICY_MAX)
		return -EINVAL;
	if (in->max_pages > st.total_pages)
		return -E2BIG;
	if (!mgmt_cpu_can_run(in))
		return -ENODEV;
	rc = domain_create(in, &d);
	if (rc == 0)
		rsp->u.create.domid = d->domid;
	return rc;
}

/* The operations that only name a domain and change its state. */
static int mgmt_domain_action(const struct cachet_req *req, int (*action)(struct domain *d))
{
	struct domain *d;
	int rc = mgmt_domain(req->u.dom.domid, req->u.dom.pad, &d);

	return rc != 0 ? rc : action(d);
}

static int op_destroy(const struct cachet_req *req, struct cachet_rsp *rsp)
{
	(void)rsp;
	return mgmt_domain_action(req, domain_destroy);
}

static int op_pause(const struct cachet_req *req, struct cachet_rsp *rsp)
{
	(void)rsp;
	return mgmt_domain_action(req, domain_pause);
}

static int op_unpause(const struct cachet_req *req, struct cachet_rsp *rsp)
{
	(void)rsp;
	return mgmt_domain_action(req, domain_unpause);
}

static int op_getinfo(const struct cachet_req *req, struct cachet_rsp *rsp)
{
	struct domain *d;
	int rc = mgmt_domain(req->u.dom.domid, req->u.dom.pad, &d);

	if (rc == 0)
		domain_get_info(d, &rsp->u.info);
	return rc;
}

static int op_list(const struct cachet_req *req, struct cachet_rsp *rsp)
{
	struct cachet_domain_list_out *o = &rsp->u.list;
	cachet_domid_t next = req->u.list.first;
	struct domain *d;

	if (req->u.list.max == 0 || req->u.list.max > CACHET_LIST_MAX)
		return -EINVAL;
	while (o->count < req->u.list.max && (d = domain_next(next)) != NULL) {
		domain_get_info(d, &o->dom[o->count++]);
		if (d->domid == UINT32_MAX)
			break;
		next = d->domid + 1;
	}
	return 0;
}

static int op_populate(const struct cachet_req *req, struct cachet_rsp *rsp)
{
	const struct cachet_populate_in *in = &req->u.populate;
	struct domain *d;
	int rc = mgmt_domain(in->domid, 0, &d);

	(void)rsp;
	if (rc != 0)
		return rc;
	if (in->nr_pages == 0 || in->nr_pages > CACHET_POPULATE_MAX_PAGES)
		return -E2BIG;
	if (d->state != CACHET_DOM_PAUSED)
		return -EPERM;
	return domain_populate(d, in->gfn, in->nr_pages, in->order);
}

static int op_translate(const struct cachet_req *req, struct cachet_rsp *rsp)
{
	const struct cachet_translate_in *in = &req->u.translate;
	struct domain *d;
	int rc = mgmt_domain(in->domid, 0, &d);

	if (rc != 0)
		return rc;
	if (in->nr == 0 || in->nr > CACHET_TRANSLATE_MAX)
		return -E2BIG;
	rc = domain_translate(d, in->gfn, in->nr, rsp->u.translate.mfn);
	rsp->u.translate.nr = rc == 0 ? in->nr : 0;
	return rc;
}

static int op_set_context(const struct cachet_req *req, struct cachet_rsp *rsp)
{
	const struct cachet_vcpu_set_context_in *in = &req->u.vcpu_ctx;
	struct domain *d;
	int rc = mgmt_domain(in->domid, in->pad, &d);

	(void)rsp;
	return rc != 0 ? rc : domain_set_vcpu_context(d, in->vcpu, in->flags, &in->ctx);
}

static int op_console_read(const struct cachet_req *req, struct cachet_rsp *rsp)
{
	const struct cachet_ring_read_in *in = &req->u.ring;
	struct cachet_ring_read_out *o = &rsp->u.ring;
	struct domain *d;
	int rc = mgmt_domain(in->domid, 0, &d);
	uint64_t pos = in->pos;

	if (rc != 0)
		return rc;
	if (in->max > CACHET_RING_READ_MAX)
		return -E2BIG;
	o->len = (uint32_t)byte_ring_read(&d->console, &pos, o->data, in->max, &o->lost);
	o->next = pos;
	return 0;
}

static int op_console_write(const struct cachet_req *req, struct cachet_rsp *rsp)
{
	const struct cachet_console_write_in *in = &req->u.console_write;
	struct domain *d;
	int rc = mgmt_domain(in->domid, 0, &d);

	if (rc != 0)
		return rc;
	if (in->len > CACHET_CONSOLE_WRITE_MAX)
		return -E2BIG;
	rsp->u.console_write.accepted = domain_console_input(d, in->data, in->len, false);
	return 0;
}

static int op_log_read(const struct cachet_req *req, struct cachet_rsp *rsp)
{
	const struct cachet_ring_read_in *in = &req->u.ring;
	struct cachet_ring_read_out *o = &rsp->u.ring;
	uint64_t pos = in->pos;

	if (in->max > CACHET_RING_READ_MAX)
		return -E2BIG;
	o->len = (uint32_t)log_read(&pos, o->data, in->max, &o->lost);
	o->next = pos;
	return 0;
}

static int op_event_read(const struct cachet_req *req, struct cachet_rsp *rsp)
{
	event_read(req->u.events.seq, &rsp->u.events);
	return 0;
}

static int op_stats(const struct cachet_req *req, struct cachet_rsp *rsp)
{
	struct cachet_domain_stats_out *o = &rsp->u.stats;
	struct domain *d;
	int rc = mgmt_domain(req->u.dom.domid, req->u.dom.pad, &d);

	if (rc != 0)
		return rc;
	o->nr_vcpus = MIN(d->max_vcpus, CACHET_STATS_VCPUS);
	for (unsigned int i = 0; i < o->nr_vcpus; i++) {
		o->vcpu[i] = d->vcpus[i].stats;
		o->vcpu[i].hcr_dc = d->vcpus[i].cache.dc;
		o->vcpu[i].hcr_tvm = d->vcpus[i].cache.tvm;
		o->vcpu[i].counter_hz = arch_counter_freq();
	}
	return 0;
}

static int op_cache_flush(const struct cachet_req *req, struct cachet_rsp *rsp)
{
	const struct cachet_cache_flush_in *in = &req->u.flush;
	struct domain *d;
	int rc = mgmt_domain(in->domid, in->pad, &d);

	(void)rsp;
	if (rc != 0)
		return rc;
	if (in->nr_pages == 0 || in->nr_pages > CACHET_POPULATE_MAX_PAGES)
		return -E2BIG;
	return domain_cache_flush(d, in->gfn, in->nr_pages);
}

static uint32_t vcpu_abi_state(const struct vcpu *v)
{
	if (v->state == VCPU_OFFLINE)
		return CACHET_VCPU_STATE_OFFLINE;
	return v->state == VCPU_BLOCKED ? CACHET_VCPU_STATE_BLOCKED : CACHET_VCPU_STATE_RUNNABLE;
}

static int op_vcpu_info(const struct cachet_req *req, struct cachet_rsp *rsp)
{
	struct cachet_vcpu_info_out *o = &rsp->u.vcpus;
	struct domain *d;
	int rc = mgmt_domain(req->u.dom.domid, req->u.dom.pad, &d);

	if (rc != 0)
		return rc;
	o->nr_vcpus = MIN(d->max_vcpus, CACHET_STATS_VCPUS);
	for (unsigned int i = 0; i < o->nr_vcpus; i++) {
		const struct vcpu *v = &d->vcpus[i];

		o->vcpu[i] = (struct cachet_vcpu_info){ .vcpu = i, .state = vcpu_abi_state(v),
							.pcpu = v->pcpu, .affinity = v->affinity,
							.cpu_time_ns = v->cpu_time_ns };
	}
	return 0;
}

static int op_vcpu_affinity(const struct cachet_req *req, struct cachet_rsp *rsp)
{
	const struct cachet_vcpu_affinity_in *in = &req->u.affinity;
	struct domain *d;
	int rc = mgmt_domain(in->domid, 0, &d);

	(void)rsp;
	return rc != 0 ? rc : domain_set_affinity(d, in->vcpu, in->affinity);
}

/* A serial BREAK then the SysRq key: Linux powers off ('o') or reboots ('b'). */
static int op_shutdown_req(const struct cachet_req *req, struct cachet_rsp *rsp)
{
	const struct cachet_shutdown_req_in *in = &req->u.shutdown;
	struct domain *d;
	int rc = mgmt_domain(in->domid, 0, &d);
	char key;

	(void)rsp;
	if (rc != 0)
		return rc;
	if (in->reason == CACHET_SHUTDOWN_POWEROFF)
		key = 'o';
	else if (in->reason == CACHET_SHUTDOWN_REBOOT)
		key = 'b';
	else
		return -EINVAL;
	if (d->state != CACHET_DOM_RUNNING)
		return -EPERM;
	return domain_console_input(d, &key, 1, true) == 1 ? 0 : -EBUSY;
}

static int op_shutdown(const struct cachet_req *req, struct cachet_rsp *rsp)
{
	const struct cachet_shutdown_req_in *in = &req->u.shutdown;
	struct domain *d;
	int rc = mgmt_domain(in->domid, 0, &d);

	(void)rsp;
	if (rc != 0)
		return rc;
	if (in->reason != CACHET_SHUTDOWN_POWEROFF && in->reason != CACHET_SHUTDOWN_REBOOT &&
	    in->reason != CACHET_SHUTDOWN_CRASH)
		return -EINVAL;
	return domain_shutdown_now(d, in->reason);
}

static int op_set_max_pages(const struct cachet_req *req, struct cachet_rsp *rsp)
{
	const struct cachet_max_pages_in *in = &req->u.max_pages;
	struct palloc_stats st;
	struct domain *d;
	int rc = mgmt_domain(in->domid, in->pad, &d);

	(void)rsp;
	if (rc != 0)
		return rc;
	palloc_get_stats(&mm_ram, &st);
	if (in->max_pages == 0)
		return -EINVAL;
	if (in->max_pages > st.total_pages)
		return -E2BIG;
	d->max_pages = in->max_pages;
	return 0;
}

static int op_vdev_create(const struct cachet_req *req, struct cachet_rsp *rsp)
{
	const struct cachet_vdev_create_in *in = &req->u.vdev_create;
	struct domain *d;
	int rc = mgmt_domain(in->domid, 0, &d);

	(void)rsp;
	return rc != 0 ? rc : vvirtio_create(d, in);
}

static int op_vdev_state(const struct cachet_req *req, struct cachet_rsp *rsp)
{
	const struct cachet_vdev_in *in = &req->u.vdev;
	struct domain *d;
	int rc = mgmt_domain(in->domid, 0, &d);

	return rc != 0 ? rc : vvirtio_state(d, in->index, &rsp->u.vdev_state);
}

static int op_vdev_signal(const struct cachet_req *req, struct cachet_rsp *rsp)
{
	const struct cachet_vdev_signal_in *in = &req->u.vdev_signal;
	struct domain *d;
	int rc = mgmt_domain(in->domid, 0, &d);

	(void)rsp;
	return rc != 0 ? rc : vvirtio_signal(d, in);
}

static const mgmt_fn mgmt_ops[CACHET_OP_MAX] = {
	[CACHET_OP_VERSION] = op_version,
	[CACHET_OP_PHYSINFO] = op_physinfo,
	[CACHET_OP_DOMAIN_CREATE] = op_create,
	[CACHET_OP_DOMAIN_DESTROY] = op_destroy,
	[CACHET_OP_DOMAIN_PAUSE] = op_pause,
	[CACHET_OP_DOMAIN_UNPAUSE] = op_unpause,
	[CACHET_OP_DOMAIN_GETINFO] = op_getinfo,
	[CACHET_OP_DOMAIN_LIST] = op_list,
	[CACHET_OP_POPULATE] = op_populate,
	[CACHET_OP_TRANSLATE] = op_translate,
	[CACHET_OP_VCPU_SET_CONTEXT] = op_set_context,
	[CACHET_OP_CONSOLE_READ] = op_console_read,
	[CACHET_OP_LOG_READ] = op_log_read,
	[CACHET_OP_EVENT_READ] = op_event_read,
	[CACHET_OP_DOMAIN_STATS] = op_stats,
	[CACHET_OP_CACHE_FLUSH] = op_cache_flush,
	[CACHET_OP_CONSOLE_WRITE] = op_console_write,
	[CACHET_OP_VCPU_INFO] = op_vcpu_info,
	[CACHET_OP_VCPU_SET_AFFINITY] = op_vcpu_affinity,
	[CACHET_OP_DOMAIN_SHUTDOWN_REQ] = op_shutdown_req,
	[CACHET_OP_DOMAIN_SHUTDOWN] = op_shutdown,
	[CACHET_OP_DOMAIN_SET_MAX_PAGES] = op_set_max_pages,
	[CACHET_OP_VDEV_CREATE] = op_vdev_create,
	[CACHET_OP_VDEV_STATE] = op_vdev_state,
	[CACHET_OP_VDEV_SIGNAL] = op_vdev_signal,
};

/* Internal errno values and the ABI's codes, side by side. */
static const struct {
	int err;
	int32_t status;
} mgmt_status_map[] = {
	{ EPERM, CACHET_EPERM },   { ENOENT, CACHET_ENOENT }, { E2BIG, CACHET_E2BIG },
	{ ENOMEM, CACHET_ENOMEM }, { EFAULT, CACHET_EFAULT }, { EBUSY, CACHET_EBUSY },
	{ EEXIST, CACHET_EEXIST }, { EINVAL, CACHET_EINVAL }, { ENOSPC, CACHET_ENOSPC },
	{ ERANGE, CACHET_ERANGE }, { ENOSYS, CACHET_ENOSYS }, { ENODEV, CACHET_ENODEV },
	{ ESTALE, CACHET_ESTALE },
};

static int32_t mgmt_status(int rc)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(mgmt_status_map); i++) {
		if (-rc == mgmt_status_map[i].err)
			return -mgmt_status_map[i].status;
	}
	return rc == 0 ? 0 : -CACHET_EINVAL;
}

void mgmt_handle(const struct cachet_req *req, struct cachet_rsp *rsp)
{
	int rc;

	/* Same major; a request may come from an older minor, never a newer one. */
	if ((req->abi_version >> 16) != (CACHET_ABI_VERSION >> 16) ||
	    (req->abi_version & 0xffff) > (CACHET_ABI_VERSION & 0xffff)) {
		rsp->status = -CACHET_EVERSION;
		return;
	}
	if (req->op == 0 || req->op >= CACHET_OP_MAX || mgmt_ops[req->op] == NULL) {
		rsp->status = -CACHET_ENOSYS;
		return;
	}
	rc = mgmt_ops[req->op](req, rsp);
	rsp->status = mgmt_status(rc);
	if (rc != 0)
		memset(&rsp->u, 0, sizeof(rsp->u)); /* no partial answers */
}
