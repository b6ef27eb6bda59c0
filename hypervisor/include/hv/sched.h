/*
 * The vCPU scheduler: every pCPU runs the runnable vCPUs assigned to it in
 * turn, one timer tick at a time, and sleeps in WFI when it has none.
 */
#ifndef HV_SCHED_H
#define HV_SCHED_H

struct vcpu;
struct domain;

#include <stdbool.h>
#include <stdint.h>

/* From now on idle pCPUs sleep without a tick (boot's self-tests count ticks). */
void sched_allow_tickless(void);
/* The pCPU's main loop; never returns. */
void sched_run(void) __attribute__((noreturn));
/* @v waits (WFI) until it has an interrupt to take, its timer's included. */
void sched_block(struct vcpu *v);
/* Chooses (and counts) the least loaded online pCPU in @affinity. */
unsigned int sched_place(uint64_t affinity);
/* Moves @v to pCPU @to (chosen with sched_place) at its next scheduling point. */
void sched_migrate(struct vcpu *v, unsigned int to);
/* Stops running vCPUs of @d everywhere and waits until none runs. */
bool sched_quiesce(struct domain *d);
/* Forgets @v (its domain is being destroyed): no pCPU keeps its state. */
void sched_release(struct vcpu *v);
/*
 * The scheduler reads domain slots without a lock (a slot's in_use, its
 * vCPUs' state, their vGIC under its lock).  A pCPU brackets such reads
 * with sched_scan_begin/end, which move its scan sequence: odd inside a
 * scan, even while it runs a guest or sleeps.  The pCPU loop calls them;
 * they are exported for the tests, which play other pCPUs.
 */
void sched_scan_begin(void);
void sched_scan_end(void);
/*
 * A freed slot is not cleared for reuse until every pCPU that may have read
 * it as live has finished that scan: sched_slot_retire records the scan
 * sequences when the slot is freed (after in_use is cleared);
 * sched_slot_reusable says whether each pCPU was outside a scan then or has
 * moved on since.  Neither waits nor interrupts anyone, so freeing and
 * reusing slots costs sleeping pCPUs nothing.  sched_slot_wait kicks the
 * pCPUs still in such a scan and waits for them (false after the quiesce
 * timeout), for when no other slot is free.
 */
void sched_slot_retire(struct domain *d);
bool sched_slot_reusable(const struct domain *d);
bool sched_slot_wait(struct domain *d);
/*
 * @v just spent @busy_us in the hypervisor on its own behalf (a whole-RAM
 * flush for a set/way operation): it is charged that much again as time it
 * may not run, and gives up its pCPU now.  So a guest that keeps asking for
 * such work gets at most half its pCPU, and its neighbours the rest.
 */
void sched_charge(struct vcpu *v, uint64_t busy_us);
/* Whether @v is still paying for such work (no pCPU picks it meanwhile). */
bool sched_throttled(struct vcpu *v);

#endif
