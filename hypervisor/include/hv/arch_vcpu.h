/*
 * The arch seam for running guests: what the core asks of an architecture
 * to set up, switch, run and stop vCPUs.
 */
#ifndef HV_ARCH_VCPU_H
#define HV_ARCH_VCPU_H

#include "cachet/public/abi.h"
#include "hv/types.h"

struct vcpu;
struct domain;

/* Whether @ctx is an acceptable first state for a vCPU (mode, reserved bits). */
bool arch_vcpu_context_valid(const struct cachet_vcpu_context *ctx, bool aarch32);
/*
 * The first state of a vCPU started by PSCI CPU_ON at @entry with
 * @context_id (Arm DEN0022 6.4: MMU off, interrupts masked, the context id
 * in x0 or r0; for AArch32, entry bit 0 selects the Thumb state).
 */
void arch_vcpu_on_context(struct cachet_vcpu_context *ctx, uint64_t entry, uint64_t context_id,
			  bool aarch32);
/* Puts the vCPU in its reset state with the registers of @ctx. */
void arch_vcpu_reset(struct vcpu *v, const struct cachet_vcpu_context *ctx, bool aarch32);
/* Makes @v the vCPU whose state is in this pCPU's registers (from @prev, may be NULL). */
void arch_vcpu_switch(struct vcpu *prev, struct vcpu *v);
/* Forgets any vCPU state this pCPU holds for @v (it is being destroyed). */
void arch_vcpu_forget(struct vcpu *v);
/* Saves @v's state from this pCPU's registers, so another pCPU can run it. */
void arch_vcpu_put(struct vcpu *v);
/* The vCPU whose state this pCPU's registers hold, or NULL. */
struct vcpu *arch_loaded_vcpu(void);
/*
 * For a vCPU whose timer is in no pCPU's registers: the physical counter
 * value at which it fires.  False if it is loaded (its timer interrupts by
 * itself) or will not fire.
 */
bool arch_vcpu_timer_deadline(const struct vcpu *v, uint64_t *counter);
/*
 * For a vCPU whose timer is not in this pCPU's registers: raises its timer
 * interrupt if the deadline passed.  Returns whether it did.
 */
bool arch_vcpu_poll_timer(struct vcpu *v);
/* Runs @v until its next exit and handles that exit. */
void arch_vcpu_run(struct vcpu *v);
/* Makes pCPU @cpu leave its guest and look at its run queue again. */
void arch_kick_cpu(unsigned int cpu);
/* Zeroes one page (a page handed to or taken from a guest). */
void arch_page_zero(void *page);
/*
 * Invalidates all instruction caches to the PoU on every CPU, so a guest does
 * not execute stale instructions for memory the builder wrote.
 */
void arch_icache_inval_all(void);
/* Usable VMIDs: 1 .. arch_vmid_count() - 1 (VMID 0 is never given to a guest). */
unsigned int arch_vmid_count(void);

#endif
