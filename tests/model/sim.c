/* Actors, hypervisor reactions and the scheduler of the cache model (see sim.h). */
#include "sim.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "s2.h"

#define SIM_MAX_STEPS 2000
#define SIM_EVENTS 8
#define SIM_BUILDER_CPU 0

/* The builder's clean request, served a line per step. */
struct job {
	bool active;
	unsigned int next, end;
};

struct actor {
	const struct op *ops;
	unsigned int pc, sub;   /* sub: the set a set/way loop is at */
	unsigned int cpu;
	struct vcpu *v;         /* the hypervisor's vCPU (policy state, flush job); NULL: builder */
	bool m, c;              /* the guest's real SCTLR_EL1.M and .C */
	struct job job;
};

struct sim {
	const struct scenario *sc;
	const struct variant *va;
	struct hw hw;
	struct rng rng;
	struct actor a[1 + SIM_VCPUS];
	uint32_t expect[HW_LINES];
	struct domain *dom;
	bool event[SIM_EVENTS];
	bool trace;
	struct sim_result *res;
};

static void sim_log(struct sim *s, const char *fmt, ...)
{
	va_list ap;

	if (!s->trace)
		return;
	va_start(ap, fmt);
	printf("    %4llu  ", (unsigned long long)s->res->steps);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
}

static const char *actor_name(const struct sim *s, const struct actor *a)
{
	static const char *const names[] = { "builder", "vcpu0", "vcpu1" };

	return names[a - s->a];
}

static void sim_fail(struct sim *s, const struct actor *a, unsigned int line, uint32_t got)
{
	snprintf(s->res->why, sizeof(s->res->why),
		 "%s read line %u = %#x, expected %#x (stale) at step %llu", actor_name(s, a), line,
		 (unsigned)got, (unsigned)s->expect[line], (unsigned long long)s->res->steps);
	s->res->failed = true;
	sim_log(s, "STALE READ: %s", s->res->why);
}

/*
 * The attributes of a guest data access (Arm ARM D8.2 and D8.6): FWB with a
 * write-back stage 2 forces Normal WB; DC makes stage 1 behave as if off
 * with Normal WB; otherwise MMU off means Device and M without C means
 * Non-cacheable.  Guest page tables map RAM write-back, and stage 2 is
 * write-back for RAM, so caches on means cacheable.
 */
static bool vcpu_cacheable(const struct actor *a)
{
	if (!a->v || a->v->cache.fwb || a->v->cache.dc)
		return true;
	return a->m && a->c;
}

/* The hypervisor's flush code ran: its cache maintenance reaches the model's caches. */
static void sim_hv_done(struct sim *s)
{
	s2_replay_maintenance(&s->hw);
}

static void flush_step(struct sim *s, struct actor *a)
{
	uint64_t before = a->v->stats.flushed_pages;

	flush_continue(a->v);
	sim_hv_done(s);
	s->res->pages_flushed += a->v->stats.flushed_pages - before;
	sim_log(s, "%s: hypervisor flush slice (%llu pages)%s", actor_name(s, a),
		(unsigned long long)(a->v->stats.flushed_pages - before),
		a->v->flush.active ? "" : ", flush complete");
}

static void vm_flush(struct sim *s, struct actor *a, enum cp_flush_reason why)
{
	if (why == CP_FLUSH_NONE)
		return;
	s->res->flushes++;
	flush_start(a->v, why);
	sim_log(s, "%s: hypervisor starts a VM flush (reason %d)", actor_name(s, a), why);
}

/* A stage-2 fault on a parked leaf; the access is retried at the vCPU's next step. */
static bool s2_fault(struct sim *s, struct actor *a, unsigned int line)
{
	uint64_t before;

	if (!a->v || s2_line_valid(s->dom, line))
		return false;
	before = a->v->stats.flushed_pages;
	if (!flush_s2_fault(a->v, s2_line_ipa(line))) {
		snprintf(s->res->why, sizeof(s->res->why), "%s: stage-2 fault on line %u not resolved",
			 actor_name(s, a), line);
		s->res->failed = true;
	}
	sim_hv_done(s);
	s->res->pages_flushed += a->v->stats.flushed_pages - before;
	sim_log(s, "%s: stage-2 fault on line %u (%llu pages cleaned)", actor_name(s, a), line,
		(unsigned long long)(a->v->stats.flushed_pages - before));
	return true;
}

static void builder_job_step(struct sim *s, struct actor *a)
{
	struct job *j = &a->job;

	hw_clean_inval_va(&s->hw, j->next);
	sim_log(s, "builder: hypervisor cleans+invalidates line %u by VA", j->next);
	s->res->pages_flushed += S2_LINE_BYTES / PAGE_SIZE;
	if (++j->next == j->end)
		j->active = false;
}

static void op_sctlr(struct sim *s, struct actor *a, const struct op *o)
{
	enum cp_flush_reason why;

	a->m = o->m;
	a->c = o->c;
	if (!a->v->cache.tvm) {
		sim_log(s, "%s: SCTLR_EL1 M=%d C=%d (not trapped)", actor_name(s, a), o->m, o->c);
		return;
	}
	a->v->stats.tvm_traps++;
	why = cp_sctlr_write(&a->v->cache, o->m, o->c, &a->v->stats);
	sim_log(s, "%s: SCTLR_EL1 M=%d C=%d trapped: DC=%d TVM=%d flush=%d", actor_name(s, a), o->m,
		o->c, a->v->cache.dc, a->v->cache.tvm, why);
	if (why == CP_FLUSH_DC_DROP && s->va->drop_dc_drop_flush)
		why = CP_FLUSH_NONE;
	vm_flush(s, a, why);
}

static void op_setway(struct sim *s, struct actor *a)
{
	if (s->va->setway_on_hw) {
		hw_clean_inval_set(&s->hw, a->cpu, a->sub);
		sim_log(s, "%s: DC CISW set %u on cpu%u (not trapped)", actor_name(s, a), a->sub, a->cpu);
	} else {
		enum cp_flush_reason why = cp_set_way(&a->v->cache, &a->v->stats);

		sim_log(s, "%s: DC CISW set %u trapped: TVM=%d flush=%d", actor_name(s, a), a->sub,
			a->v->cache.tvm, why);
		vm_flush(s, a, why);
	}
	if (++a->sub < HW_SETS)
		return;
	a->sub = 0;
	a->pc++;
}

static void op_access(struct sim *s, struct actor *a, const struct op *o)
{
	bool wb = vcpu_cacheable(a);

	if (s2_fault(s, a, o->line))
		return; /* the access is retried once the page is mapped */
	if (o->kind == OP_STORE) {
		hw_write(&s->hw, &s->rng, a->cpu, o->line, o->val, wb);
		s->expect[o->line] = o->val;
		sim_log(s, "%s: store line %u = %#x (%s) on cpu%u", actor_name(s, a), o->line,
			(unsigned)o->val, wb ? "WB" : "NC", a->cpu);
	} else {
		uint32_t got = hw_read(&s->hw, &s->rng, a->cpu, o->line, wb);

		sim_log(s, "%s: load line %u = %#x (%s) on cpu%u", actor_name(s, a), o->line,
			(unsigned)got, wb ? "WB" : "NC", a->cpu);
		if (got != s->expect[o->line])
			sim_fail(s, a, o->line, got);
	}
	a->pc++;
}

static void op_flush(struct sim *s, struct actor *a, const struct op *o)
{
	a->pc++;
	if (!cp_honours_builder_flush(s->va->policy)) {
		sim_log(s, "builder: cache_flush request ignored by the policy");
		return;
	}
	a->job = (struct job){ .active = true, .next = o->line, .end = o->line + o->val };
}

static bool actor_ready(const struct sim *s, const struct actor *a)
{
	const struct op *o = &a->ops[a->pc];

	if (a->job.active || (a->v && a->v->flush.active))
		return true;
	return o->kind != OP_END && (o->kind != OP_WAIT || s->event[o->val]);
}

static void actor_step(struct sim *s, struct actor *a)
{
	const struct op *o = &a->ops[a->pc];

	if (a->job.active) {
		builder_job_step(s, a);
		return;
	}
	if (a->v && a->v->flush.active) {
		flush_step(s, a);
		return;
	}
	switch (o->kind) {
	case OP_STORE:
	case OP_LOAD:
		op_access(s, a, o);
		break;
	case OP_SCTLR:
		op_sctlr(s, a, o);
		a->pc++;
		break;
	case OP_SETWAY:
		op_setway(s, a);
		break;
	case OP_FLUSH:
		op_flush(s, a, o);
		break;
	case OP_SIGNAL:
		/* The builder's signal is the domain's first unpause. */
		if (!a->v)
			flush_track_start(s->dom);
		s->event[o->val] = true;
		sim_log(s, "%s: signals event %u", actor_name(s, a), (unsigned)o->val);
		a->pc++;
		break;
	case OP_WAIT:
	case OP_END:
		a->pc++;
		break;
	}
}

static void sim_background(struct sim *s)
{
	unsigned int cpu = rng_below(&s->rng, HW_CPUS);
	unsigned int line = rng_below(&s->rng, HW_LINES);

	switch (rng_below(&s->rng, 3)) {
	case 0:
		if (hw_evict(&s->hw, &s->rng, cpu))
			sim_log(s, "cpu%u evicts a line", cpu);
		break;
	case 1: {
		struct actor *v = &s->a[1 + rng_below(&s->rng, SIM_VCPUS)];
		unsigned int to = 1 + rng_below(&s->rng, HW_CPUS - 1);

		if (s->sc->migrate && v->ops && to != v->cpu) {
			sim_log(s, "%s migrates cpu%u -> cpu%u", actor_name(s, v), v->cpu, to);
			v->cpu = to;
		}
		break;
	}
	default:
		if (hw_speculate(&s->hw, &s->rng, cpu, line))
			sim_log(s, "cpu%u speculatively fills line %u", cpu, line);
		break;
	}
}

static void sim_init(struct sim *s, const struct scenario *sc, const struct variant *va,
		     uint64_t seed, bool trace, struct sim_result *res)
{
	memset(s, 0, sizeof(*s));
	memset(res, 0, sizeof(*res));
	s->sc = sc;
	s->va = va;
	s->trace = trace;
	s->res = res;
	rng_seed(&s->rng, seed);
	hw_init(&s->hw, sc->has_sys);
	s->dom = s2_domain_new(va->policy);
	s->a[0] = (struct actor){ .ops = sc->builder, .cpu = SIM_BUILDER_CPU };
	for (unsigned int i = 0; i < SIM_VCPUS; i++)
		s->a[1 + i] = (struct actor){ .ops = sc->vcpu[i], .cpu = 1 + i,
					      .v = &s->dom->vcpus[i] };
}

void sim_run(const struct scenario *sc, const struct variant *va, uint64_t seed, bool trace,
	     struct sim_result *res)
{
	struct sim s;

	sim_init(&s, sc, va, seed, trace, res);
	while (!res->failed && res->steps++ < SIM_MAX_STEPS) {
		struct actor *ready[1 + SIM_VCPUS];
		unsigned int n = 0;

		for (unsigned int i = 0; i < 1 + SIM_VCPUS; i++)
			if (s.a[i].ops && actor_ready(&s, &s.a[i]))
				ready[n++] = &s.a[i];
		if (n == 0)
			return;
		if (rng_below(&s.rng, 100) < sc->spec_weight)
			sim_background(&s);
		else
			actor_step(&s, ready[rng_below(&s.rng, n)]);
	}
}
