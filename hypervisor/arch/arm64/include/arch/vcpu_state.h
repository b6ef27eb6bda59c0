/* The arm64 part of a vCPU: what is saved while it does not run. */
#ifndef ARCH_VCPU_STATE_H
#define ARCH_VCPU_STATE_H

#include <stdbool.h>
#include <stdint.h>

/* General registers; guest_entry.S uses these offsets (asm-offsets.c). */
struct arch_gregs {
	uint64_t x[31];
	uint64_t pc;
	uint64_t pstate;
};

/* EL1 system registers switched with the vCPU. */
struct arch_el1_regs {
	uint64_t sctlr, ttbr0, ttbr1, tcr, mair, amair, contextidr, vbar;
	uint64_t esr, far, afsr0, afsr1, par;
	uint64_t sp_el0, sp_el1, elr, spsr;
	uint64_t tpidr_el0, tpidrro_el0, tpidr_el1;
	uint64_t cpacr, csselr, cntkctl;
};

/*
 * What only an AArch32 EL1 has beyond the EL1 registers: the SPSRs of the
 * banked modes (SPSR_svc is SPSR_EL1), DACR, IFSR and FPEXC, which live in
 * EL2 registers (Arm ARM D1.8, "Mapping of AArch32 registers").
 */
struct arch_aa32_regs {
	uint64_t spsr_abt, spsr_und, spsr_irq, spsr_fiq;
	uint64_t dacr32, ifsr32, fpexc32;
};

struct arch_fpregs {
	__uint128_t q[32];
	uint64_t fpsr, fpcr;
};

/* The GIC virtual CPU interface (ICH_*_EL2) while the vCPU is not loaded. */
#define ARCH_MAX_LRS 16
struct arch_vgic_state {
	uint16_t used;   /* list registers holding an interrupt (live while loaded) */
	uint64_t lr[ARCH_MAX_LRS];
	uint64_t vmcr;
	uint64_t ap0r0, ap1r0;
};

/* The EL1 virtual timer while the vCPU is not loaded. */
struct arch_vtimer_state {
	uint64_t ctl;
	uint64_t cval;
	bool level;      /* the line as last told to the vGIC */
};

struct arch_vcpu {
	struct arch_gregs regs;
	struct arch_el1_regs el1;
	struct arch_aa32_regs aa32; /* switched only for AArch32 vCPUs */
	struct arch_fpregs fp;
	struct arch_vgic_state vgic;
	struct arch_vtimer_state vtimer;
	uint64_t hcr_base;   /* HCR_EL2 without the cache-policy bits */
	uint64_t vmpidr;
	uint64_t load_gen;   /* matches the pCPU's record while its state is loaded */
	uint32_t tlb_pcpu;   /* the pCPU its guest TLB maintenance stays on (tlbi.h) */
	bool in_guest;       /* executing guest code: others' TLBIs must reach it (tlbi.h) */
};

#endif
