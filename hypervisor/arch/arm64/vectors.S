/*
 * EL2 exception vectors.  Exceptions taken from EL2 itself save a struct
 * arch_frame on the current stack and call arch_trap_entry(frame, vector
 * index); if that returns, the frame is restored and the exception returns.
 * Exceptions from a guest (lower EL) leave it: guest_entry.S stores its
 * registers and returns to the code that entered it.
 */
#include "asm-offsets.h"

.macro vector_entry idx
	.align	7
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #(FRAME_X + 0)]
	mov	x1, #\idx
	b	vector_common
.endm

.macro guest_vector_entry idx
	.align	7
	stp	x0, x1, [sp, #-16]!
	mov	x1, #\idx
	b	guest_exit
.endm

	.text
	.align	11
	.global hv_vectors
hv_vectors:
	.irp	i, 0, 1, 2, 3, 4, 5, 6, 7
	vector_entry \i
	.endr
	.irp	i, 8, 9, 10, 11, 12, 13, 14, 15
	guest_vector_entry \i
	.endr

vector_common:
	stp	x2, x3, [sp, #(FRAME_X + 16)]
	stp	x4, x5, [sp, #(FRAME_X + 32)]
	stp	x6, x7, [sp, #(FRAME_X + 48)]
	stp	x8, x9, [sp, #(FRAME_X + 64)]
	stp	x10, x11, [sp, #(FRAME_X + 80)]
	stp	x12, x13, [sp, #(FRAME_X + 96)]
	stp	x14, x15, [sp, #(FRAME_X + 112)]
	stp	x16, x17, [sp, #(FRAME_X + 128)]
	stp	x18, x19, [sp, #(FRAME_X + 144)]
	stp	x20, x21, [sp, #(FRAME_X + 160)]
	stp	x22, x23, [sp, #(FRAME_X + 176)]
	stp	x24, x25, [sp, #(FRAME_X + 192)]
	stp	x26, x27, [sp, #(FRAME_X + 208)]
	stp	x28, x29, [sp, #(FRAME_X + 224)]
	str	x30, [sp, #(FRAME_X + 240)]
	add	x2, sp, #FRAME_SIZE
	str	x2, [sp, #FRAME_SP]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [sp, #FRAME_ELR]
	mrs	x2, esr_el2
	mrs	x3, far_el2
	stp	x2, x3, [sp, #FRAME_ESR]
	mov	x0, sp
	/* A frame record lets backtraces walk through the exception. */
	ldr	x29, [sp, #(FRAME_X + 232)]
	bl	arch_trap_entry

	ldp	x2, x3, [sp, #FRAME_ELR]
	msr	elr_el2, x2
	msr	spsr_el2, x3
	ldp	x2, x3, [sp, #(FRAME_X + 16)]
	ldp	x4, x5, [sp, #(FRAME_X + 32)]
	ldp	x6, x7, [sp, #(FRAME_X + 48)]
	ldp	x8, x9, [sp, #(FRAME_X + 64)]
	ldp	x10, x11, [sp, #(FRAME_X + 80)]
	ldp	x12, x13, [sp, #(FRAME_X + 96)]
	ldp	x14, x15, [sp, #(FRAME_X + 112)]
	ldp	x16, x17, [sp, #(FRAME_X + 128)]
	ldp	x18, x19, [sp, #(FRAME_X + 144)]
	ldp	x20, x21, [sp, #(FRAME_X + 160)]
	ldp	x22, x23, [sp, #(FRAME_X + 176)]
	ldp	x24, x25, [sp, #(FRAME_X + 192)]
	ldp	x26, x27, [sp, #(FRAME_X + 208)]
	ldp	x28, x29, [sp, #(FRAME_X + 224)]
	ldr	x30, [sp, #(FRAME_X + 240)]
	ldp	x0, x1, [sp, #(FRAME_X + 0)]
	add	sp, sp, #FRAME_SIZE
	eret
