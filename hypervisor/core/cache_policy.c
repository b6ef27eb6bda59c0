/* Guest cache-coherency policy (see hv/cache_policy.h). */
#include "hv/cache_policy.h"

void cp_init(struct cp_state *s, enum cachet_cache_policy policy)
{
	*s = (struct cp_state){
		.policy = policy,
		.dc = policy == CACHET_CACHE_DC_TVM,
		.tvm = policy == CACHET_CACHE_DC_TVM || policy == CACHET_CACHE_S2_FAULT,
		.fwb = cp_s2_forced_wb(policy),
		/* Without DC, a vCPU's first accesses bypass the caches. */
		.uncached_run = policy == CACHET_CACHE_S2_FAULT,
	};
}

bool cp_s2_forced_wb(enum cachet_cache_policy policy)
{
	return policy == CACHET_CACHE_S2FWB;
}

bool cp_caches_on(const struct cp_state *s)
{
	return s->m && s->c;
}

bool cp_tracks_touched(enum cachet_cache_policy policy)
{
	return policy == CACHET_CACHE_DC_TVM || policy == CACHET_CACHE_S2_FAULT ||
	       policy == CACHET_CACHE_FLUSH_LOAD;
}

bool cp_honours_builder_flush(enum cachet_cache_policy policy)
{
	return policy != CACHET_CACHE_NONE;
}

bool cp_s2_lazy(const struct cp_state *s)
{
	return s->policy == CACHET_CACHE_S2_FAULT && !cp_caches_on(s);
}

bool cp_s2_clean_before_map(enum cachet_cache_policy policy)
{
	return policy == CACHET_CACHE_S2_FAULT;
}

/* The policies that follow the guest's SCTLR_EL1 through TVM traps. */
static bool cp_tracks_sctlr(const struct cp_state *s)
{
	return s->policy == CACHET_CACHE_DC_TVM || s->policy == CACHET_CACHE_S2_FAULT;
}

/* Records which kind of flush is due and counts it. */
static enum cp_flush_reason cp_flush(struct cp_state *s, enum cp_flush_reason why,
				     struct cachet_vcpu_stats *st)
{
	s->uncached_run = false;
	if (why == CP_FLUSH_DC_DROP)
		st->flush_dc_drop++;
	else if (why == CP_FLUSH_TOGGLE)
		st->flush_toggle++;
	else if (why == CP_FLUSH_SETWAY)
		st->flush_setway++;
	return why;
}

static void cp_set_dc(struct cp_state *s, bool on, struct cachet_vcpu_stats *st)
{
	if (s->dc == on)
		return;
	s->dc = on;
	if (on)
		st->dc_sets++;
	else
		st->dc_clears++;
}

static void cp_set_tvm(struct cp_state *s, bool on, struct cachet_vcpu_stats *st)
{
	if (s->tvm == on)
		return;
	s->tvm = on;
	if (on)
		st->tvm_sets++;
	else
		st->tvm_clears++;
}

enum cp_flush_reason cp_sctlr_write(struct cp_state *s, bool m, bool c,
				    struct cachet_vcpu_stats *st)
{
	bool was_on = cp_caches_on(s), dc_dropped = false, dc_raised = false;
	enum cp_flush_reason why = CP_FLUSH_NONE;

	if (!cp_tracks_sctlr(s)) {
		s->m = m;
		s->c = c;
		return CP_FLUSH_NONE;
	}
	if (s->policy == CACHET_CACHE_DC_TVM && m && s->dc) {
		cp_set_dc(s, false, st);
		dc_dropped = true;
	} else if (s->policy == CACHET_CACHE_DC_TVM && !m && !s->dc) {
		/* MMU off again (reboot, kexec): back to the boot-time state. */
		cp_set_dc(s, true, st);
		dc_raised = true;
	}
	s->m = m;
	s->c = c;
	if (dc_dropped && !c)
		why = cp_flush(s, CP_FLUSH_DC_DROP, st);
	else if (dc_raised && s->uncached_run)
		/* Non-cacheable writes are about to be read through the caches. */
		why = cp_flush(s, CP_FLUSH_TOGGLE, st);
	else if (was_on != cp_caches_on(s) && (was_on || s->uncached_run))
		why = cp_flush(s, CP_FLUSH_TOGGLE, st);
	/* M without C, or C without DC and M: the guest's accesses bypass caches. */
	if (!cp_caches_on(s) && !s->dc)
		s->uncached_run = true;
	cp_set_tvm(s, !cp_caches_on(s), st);
	return why;
}

enum cp_flush_reason cp_set_way(struct cp_state *s, struct cachet_vcpu_stats *st)
{
	st->setway_traps++;
	/* Forced write-back leaves nothing for set/way to do; none does nothing on purpose. */
	if (s->policy == CACHET_CACHE_S2FWB || s->policy == CACHET_CACHE_NONE)
		return CP_FLUSH_NONE;
	if (!cp_tracks_sctlr(s))
		return cp_flush(s, CP_FLUSH_SETWAY, st);
	if (s->tvm)
		return CP_FLUSH_NONE; /* the coming cache toggle flushes */
	cp_set_tvm(s, true, st);
	return cp_flush(s, CP_FLUSH_SETWAY, st);
}
