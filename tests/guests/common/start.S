/*
 * Guest entry.  The domain builder (or QEMU, when a guest runs directly on
 * the virt board) enters _start at EL1h with the MMU and caches off and
 * DAIF masked; x0 holds the DTB address or 0, which the guests ignore.
 *
 * With the MMU off every data access is Device-nGnRnE, so everything here
 * is aligned and no cache maintenance instruction is used: that is the
 * hypervisor's job, and what the guests test.  No VM register is written
 * here either, so a guest's VMREGS counts cover every such write it makes.
 */
	.section .text.head, "ax"
	.global _start
_start:
	msr	daifset, #0xf
	adrp	x1, guest_stack_top
	add	x1, x1, :lo12:guest_stack_top
	mov	sp, x1

	/* Zero .bss (the stack included); the linker script aligns it to 16. */
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b

	/* VBAR_EL1 is not a VM register: HCR_EL2.TVM does not trap it. */
2:	adrp	x1, guest_vectors
	add	x1, x1, :lo12:guest_vectors
	msr	vbar_el1, x1
	isb

	bl	main
	bl	guest_main_returned
3:	wfi
	b	3b

	.section .bss.stack, "aw", %nobits
	.balign 16
guest_stack:
	.space	16384
guest_stack_top:
