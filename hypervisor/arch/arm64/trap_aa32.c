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
 * effect (the CPU may trap it anyway).  An access to a register Cachet
 * does not know, or LDC/STC to cp14, is UNDEFINED for the guest, as KVM
 * makes it: the guest takes its own Undefined Instruction exception (and
 * Linux reports it), instead of the whole domain stopping.  One log line
 * per second at most, whatever the guests do.  (The 32-bit EL0 of a
 * 64-bit guest reaches this code too; there the domain is stopped, as for
 * unknown AArch64 registers, since Cachet injects no AArch64 exceptions.)
 */
#include "aa32.h"
#include "arch/regs_esr.h"
#include "arch/regs_hcr.h"
#include "arch/sysreg.h"
#include "guest_traps.h"
#include "sysreg_trap.h"
#include "hv/domain.h"
#include "hv/fmt.h"
#include "hv/log.h"
#include "hv/time.h"

#define AA32_UNDEF_LOG_US 1000000u

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

/*
 * The guest takes an Undefined Instruction exception at the trapped
 * instruction (Arm ARM G1.12 "Exception entry", AArch32.EnterMode):
 * SPSR_und is the interrupted PSTATE, LR_und points 4 (A32) or 2 (T32)
 * bytes past the instruction, the mode becomes Undefined with IRQs
 * masked, the IT block, IL and SS cleared, state and endianness from
 * SCTLR.TE and EE, the flags, A and F kept; execution goes to the vector
 * at VBAR + 4 (0xffff0004 with SCTLR.V).  PSTATE.PAN is left alone: the
 * CPUs Cachet runs AArch32 guests on (ARMv8.0) have no FEAT_PAN.
 */
static void aa32_inject_undef(struct vcpu *v)
{
	struct arch_gregs *r = &v->arch.regs;
	uint64_t sctlr = read_sysreg(sctlr_el1);
	uint64_t base = (sctlr & AA32_SCTLR_V) ? AA32_HIVECS : (uint32_t)read_sysreg(vbar_el1);
	uint64_t old = r->pstate;
	uint64_t cleared = AA32_PSR_MODE_MASK | AA32_PSR_T | AA32_PSR_E | AA32_PSR_IT_HI_MASK |
			   AA32_PSR_IT_LO_MASK | AA32_PSR_IL | AA32_PSR_SS;

	write_sysreg(spsr_und, old);
	r->pstate = (old & ~cleared) | AA32_PSR_I | FIELD_PREP(AA32_PSR_MODE, AA32_MODE_UND) |
		    ((sctlr & AA32_SCTLR_TE) ? AA32_PSR_T : 0) | ((sctlr & AA32_SCTLR_EE) ? AA32_PSR_E : 0);
	r->x[aa32_xreg(r->pstate, 14)] = (uint32_t)(r->pc + ((old & AA32_PSR_T) ? 2 : 4));
	r->pc = base + AA32_VECTOR_UNDEF;
}

/* Guests choose how often this runs: the log gets one line a second at most. */
static bool aa32_log_allowed(void)
{
	static uint64_t next_us;
	uint64_t now = time_now_us(), next = __atomic_load_n(&next_us, __ATOMIC_RELAXED);

	return now >= next && __atomic_compare_exchange_n(&next_us, &next, now + AA32_UNDEF_LOG_US,
							  false, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
}

static void aa32_refuse(struct vcpu *v, const char *what, uint64_t ec)
{
	/* AArch32 EL0 under an AArch64 EL1: the exception would be AArch64's to take. */
	if (v->arch.hcr_base & HCR_EL2_RW) {
		domain_crash(v->dom, "vcpu %u: unhandled AArch32 EL0 %s (EC %#llx, pc %#llx)", v->id,
			     what, (unsigned long long)ec, (unsigned long long)v->arch.regs.pc);
		return;
	}
	if (aa32_log_allowed())
		log_printf("domain %u vcpu %u: UNDEF for AArch32 %s (EC %#llx, pc %#llx)\n",
			   v->dom->domid, v->id, what, (unsigned long long)ec,
			   (unsigned long long)v->arch.regs.pc);
	aa32_inject_undef(v);
}

static void aa32_unknown(struct vcpu *v, const struct aa32_cp_access *a, uint64_t ec)
{
	static const char *const cp_names[] = { "cp15", "cp14", "VFP ID (VMRS)" };
	char what[96];

	fmt_snprintf(what, sizeof(what), "%s %s%s opc1=%u CRn=%u CRm=%u opc2=%u",
		     cp_names[a->cp], a->is64 ? "64-bit " : "", a->read ? "read" : "write",
		     a->opc1, a->crn, a->crm, a->opc2);
	aa32_refuse(v, what, ec);
}

void trap_aa32_cp(struct vcpu *v, uint64_t ec, uint64_t esr)
{
	struct aa32_cp_access a;

	if (!aa32_cond_passed(esr, v->arch.regs.pstate)) {
		guest_skip_insn(v, esr);
		return;
	}
	if (ec == ESR_EC_CP14_LS) {
		aa32_refuse(v, "LDC/STC to cp14", ec);
		return;
	}
	aa32_decode(esr, aa32_cp_of(ec), ec == ESR_EC_CP15_64 || ec == ESR_EC_CP14_64, &a);
	if (!aa32_emulate(v, &a)) {
		aa32_unknown(v, &a, ec);
		return;
	}
	guest_skip_insn(v, esr);
}
