/* The host fake's vCPU state: just what core code reads. */
#ifndef ARCH_VCPU_STATE_H
#define ARCH_VCPU_STATE_H

#include <stdint.h>

struct arch_vcpu {
	uint64_t x[31];
	uint64_t pc;
	uint64_t pstate;
	uint64_t sctlr;
};

#endif
