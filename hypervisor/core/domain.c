/*
 * Domains (see hv/domain.h): creation, memory, vCPU set-up, pause/unpause,
 * shutdown, crash and destruction.
 *
 * Memory rules: every page a domain gets is zero and clean to the PoC when
 * it is mapped (the guest may read it with caches off); destruction returns
 * every page the domain took, table pages included, to be scrubbed before
 * anyone gets it again (hv/scrub.h), except guest memory that nobody can
 * have written (hv/pt.h, write tracking), which is still zero.
 */
#include "hv/domain.h"

#include <stdarg.h>

#include "cachet/public/guest_map.h"
#include "hv/arch_vcpu.h"
#include "hv/doorbell.h"
#include "hv/errno.h"
#include "hv/event.h"
#include "hv/fmt.h"
#include "hv/log.h"
#include "hv/mbox.h"
#include "hv/mm.h"
#include "hv/sched.h"
#include "hv/scrub.h"
#include "hv/smp.h"
#include "hv/string.h"

struct domain domains[CONFIG_MAX_DOMAINS];
static cachet_domid_t next_domid = 1;
static uint8_t vmid_used[CONFIG_MAX_DOMAINS + 1];

static bool domid_taken(cachet_domid_t id)
{
	return domain_find(id) != NULL;
}

static cachet_domid_t domid_alloc(void)
{
	/* Ids are not reused soon, so a stale id names no new domain. */
	while (next_domid == 0 || domid_taken(next_domid))
		next_domid++;
	return next_domid++;
}

/* One VMID per live domain; the table is as large as the domain table. */
static int vmid_alloc(uint16_t *out)
{
	unsigned int limit = MIN(arch_vmid_count() - 1, CONFIG_MAX_DOMAINS);

	for (unsigned int v = 1; v <= limit; v++) {
		if (!vmid_used[v]) {
			vmid_used[v] = 1;
			*out = (uint16_t)v;
			return 0;
		}
	}
	return -ENOSPC;
}

struct domain *domain_find(cachet_domid_t domid)
{
	for (unsigned int i = 0; i < CONFIG_MAX_DOMAINS; i++) {
		if (domains[i].in_use && domains[i].domid == domid)
			return &domains[i];
	}
	return NULL;
}

struct domain *domain_next(cachet_domid_t first)
{
	struct domain *best = NULL;

	for (unsigned int i = 0; i < CONFIG_MAX_DOMAINS; i++) {
		struct domain *d = &domains[i];

		if (d->in_use && d->domid >= first && (best == NULL || d->domid < best->domid))
			best = d;
	}
	return best;
}

unsigned int domain_count(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < CONFIG_MAX_DOMAINS; i++)
		n += domains[i].in_use;
	return n;
}

/*
 * A free slot no pCPU may still be reading (hv/sched.h), so that clearing
 * it cannot pull a lock from under a scan that saw it live.  Only when every
 * free slot was freed so recently does it wait for the scans to end.
 */
static int domain_slot(struct domain **out)
{
	struct domain *recent = NULL;

	for (unsigned int i = 0; i < CONFIG_MAX_DOMAINS; i++) {
		struct domain *d = &domains[i];

		if (d->in_use)
			continue;
		if (sched_slot_reusable(d)) {
			*out = d;
			return 0;
		}
		recent = recent ? recent : d;
	}
	if (recent == NULL)
		return -ENOSPC;
	if (!sched_slot_wait(recent))
		return -EBUSY;
	*out = recent;
	return 0;
}

static uint64_t online_cpu_mask(void)
{
	uint64_t mask = 0;

	for (unsigned int i = 0; i < CONFIG_MAX_CPUS; i++)
		mask |= (uint64_t)(percpu[i].online ? 1 : 0) << i;
	return mask;
}

static void domain_init_vcpus(struct domain *d)
{
	for (unsigned int i = 0; i < CONFIG_MAX_VCPUS; i++) {
		struct vcpu *v = &d->vcpus[i];

		*v = (struct vcpu){ .id = i, .dom = d, .state = VCPU_OFFLINE,
				    .affinity = online_cpu_mask() };
		cp_init(&v->cache, d->cache_policy);
		vgic_vcpu_reset(v);
		if (i < d->max_vcpus)
			v->pcpu = v->pcpu_next = sched_place(v->affinity);
	}
}

int domain_create(const struct cachet_domain_create_in *in, struct domain **out)
{
	struct domain *d;
	uint16_t vmid;
	int rc = domain_slot(&d);

	if (rc != 0)
		return rc;
	rc = vmid_alloc(&vmid);
	if (rc != 0)
		return rc;
	memset(d, 0, sizeof(*d));
	rc = pt_init(&d->p2m, PT_STAGE2, CONFIG_GUEST_IPA_BITS, mm_table_ops());
	if (rc != 0) {
		vmid_used[vmid] = 0;
		return rc;
	}
	d->p2m.vmid = vmid;
	d->vmid = vmid;
	d->domid = domid_alloc();
	d->flags = in->flags;
	d->max_vcpus = in->max_vcpus;
	d->max_pages = in->max_pages;
	d->cache_policy = in->cache_policy;
	d->tag = in->tag;
	d->state = CACHET_DOM_PAUSED;
	d->lock = SPINLOCK_INIT;
	d->p2m_lock = SPINLOCK_INIT;
	d->console = (struct byte_ring){ d->console_buf, DOMAIN_CONSOLE_SIZE, 0 };
	domain_init_vcpus(d);
	vuart_init(d);
	vgic_init(d);
	vvirtio_init(d);
	/* Stale translations of a previous owner of this VMID must not survive. */
	arch_tlbi_guest_all(vmid, d->p2m.root);
	/* Publish the slot last: other pCPUs scan it without a lock. */
	__atomic_store_n(&d->in_use, true, __ATOMIC_RELEASE);
	*out = d;
	return 0;
}

void domain_get_info(const struct domain *d, struct cachet_dominfo *out)
{
	*out = (struct cachet_dominfo){ .domid = d->domid, .state = d->state,
					.shutdown_reason = d->shutdown_reason, .flags = d->flags,
					.max_vcpus = d->max_vcpus, .max_pages = d->max_pages,
					.tot_pages = d->tot_pages, .cache_policy = d->cache_policy,
					.tag = d->tag };
	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		out->online_vcpus += d->vcpus[i].state != VCPU_OFFLINE;
		out->cpu_time_ns += d->vcpus[i].cpu_time_ns;
	}
}

/*
 * Hands one leaf of the p2m back: to be scrubbed before anyone gets it
 * again if anyone may have written it, else straight to the free lists,
 * since it is still as populate took it from there (zero, clean to the
 * PoC: nothing wrote it, and reads and speculation leave no dirty line).
 */
static bool domain_release_leaf(void *ctx, uint64_t ipa, maddr_t ma, uint64_t size,
				bool written)
{
	struct domain *d = ctx;
	unsigned int order = 0;

	(void)ipa;
	while ((PAGE_SIZE << order) < size)
		order++;
	if (written)
		scrub_free(ma, order);
	else
		palloc_free(&mm_ram, ma, order);
	d->tot_pages -= size / PAGE_SIZE;
	return true;
}

int domain_destroy(struct domain *d)
{
	cachet_domid_t domid = d->domid;

	d->state = CACHET_DOM_SHUTDOWN;
	if (!sched_quiesce(d))
		return -EBUSY;
	for (unsigned int i = 0; i < d->max_vcpus; i++)
		sched_release(&d->vcpus[i]);
	doorbell_disarm(d);
	/* Each leaf is then one allocation again, as populate made it. */
	pt_merge_all(&d->p2m);
	pt_walk_leaves(&d->p2m, domain_release_leaf, d);
	arch_tlbi_guest_all(d->vmid, d->p2m.root);
	pt_destroy(&d->p2m);
	vmid_used[d->vmid] = 0;
	__atomic_store_n(&d->in_use, false, __ATOMIC_RELEASE);
	sched_slot_retire(d);
	event_post(domid, CACHET_EVENT_DESTROYED, 0, NULL);
	return 0;
}

bool domain_runnable(const struct domain *d)
{
	return __atomic_load_n(&d->state, __ATOMIC_SEQ_CST) == CACHET_DOM_RUNNING;
}

int domain_pause(struct domain *d)
{
	if (d->state != CACHET_DOM_RUNNING)
		return -EPERM;
	__atomic_store_n(&d->state, CACHET_DOM_PAUSED, __ATOMIC_SEQ_CST);
	return sched_quiesce(d) ? 0 : -EBUSY;
}

int domain_unpause(struct domain *d)
{
	if (d->state != CACHET_DOM_PAUSED)
		return -EPERM;
	/* The builder wrote code through its own mappings: no stale lines may run. */
	arch_icache_inval_all();
	if (!d->s2_tracking) {
		flush_track_start(d);
		d->s2_tracking = true;
	}
	__atomic_store_n(&d->state, CACHET_DOM_RUNNING, __ATOMIC_SEQ_CST);
	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		if (d->vcpus[i].state != VCPU_OFFLINE)
			arch_kick_cpu(d->vcpus[i].pcpu);
	}
	return 0;
}

/* Whether [gfn, gfn + nr) lies inside one of the guest RAM banks. */
static bool gfn_range_in_ram(uint64_t gfn, uint64_t nr)
{
	static const uint64_t banks[][2] = {
		{ CACHET_GUEST_RAM0_BASE, CACHET_GUEST_RAM0_SIZE },
		{ CACHET_GUEST_RAM1_BASE, CACHET_GUEST_RAM1_SIZE },
	};
	uint64_t limit = (UINT64_C(1) << CONFIG_GUEST_IPA_BITS) >> PAGE_SHIFT;

	if (nr == 0 || gfn >= limit || nr > limit - gfn)
		return false;
	for (unsigned int i = 0; i < ARRAY_SIZE(banks); i++) {
		uint64_t b = banks[i][0] >> PAGE_SHIFT, n = banks[i][1] >> PAGE_SHIFT;

		if (gfn >= b && gfn + nr <= b + n)
			return true;
	}
	return false;
}

struct domain_range {
	struct domain *d;
	uint64_t start, end;
};

static bool domain_release_in_range(void *ctx, uint64_t ipa, maddr_t ma, uint64_t size,
				    bool written)
{
	struct domain_range *r = ctx;

	if (ipa >= r->start && ipa < r->end)
		domain_release_leaf(r->d, ipa, ma, size, written);
	return ipa < r->end;
}

/* Undoes a partial populate: [gfn, gfn + nr_pages) holds only whole blocks it mapped. */
static void domain_unpopulate(struct domain *d, uint64_t gfn, uint64_t nr_pages)
{
	struct domain_range r = { d, gfn << PAGE_SHIFT, (gfn + nr_pages) << PAGE_SHIFT };

	if (nr_pages == 0)
		return;
	pt_walk_leaves(&d->p2m, domain_release_in_range, &r);
	pt_unmap(&d->p2m, r.start, r.end - r.start);
}

/*
 * Allocates and maps one block of 2^order pages at @gfn.  Free memory is
 * zero and clean to the PoC already (hv/scrub.h), so it is mapped as it is.
 */
static int domain_populate_block(struct domain *d, uint64_t gfn, unsigned int order)
{
	const struct pt_attr ram = { cp_s2_forced_wb(d->cache_policy) ? PT_MEM_FORCED_WB : PT_MEM_NORMAL,
				     PT_PERM_R | PT_PERM_W | PT_PERM_X };
	uint64_t size = PAGE_SIZE << order;
	maddr_t ma;
	int rc = scrub_alloc(order, &ma);

	if (rc != 0)
		return rc;
	spin_lock(&d->p2m_lock);
	rc = pt_map(&d->p2m, gfn << PAGE_SHIFT, ma, size, ram);
	spin_unlock(&d->p2m_lock);
	if (rc != 0) {
		palloc_free(&mm_ram, ma, order);
		return rc;
	}
	d->tot_pages += UINT64_C(1) << order;
	return 0;
}

int domain_populate(struct domain *d, uint64_t gfn, uint64_t nr_pages, unsigned int order)
{
	uint64_t done = 0;

	if (order > PALLOC_ORDER_2M || !IS_ALIGNED(gfn | nr_pages, UINT64_C(1) << order))
		return -EINVAL;
	if (!gfn_range_in_ram(gfn, nr_pages))
		return -ERANGE;
	if (nr_pages > d->max_pages - d->tot_pages)
		return -ENOMEM;
	if (!pt_range_unmapped(&d->p2m, gfn << PAGE_SHIFT, nr_pages << PAGE_SHIFT))
		return -EEXIST;
	while (done < nr_pages) {
		/*
		 * Only blocks the stage-2 tables map whole (a page, or 2 MiB) are
		 * allocated as such: anything between would be mapped as pages and
		 * freed page by page, which palloc refuses for a larger block, so
		 * destroying the domain leaked it (found by tests/fuzz/fuzz_mgmt).
		 */
		unsigned int o = order == PALLOC_ORDER_2M ? order : 0;
		int rc;

		/* Fall back to smaller blocks when no block of the asked size is free. */
		while ((rc = domain_populate_block(d, gfn + done, o)) == -ENOMEM && o > 0)
			o = 0;
		if (rc != 0) {
			domain_unpopulate(d, gfn, done);
			return rc;
		}
		done += UINT64_C(1) << o;
	}
	return 0;
}

/*
 * The frame behind @gfn, and how many frames from it on the same stage-2
 * leaf maps contiguously: one walk serves a whole 2 MiB block.
 */
static bool domain_leaf_run(struct domain *d, uint64_t gfn, uint64_t *mfn, uint64_t *run)
{
	maddr_t ma;
	struct pt_attr attr;
	unsigned int level;
	uint64_t span;

	if (!pt_lookup(&d->p2m, gfn << PAGE_SHIFT, &ma, &attr, &level))
		return false;
	span = pt_level_span(level) >> PAGE_SHIFT;
	*mfn = ma_val(ma) >> PAGE_SHIFT;
	*run = span - gfn % span;
	return true;
}

/*
 * Whoever asks for the frames may write them: each leaf is marked written
 * (hv/pt.h) before its frames are given out, so that destroying the domain
 * scrubs it.  Leaves before a hole stay marked: harmless, they get scrubbed.
 */
int domain_translate(struct domain *d, uint64_t gfn, uint32_t nr, uint64_t *mfns)
{
	uint32_t i = 0;
	int rc = 0;

	spin_lock(&d->p2m_lock);
	while (i < nr) {
		uint64_t mfn, run;

		if (!domain_leaf_run(d, gfn + i, &mfn, &run) ||
		    !pt_mark_written(&d->p2m, (gfn + i) << PAGE_SHIFT)) {
			rc = -EFAULT;
			break;
		}
		for (; run > 0 && i < nr; run--, i++)
			mfns[i] = mfn++;
	}
	spin_unlock(&d->p2m_lock);
	return rc;
}

int domain_cache_flush(struct domain *d, uint64_t gfn, uint64_t nr_pages)
{
	uint64_t mfn, run;

	if (!gfn_range_in_ram(gfn, nr_pages))
		return -ERANGE;
	if (!cp_honours_builder_flush(d->cache_policy))
		return 0; /* the "none" negative control: no coherency measure at all */
	for (uint64_t i = 0; i < nr_pages; i += run) {
		if (!domain_leaf_run(d, gfn + i, &mfn, &run))
			return -EFAULT;
		run = MIN(run, nr_pages - i);
		arch_dcache_clean_inval_range(arch_ma_to_ptr(ma_init(mfn << PAGE_SHIFT)),
					      run * PAGE_SIZE);
	}
	/*
	 * No I-cache work here: nothing of the guest runs before its next
	 * unpause, which invalidates the I-caches once (IC IALLUIS is costly,
	 * and the builder flushes in many pieces).
	 */
	return 0;
}

int domain_set_vcpu_context(struct domain *d, unsigned int vcpu, uint32_t flags,
			    const struct cachet_vcpu_context *ctx)
{
	struct vcpu *v;
	bool aarch32 = d->flags & CACHET_DOMF_AARCH32;

	if (vcpu >= d->max_vcpus)
		return -ENOENT;
	if (d->state != CACHET_DOM_PAUSED)
		return -EPERM;
	if ((flags & ~CACHET_VCPU_ONLINE) != 0 || !arch_vcpu_context_valid(ctx, aarch32))
		return -EINVAL;
	v = &d->vcpus[vcpu];
	arch_vcpu_reset(v, ctx, aarch32);
	cp_init(&v->cache, d->cache_policy);
	vgic_vcpu_reset(v);
	v->power_on.pending = false;
	if (ctx->sctlr_el1 != 0)
		cp_sctlr_write(&v->cache, ctx->sctlr_el1 & 1, (ctx->sctlr_el1 >> 2) & 1, &v->stats);
	v->state = (flags & CACHET_VCPU_ONLINE) ? VCPU_RUNNABLE : VCPU_OFFLINE;
	return 0;
}

static void domain_stop(struct domain *d, uint32_t state, uint32_t reason)
{
	__atomic_store_n(&d->state, state, __ATOMIC_SEQ_CST);
	d->shutdown_reason = reason;
	for (unsigned int i = 0; i < d->max_vcpus; i++)
		arch_kick_cpu(d->vcpus[i].pcpu);
}

void domain_shutdown(struct domain *d, enum cachet_shutdown_reason reason)
{
	unsigned long flags = spin_lock_irqsave(&d->lock);
	bool first = d->state == CACHET_DOM_RUNNING;

	if (first)
		domain_stop(d, CACHET_DOM_SHUTDOWN, reason);
	spin_unlock_irqrestore(&d->lock, flags);
	if (first)
		event_post(d->domid, CACHET_EVENT_SHUTDOWN, reason, NULL);
}

int domain_shutdown_now(struct domain *d, enum cachet_shutdown_reason reason)
{
	unsigned long flags = spin_lock_irqsave(&d->lock);
	bool ok = d->state == CACHET_DOM_RUNNING || d->state == CACHET_DOM_PAUSED;

	if (ok)
		domain_stop(d, CACHET_DOM_SHUTDOWN, reason);
	spin_unlock_irqrestore(&d->lock, flags);
	if (!ok)
		return -EPERM;
	event_post(d->domid, CACHET_EVENT_SHUTDOWN, reason, NULL);
	return 0;
}

void domain_crash(struct domain *d, const char *fmt, ...)
{
	char why[160];
	va_list ap;
	unsigned long flags;
	bool first;

	va_start(ap, fmt);
	fmt_vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	flags = spin_lock_irqsave(&d->lock);
	first = d->state == CACHET_DOM_RUNNING;
	if (first)
		domain_stop(d, CACHET_DOM_CRASHED, CACHET_SHUTDOWN_CRASH);
	spin_unlock_irqrestore(&d->lock, flags);
	/* One line per crash: a guest cannot flood the log this way. */
	if (first) {
		log_printf("domain %u crashed: %s\n", d->domid, why);
		event_post(d->domid, CACHET_EVENT_CRASH, CACHET_SHUTDOWN_CRASH, why);
	}
}

void domain_console_output(struct domain *d, const char *buf, size_t len)
{
	byte_ring_put(&d->console, buf, len);
	mbox_console_written(d->domid, d->console.total);
}

void byte_ring_put(struct byte_ring *r, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		r->buf[(r->total + i) % r->size] = s[i];
	r->total += n;
}

size_t byte_ring_read(const struct byte_ring *r, uint64_t *pos, char *buf, size_t size,
		      uint64_t *lost)
{
	uint64_t oldest = r->total > r->size ? r->total - r->size : 0;
	uint64_t p = *pos < oldest ? oldest : *pos;
	size_t n = 0;

	*lost = p - MIN(*pos, p);
	for (; p < r->total && n < size; p++, n++)
		buf[n] = r->buf[p % r->size];
	*pos = p;
	return n;
}

struct vcpu *domain_vcpu_by_mpidr(struct domain *d, uint64_t mpidr)
{
	uint64_t aff0 = mpidr & 0xff, aff1 = (mpidr >> 8) & 0xff;
	unsigned int id = (unsigned int)(aff1 * 16 + aff0);

	/* Only Aff0 < 16 exists, and nothing above Aff1. */
	if (aff0 >= 16 || (mpidr & 0xff00ff0000ULL) != 0 || id >= d->max_vcpus)
		return NULL;
	return &d->vcpus[id];
}

#define PSCI_RET_SUCCESS 0
#define PSCI_RET_ALREADY_ON (-4)

int64_t domain_vcpu_on(struct domain *d, unsigned int id, uint64_t entry, uint64_t context)
{
	struct vcpu *v = &d->vcpus[id];
	unsigned long flags = spin_lock_irqsave(&d->lock);

	if (v->state != VCPU_OFFLINE) {
		spin_unlock_irqrestore(&d->lock, flags);
		return PSCI_RET_ALREADY_ON;
	}
	v->power_on.entry = entry;
	v->power_on.context = context;
	/* Published before the state: whoever sees it runnable sees the request. */
	__atomic_store_n(&v->power_on.pending, true, __ATOMIC_RELEASE);
	__atomic_store_n(&v->state, VCPU_RUNNABLE, __ATOMIC_RELEASE);
	spin_unlock_irqrestore(&d->lock, flags);
	arch_kick_cpu(v->pcpu);
	return PSCI_RET_SUCCESS;
}

bool domain_vcpu_on_pending(const struct vcpu *v)
{
	return __atomic_load_n(&v->power_on.pending, __ATOMIC_ACQUIRE);
}

void domain_vcpu_power_on(struct vcpu *v)
{
	struct domain *d = v->dom;
	bool aarch32 = d->flags & CACHET_DOMF_AARCH32;
	struct cachet_vcpu_context ctx;

	/* A vCPU starts like the boot CPU: MMU and caches off, DC and TVM set. */
	arch_vcpu_on_context(&ctx, v->power_on.entry, v->power_on.context, aarch32);
	arch_vcpu_reset(v, &ctx, aarch32);
	cp_init(&v->cache, d->cache_policy);
	/* What its list registers held went with them. */
	vgic_vcpu_reset(v);
	__atomic_store_n(&v->power_on.pending, false, __ATOMIC_RELEASE);
}

int domain_set_affinity(struct domain *d, unsigned int vcpu, uint64_t affinity)
{
	struct vcpu *v;

	if (vcpu >= d->max_vcpus)
		return -ENOENT;
	if (affinity == 0 || (affinity & ~online_cpu_mask()) != 0)
		return -EINVAL;
	v = &d->vcpus[vcpu];
	v->affinity = affinity;
	if (!(affinity & (UINT64_C(1) << v->pcpu)))
		sched_migrate(v, sched_place(affinity));
	return 0;
}

uint32_t domain_console_input(struct domain *d, const char *buf, uint32_t len, bool with_break)
{
	unsigned long flags = spin_lock_irqsave(&d->lock);
	uint32_t n = 0;

	if (with_break)
		d->input_break = true;
	for (; n < len && d->input_len < DOMAIN_INPUT_SIZE; n++) {
		d->input_buf[(d->input_head + d->input_len) % DOMAIN_INPUT_SIZE] = buf[n];
		d->input_len++;
	}
	spin_unlock_irqrestore(&d->lock, flags);
	vuart_update_irq(d);
	return n;
}
