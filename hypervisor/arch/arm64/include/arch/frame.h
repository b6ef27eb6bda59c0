/*
 * Registers saved on exception entry to EL2.  The assembly side takes its
 * offsets from asm-offsets.c, generated at build time.
 */
#ifndef ARCH_FRAME_H
#define ARCH_FRAME_H

#include <stdint.h>

struct arch_frame {
	uint64_t x[31];
	uint64_t sp; /* stack pointer before the exception */
	uint64_t elr;
	uint64_t spsr;
	uint64_t esr;
	uint64_t far;
};

/* Which of the 16 vector entries was taken (VBAR_EL2 offset / 0x80). */
enum arch_vector {
	VEC_CUR_SP0_SYNC, VEC_CUR_SP0_IRQ, VEC_CUR_SP0_FIQ, VEC_CUR_SP0_SERROR,
	VEC_CUR_SPX_SYNC, VEC_CUR_SPX_IRQ, VEC_CUR_SPX_FIQ, VEC_CUR_SPX_SERROR,
	VEC_LOW64_SYNC, VEC_LOW64_IRQ, VEC_LOW64_FIQ, VEC_LOW64_SERROR,
	VEC_LOW32_SYNC, VEC_LOW32_IRQ, VEC_LOW32_FIQ, VEC_LOW32_SERROR,
};

void arch_trap_entry(struct arch_frame *f, enum arch_vector vec);

#endif
