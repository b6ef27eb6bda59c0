/*
 * Coprocessor accesses of AArch32 EL1 guests: MCR/MRC and MCRR/MRRC to
 * cp15 (EC 0x03, 0x04) and cp14 (EC 0x05, 0x0C), and VMRS of the VFP ID
 * registers (EC 0x08).  Each is decoded once (aa32_decode.c), named by the
 * AArch64 register it aliases, and handed to the same emulation AArch64
 * accesses get (trap_sysreg_emulate): TVM writes and set/way operations
 * reach the cache policy through one path, and the GIC CPU interface, the
 * debug, PMU and ID registers through one table each.  A 32-bit write to
 * half of a 64-bit TVM register (TTBCR, IFAR, NMRR, ...) keeps the other
 * half, as the architecture's register mapping says.
 *
 * A conditional instruction whose condition fails is skipped without
 * effect (the CPU may trap it anyway).  LDC/STC to cp14 and registers
 * Cachet does not know stop the domain, as unknown AArch64 registers do.
 */
#include "aa32.h"
#include "arch/regs_esr.h"
#include "guest_traps.h"
#include "sysreg_trap.h"
#include "hv/domain.h"

static enum aa32_cp aa32_cp_of(uint64_t ec)
{
	if (ec == ESR_EC_CP14_32 || ec == ESR_EC_CP14_64)
		return AA32_CP14;
	return ec == ESR_EC_CP10_ID ? AA32_CP10_ID : AA32_CP15;
}

/* The value written: Rt, or Rt2:Rt, merged into a TVM register's other half. */
static uint64_t aa32_value_written(const struct vcpu *v, const struct aa32_cp_access *a,
				   const struct aa32_alias *al)
{
	uint64_t val = guest_reg_get(v, a->rt), full = 0;

	if (a->is64)
		val |= guest_reg_get(v, a->rt2) << 32;
	if (!tvm_reg_read(al->enc, &full))
		return val;
	return aa32_merge(full, val, a, al);
}

static void aa32_value_read(struct vcpu *v, const struct aa32_cp_access *a,
			    const struct aa32_alias *al, uint64_t val)
{
	if (a->is64) {
		guest_reg_set(v, a->rt, (uint32_t)val);
		guest_reg_set(v, a->rt2, val >> 32);
		return;
	}
	val = (uint32_t)(val >> al->shift);
	/* MRC to R15 (DBGDSCRint into APSR_nzcv) sets the flags from bits 31:28. */
	if (a->rt == AA32_REG_PC) {
		v->arch.regs.pstate &= ~AA32_PSR_NZCV_MASK;
		v->arch.regs.pstate |= val & AA32_PSR_NZCV_MASK;
		return;
	}
	guest_reg_set(v, a->rt, val);
}

static bool aa32_emulate(struct vcpu *v, const struct aa32_cp_access *a)
{
	struct aa32_alias al;
	uint64_t val = 0;

	if (!aa32_alias_of(a, &al))
		return false;
	if (!a->read) {
		val = aa32_value_written(v, a, &al);
		return trap_sysreg_emulate(v, al.enc, false, &val);
	}
	if (!trap_sysreg_emulate(v, al.enc, true, &val))
		return false;
	aa32_value_read(v, a, &al, val);
	return true;
}

static void aa32_unknown(struct vcpu *v, const struct aa32_cp_access *a, uint64_t ec)
{
	static const char *const cp_names[] = { "cp15", "cp14", "VFP ID (VMRS)" };

	domain_crash(v->dom, "vcpu %u: unhandled AArch32 %s %s%s opc1=%u CRn=%u CRm=%u opc2=%u "
		     "(EC %#llx, pc %#llx)", v->id, cp_names[a->cp], a->is64 ? "64-bit " : "",
		     a->read ? "read" : "write", a->opc1, a->crn, a->crm, a->opc2,
		     (unsigned long long)ec, (unsigned long long)v->arch.regs.pc);
}

void trap_aa32_cp(struct vcpu *v, uint64_t ec, uint64_t esr)
{
	struct aa32_cp_access a;

	if (!aa32_cond_passed(esr, v->arch.regs.pstate)) {
		guest_skip_insn(v, esr);
		return;
	}
	if (ec == ESR_EC_CP14_LS) {
		domain_crash(v->dom, "vcpu %u: AArch32 LDC/STC to cp14 is not emulated (pc %#llx)",
			     v->id, (unsigned long long)v->arch.regs.pc);
		return;
	}
	aa32_decode(esr, aa32_cp_of(ec), ec == ESR_EC_CP15_64 || ec == ESR_EC_CP14_64, &a);
	if (!aa32_emulate(v, &a)) {
		aa32_unknown(v, &a, ec);
		return;
	}
	guest_skip_insn(v, esr);
}
