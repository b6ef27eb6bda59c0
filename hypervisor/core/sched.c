/* vCPU scheduling (see hv/sched.h). */
#include "hv/sched.h"

#include "hv/arch_vcpu.h"
#include "hv/domain.h"
#include "hv/flush.h"
#include "hv/doorbell.h"
#include "hv/mbox.h"
#include "hv/scrub.h"
#include "hv/smp.h"
#include "hv/time.h"
#include "hv/vgic.h"

#define SCHED_QUIESCE_TIMEOUT_US 1000000
#define SCHED_SLOTS (CONFIG_MAX_DOMAINS * CONFIG_MAX_VCPUS)

extern struct domain domains[CONFIG_MAX_DOMAINS];

struct sched_cpu {
	unsigned int next;        /* round-robin cursor over all vCPU slots */
	struct vcpu *loaded;      /* whose registers this pCPU holds */
	unsigned int nr_assigned;
	uint64_t scan_seq;        /* odd while scanning the domain slots (sched_scan_begin) */
};

static struct sched_cpu sched_cpus[CONFIG_MAX_CPUS];
static bool sched_tickless; /* idle pCPUs may stop their tick (after the boot self-tests) */

/* vCPU slot @i, or NULL if its domain slot is free or the vCPU does not exist. */
static struct vcpu *sched_slot(unsigned int i)
{
	struct domain *d = &domains[i / CONFIG_MAX_VCPUS];

	if (!__atomic_load_n(&d->in_use, __ATOMIC_ACQUIRE) || i % CONFIG_MAX_VCPUS >= d->max_vcpus)
		return NULL;
	return &d->vcpus[i % CONFIG_MAX_VCPUS];
}

/*
 * How far a scan moves on from slot @i: past the rest of a domain slot
 * when @i holds no vCPU (no later vCPU of that domain exists either), so
 * that a scan costs the vCPUs that exist, not every slot there could be.
 */
static unsigned int sched_slot_step(unsigned int i, const struct vcpu *v)
{
	return v != NULL ? 1 : CONFIG_MAX_VCPUS - i % CONFIG_MAX_VCPUS;
}

/*
 * A vCPU waiting in WFI with no interrupt enabled that could ever wake it
 * (a bare-metal guest polling the counter) is woken at each tick, as WFI
 * may wake for no reason: such a guest must not sleep forever.
 */
static bool sched_wakes_on_tick(struct vcpu *v)
{
	return this_cpu()->ticks != v->block_tick && !vgic_can_wake(v);
}

/*
 * A blocked vCPU wakes when it has an interrupt to take, its timer
 * included: a loaded timer interrupts this pCPU by itself, a saved one is
 * the deadline an idle pCPU sleeps until (sched_idle), and whoever injects
 * an interrupt kicks the pCPU of the vCPU it is for.
 */
bool sched_throttled(struct vcpu *v)
{
	if (v->throttle_until_us == 0)
		return false;
	if (time_now_us() < v->throttle_until_us)
		return true;
	v->throttle_until_us = 0;
	return false;
}

static bool sched_wants_cpu(struct vcpu *v, unsigned int cpu)
{
	if (v == NULL || v->pcpu != cpu || v->pcpu_next != cpu || sched_throttled(v))
		return false;
	if (v->state == VCPU_BLOCKED &&
	    (arch_vcpu_poll_timer(v) || vgic_has_pending(v) || sched_wakes_on_tick(v)))
		v->state = VCPU_RUNNABLE;
	return v->state == VCPU_RUNNABLE && domain_runnable(v->dom);
}

/*
 * Hands vCPUs whose affinity moved them away to their new pCPU.  Only this
 * pCPU may do it: it alone can save the state its registers hold.
 */
static void sched_migrate_out(struct sched_cpu *sc, unsigned int cpu)
{
	struct vcpu *v;

	for (unsigned int i = 0; i < SCHED_SLOTS; i += sched_slot_step(i, v)) {
		unsigned int to;

		v = sched_slot(i);
		if (v == NULL || v->pcpu != cpu || v->pcpu_next == cpu)
			continue;
		to = __atomic_load_n(&v->pcpu_next, __ATOMIC_ACQUIRE);
		arch_vcpu_put(v);
		if (sc->loaded == v)
			sc->loaded = NULL;
		sc->nr_assigned--;
		sched_cpus[to].nr_assigned++;
		__atomic_store_n(&v->pcpu, to, __ATOMIC_RELEASE);
		arch_kick_cpu(to);
	}
}

static struct vcpu *sched_pick(unsigned int cpu)
{
	struct sched_cpu *sc = &sched_cpus[cpu];
	struct vcpu *v;

	for (unsigned int n = 0; n < SCHED_SLOTS; n += sched_slot_step((sc->next + n) % SCHED_SLOTS, v)) {
		v = sched_slot((sc->next + n) % SCHED_SLOTS);
		if (sched_wants_cpu(v, cpu)) {
			sc->next = (sc->next + n + 1) % SCHED_SLOTS;
			return v;
		}
	}
	return NULL;
}

/*
 * Claims @v for this pCPU.  running is published before the domain state is
 * checked again, and sched_quiesce() changes the state before it reads
 * running, so one of the two always sees the other.
 */
static bool sched_claim(struct vcpu *v)
{
	__atomic_store_n(&v->running, true, __ATOMIC_SEQ_CST);
	if (domain_runnable(v->dom) && v->state == VCPU_RUNNABLE)
		return true;
	__atomic_store_n(&v->running, false, __ATOMIC_RELEASE);
	return false;
}

/*
 * Whether @v may go straight back into the guest after an exit: most exits
 * (MMIO, trapped registers) change nothing the scheduler cares about, and
 * the full loop is costly; an interrupt that matters sets resched.
 */
static bool sched_keep_running(struct vcpu *v, unsigned int cpu)
{
	return !this_cpu()->resched &&
	       __atomic_load_n(&v->state, __ATOMIC_ACQUIRE) == VCPU_RUNNABLE &&
	       !domain_vcpu_on_pending(v) && domain_runnable(v->dom) &&
	       __atomic_load_n(&v->pcpu_next, __ATOMIC_ACQUIRE) == cpu;
}

/*
 * The next slice of @v's pending flush, if it has one; true once none is
 * left.  The guest asked for that work: it pays for its time (sched_charge),
 * not its neighbours.
 */
static bool sched_flush_slice(struct vcpu *v)
{
	uint64_t start;
	bool done;

	if (!v->flush.active)
		return true;
	start = time_now_us();
	done = flush_continue(v);
	sched_charge(v, time_now_us() - start);
	return done;
}

/*
 * The tick shares a pCPU between the vCPUs it holds.  A pCPU holding one
 * vCPU has nobody to share with, and whatever gives it another kicks it
 * (placement at unpause, migration, CPU_ON), so it runs that vCPU without
 * a tick, once the boot self-tests are over: a tick interrupt costs a guest
 * exit and the timer's registers, all slow under emulation.  CPU 0 keeps
 * its tick while it runs a vCPU, so that mailbox requests posted without a
 * doorbell are found (sched_idle_deadline for an idle CPU 0).
 */
static bool sched_needs_tick(const struct sched_cpu *sc, unsigned int cpu)
{
	return cpu == 0 || sc->nr_assigned > 1 || !__atomic_load_n(&sched_tickless, __ATOMIC_ACQUIRE);
}

static void sched_run_one(struct sched_cpu *sc, struct vcpu *v)
{
	uint64_t start = time_now_us();
	unsigned int cpu = arch_cpu_index();

	/* A tick a wake-up deadline restarted stops again (free when already stopped). */
	if (sched_needs_tick(sc, cpu))
		arch_tick_restart();
	else
		arch_tick_stop_until(UINT64_MAX);
	if (domain_vcpu_on_pending(v))
		domain_vcpu_power_on(v);
	arch_vcpu_switch(sc->loaded, v);
	sc->loaded = v;
	this_cpu()->resched = false;
	/* A pending flush runs in slices; between them, others get the pCPU (hv/flush.h). */
	while (sched_flush_slice(v)) {
		arch_vcpu_run(v);
		if (!sched_keep_running(v, cpu))
			break;
	}
	v->cpu_time_ns += (time_now_us() - start) * 1000;
	__atomic_store_n(&v->running, false, __ATOMIC_RELEASE);
}

/*
 * The next moment a vCPU this pCPU holds wants it (the earliest saved timer
 * of a blocked one, the end of a throttled one's penalty), as a counter
 * value, or UINT64_MAX; false if one of them needs the tick
 * (sched_wakes_on_tick).
 */
static bool sched_next_deadline(unsigned int cpu, uint64_t *next)
{
	struct vcpu *v;
	uint64_t t;

	*next = UINT64_MAX;
	for (unsigned int i = 0; i < SCHED_SLOTS; i += sched_slot_step(i, v)) {
		v = sched_slot(i);
		if (v == NULL || v->pcpu != cpu)
			continue;
		if (v->throttle_until_us != 0 && time_us_to_counter(v->throttle_until_us) < *next)
			*next = time_us_to_counter(v->throttle_until_us);
		if (v->state != VCPU_BLOCKED)
			continue;
		if (!vgic_can_wake(v))
			return false;
		if (arch_vcpu_timer_deadline(v, &t) && t < *next)
			*next = t;
	}
	return true;
}

/*
 * Until when idle pCPU @cpu may sleep without its tick (a counter value);
 * false if it needs the tick.  CPU 0 serves the mailbox too: it keeps its
 * tick while requests come without a doorbell, else it looks at the
 * mailbox at the backstop (hv/mbox.h).
 */
static bool sched_idle_deadline(unsigned int cpu, uint64_t *next)
{
	uint64_t backstop;

	if (!sched_next_deadline(cpu, next))
		return false;
	if (cpu != 0)
		return true;
	if (mbox_needs_tick())
		return false;
	backstop = mbox_backstop();
	if (backstop < *next)
		*next = backstop;
	return true;
}

/*
 * Nothing to run: CPU 0 first polls the mailbox while requests come in
 * bursts; then scrub freed memory while there is some, else sleep.  CPU 0
 * scrubs only when it is the only pCPU: it serves the management mailbox.
 * Every pCPU sleeps without a tick (sched_idle_deadline), until the next
 * saved timer of a vCPU it holds or an interrupt (a kick, a loaded vCPU's
 * timer, the mailbox doorbell).
 */
static void sched_idle(unsigned int cpu)
{
	uint64_t next;

	if (cpu == 0 && mbox_spin())
		return;
	if ((cpu != 0 || smp_online_count() == 1) && scrub_idle_step()) {
		arch_take_pending_irqs();
		return;
	}
	doorbell_steer(cpu);
	if (sched_tickless) {
		/* Its vCPU may have run without a tick (sched_needs_tick): a waiter may need one. */
		if (sched_idle_deadline(cpu, &next))
			arch_tick_stop_until(next);
		else
			arch_tick_restart();
	}
	sched_scan_end();
	arch_wait_for_interrupt();
}

void sched_allow_tickless(void)
{
	__atomic_store_n(&sched_tickless, true, __ATOMIC_RELEASE);
}

void sched_run(void)
{
	unsigned int cpu = arch_cpu_index();
	struct sched_cpu *sc = &sched_cpus[cpu];

	for (;;) {
		struct vcpu *v;

		sched_scan_begin();
		if (cpu == 0)
			mbox_poll();
		else if (this_cpu()->doorbell)
			doorbell_serve();
		sched_migrate_out(sc, cpu);
		v = sched_pick(cpu);
		if (v == NULL || !sched_claim(v)) {
			sched_idle(cpu);
			continue;
		}
		/* From here on only @v is used, and it is claimed (sched_quiesce). */
		sched_scan_end();
		sched_run_one(sc, v);
	}
}

void sched_block(struct vcpu *v)
{
	if (vgic_has_pending(v))
		return; /* WFI completes at once */
	v->block_tick = this_cpu()->ticks;
	v->state = VCPU_BLOCKED;
	/* An interrupt injected meanwhile must not be slept through. */
	if (vgic_has_pending(v))
		v->state = VCPU_RUNNABLE;
}

/*
 * A pCPU's load for placement.  CPU 0 serves the management mailbox (every
 * doorbell interrupts what runs there), so it counts as carrying one vCPU
 * already: guests go elsewhere first.
 */
static unsigned int sched_load(unsigned int cpu)
{
	return sched_cpus[cpu].nr_assigned + (cpu == 0 ? 1 : 0);
}

unsigned int sched_place(uint64_t affinity)
{
	unsigned int best = CONFIG_MAX_CPUS;

	for (unsigned int cpu = 0; cpu < CONFIG_MAX_CPUS; cpu++) {
		if (!percpu[cpu].online || !(affinity & (UINT64_C(1) << cpu)))
			continue;
		if (best == CONFIG_MAX_CPUS || sched_load(cpu) < sched_load(best))
			best = cpu;
	}
	if (best == CONFIG_MAX_CPUS)
		best = 0;
	sched_cpus[best].nr_assigned++;
	return best;
}

void sched_migrate(struct vcpu *v, unsigned int to)
{
	/* sched_place() counted it on @to already; the move itself recounts. */
	sched_cpus[to].nr_assigned--;
	__atomic_store_n(&v->pcpu_next, to, __ATOMIC_RELEASE);
	arch_kick_cpu(v->pcpu);
}

static bool domain_idle(void *arg)
{
	struct domain *d = arg;

	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		if (__atomic_load_n(&d->vcpus[i].running, __ATOMIC_SEQ_CST))
			return false;
	}
	return true;
}

bool sched_quiesce(struct domain *d)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (unsigned int i = 0; i < d->max_vcpus; i++)
		arch_kick_cpu(d->vcpus[i].pcpu);
	return time_wait_until(domain_idle, d, SCHED_QUIESCE_TIMEOUT_US);
}

void sched_release(struct vcpu *v)
{
	/*
	 * A pCPU may still point at @v as its loaded vCPU; forgetting the load
	 * generation makes it neither save into nor reuse that state.
	 */
	if (sched_cpus[v->pcpu].nr_assigned > 0)
		sched_cpus[v->pcpu].nr_assigned--;
	arch_vcpu_forget(v);
}

void sched_scan_begin(void)
{
	struct sched_cpu *sc = &sched_cpus[arch_cpu_index()];

	/* Still odd from a pass that ended early: moving on says that scan is over. */
	__atomic_store_n(&sc->scan_seq, sc->scan_seq + ((sc->scan_seq & 1) ? 2 : 1),
			 __ATOMIC_RELAXED);
	/* The new sequence is visible before any slot is read (see sched_slot_retire). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void sched_scan_end(void)
{
	struct sched_cpu *sc = &sched_cpus[arch_cpu_index()];

	if (sc->scan_seq & 1)
		__atomic_store_n(&sc->scan_seq, sc->scan_seq + 1, __ATOMIC_RELEASE);
}

/*
 * Called after in_use was cleared: a pCPU whose sequence is even now starts
 * its next scan after this point (the fence pairs with sched_scan_begin's)
 * and sees the slot free; one in a scan may have seen it live.
 */
void sched_slot_retire(struct domain *d)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (unsigned int cpu = 0; cpu < CONFIG_MAX_CPUS; cpu++)
		d->retire_seq[cpu] = __atomic_load_n(&sched_cpus[cpu].scan_seq, __ATOMIC_SEQ_CST);
}

/* Whether pCPU @cpu may still be in a scan that saw @d live. */
static bool sched_slot_seen_by(const struct domain *d, unsigned int cpu)
{
	return cpu != arch_cpu_index() && percpu[cpu].online && (d->retire_seq[cpu] & 1) &&
	       __atomic_load_n(&sched_cpus[cpu].scan_seq, __ATOMIC_ACQUIRE) == d->retire_seq[cpu];
}

bool sched_slot_reusable(const struct domain *d)
{
	for (unsigned int cpu = 0; cpu < CONFIG_MAX_CPUS; cpu++) {
		if (sched_slot_seen_by(d, cpu))
			return false;
	}
	return true;
}

static bool sched_slot_reusable_cb(void *arg)
{
	return sched_slot_reusable(arg);
}

bool sched_slot_wait(struct domain *d)
{
	for (unsigned int cpu = 0; cpu < CONFIG_MAX_CPUS; cpu++) {
		if (sched_slot_seen_by(d, cpu))
			arch_kick_cpu(cpu);
	}
	return time_wait_until(sched_slot_reusable_cb, d, SCHED_QUIESCE_TIMEOUT_US);
}

void sched_charge(struct vcpu *v, uint64_t busy_us)
{
	if (busy_us == 0)
		return;
	v->throttle_until_us = time_now_us() + busy_us;
	this_cpu()->resched = true;
}
