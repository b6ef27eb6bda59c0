/* arm64 implementation of the basic arch seam (hv/arch.h). */
#include "arch/pte.h"
#include "arch/regs_id.h"
#include "arch/regs_gicv3.h"
#include "arch/regs_sctlr.h"
#include "arch/sysreg.h"
#include "hv/arch.h"
#include "hv/config.h"

void *arch_ma_to_ptr(maddr_t ma)
{
	/* RAM and devices are identity-mapped. */
	return (void *)(uintptr_t)ma_val(ma);
}

maddr_t arch_ptr_to_ma(const void *p)
{
	return ma_init((uint64_t)(uintptr_t)p);
}

unsigned int arch_cpu_index(void)
{
	return (unsigned int)read_sysreg(tpidr_el2);
}

unsigned long arch_irq_save(void)
{
	unsigned long flags = read_sysreg(daif);

	__asm__ volatile("msr daifset, #2" ::: "memory");
	return flags;
}

void arch_irq_restore(unsigned long flags)
{
	write_sysreg(daif, flags);
}

void arch_irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}

void arch_wait_for_interrupt(void)
{
	/*
	 * Under QEMU, WFI halts the vCPU; WFE would spin a host core.  The
	 * interrupt that ends the wait is taken here, then masked again: the
	 * hypervisor otherwise runs with interrupts masked.  Handling it
	 * directly with interrupts still masked (irq_dispatch) looked cheaper
	 * but made CPU 0's back-to-back management round trip 6.4 -> 40 us
	 * (bench_mgmt, bisected); why is not understood yet.
	 */
	dsb(sy);
	wfi();
	arch_take_pending_irqs();
}

bool arch_irq_pending(void)
{
	return read_sysreg(isr_el1) != 0;
}

void arch_take_pending_irqs(void)
{
	arch_irq_enable();
	isb();
	__asm__ volatile("msr daifset, #2" ::: "memory");
}

void arch_barrier_writes(void)
{
	dsb(ishst);
}

static uint64_t dcache_line_size(void)
{
	return UINT64_C(4) << ((read_sysreg(ctr_el0) >> 16) & 0xf);
}

void arch_dcache_clean_range(const void *p, size_t len)
{
	uint64_t line = dcache_line_size();
	uint64_t a = ALIGN_DOWN((uintptr_t)p, line), end = (uintptr_t)p + len;

	for (; a < end; a += line)
		__asm__ volatile("dc cvac, %0" : : "r"(a) : "memory");
	dsb(sy);
}

void arch_dcache_clean_inval_range(const void *p, size_t len)
{
	uint64_t line = dcache_line_size();
	uint64_t a = ALIGN_DOWN((uintptr_t)p, line), end = (uintptr_t)p + len;

	for (; a < end; a += line)
		__asm__ volatile("dc civac, %0" : : "r"(a) : "memory");
	dsb(sy);
}

void arch_tlbi_hyp_va(uint64_t va)
{
	dsb(ishst);
	__asm__ volatile("tlbi vae2is, %0" : : "r"(va >> PAGE_SHIFT) : "memory");
	dsb(ish);
	isb();
}

void arch_tlbi_hyp_all(void)
{
	dsb(ishst);
	__asm__ volatile("tlbi alle2is" ::: "memory");
	dsb(ish);
	isb();
}

void arch_pte_write(uint64_t *entry, uint64_t value)
{
	/* A single aligned 64-bit store is single-copy atomic for walkers. */
	__atomic_store_n(entry, value, __ATOMIC_RELAXED);
}

void arch_cpu_halt(void)
{
	__asm__ volatile("msr daifset, #0xf" ::: "memory");
	for (;;)
		wfi();
}

uint64_t arch_counter_now(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

uint64_t arch_counter_freq(void)
{
	return read_sysreg(cntfrq_el0);
}

static unsigned int pa_bits_of(uint64_t parange)
{
	static const unsigned int bits[] = { 32, 36, 40, 42, 44, 48, 52 };

	return parange < ARRAY_SIZE(bits) ? bits[parange] : 52;
}

void arch_probe_features(struct arch_features *f)
{
	uint64_t mmfr0 = read_sysreg(id_aa64mmfr0_el1);
	uint64_t mmfr1 = read_sysreg(id_aa64mmfr1_el1);
	uint64_t mmfr2 = read_sysreg(ID_AA64MMFR2_EL1_ENC);
	uint64_t vtr = read_sysreg(ICH_VTR_EL2_ENC);

	f->midr = read_sysreg(midr_el1);
	f->pa_bits = pa_bits_of(FIELD_GET(ID_AA64MMFR0_PARANGE, mmfr0));
	f->vmid_bits = FIELD_GET(ID_AA64MMFR1_VMIDBITS, mmfr1) == ID_AA64MMFR1_VMIDBITS_16 ? 16 : 8;
	f->s2fwb = FIELD_GET(ID_AA64MMFR2_FWB, mmfr2) != 0;
	f->aarch32_el1 = FIELD_GET(ID_AA64PFR0_EL1, read_sysreg(id_aa64pfr0_el1)) == 2;
	f->gic_list_regs = (unsigned int)FIELD_GET(ICH_VTR_LISTREGS, vtr) + 1;
	f->gic_pri_bits = (unsigned int)FIELD_GET(ICH_VTR_PRIBITS, vtr) + 1;
}

bool arch_mmu_enabled(void)
{
	return (read_sysreg(sctlr_el2) & SCTLR_EL2_M) != 0;
}

/* Per-CPU stacks; head.S points SP at the top of the CPU's own one. */
char hv_stacks[CONFIG_MAX_CPUS][CONFIG_STACK_SIZE]
	__attribute__((aligned(PAGE_SIZE), section(".bss.page_aligned")));
