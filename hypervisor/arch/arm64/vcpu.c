/*
 * Running vCPUs on arm64: reset state, the switch of EL1 and FP/SIMD
 * registers between vCPUs, stage-2 registers, and one run step.
 */
#include "arch/regs_hcr.h"
#include "arch/regs_id.h"
#include "arch/regs_mdcr.h"
#include "arch/regs_gicv3.h"
#include "arch/regs_tcr.h"
#include "arch/regs_vtcr.h"
#include "arch/sysreg.h"
#include "cachet/public/guest_map.h"
#include "gicv3.h"
#include "guest_traps.h"
#include "hv/arch_vcpu.h"
#include "hv/domain.h"
#include "hv/smp.h"
#include "hv/vgic.h"
#include "tlbi.h"
#include "vgic_lr.h"
#include "vtimer.h"

/*
 * Traps every guest has; the cache policy adds DC and TVM
 * (hv/cache_policy.h), and tlbi.h FB or TTLB.
 */
#define HCR_GUEST_BASE                                                                  \
	(HCR_EL2_VM | HCR_EL2_SWIO | HCR_EL2_FMO | HCR_EL2_IMO | HCR_EL2_AMO |              \
	 HCR_EL2_BSU_INNER | HCR_EL2_TSC | HCR_EL2_TSW | HCR_EL2_TWI | HCR_EL2_TID3 |       \
	 HCR_EL2_TIDCP | HCR_EL2_TACR | HCR_EL2_TLOR)

/*
 * Debug and PMU registers trap for every guest (sysreg_emul.c emulates them):
 * they are not switched between vCPUs.  HPMN gives all counters to EL1 and
 * HPME stays clear, so no counter counts for EL2.
 */
#define MDCR_GUEST (MDCR_EL2_TPMCR | MDCR_EL2_TPM | MDCR_EL2_TDA | MDCR_EL2_TDOSA | MDCR_EL2_TDRA)

int arch_guest_enter(struct arch_gregs *g);
void arch_fp_save(struct arch_fpregs *fp);
void arch_fp_restore(const struct arch_fpregs *fp);

static void vcpu_el1_save(struct arch_el1_regs *r);
static void vcpu_aa32_save(struct arch_aa32_regs *r);

/* FPEXC's reset value: EN clear, the IMPLEMENTATION DEFINED bits 10:8 set (as KVM has it). */
#define FPEXC32_RESET 0x700

static bool vcpu_is_aa32(const struct vcpu *v)
{
	return !(v->arch.hcr_base & HCR_EL2_RW);
}

static uint64_t vcpu_load_gen;
static uint64_t pcpu_loaded_gen[CONFIG_MAX_CPUS];
static struct vcpu *pcpu_loaded[CONFIG_MAX_CPUS];

static bool vcpu_is_loaded_here(const struct vcpu *v, unsigned int cpu)
{
	return v != NULL && pcpu_loaded_gen[cpu] != 0 && v->arch.load_gen == pcpu_loaded_gen[cpu];
}

/* Saves everything of @v this pCPU's registers hold. */
static void vcpu_save(struct vcpu *v)
{
	vcpu_el1_save(&v->arch.el1);
	if (vcpu_is_aa32(v))
		vcpu_aa32_save(&v->arch.aa32);
	arch_fp_save(&v->arch.fp);
	vgic_lr_save(&v->arch.vgic);
	vtimer_save(&v->arch.vtimer);
}

void arch_vcpu_reset(struct vcpu *v, const struct cachet_vcpu_context *ctx, bool aarch32)
{
	struct arch_vcpu *a = &v->arch;

	*a = (struct arch_vcpu){ 0 };
	for (unsigned int i = 0; i < 31; i++)
		a->regs.x[i] = ctx->x[i];
	a->regs.pc = ctx->pc;
	a->regs.pstate = ctx->pstate;
	a->el1.sp_el1 = ctx->sp_el1;
	a->el1.sctlr = ctx->sctlr_el1 != 0 ? ctx->sctlr_el1 : SCTLR_EL1_RESET;
	a->vgic.vmcr = ICH_VMCR_VCBPR; /* see vgic_cpuif.c */
	a->hcr_base = HCR_GUEST_BASE | (aarch32 ? 0 : HCR_EL2_RW) | tlbi_hcr_bits(v, aarch32);
	a->tlb_pcpu = UINT32_MAX; /* no pCPU yet: the first one invalidates */
	a->aa32.fpexc32 = FPEXC32_RESET;
	/* Aff0 = id % 16, Aff1 = id / 16, as the DTB and PSCI CPU_ON say; bit 31 is RES1. */
	a->vmpidr = BIT(31) | (v->id % 16) | ((uint64_t)(v->id / 16) << 8);
	a->load_gen = 0;
}

static void vcpu_el1_restore(const struct arch_el1_regs *r)
{
	write_sysreg(sctlr_el1, r->sctlr);
	write_sysreg(ttbr0_el1, r->ttbr0);
	write_sysreg(ttbr1_el1, r->ttbr1);
	write_sysreg(tcr_el1, r->tcr);
	write_sysreg(mair_el1, r->mair);
	write_sysreg(amair_el1, r->amair);
	write_sysreg(contextidr_el1, r->contextidr);
	write_sysreg(vbar_el1, r->vbar);
	write_sysreg(esr_el1, r->esr);
	write_sysreg(far_el1, r->far);
	write_sysreg(afsr0_el1, r->afsr0);
	write_sysreg(afsr1_el1, r->afsr1);
	write_sysreg(par_el1, r->par);
	write_sysreg(sp_el0, r->sp_el0);
	write_sysreg(sp_el1, r->sp_el1);
	write_sysreg(elr_el1, r->elr);
	write_sysreg(spsr_el1, r->spsr);
	write_sysreg(tpidr_el0, r->tpidr_el0);
	write_sysreg(tpidrro_el0, r->tpidrro_el0);
	write_sysreg(tpidr_el1, r->tpidr_el1);
	write_sysreg(cpacr_el1, r->cpacr);
	write_sysreg(csselr_el1, r->csselr);
	write_sysreg(cntkctl_el1, r->cntkctl);
}

static void vcpu_el1_save(struct arch_el1_regs *r)
{
	r->sctlr = read_sysreg(sctlr_el1);
	r->ttbr0 = read_sysreg(ttbr0_el1);
	r->ttbr1 = read_sysreg(ttbr1_el1);
	r->tcr = read_sysreg(tcr_el1);
	r->mair = read_sysreg(mair_el1);
	r->amair = read_sysreg(amair_el1);
	r->contextidr = read_sysreg(contextidr_el1);
	r->vbar = read_sysreg(vbar_el1);
	r->esr = read_sysreg(esr_el1);
	r->far = read_sysreg(far_el1);
	r->afsr0 = read_sysreg(afsr0_el1);
	r->afsr1 = read_sysreg(afsr1_el1);
	r->par = read_sysreg(par_el1);
	r->sp_el0 = read_sysreg(sp_el0);
	r->sp_el1 = read_sysreg(sp_el1);
	r->elr = read_sysreg(elr_el1);
	r->spsr = read_sysreg(spsr_el1);
	r->tpidr_el0 = read_sysreg(tpidr_el0);
	r->tpidrro_el0 = read_sysreg(tpidrro_el0);
	r->tpidr_el1 = read_sysreg(tpidr_el1);
	r->cpacr = read_sysreg(cpacr_el1);
	r->csselr = read_sysreg(csselr_el1);
	r->cntkctl = read_sysreg(cntkctl_el1);
}

static void vcpu_aa32_restore(const struct arch_aa32_regs *r)
{
	write_sysreg(spsr_abt, r->spsr_abt);
	write_sysreg(spsr_und, r->spsr_und);
	write_sysreg(spsr_irq, r->spsr_irq);
	write_sysreg(spsr_fiq, r->spsr_fiq);
	write_sysreg(dacr32_el2, r->dacr32);
	write_sysreg(ifsr32_el2, r->ifsr32);
	write_sysreg(fpexc32_el2, r->fpexc32);
}

static void vcpu_aa32_save(struct arch_aa32_regs *r)
{
	r->spsr_abt = read_sysreg(spsr_abt);
	r->spsr_und = read_sysreg(spsr_und);
	r->spsr_irq = read_sysreg(spsr_irq);
	r->spsr_fiq = read_sysreg(spsr_fiq);
	r->dacr32 = read_sysreg(dacr32_el2);
	r->ifsr32 = read_sysreg(ifsr32_el2);
	r->fpexc32 = read_sysreg(fpexc32_el2);
}

static uint64_t vttbr_of(const struct domain *d)
{
	return FIELD_PREP(VTTBR_VMID, d->vmid) | (ma_val(d->p2m.root) & VTTBR_BADDR_MASK);
}

void arch_vcpu_switch(struct vcpu *prev, struct vcpu *v)
{
	unsigned int cpu = arch_cpu_index();

	if (prev != v && vcpu_is_loaded_here(prev, cpu)) {
		vcpu_save(prev);
		prev->arch.load_gen = 0; /* its state is in memory again */
	}
	if (vcpu_is_loaded_here(v, cpu))
		return; /* its state is still in this pCPU's registers */
	vcpu_el1_restore(&v->arch.el1);
	if (vcpu_is_aa32(v))
		vcpu_aa32_restore(&v->arch.aa32);
	arch_fp_restore(&v->arch.fp);
	vgic_lr_restore(&v->arch.vgic);
	vtimer_restore(&v->arch.vtimer);
	write_sysreg(vttbr_el2, vttbr_of(v->dom));
	write_sysreg(vmpidr_el2, v->arch.vmpidr);
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	isb();
	tlbi_vcpu_arrive(v);
	v->arch.load_gen = pcpu_loaded_gen[cpu] = __atomic_add_fetch(&vcpu_load_gen, 1,
								      __ATOMIC_RELAXED);
	pcpu_loaded[cpu] = v;
}

void arch_vcpu_put(struct vcpu *v)
{
	unsigned int cpu = arch_cpu_index();

	if (!vcpu_is_loaded_here(v, cpu))
		return;
	vcpu_save(v);
	pcpu_loaded_gen[cpu] = 0;
	pcpu_loaded[cpu] = NULL;
	v->arch.load_gen = 0;
}

void arch_vcpu_forget(struct vcpu *v)
{
	v->arch.load_gen = 0;
}

struct vcpu *arch_loaded_vcpu(void)
{
	unsigned int cpu = arch_cpu_index();

	return vcpu_is_loaded_here(pcpu_loaded[cpu], cpu) ? pcpu_loaded[cpu] : NULL;
}

bool arch_vcpu_timer_deadline(const struct vcpu *v, uint64_t *counter)
{
	/* A timer loaded anywhere interrupts by itself. */
	if (v->arch.load_gen != 0)
		return false;
	return vtimer_deadline(&v->arch.vtimer, counter);
}

bool arch_vcpu_poll_timer(struct vcpu *v)
{
	unsigned int cpu = arch_cpu_index();

	/* A loaded timer interrupts by itself; a saved one is checked here. */
	if (v->arch.load_gen != 0 && !vcpu_is_loaded_here(v, cpu))
		return false;
	if (vcpu_is_loaded_here(v, cpu) || !vtimer_expired(&v->arch.vtimer))
		return false;
	v->arch.vtimer.level = true;
	vgic_set_level(v->dom, v, CACHET_GUEST_TIMER_VIRT_PPI, true);
	return true;
}

static uint64_t vcpu_hcr(const struct vcpu *v)
{
	return v->arch.hcr_base | (v->cache.dc ? HCR_EL2_DC : 0) | (v->cache.tvm ? HCR_EL2_TVM : 0) |
	       (v->cache.fwb ? HCR_EL2_FWB : 0);
}

/*
 * HCR_EL2 as this pCPU has it.  Writing it takes QEMU's global lock (its
 * virtual interrupt lines are recomputed), and most exits change nothing
 * in it: it is written only when the value changes.  Only guest entry
 * writes it after vcpu_init_cpu(), which records the host value.
 */
static uint64_t pcpu_hcr[CONFIG_MAX_CPUS];

static void vcpu_write_hcr(uint64_t hcr)
{
	unsigned int cpu = arch_cpu_index();

	if (pcpu_hcr[cpu] == hcr)
		return;
	pcpu_hcr[cpu] = hcr;
	write_sysreg(hcr_el2, hcr);
	isb();
}

void arch_vcpu_run(struct vcpu *v)
{
	uint64_t start = 0;
	bool timed;
	int vec;

	vcpu_write_hcr(vcpu_hcr(v));
	arch_vgic_flush(v);
	vtimer_flush(v);
	tlbi_guest_enter(v);
	/* ERET synchronises the context: the list registers written are seen. */
	vec = arch_guest_enter(&v->arch.regs);
	tlbi_guest_exit(v);
	timed = exitprof_sample(v);
	if (timed)
		start = arch_counter_now();
	arch_vgic_sync(v);
	/*
	 * The timer's line can only rise by firing, which interrupts this pCPU
	 * (vtimer_irq); only a raised line must be read again to see it drop.
	 */
	if (v->arch.vtimer.level)
		vtimer_sync(v);
	v->stats.exits++;
	v->stats.hcr_dc = v->cache.dc;
	v->stats.hcr_tvm = v->cache.tvm;
	exitprof_account(v, guest_trap_dispatch(v, vec), timed,
			 timed ? arch_counter_now() - start : 0);
}

/*
 * Debug and PMU state starts clean on every pCPU, and guests cannot change
 * it (MDCR_GUEST): nothing counts, no debug event is enabled.
 */
static void vcpu_init_debug(void)
{
	uint64_t pmuver = FIELD_GET(ID_AA64DFR0_PMUVER, read_sysreg(id_aa64dfr0_el1));
	uint64_t counters = 0;

	/* Without a PMU (0) or with a non-architected one (0xf) its registers UNDEF. */
	if (pmuver != 0 && pmuver != 0xf) {
		counters = FIELD_GET(PMCR_EL0_N, read_sysreg(pmcr_el0));
		write_sysreg(pmcr_el0, 0);
		write_sysreg(pmcntenclr_el0, ~UINT64_C(0));
		write_sysreg(pmintenclr_el1, ~UINT64_C(0));
		write_sysreg(pmccfiltr_el0, 0);
	}
	write_sysreg(mdscr_el1, 0);
	write_sysreg(mdcr_el2, MDCR_GUEST | FIELD_PREP(MDCR_EL2_HPMN, counters));
}

/* Per-pCPU stage-2 and trap configuration, done once at boot. */
void vcpu_init_cpu(void)
{
	uint64_t mmfr0 = read_sysreg(id_aa64mmfr0_el1);
	uint64_t parange = MIN(FIELD_GET(ID_AA64MMFR0_PARANGE, mmfr0), 5);
	bool vmid16 = FIELD_GET(ID_AA64MMFR1_VMIDBITS, read_sysreg(id_aa64mmfr1_el1)) ==
		      ID_AA64MMFR1_VMIDBITS_16;

	write_sysreg(vtcr_el2, VTCR_RES1 | FIELD_PREP(VTCR_T0SZ, 64 - CONFIG_GUEST_IPA_BITS) |
				       FIELD_PREP(VTCR_SL0, VTCR_SL0_4K_LEVEL1) |
				       FIELD_PREP(VTCR_IRGN0, TCR_RGN_WBWA) |
				       FIELD_PREP(VTCR_ORGN0, TCR_RGN_WBWA) |
				       FIELD_PREP(VTCR_SH0, TCR_SH_INNER) |
				       FIELD_PREP(VTCR_TG0, TCR_TG0_4K) | FIELD_PREP(VTCR_PS, parange) |
				       (vmid16 ? VTCR_VS : 0));
	write_sysreg(cptr_el2, CPTR_EL2_RES1 | CPTR_EL2_TZ | CPTR_EL2_TTA);
	vcpu_init_debug();
	/* The guest reads the physical counter; the physical timer stays the hypervisor's. */
	write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN);
	/* Never changed: see vtimer.c for why every guest's offset is zero. */
	write_sysreg(cntvoff_el2, 0);
	isb();
	pcpu_hcr[arch_cpu_index()] = read_sysreg(hcr_el2);
}

unsigned int arch_vmid_count(void)
{
	return FIELD_GET(ID_AA64MMFR1_VMIDBITS, read_sysreg(id_aa64mmfr1_el1)) ==
			       ID_AA64MMFR1_VMIDBITS_16
		       ? 65536
		       : 256;
}

void arch_kick_cpu(unsigned int cpu)
{
	if (cpu != arch_cpu_index())
		gicv3_send_sgi(cpu, GIC_SGI_KICK);
}

/*
 * Stage-2 TLB maintenance applies to the VMID in VTTBR_EL2, so the target
 * VMID is loaded for the operation and the previous value put back.  No
 * guest runs on this pCPU meanwhile (we are in the hypervisor).
 */
static uint64_t tlbi_switch_vmid(uint16_t vmid, maddr_t root)
{
	uint64_t saved = read_sysreg(vttbr_el2);

	write_sysreg(vttbr_el2, FIELD_PREP(VTTBR_VMID, vmid) | (ma_val(root) & VTTBR_BADDR_MASK));
	isb();
	return saved;
}

void arch_tlbi_guest_all(uint16_t vmid, maddr_t root)
{
	uint64_t saved = tlbi_switch_vmid(vmid, root);

	dsb(ishst);
	__asm__ volatile("tlbi vmalls12e1is" ::: "memory");
	dsb(ish);
	write_sysreg(vttbr_el2, saved);
	isb();
}

void arch_tlbi_guest_ipa(uint16_t vmid, maddr_t root, uint64_t ipa)
{
	uint64_t saved = tlbi_switch_vmid(vmid, root);

	dsb(ishst);
	__asm__ volatile("tlbi ipas2e1is, %0" : : "r"(ipa >> PAGE_SHIFT) : "memory");
	dsb(ish);
	/* Stage-1 entries cached with the old stage-2 result must go too. */
	__asm__ volatile("tlbi vmalle1is" ::: "memory");
	dsb(ish);
	write_sysreg(vttbr_el2, saved);
	isb();
}

/*
 * Zeroes a page with ordinary stores, not DC ZVA: QEMU's TCG drops the code
 * it translated from a page when the CPU stores to it, but not on DC ZVA, and
 * a new guest must never run translations of a previous owner's code.
 */
void arch_page_zero(void *page)
{
	for (uint64_t *w = page; (uintptr_t)w < (uintptr_t)page + PAGE_SIZE; w += 8) {
		__asm__ volatile("stp xzr, xzr, [%0]\n\tstp xzr, xzr, [%0, #16]\n\t"
				 "stp xzr, xzr, [%0, #32]\n\tstp xzr, xzr, [%0, #48]"
				 : : "r"(w) : "memory");
	}
}

void arch_icache_inval_all(void)
{
	dsb(ish);
	__asm__ volatile("ic ialluis" ::: "memory");
	dsb(ish);
	isb();
}
