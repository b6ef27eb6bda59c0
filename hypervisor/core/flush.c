/* Touched-page tracking and preemptible guest RAM flushes (see hv/flush.h). */
#include "hv/flush.h"
#include "cachet/public/guest_map.h"
#include "hv/arch.h"
#include "hv/domain.h"
#include "hv/spinlock.h"

/* Guest RAM lives from bank 0 up; nothing below it is parked. */
#define FLUSH_RAM_START CACHET_GUEST_RAM0_BASE
#define FLUSH_RAM_END (UINT64_C(1) << CONFIG_GUEST_IPA_BITS)

static void flush_nothing(void *ctx, uint64_t ipa, maddr_t ma, uint64_t size)
{
	(void)ctx, (void)ipa, (void)ma, (void)size;
}

static void flush_clean_leaf(void *ctx, uint64_t ipa, maddr_t ma, uint64_t size)
{
	uint64_t *pages = ctx;

	(void)ipa;
	arch_dcache_clean_inval_range(arch_ma_to_ptr(ma), size);
	*pages += size / PAGE_SIZE;
}

void flush_track_start(struct domain *d)
{
	if (!cp_tracks_touched(d->cache_policy))
		return;
	spin_lock(&d->p2m_lock);
	pt_park_unused(&d->p2m, FLUSH_RAM_START, FLUSH_RAM_END, flush_nothing, NULL);
	spin_unlock(&d->p2m_lock);
}

void flush_start(struct vcpu *v, enum cp_flush_reason why)
{
	if (why == CP_FLUSH_NONE)
		return;
	/* The vCPU does not run (and so cannot trap) until its flush is complete. */
	v->flush = (struct flush_job){ .active = true, .cursor = FLUSH_RAM_START };
}

bool flush_continue(struct vcpu *v)
{
	struct domain *d = v->dom;
	uint64_t pages = 0;
	bool done;

	if (!v->flush.active)
		return true;
	spin_lock(&d->p2m_lock);
	if (cp_tracks_touched(d->cache_policy))
		done = pt_park(&d->p2m, &v->flush.cursor, FLUSH_RAM_END, FLUSH_SLICE_BYTES,
			       flush_clean_leaf, &pages);
	else
		done = true; /* nothing is ever flushed, so nothing was tracked */
	spin_unlock(&d->p2m_lock);
	v->stats.flushed_pages += pages;
	v->stats.flush_slices++;
	v->flush.active = !done;
	return done;
}

bool flush_s2_fault(struct vcpu *v, uint64_t ipa)
{
	struct domain *d = v->dom;
	uint64_t pages = 0;
	bool mapped;

	if (ipa < FLUSH_RAM_START || !cp_tracks_touched(d->cache_policy))
		return false;
	spin_lock(&d->p2m_lock);
	if (cp_s2_lazy(&v->cache) && cp_s2_clean_before_map(d->cache_policy)) {
		/*
		 * s2-fault with the caches off: page by page (a whole block if no
		 * table can be had), what the builder or the caches hold reaching
		 * the PoC before the guest reads around them.
		 */
		pt_split_parked(&d->p2m, ipa);
		mapped = pt_unpark(&d->p2m, ipa, flush_clean_leaf, &pages);
	} else {
		/* Caches on: a block split for the lazy mapping is one block again. */
		pt_merge_split(&d->p2m, ipa);
		mapped = pt_unpark(&d->p2m, ipa, NULL, NULL);
	}
	spin_unlock(&d->p2m_lock);
	v->stats.s2_faults++;
	v->stats.flushed_pages += pages;
	return mapped;
}
