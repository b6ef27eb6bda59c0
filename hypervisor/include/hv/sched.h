/*
 * The vCPU scheduler: every pCPU runs the runnable vCPUs assigned to it in
 * turn, one timer tick at a time, and sleeps in WFI when it has none.
 */
#ifndef HV_SCHED_H
#define HV_SCHED_H

struct vcpu;
struct domain;

#include <stdbool.h>

/* The pCPU's main loop; never returns. */
void sched_run(void) __attribute__((noreturn));
/* @v waits (WFI) until it has work; for now, until the next tick. */
void sched_block(struct vcpu *v);
/* Chooses the pCPU a new vCPU runs on. */
unsigned int sched_place(void);
/* Stops running vCPUs of @d everywhere and waits until none runs. */
bool sched_quiesce(struct domain *d);
/* Forgets @v (its domain is being destroyed): no pCPU keeps its state. */
void sched_release(struct vcpu *v);

#endif
