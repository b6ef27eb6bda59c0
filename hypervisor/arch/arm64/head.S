/*
 * Entry points.  QEMU enters _start on CPU 0 at EL2 with the MMU and data
 * cache off (the boot protocol guarantees the loaded image is clean to the
 * PoC); PSCI CPU_ON enters _secondary_start the same way with x0 = CPU index.
 *
 * While the MMU is off, data accesses are Device-nGnRnE: they go straight
 * to memory and allocate no cache lines.  So before the MMU goes on, every
 * line of the writable image is invalidated: whatever the cache may hold for
 * it predates our writes and must never be seen or written back.  The
 * image is identity-mapped, so turning the MMU on needs no trampoline copy
 * and TTBR_EL2 is written exactly once per CPU, before SCTLR_EL2.M is set.
 */
#include "asm-offsets.h"
#include "arch/asm_macros.h"
#include "arch/regs_sctlr.h"

	.section .text.head, "ax"
	.global _start
_start:
	msr	daifset, #0xf
	mrs	x9, CurrentEL
	cmp	x9, #(2 << 2)
	b.ne	park
	adr	x9, hv_vectors
	msr	vbar_el2, x9
	isb
	mov	x19, #0
	msr	tpidr_el2, x19

	/* Zero .bss with the MMU off (stacks and page tables live there). */
	adr_l	x0, __bss_start
	adr_l	x1, __bss_end
1:	stp	xzr, xzr, [x0], #16
	cmp	x0, x1
	b.lo	1b

	bl	set_stack
	bl	hv_boot_primary_early	/* returns the root table address */
	mov	x20, x0

	/* No stack use from here until the MMU is on. */
	adr_l	x0, __data_start
	adr_l	x1, __hv_end
	bl	dcache_inval_range_nostack
	mov	x0, x20
	bl	mmu_enable_nostack
	bl	hv_boot_primary
	b	park

	.global _secondary_start
_secondary_start:
	msr	daifset, #0xf
	adr	x9, hv_vectors
	msr	vbar_el2, x9
	isb
	mov	x19, x0
	msr	tpidr_el2, x19
	/* The primary cleaned hv_boot_ttbr to the PoC before CPU_ON. */
	adr_l	x0, hv_boot_ttbr
	ldr	x0, [x0]
	bl	mmu_enable_nostack
	bl	set_stack
	mov	x0, x19
	bl	hv_boot_secondary
	b	park

/* sp = top of the stack of CPU x19. */
set_stack:
	adr_l	x9, hv_stacks
	add	x10, x19, #1
	mov	x11, #CPU_STACK_SIZE
	madd	x9, x10, x11, x9
	mov	sp, x9
	mov	x29, #0
	ret

/* Invalidate [x0, x1) to the PoC.  Clobbers x0-x3. */
dcache_inval_range_nostack:
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4		/* DminLine: log2 of words */
	mov	x2, #4
	lsl	x2, x2, x3
	sub	x3, x2, #1
	bic	x0, x0, x3
2:	dc	ivac, x0
	add	x0, x0, x2
	cmp	x0, x1
	b.lo	2b
	dsb	sy
	ret

/*
 * Turn on the EL2 MMU and caches with root table x0.  The translation
 * registers are computed once by arch_mmu_prepare() and read from
 * hv_boot_tcr / hv_boot_mair (cleaned to the PoC like hv_boot_ttbr).
 */
mmu_enable_nostack:
	tlbi	alle2
	dsb	nsh
	adr_l	x9, hv_boot_mair
	ldr	x9, [x9]
	msr	mair_el2, x9
	adr_l	x9, hv_boot_tcr
	ldr	x9, [x9]
	msr	tcr_el2, x9
	msr	ttbr0_el2, x0
	isb
	ldr	x9, =(SCTLR_EL2_RES1 | SCTLR_EL2_M | SCTLR_EL2_C | SCTLR_EL2_SA | \
		      SCTLR_EL2_I | SCTLR_EL2_WXN)
	msr	sctlr_el2, x9
	isb
	ic	iallu
	dsb	nsh
	isb
	ret

	.global park
park:
	msr	daifset, #0xf
3:	wfi
	b	3b
