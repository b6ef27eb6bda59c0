/*
 * EL1 exception vectors (Arm ARM D1.10.2, "Exception vectors").  The
 * guests expect no exception at all, so every entry reports what happened
 * through guest_exception(), which prints a FAIL result and powers the
 * guest off.  The stack is reused as it stands: nothing returns.
 */
	.macro	vector index
	.balign	0x80
	mov	x0, #\index
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	b	guest_exception
	.endm

	.section .text.vectors, "ax"
	.balign	2048
	.global guest_vectors
guest_vectors:
	.irp	i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	vector	\i
	.endr
