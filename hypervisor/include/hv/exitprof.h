/*
 * The exit profile: how many exits of each class a vCPU takes and how long
 * the hypervisor spends on them, kept in its struct cachet_vcpu_stats
 * (abi.h explains the fields).  Reading the system counter traps to the
 * emulator's global lock under QEMU, as costly as the work it would time,
 * so only a random one in CACHET_EXIT_PROFILE_SAMPLE exits is timed and
 * its time counted that many times over.  The choice is random, not every
 * n-th exit, because exits come in fixed patterns (a UART character is a
 * flag read, then a data write) that a fixed stride would alias with.
 */
#ifndef HV_EXITPROF_H
#define HV_EXITPROF_H

#include "hv/types.h"

struct vcpu;

enum exitprof_class {
	EXITPROF_MMIO,   /* a data abort emulated by a virtual device */
	EXITPROF_SYSREG, /* a trapped system register or AArch32 coprocessor access */
	EXITPROF_WFX,    /* WFI or WFE */
	EXITPROF_IRQ,    /* a physical interrupt: tick, kick, mailbox, a vCPU's timer */
	EXITPROF_OTHER,  /* HVC, SMC, stage-2 faults on RAM, everything else */
};

/* Whether the exit @v just took is to be timed (advances its random choice). */
bool exitprof_sample(struct vcpu *v);

/* Counts an exit of class @cls; @ticks is its time if exitprof_sample() chose it. */
void exitprof_account(struct vcpu *v, enum exitprof_class cls, bool timed, uint64_t ticks);

#endif
