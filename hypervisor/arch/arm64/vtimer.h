/* The guest's virtual timer (arch-internal). */
#ifndef ARCH_ARM64_VTIMER_H
#define ARCH_ARM64_VTIMER_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/vcpu_state.h"

struct vcpu;

void vtimer_sync(struct vcpu *v);
void vtimer_flush(struct vcpu *v);
void vtimer_save(struct arch_vtimer_state *s);
void vtimer_restore(const struct arch_vtimer_state *s);
/* For a vCPU whose timer is not loaded: has it fired? */
bool vtimer_expired(const struct arch_vtimer_state *s);
/* For a timer not loaded: the physical counter value it fires at; false if never. */
bool vtimer_deadline(const struct arch_vtimer_state *s, uint64_t *counter);
/* The physical PPI 27 arrived; @loaded is this pCPU's loaded vCPU (or NULL). */
void vtimer_irq(struct vcpu *loaded);

#endif
