/* Guest cache-coherency policy (see hv/cache_policy.h). */
#include "hv/cache_policy.h"

void cp_init(struct cp_state *s, enum cachet_cache_policy policy)
{
	bool trap = policy == CACHET_CACHE_DC_TVM;

	*s = (struct cp_state){ .policy = policy, .dc = trap, .tvm = trap };
}

bool cp_caches_on(const struct cp_state *s)
{
	return s->m && s->c;
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

	if (s->policy != CACHET_CACHE_DC_TVM) {
		s->m = m;
		s->c = c;
		return CP_FLUSH_NONE;
	}
	if (m && s->dc) {
		cp_set_dc(s, false, st);
		dc_dropped = true;
	} else if (!m && !s->dc) {
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
	if (s->policy == CACHET_CACHE_DC_TVM && s->tvm)
		return CP_FLUSH_NONE; /* the coming cache toggle flushes */
	if (s->policy == CACHET_CACHE_DC_TVM)
		cp_set_tvm(s, true, st);
	return cp_flush(s, CP_FLUSH_SETWAY, st);
}
