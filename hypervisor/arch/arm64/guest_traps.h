/* Guest exits on arm64 (arch-internal): one handler per trap class. */
#ifndef ARCH_ARM64_GUEST_TRAPS_H
#define ARCH_ARM64_GUEST_TRAPS_H

#include <stdint.h>

#include "hv/exitprof.h"

struct vcpu;

/* Handles the exit through vector @vec; returns its class for the profile. */
enum exitprof_class guest_trap_dispatch(struct vcpu *v, int vec);
void trap_sysreg(struct vcpu *v, uint64_t esr);
/* EXITPROF_MMIO if a virtual device took the access. */
enum exitprof_class trap_dabt(struct vcpu *v, uint64_t esr);
void trap_iabt(struct vcpu *v, uint64_t esr);
/* AArch32 coprocessor accesses (trap_aa32.c); @ec is the exception class. */
void trap_aa32_cp(struct vcpu *v, uint64_t ec, uint64_t esr);
/*
 * Register @rt of a trapped instruction as its syndrome numbers it (the
 * AArch64 view): Xn, 31 reading as zero and ignoring writes; for AArch32
 * state 32 bits wide, and 15 (the PC) reading as zero and ignoring writes.
 */
uint64_t guest_reg_get(const struct vcpu *v, unsigned int rt);
void guest_reg_set(struct vcpu *v, unsigned int rt, uint64_t val);
/* Steps the guest past the trapped instruction. */
void guest_skip_insn(struct vcpu *v, uint64_t esr);
void vcpu_init_cpu(void);

#endif
