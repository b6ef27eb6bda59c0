/*
 * Guest TLB maintenance kept on the guest's pCPU (see tlbi.h).  The
 * trapped instruction's own operand goes to its local twin, executed here
 * at EL2: EL1 TLB maintenance executed at EL2 (HCR_EL2.E2H clear) applies
 * to the EL1&0 regime of the VMID in VTTBR_EL2, which is the guest's.
 */
#include "arch/regs_hcr.h"
#include "arch/sysreg.h"
#include "hv/arch.h"
#include "hv/domain.h"
#include "sysreg_trap.h"
#include "tlbi.h"

#define TLBI_CASE(crm, op2)                                                             \
	case SYS_ENC(1, 0, 8, crm, op2):                                                \
		__asm__ volatile("sys #0, c8, c" #crm ", #" #op2 ", %0" : : "r"(val) : "memory"); \
		break;

bool tlbi_emulate(uint64_t enc, uint64_t val)
{
	uint64_t twin = tlbi_local_twin(enc);

	if (twin == 0)
		return false;
	switch (twin) {
		TLBI_CASE(7, 0) TLBI_CASE(7, 1) TLBI_CASE(7, 2) TLBI_CASE(7, 3) TLBI_CASE(7, 5)
		TLBI_CASE(7, 7) TLBI_CASE(6, 1) TLBI_CASE(6, 3) TLBI_CASE(6, 5) TLBI_CASE(6, 7)
	default:
		return false;
	}
	/* Complete before the guest goes on: its own DSB came before the trap. */
	dsb(nsh);
	return true;
}

/*
 * AArch32 guests keep FB (their TLB maintenance is CP15 instructions this
 * file does not decode), and so do domains with several vCPUs, whose
 * maintenance must reach the pCPUs their other vCPUs run on.
 */
uint64_t tlbi_hcr_bits(const struct vcpu *v, bool aarch32)
{
	return !aarch32 && v->dom->max_vcpus == 1 ? HCR_EL2_TTLB : HCR_EL2_FB;
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
