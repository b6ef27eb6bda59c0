/*
 * The floor's EL2 set-up and its one trap: see floor.h.
 */
#include <stdint.h>

#include "arch/bits.h"
#include "arch/pte.h"
#include "arch/regs_esr.h"
#include "arch/regs_gicv3.h"
#include "arch/regs_hcr.h"
#include "arch/regs_vtcr.h"
#include "arch/sysreg.h"
#include "floor.h"

#define PSCI_CPU_ON_32 0x84000003u
#define PSCI_CPU_ON_64 0xc4000003u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_INVALID_PARAMETERS ((uint64_t)-2)

/* 40-bit IPA space: two concatenated level-1 tables of 1 GiB blocks. */
#define FLOOR_IPA_BITS 40
#define FLOOR_S2_ENTRIES 1024
#define FLOOR_GIB (UINT64_C(1) << 30)
#define FLOOR_VTCR_PS_40BIT 2
#define FLOOR_S2_DEVICE_nGnRE 0x1
#define PMCR_N_SHIFT 11
#define PMCR_N_MASK GENMASK(15, 11)

extern char floor_vectors[];
extern char floor_secondary_entry[];
extern char _start[];

static uint64_t floor_s2[FLOOR_S2_ENTRIES] __attribute__((aligned(FLOOR_S2_ENTRIES * 8)));
static uint8_t floor_stacks[FLOOR_MAX_CPUS][FLOOR_STACK_SIZE] __attribute__((aligned(16)));
static struct {
	uint64_t entry, context;
} floor_cpus[FLOOR_MAX_CPUS];

uint64_t floor_stack_top(uint64_t cpu)
{
	return (uint64_t)&floor_stacks[cpu % FLOOR_MAX_CPUS][FLOOR_STACK_SIZE];
}

/* Identity: RAM (the second GiB, where virt has it) Normal write-back, the rest Device. */
static void floor_s2_build(void)
{
	uint64_t ram = (uint64_t)_start & ~(FLOOR_GIB - 1);

	for (uint64_t i = 0; i < FLOOR_S2_ENTRIES; i++) {
		uint64_t pa = i * FLOOR_GIB;
		uint64_t attr = pa == ram ? PTE_S2_MEMATTR_NORMAL_WB : FLOOR_S2_DEVICE_nGnRE;

		floor_s2[i] = pa | PTE_VALID | PTE_AF | FIELD_PREP(PTE_S2_MEMATTR, attr) |
			      FIELD_PREP(PTE_S2AP, PTE_S2AP_R | PTE_S2AP_W) |
			      FIELD_PREP(PTE_SH, PTE_SH_INNER);
	}
	__asm__ volatile("dsb ish" ::: "memory");
}

/* What a guest needs from EL2 and nothing more; run on every CPU. */
static void floor_el2_setup(void)
{
	uint64_t pmcr = read_sysreg(pmcr_el0);

	write_sysreg(vbar_el2, (uint64_t)floor_vectors);
	write_sysreg(vttbr_el2, (uint64_t)floor_s2);
	write_sysreg(vtcr_el2, VTCR_RES1 | FIELD_PREP(VTCR_T0SZ, 64 - FLOOR_IPA_BITS) |
				       FIELD_PREP(VTCR_SL0, VTCR_SL0_4K_LEVEL1) |
				       FIELD_PREP(VTCR_IRGN0, 1) | FIELD_PREP(VTCR_ORGN0, 1) |
				       FIELD_PREP(VTCR_SH0, 3) |
				       FIELD_PREP(VTCR_PS, FLOOR_VTCR_PS_40BIT));
	write_sysreg(cptr_el2, CPTR_EL2_RES1);
	write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN);
	write_sysreg(cntvoff_el2, 0);
	write_sysreg(ICC_SRE_EL2_ENC, ICC_SRE_SRE | ICC_SRE_ENABLE);
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	write_sysreg(vmpidr_el2, read_sysreg(mpidr_el1));
	/* Every PMU counter belongs to the guest. */
	write_sysreg(mdcr_el2, FIELD_GET(PMCR_N, pmcr));
	write_sysreg(hcr_el2, HCR_EL2_VM | HCR_EL2_RW | HCR_EL2_TSC);
	__asm__ volatile("isb\n\ttlbi alle1\n\tdsb ish\n\tisb" ::: "memory");
}

uint64_t floor_boot_main(uint64_t dtb)
{
	uint64_t ram = (uint64_t)_start - FLOOR_TEXT_OFFSET;

	if (floor_fdt_trim_memory((void *)dtb, (uint64_t)_start) != 0)
		floor_puts("floor: no /memory node to trim in the DTB\n");
	floor_s2_build();
	floor_el2_setup();
	return ram + FLOOR_KERNEL_OFFSET;
}

uint64_t floor_secondary_main(uint64_t cpu)
{
	floor_el2_setup();
	return floor_cpus[cpu].entry;
}

uint64_t floor_secondary_context(uint64_t cpu)
{
	return floor_cpus[cpu].context;
}

/* CPU_ON: the target comes up in the floor first, then enters the guest. */
static uint64_t floor_psci_cpu_on(uint64_t fid, uint64_t mpidr, uint64_t entry, uint64_t ctx)
{
	uint64_t cpu = mpidr & 0xff;
	struct floor_smc_result r;

	if (cpu >= FLOOR_MAX_CPUS)
		return PSCI_INVALID_PARAMETERS;
	floor_cpus[cpu].entry = entry;
	floor_cpus[cpu].context = ctx;
	__asm__ volatile("dsb ish" ::: "memory");
	floor_smc(fid, mpidr, (uint64_t)floor_secondary_entry, cpu, &r);
	return r.a0;
}

static void floor_psci(struct floor_frame *f)
{
	uint32_t fid = (uint32_t)f->x[0];
	struct floor_smc_result r;

	if (fid == PSCI_CPU_ON_32 || fid == PSCI_CPU_ON_64) {
		f->x[0] = floor_psci_cpu_on(fid, f->x[1], f->x[2], f->x[3]);
		return;
	}
	floor_smc(f->x[0], f->x[1], f->x[2], f->x[3], &r);
	f->x[0] = r.a0;
	f->x[1] = r.a1;
	f->x[2] = r.a2;
	f->x[3] = r.a3;
}

static void floor_die(uint64_t kind, uint64_t esr)
{
	struct floor_smc_result r;

	floor_puts("floor: unexpected exception, kind ");
	floor_put_hex(kind);
	floor_puts(" ESR ");
	floor_put_hex(esr);
	floor_puts(" ELR ");
	floor_put_hex(read_sysreg(elr_el2));
	floor_puts("\n");
	floor_smc(PSCI_SYSTEM_OFF, 0, 0, 0, &r);
	for (;;)
		__asm__ volatile("wfi");
}

void floor_trap(struct floor_frame *f, uint64_t kind)
{
	uint64_t esr = read_sysreg(esr_el2);
	uint64_t ec = FIELD_GET(ESR_EC, esr);

	if (kind != FLOOR_TRAP_LOWER_SYNC || (ec != ESR_EC_SMC64 && ec != ESR_EC_HVC64))
		floor_die(kind, esr);
	floor_psci(f);
	/* A trapped SMC returns to itself (Arm ARM D1.10.1); step over it. */
	if (ec == ESR_EC_SMC64)
		write_sysreg(elr_el2, read_sysreg(elr_el2) + 4);
}
