/*
 * Guest TLB maintenance kept on the guest's pCPU (see tlbi.h).  The
 * trapped instruction's own operand goes to its local or Inner Shareable
 * twin, executed here at EL2: EL1 TLB maintenance executed at EL2
 * (HCR_EL2.E2H clear) applies to the EL1&0 regime of the VMID in
 * VTTBR_EL2, which is the guest's.
 */
#include "arch/regs_hcr.h"
#include "arch/sysreg.h"
#include "hv/arch.h"
#include "hv/domain.h"
#include "sysreg_trap.h"
#include "tlbi.h"
#include "tlbi_track.h"

#define TLBI_CASE(crm, op2)                                                             \
	case SYS_ENC(1, 0, 8, crm, op2):                                                \
		__asm__ volatile("sys #0, c8, c" #crm ", #" #op2 ", %0" : : "r"(val) : "memory"); \
		break;

/* Indexed by VMID (1..CONFIG_MAX_DOMAINS); see below for why it is never reset. */
static struct tlbi_track tlbi_tracks[CONFIG_MAX_DOMAINS + 1];

/*
 * A VMID's record outlives its domain: creating and destroying a domain
 * invalidates its VMID on every pCPU, so whatever count a pCPU has seen is
 * at worst one invalidation too many for the next domain with that VMID.
 */
static struct tlbi_track *tlbi_track_of(const struct domain *d)
{
	return &tlbi_tracks[d->vmid];
}

/* Executes the TLBI @twin (a local or Inner Shareable EL1 form) with @val. */
static bool tlbi_exec(uint64_t twin, uint64_t val)
{
	switch (twin) {
		TLBI_CASE(7, 0) TLBI_CASE(7, 1) TLBI_CASE(7, 2) TLBI_CASE(7, 3) TLBI_CASE(7, 5)
		TLBI_CASE(7, 7) TLBI_CASE(6, 1) TLBI_CASE(6, 3) TLBI_CASE(6, 5) TLBI_CASE(6, 7)
		TLBI_CASE(3, 0) TLBI_CASE(3, 1) TLBI_CASE(3, 2) TLBI_CASE(3, 3) TLBI_CASE(3, 5)
		TLBI_CASE(3, 7) TLBI_CASE(2, 1) TLBI_CASE(2, 3) TLBI_CASE(2, 5) TLBI_CASE(2, 7)
	default:
		return false;
	}
	return true;
}

/* Whether a vCPU of @v's domain other than @v executes guest code now. */
static bool tlbi_others_in_guest(const struct vcpu *v)
{
	const struct domain *d = v->dom;

	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		const struct vcpu *o = &d->vcpus[i];

		if (o != v && __atomic_load_n(&o->arch.in_guest, __ATOMIC_SEQ_CST))
			return true;
	}
	return false;
}

/* The Inner Shareable form: every pCPU, as the guest asked. */
static bool tlbi_broadcast(uint64_t shareable, uint64_t val)
{
	dsb(ishst);
	if (!tlbi_exec(shareable, val))
		return false;
	/* Complete everywhere before the guest goes on: its own DSB came before the trap. */
	dsb(ish);
	return true;
}

bool tlbi_emulate(struct vcpu *v, uint64_t enc, uint64_t val)
{
	struct tlbi_track *t = tlbi_track_of(v->dom);
	uint64_t local = tlbi_local_twin(enc);
	uint64_t shareable = tlbi_shareable_twin(enc);
	uint64_t g;

	if (local == 0)
		return false;
	if (shareable != 0 && tlbi_others_in_guest(v))
		return tlbi_broadcast(shareable, val);
	g = tlbi_track_begin_local(t);
	/* A vCPU entered meanwhile without seeing the count: it must get this one now. */
	if (shareable != 0 && tlbi_others_in_guest(v))
		return tlbi_broadcast(shareable, val);
	if (!tlbi_exec(local, val))
		return false;
	dsb(nsh);
	tlbi_track_local_done(t, arch_cpu_index(), g);
	return true;
}

/*
 * AArch32 guests keep FB and no TTLB (their TLB maintenance is CP15
 * instructions this file does not decode).  Domains with several vCPUs keep
 * FB for their instruction-cache maintenance, which their other vCPUs'
 * pCPUs must see.
 */
uint64_t tlbi_hcr_bits(const struct vcpu *v, bool aarch32)
{
	if (aarch32)
		return HCR_EL2_FB;
	return HCR_EL2_TTLB | (v->dom->max_vcpus > 1 ? HCR_EL2_FB : 0);
}

void tlbi_vcpu_arrive(struct vcpu *v)
{
	unsigned int cpu = arch_cpu_index();

	if ((v->arch.hcr_base & HCR_EL2_TTLB) && v->arch.tlb_pcpu != cpu) {
		/* Stage 1 and 2 of the loaded VMID, and instructions, on this PE only. */
		__asm__ volatile("tlbi vmalls12e1\n\tic iallu" ::: "memory");
		dsb(nsh);
		isb();
	}
	v->arch.tlb_pcpu = cpu;
}

void tlbi_guest_enter(struct vcpu *v)
{
	if (!(v->arch.hcr_base & HCR_EL2_TTLB))
		return;
	__atomic_store_n(&v->arch.in_guest, true, __ATOMIC_SEQ_CST);
	if (tlbi_track_must_flush(tlbi_track_of(v->dom), arch_cpu_index())) {
		__asm__ volatile("tlbi vmalls12e1" ::: "memory");
		dsb(nsh);
		isb();
	}
}

void tlbi_guest_exit(struct vcpu *v)
{
	__atomic_store_n(&v->arch.in_guest, false, __ATOMIC_RELEASE);
}
