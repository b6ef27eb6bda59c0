/*
 * Entering and leaving a guest.
 *
 * arch_guest_enter(struct arch_gregs *g) saves the hypervisor's callee-saved
 * registers and g on its own stack, loads the guest's registers and ERETs.
 * Any exception from the guest lands on a lower-EL vector, which jumps to
 * guest_exit with the vector number: it stores the guest's registers back
 * into g, restores the hypervisor's and returns from arch_guest_enter() with
 * the vector number.  ESR/FAR/HPFAR_EL2 still hold the syndrome then, since
 * the hypervisor runs with interrupts masked until it has read them.
 */
#include "asm-offsets.h"

#define HOST_SAVE 112 /* x19-x30, g, padding */

	.text
	.global arch_guest_enter
arch_guest_enter:
	sub	sp, sp, #HOST_SAVE
	stp	x19, x20, [sp, #0]
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	str	x0, [sp, #96]
	ldp	x1, x2, [x0, #GREGS_PC]
	msr	elr_el2, x1
	msr	spsr_el2, x2
	ldp	x2, x3, [x0, #(GREGS_X + 16)]
	ldp	x4, x5, [x0, #(GREGS_X + 32)]
	ldp	x6, x7, [x0, #(GREGS_X + 48)]
	ldp	x8, x9, [x0, #(GREGS_X + 64)]
	ldp	x10, x11, [x0, #(GREGS_X + 80)]
	ldp	x12, x13, [x0, #(GREGS_X + 96)]
	ldp	x14, x15, [x0, #(GREGS_X + 112)]
	ldp	x16, x17, [x0, #(GREGS_X + 128)]
	ldp	x18, x19, [x0, #(GREGS_X + 144)]
	ldp	x20, x21, [x0, #(GREGS_X + 160)]
	ldp	x22, x23, [x0, #(GREGS_X + 176)]
	ldp	x24, x25, [x0, #(GREGS_X + 192)]
	ldp	x26, x27, [x0, #(GREGS_X + 208)]
	ldp	x28, x29, [x0, #(GREGS_X + 224)]
	ldr	x30, [x0, #(GREGS_X + 240)]
	ldp	x0, x1, [x0, #(GREGS_X + 0)]
	eret
	isb

/* Entered from a lower-EL vector with x0/x1 pushed and x1 = vector number. */
	.global guest_exit
guest_exit:
	ldr	x0, [sp, #(16 + 96)]
	stp	x2, x3, [x0, #(GREGS_X + 16)]
	stp	x4, x5, [x0, #(GREGS_X + 32)]
	stp	x6, x7, [x0, #(GREGS_X + 48)]
	stp	x8, x9, [x0, #(GREGS_X + 64)]
	stp	x10, x11, [x0, #(GREGS_X + 80)]
	stp	x12, x13, [x0, #(GREGS_X + 96)]
	stp	x14, x15, [x0, #(GREGS_X + 112)]
	stp	x16, x17, [x0, #(GREGS_X + 128)]
	stp	x18, x19, [x0, #(GREGS_X + 144)]
	stp	x20, x21, [x0, #(GREGS_X + 160)]
	stp	x22, x23, [x0, #(GREGS_X + 176)]
	stp	x24, x25, [x0, #(GREGS_X + 192)]
	stp	x26, x27, [x0, #(GREGS_X + 208)]
	stp	x28, x29, [x0, #(GREGS_X + 224)]
	str	x30, [x0, #(GREGS_X + 240)]
	mov	x19, x1
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0, #(GREGS_X + 0)]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [x0, #GREGS_PC]
	mov	x0, x19
	ldp	x19, x20, [sp, #0]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #80]
	add	sp, sp, #HOST_SAVE
	ret

/* FP/SIMD state, switched only when another vCPU is loaded on this pCPU. */
	.global arch_fp_save
arch_fp_save:
	stp	q0, q1, [x0, #(FPREGS_Q + 0)]
	stp	q2, q3, [x0, #(FPREGS_Q + 32)]
	stp	q4, q5, [x0, #(FPREGS_Q + 64)]
	stp	q6, q7, [x0, #(FPREGS_Q + 96)]
	stp	q8, q9, [x0, #(FPREGS_Q + 128)]
	stp	q10, q11, [x0, #(FPREGS_Q + 160)]
	stp	q12, q13, [x0, #(FPREGS_Q + 192)]
	stp	q14, q15, [x0, #(FPREGS_Q + 224)]
	stp	q16, q17, [x0, #(FPREGS_Q + 256)]
	stp	q18, q19, [x0, #(FPREGS_Q + 288)]
	stp	q20, q21, [x0, #(FPREGS_Q + 320)]
	stp	q22, q23, [x0, #(FPREGS_Q + 352)]
	stp	q24, q25, [x0, #(FPREGS_Q + 384)]
	stp	q26, q27, [x0, #(FPREGS_Q + 416)]
	stp	q28, q29, [x0, #(FPREGS_Q + 448)]
	stp	q30, q31, [x0, #(FPREGS_Q + 480)]
	mrs	x1, fpsr
	mrs	x2, fpcr
	add	x0, x0, #FPREGS_FPSR
	stp	x1, x2, [x0]
	ret

	.global arch_fp_restore
arch_fp_restore:
	ldp	q0, q1, [x0, #(FPREGS_Q + 0)]
	ldp	q2, q3, [x0, #(FPREGS_Q + 32)]
	ldp	q4, q5, [x0, #(FPREGS_Q + 64)]
	ldp	q6, q7, [x0, #(FPREGS_Q + 96)]
	ldp	q8, q9, [x0, #(FPREGS_Q + 128)]
	ldp	q10, q11, [x0, #(FPREGS_Q + 160)]
	ldp	q12, q13, [x0, #(FPREGS_Q + 192)]
	ldp	q14, q15, [x0, #(FPREGS_Q + 224)]
	ldp	q16, q17, [x0, #(FPREGS_Q + 256)]
	ldp	q18, q19, [x0, #(FPREGS_Q + 288)]
	ldp	q20, q21, [x0, #(FPREGS_Q + 320)]
	ldp	q22, q23, [x0, #(FPREGS_Q + 352)]
	ldp	q24, q25, [x0, #(FPREGS_Q + 384)]
	ldp	q26, q27, [x0, #(FPREGS_Q + 416)]
	ldp	q28, q29, [x0, #(FPREGS_Q + 448)]
	ldp	q30, q31, [x0, #(FPREGS_Q + 480)]
	add	x0, x0, #FPREGS_FPSR
	ldp	x1, x2, [x0]
	msr	fpsr, x1
	msr	fpcr, x2
	ret
