/*
 * Guest TLB maintenance done on this pCPU only (arch-internal).  A domain
 * with a single vCPU runs with HCR_EL2.TTLB set and FB clear: its TLBI
 * instructions trap, and the hypervisor performs each one for this pCPU
 * alone, where QEMU would otherwise stop every emulated CPU for a
 * broadcast.  That is enough because the vCPU's VMID has entries on no
 * other pCPU that it could still use: when the vCPU starts on a pCPU other
 * than the one it last ran on, everything of its VMID there is invalidated
 * first (tlbi_vcpu_arrive), which is what a broadcast would have done to
 * that pCPU's entries in the meantime.  Stage-2 changes by the hypervisor
 * itself are broadcast as before.
 */
#ifndef ARCH_ARM64_TLBI_H
#define ARCH_ARM64_TLBI_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

/*
 * The SYS_ENC of the local (this PE only) form of EL1 TLB maintenance
 * instruction @enc, or 0 if @enc is not one (the EL2 forms, reserved op2
 * values, other registers).
 */
uint64_t tlbi_local_twin(uint64_t enc);
/* Performs the trapped instruction @enc with operand @val locally; false if not a TLBI. */
bool tlbi_emulate(uint64_t enc, uint64_t val);
/* Whether @v's guest TLB maintenance traps and stays local (HCR_EL2 bits). */
uint64_t tlbi_hcr_bits(const struct vcpu *v, bool aarch32);
/* @v's VMID is loaded on this pCPU: forget what an earlier stay here left. */
void tlbi_vcpu_arrive(struct vcpu *v);

#endif
