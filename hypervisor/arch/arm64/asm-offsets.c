/*
 * Structure offsets for assembly.  Compiled to assembly only; the build
 * turns each "->NAME value" marker into a #define in asm-offsets.h.
 */
#include <stddef.h>

#include "arch/frame.h"
#include "arch/vcpu_state.h"
#include "hv/config.h"

#define DEFINE(sym, val) __asm__ volatile("\n.ascii \"->" #sym " %0\"" : : "i"(val))

void asm_offsets(void);

void asm_offsets(void)
{
	DEFINE(FRAME_SIZE, sizeof(struct arch_frame));
	DEFINE(FRAME_X, offsetof(struct arch_frame, x));
	DEFINE(FRAME_SP, offsetof(struct arch_frame, sp));
	DEFINE(FRAME_ELR, offsetof(struct arch_frame, elr));
	DEFINE(FRAME_SPSR, offsetof(struct arch_frame, spsr));
	DEFINE(FRAME_ESR, offsetof(struct arch_frame, esr));
	DEFINE(FRAME_FAR, offsetof(struct arch_frame, far));
	DEFINE(CPU_STACK_SIZE, CONFIG_STACK_SIZE);
	DEFINE(MAX_CPUS, CONFIG_MAX_CPUS);
	DEFINE(GREGS_X, offsetof(struct arch_gregs, x));
	DEFINE(GREGS_PC, offsetof(struct arch_gregs, pc));
	DEFINE(GREGS_PSTATE, offsetof(struct arch_gregs, pstate));
	DEFINE(FPREGS_Q, offsetof(struct arch_fpregs, q));
	DEFINE(FPREGS_FPSR, offsetof(struct arch_fpregs, fpsr));
	DEFINE(FPREGS_FPCR, offsetof(struct arch_fpregs, fpcr));
}
