/*
 * Guest aborts at stage 2: first accesses to RAM parked by access tracking
 * (data and instruction aborts, hv/flush.h), then for data aborts (EC 0x24)
 * MMIO to emulated devices, cache maintenance by VA outside RAM (a no-op,
 * as on hardware), or an illegal access that crashes the guest.
 */
#include "arch/regs_esr.h"
#include "arch/regs_vtcr.h"
#include "arch/sysreg.h"
#include "guest_traps.h"
#include "hv/domain.h"
#include "hv/vdev.h"

/* ISS of a data abort (Arm ARM D17.2.40). */
#define DABT_ISV BIT(24)
#define DABT_SAS_SHIFT 22
#define DABT_SAS_MASK GENMASK(23, 22)
#define DABT_SSE BIT(21)
#define DABT_SRT_SHIFT 16
#define DABT_SRT_MASK GENMASK(20, 16)
#define DABT_SF BIT(15)
#define DABT_CM BIT(8)
#define DABT_S1PTW BIT(7)
#define DABT_WNR BIT(6)

static uint64_t fault_ipa(void)
{
	uint64_t hpfar = read_sysreg(hpfar_el2);

	return (FIELD_GET(HPFAR_FIPA, hpfar) << PAGE_SHIFT) | (read_sysreg(far_el2) & PAGE_MASK);
}

static uint64_t sign_extend(uint64_t val, unsigned int size, bool to64)
{
	uint64_t sign = UINT64_C(1) << (8 * size - 1);

	val = (val ^ sign) - sign;
	return to64 ? val : (uint32_t)val;
}

static bool mmio_access(struct vcpu *v, uint64_t esr, uint64_t ipa)
{
	unsigned int size = 1u << FIELD_GET(DABT_SAS, esr);
	unsigned int rt = (unsigned int)FIELD_GET(DABT_SRT, esr);
	bool write = esr & DABT_WNR;
	uint64_t val = write ? guest_reg_get(v, rt) : 0;

	if (!vdev_mmio_access(v, ipa, size, &val, write))
		return false;
	if (write)
		return true;
	if ((esr & DABT_SSE) && size < 8)
		val = sign_extend(val, size, esr & DABT_SF);
	guest_reg_set(v, rt, val);
	return true;
}

/* Translation faults (DFSC/IFSC 0b0001LL): what a parked stage-2 leaf raises. */
static bool is_translation_fault(uint64_t esr)
{
	return (FIELD_GET(ESR_xABT_FSC, esr) & ~UINT64_C(3)) == ESR_xABT_FSC_TRANSLATION;
}

void trap_iabt(struct vcpu *v, uint64_t esr)
{
	uint64_t ipa = fault_ipa();

	if (is_translation_fault(esr) && flush_s2_fault(v, ipa))
		return;
	domain_crash(v->dom, "vcpu %u: instruction fetch from unmapped IPA %#llx (pc %#llx)", v->id,
		     (unsigned long long)ipa, (unsigned long long)v->arch.regs.pc);
}

enum exitprof_class trap_dabt(struct vcpu *v, uint64_t esr)
{
	uint64_t ipa = fault_ipa();

	/* A first access to RAM since the last flush: retry it once the leaf is valid. */
	if (is_translation_fault(esr) && flush_s2_fault(v, ipa))
		return EXITPROF_OTHER;
	if (esr & DABT_CM) {
		/* DC by VA on an address without RAM behind it does nothing. */
		guest_skip_insn(v, esr);
		return EXITPROF_OTHER;
	}
	if (!(esr & DABT_ISV) || (esr & DABT_S1PTW)) {
		domain_crash(v->dom, "vcpu %u: %s at IPA %#llx the hypervisor cannot emulate (pc %#llx)",
			     v->id, (esr & DABT_S1PTW) ? "page-table walk" : "access without syndrome",
			     (unsigned long long)ipa, (unsigned long long)v->arch.regs.pc);
		return EXITPROF_OTHER;
	}
	if (!mmio_access(v, esr, ipa)) {
		domain_crash(v->dom, "vcpu %u: %s of unmapped IPA %#llx (pc %#llx)", v->id,
			     (esr & DABT_WNR) ? "write" : "read", (unsigned long long)ipa,
			     (unsigned long long)v->arch.regs.pc);
		return EXITPROF_OTHER;
	}
	guest_skip_insn(v, esr);
	return EXITPROF_MMIO;
}
