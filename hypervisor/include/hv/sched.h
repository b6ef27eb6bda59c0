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
 * Waits until every other online pCPU has finished the scheduling pass it
 * was in (so none still looks at a domain slot that was freed before the
 * call); false if one did not within the quiesce timeout.
 */
bool sched_sync(void);
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
