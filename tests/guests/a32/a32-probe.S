/*
 * a32-probe: a bare-metal AArch32 (A32/T32) test guest, shaped as an arm32
 * zImage so that the builder makes its domain 32-bit and enters it as
 * Linux's arm32 boot protocol says (SVC mode, A/I/F masked, r2 = the DTB).
 * It runs with its MMU and caches off, so every VM control register write
 * traps (HCR_EL2.TVM), and checks what the hypervisor's AArch32 routing does:
 *
 *   - TVM writes through cp15 land in the right register and half: PRRR
 *     and NMRR (MAIR_EL1 low/high), AMAIR0/1, DACR, DFAR and IFAR (FAR_EL1
 *     low/high), DFSR, IFSR, CONTEXTIDR, TTBR0 as a 64-bit MCRR and then a
 *     32-bit MCR that must keep the upper half; each read back untrapped;
 *   - a conditional MCR whose condition fails changes nothing;
 *   - ID registers through MRC and VMRS (MVFR0) read as the hardware's;
 *   - SCTLR.C on and off again (two trapped SCTLR writes);
 *   - a set/way loop: DCCISW over 2 ways x 64 sets, one DCISW, one DCCSW;
 *   - PSCI over HVC: CPU_ON of vCPU 1 at a Thumb entry point (bit 0 set),
 *     which must start in T32 state in SVC mode with r0 = the context id;
 *     it reports back through memory and calls CPU_OFF.
 *
 * AMAIR0/1 are written (they trap) but not read back: their contents are
 * IMPLEMENTATION DEFINED, and QEMU keeps them at zero.
 *
 * Prints "A32-SETWAY: ops=130", then "RESULT: PASS a32-probe" (or FAIL
 * lines naming each check), then powers off with PSCI SYSTEM_OFF.  All
 * addressing is PC-relative: the image runs wherever the builder puts it.
 */
	.syntax unified
	.arch armv7-a
	.arch_extension idiv
	.arch_extension virt
	.fpu	vfpv4
	.arm
	.text

#define UART_DR 0x22000000
#define UART_FR_OFF 0x18
#define UART_FR_TXFF (1 << 5)
#define PSCI_CPU_ON 0x84000003
#define PSCI_CPU_OFF 0x84000002
#define PSCI_SYSTEM_OFF 0x84000008
#define SECONDARY_CTX 0x77
#define PSR_MODE_MASK 0x1f
#define PSR_MODE_SVC 0x13
#define SCTLR_C (1 << 2)
#define CPACR_CP10_CP11 (0xf << 20)
#define SETS 64
#define WAYS 2

	.globl	_start
_start:
	/* The zImage header (Linux's arch/arm/boot/compressed/head.S). */
	.rept	8
	mov	r0, r0
	.endr
	b	main
	.word	0x016f2818		/* 0x24: magic */
	.word	0			/* 0x28: start (position independent) */
	.word	_image_end - _start	/* 0x2c: end */
	.word	0x04030201		/* 0x30: little-endian */

/*
 * la REG, LABEL: the address of LABEL, PC-relative (A32 ADR reaches only
 * offsets that are rotated 8-bit immediates).
 */
	.macro	la reg, label
	ldr	\reg, .Lla_off\@
.Lla_pc\@:
	add	\reg, pc, \reg
	b	.Lla_end\@
.Lla_off\@:
	.word	\label - (.Lla_pc\@ + 8)
.Lla_end\@:
	.endm

/* fail_if COND, NAME: counts a failed check named NAME when COND holds. */
	.macro	fail_if cond, name
	b\cond	.Lfail\@
	b	.Lok\@
.Lfail\@:
	la	r0, \name
	bl	fail
.Lok\@:
	.endm

main:
	la	r0, stack_top
	mov	sp, r0
	mov	r10, #0			/* failed checks */
	la	r0, msg_start
	bl	puts
	bl	check_tvm_regs
	bl	check_ttbr0_halves
	bl	check_condition_failed
	bl	check_id_regs
	bl	toggle_caches
	bl	setway_loop
	bl	start_secondary
	la	r0, msg_pass
	cmp	r10, #0
	beq	1f
	la	r0, msg_fail
1:	bl	puts
	ldr	r0, =PSCI_SYSTEM_OFF
	hvc	#0
2:	wfi
	b	2b

/* fail: prints "FAIL: " and the string at r0; counts it in r10. */
fail:
	push	{r0, lr}
	la	r0, msg_fail_prefix
	bl	puts
	pop	{r0, lr}
	add	r10, r10, #1
	b	puts

/* expect r0 == r1, else fail with the name at r2. */
expect:
	cmp	r0, r1
	bxeq	lr
	mov	r0, r2
	b	fail

/* Each macro writes a constant, reads the register back and compares. */
	.macro	rw32 crn, opc1, crm, opc2, value, name
	ldr	r1, =\value
	mcr	p15, \opc1, r1, \crn, \crm, \opc2
	mrc	p15, \opc1, r0, \crn, \crm, \opc2
	la	r2, \name
	bl	expect
	.endm

check_tvm_regs:
	push	{lr}
	rw32	c10, 0, c2, 0, 0x11223344, n_prrr
	rw32	c10, 0, c2, 1, 0x55667788, n_nmrr
	/* PRRR must still hold its value after NMRR (the other half) was written. */
	mrc	p15, 0, r0, c10, c2, 0
	ldr	r1, =0x11223344
	la	r2, n_prrr_kept
	bl	expect
	ldr	r1, =0x01020304
	mcr	p15, 0, r1, c10, c3, 0	/* AMAIR0 */
	mcr	p15, 0, r1, c10, c3, 1	/* AMAIR1 */
	rw32	c3, 0, c0, 0, 0x55555555, n_dacr
	rw32	c6, 0, c0, 0, 0xdead0001, n_dfar
	rw32	c6, 0, c0, 2, 0xdead0002, n_ifar
	mrc	p15, 0, r0, c6, c0, 0
	ldr	r1, =0xdead0001
	la	r2, n_dfar_kept
	bl	expect
	rw32	c5, 0, c0, 0, 0x00000005, n_dfsr
	rw32	c5, 0, c0, 1, 0x00000006, n_ifsr
	rw32	c13, 0, c0, 1, 0x00000042, n_contextidr
	pop	{pc}

/* TTBR0 as a 64-bit register, then its low half alone keeps the high half. */
check_ttbr0_halves:
	push	{lr}
	ldr	r4, =0x40001000
	mov	r5, #0x12
	mcrr	p15, 0, r4, r5, c2
	mrrc	p15, 0, r0, r1, c2
	cmp	r0, r4
	cmpeq	r1, r5
	fail_if	ne, n_ttbr0_64
	ldr	r4, =0x40002000
	mcr	p15, 0, r4, c2, c0, 0
	mrrc	p15, 0, r0, r1, c2
	cmp	r0, r4
	cmpeq	r1, #0x12
	fail_if	ne, n_ttbr0_half
	mov	r0, #0
	mcrr	p15, 0, r0, r0, c2
	pop	{pc}

/* MCREQ with Z clear: CONTEXTIDR keeps 0x42. */
check_condition_failed:
	push	{lr}
	mov	r1, #0x99
	movs	r0, #1
	mcreq	p15, 0, r1, c13, c0, 1
	mrc	p15, 0, r0, c13, c0, 1
	mov	r1, #0x42
	la	r2, n_cond
	bl	expect
	pop	{pc}

/* ID_MMFR0 (MRC) and MVFR0 (VMRS) trap with HCR_EL2.TID3: neither reads as 0. */
check_id_regs:
	push	{lr}
	mrc	p15, 0, r0, c0, c1, 4
	cmp	r0, #0
	fail_if	eq, n_id_mmfr0
	mrc	p15, 0, r0, c1, c0, 2
	orr	r0, r0, #CPACR_CP10_CP11
	mcr	p15, 0, r0, c1, c0, 2
	isb
	vmrs	r0, mvfr0
	cmp	r0, #0
	fail_if	eq, n_mvfr0
	pop	{pc}

/* SCTLR.C on, then off: two trapped SCTLR writes for the cache policy. */
toggle_caches:
	mrc	p15, 0, r0, c1, c0, 0
	orr	r0, r0, #SCTLR_C
	mcr	p15, 0, r0, c1, c0, 0
	isb
	bic	r0, r0, #SCTLR_C
	mcr	p15, 0, r0, c1, c0, 0
	isb
	bx	lr

/* DCCISW over WAYS x SETS lines of level 1 (way in bits 31.., set from bit 6). */
setway_loop:
	push	{lr}
	mov	r4, #0			/* ops */
	mov	r5, #0			/* way */
1:	mov	r6, #0			/* set */
2:	lsl	r0, r5, #31
	orr	r0, r0, r6, lsl #6
	mcr	p15, 0, r0, c7, c14, 2
	add	r4, r4, #1
	add	r6, r6, #1
	cmp	r6, #SETS
	blo	2b
	add	r5, r5, #1
	cmp	r5, #WAYS
	blo	1b
	mov	r0, #0
	mcr	p15, 0, r0, c7, c6, 2	/* DCISW */
	mcr	p15, 0, r0, c7, c10, 2	/* DCCSW */
	add	r4, r4, #2
	dsb	sy
	la	r0, msg_setway
	bl	puts
	mov	r0, r4
	bl	putdec
	la	r0, msg_nl
	bl	puts
	pop	{pc}

/* CPU_ON vCPU 1 (MPIDR Aff0 = 1) at the Thumb entry, then wait for its report. */
start_secondary:
	push	{lr}
	la	r4, secondary_flag
	mov	r0, #0
	str	r0, [r4]
	ldr	r0, =PSCI_CPU_ON
	mov	r1, #1
	la	r2, secondary_thumb
	orr	r2, r2, #1
	mov	r3, #SECONDARY_CTX
	hvc	#0
	cmp	r0, #0
	beq	1f
	la	r0, n_cpu_on
	bl	fail
	pop	{pc}
1:	ldr	r5, =200000000		/* spins before giving up */
2:	ldr	r0, [r4]
	cmp	r0, #0
	bne	3f
	subs	r5, r5, #1
	bne	2b
	la	r0, n_secondary_silent
	bl	fail
	pop	{pc}
3:	cmp	r0, #1
	fail_if	ne, n_secondary_state
	pop	{pc}

/*
 * vCPU 1, in T32: flag = 1 if r0 is the context id and the mode is SVC,
 * else 2.  That it runs at all shows it started in T32 state (MRS reads
 * the T bit as zero, so there is nothing more to check).
 */
	.thumb
	.align	2
	.type	secondary_thumb, %function
secondary_thumb:
	mov	r4, #2
	cmp	r0, #SECONDARY_CTX
	bne	1f
	mrs	r1, cpsr
	and	r1, r1, #PSR_MODE_MASK
	cmp	r1, #PSR_MODE_SVC
	bne	1f
	mov	r4, #1
1:	adr	r0, secondary_flag
	str	r4, [r0]
	dsb	sy
	ldr	r0, =PSCI_CPU_OFF
	hvc	#0
2:	wfi
	b	2b
	.ltorg
	.arm
	.align	2

/* puts: the NUL-terminated string at r0 to the UART. */
puts:
	ldr	r1, =UART_DR
1:	ldrb	r2, [r0], #1
	cmp	r2, #0
	bxeq	lr
2:	ldr	r3, [r1, #UART_FR_OFF]
	tst	r3, #UART_FR_TXFF
	bne	2b
	str	r2, [r1]
	b	1b

/* putdec: r0 in decimal (at most 10 digits). */
putdec:
	push	{r4, lr}
	la	r4, numbuf_end
	mov	r1, #0
	strb	r1, [r4, #-1]!
1:	mov	r1, #10
	udiv	r2, r0, r1
	mls	r3, r2, r1, r0
	add	r3, r3, #'0'
	strb	r3, [r4, #-1]!
	movs	r0, r2
	bne	1b
	mov	r0, r4
	pop	{r4, lr}
	b	puts

	.ltorg
msg_start:	.asciz	"A32-PROBE: start\n"
msg_setway:	.asciz	"A32-SETWAY: ops="
msg_nl:		.asciz	"\n"
msg_pass:	.asciz	"RESULT: PASS a32-probe\n"
msg_fail:	.asciz	"RESULT: FAIL a32-probe\n"
msg_fail_prefix: .asciz	"FAIL: "
n_prrr:		.asciz	"PRRR read back\n"
n_nmrr:		.asciz	"NMRR read back\n"
n_prrr_kept:	.asciz	"PRRR changed by the NMRR write (MAIR_EL1 halves)\n"
n_dacr:		.asciz	"DACR read back\n"
n_dfar:		.asciz	"DFAR read back\n"
n_ifar:		.asciz	"IFAR read back\n"
n_dfar_kept:	.asciz	"DFAR changed by the IFAR write (FAR_EL1 halves)\n"
n_dfsr:		.asciz	"DFSR read back\n"
n_ifsr:		.asciz	"IFSR read back\n"
n_contextidr:	.asciz	"CONTEXTIDR read back\n"
n_ttbr0_64:	.asciz	"TTBR0 64-bit MCRR/MRRC\n"
n_ttbr0_half:	.asciz	"TTBR0 32-bit write lost the upper half\n"
n_cond:		.asciz	"MCREQ with a failed condition wrote CONTEXTIDR\n"
n_id_mmfr0:	.asciz	"ID_MMFR0 reads as 0\n"
n_mvfr0:	.asciz	"MVFR0 (VMRS) reads as 0\n"
n_cpu_on:	.asciz	"PSCI CPU_ON of vCPU 1 failed\n"
n_secondary_silent: .asciz "vCPU 1 never reported\n"
n_secondary_state: .asciz "vCPU 1 did not start in SVC mode with r0 = the context id\n"
	.align	2
secondary_flag:	.word	0
numbuf:		.space	12
numbuf_end:
	.align	3
		.space	1024
stack_top:
_image_end:
