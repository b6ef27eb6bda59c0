/*
 * The floor's entry points and EL2 vectors.
 *
 * The floor is booted by QEMU as if it were a Linux arm64 Image, so QEMU
 * enters it at EL2 with x0 = the DTB, loads the initramfs and writes the
 * command line into the DTB exactly as it does for Linux.  Its header asks
 * for text_offset FLOOR_TEXT_OFFSET: QEMU then loads it above the guest's
 * RAM (see floor.c), out of the guest's way.
 */
#include "floor.h"

	.section .text.head, "ax"
	.globl _start
_start:
	b	floor_boot_entry		/* code0 */
	nop					/* code1 */
	.quad	FLOOR_TEXT_OFFSET		/* text_offset */
	.quad	__floor_end - _start		/* image_size */
	.quad	0xa				/* flags: LE, 4 KiB pages, anywhere */
	.quad	0, 0, 0				/* res2..res4 */
	.ascii	"ARM\x64"			/* magic */
	.long	0				/* res5 */

/* CPU 0, from QEMU's boot stub: x0 = DTB. */
floor_boot_entry:
	mov	x19, x0
	mov	x0, #0
	bl	floor_stack_top
	mov	sp, x0
	mov	x0, x19
	bl	floor_boot_main			/* returns the guest's entry */
	mov	x1, x19
	b	floor_enter_guest

/* Secondary CPUs, from the CPU_ON the floor forwarded: x0 = CPU index. */
	.globl floor_secondary_entry
floor_secondary_entry:
	mov	x19, x0
	bl	floor_stack_top
	mov	sp, x0
	mov	x0, x19
	bl	floor_secondary_main		/* returns the guest's entry */
	mov	x20, x0
	mov	x0, x19
	bl	floor_secondary_context
	mov	x1, x0
	mov	x0, x20
	b	floor_enter_guest

/* x0 = entry at EL1h with DAIF masked, x1 = the guest's x0. */
floor_enter_guest:
	msr	elr_el2, x0
	mov	x0, #FLOOR_SPSR_EL1H_MASKED
	msr	spsr_el2, x0
	mov	x0, x1
	mov	x1, #0
	mov	x2, #0
	mov	x3, #0
	eret

/* Every vector saves x0-x30 in a frame and calls floor_trap(frame, kind). */
.macro floor_vector kind
	.balign	0x80
	sub	sp, sp, #FLOOR_FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x1, #\kind
	b	floor_vector_common
.endm

	.balign	0x800
	.globl floor_vectors
floor_vectors:
	.rept	8
	floor_vector FLOOR_TRAP_CURRENT_EL
	.endr
	floor_vector FLOOR_TRAP_LOWER_SYNC
	.rept	7
	floor_vector FLOOR_TRAP_LOWER_OTHER
	.endr

floor_vector_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	str	x30, [sp, #240]
	mov	x0, sp				/* x1 = kind; the guest's x1 is saved */
	bl	floor_trap
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #240]
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #FLOOR_FRAME_SIZE
	eret

/* x0..x3 = function id and arguments; returns x0..x3 through *x4. */
	.globl floor_smc
floor_smc:
	mov	x9, x4
	smc	#0
	stp	x0, x1, [x9]
	stp	x2, x3, [x9, #16]
	ret
