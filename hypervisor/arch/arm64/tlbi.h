/*
 * Guest TLB maintenance, kept on the guest's pCPU where it can be
 * (arch-internal).  An AArch64 domain runs with HCR_EL2.TTLB set: its TLBI
 * instructions trap, and the hypervisor does each one on this pCPU alone
 * unless another vCPU of the domain is executing guest code at that moment
 * (then an Inner Shareable instruction is broadcast, as the guest asked).
 * Under QEMU a broadcast stops every emulated CPU and wakes the idle ones;
 * during an SMP boot the other vCPUs mostly wait in WFI, so most of a
 * boot's tens of thousands of TLBIs stay local.  What a local operation
 * leaves behind on other pCPUs is invalidated there before a vCPU of the
 * domain next enters the guest on them (tlbi_track.h).  A vCPU that starts
 * on a pCPU other than the one it last ran on also invalidates its VMID and
 * the instruction cache there first (tlbi_vcpu_arrive): a single-vCPU
 * domain runs with FB clear, so its local I-cache maintenance did not reach
 * the old pCPU's neighbours.  Stage-2 changes by the hypervisor itself are
 * broadcast as before.
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
/*
 * The Inner Shareable form of @enc if the guest asked for a shareable
 * scope (Inner or Outer Shareable); 0 for a local form or a non-TLBI.
 */
uint64_t tlbi_shareable_twin(uint64_t enc);
/* Performs @v's trapped instruction @enc with operand @val; false if not a TLBI. */
bool tlbi_emulate(struct vcpu *v, uint64_t enc, uint64_t val);
/* Whether @v's guest TLB maintenance traps (HCR_EL2 bits). */
uint64_t tlbi_hcr_bits(const struct vcpu *v, bool aarch32);
/* @v's VMID is loaded on this pCPU: forget what an earlier stay here left. */
void tlbi_vcpu_arrive(struct vcpu *v);
/* @v enters the guest on this pCPU next: invalidates what others' local TLBIs left here. */
void tlbi_guest_enter(struct vcpu *v);
/* @v left the guest: its TLBIs no longer need to reach this pCPU at once. */
void tlbi_guest_exit(struct vcpu *v);

#endif
