/*
 * Trapped system register accesses (EC 0x18), decoded once and handed to
 * the handler of their class: writes to the EL1 virtual memory control
 * registers while HCR_EL2.TVM is set and data cache maintenance by set/way
 * (HCR_EL2.TSW), which feed the cache policy; SGIs (ICC_SGI1R_EL1); the
 * GIC CPU interface registers ICH_HCR_EL2.TC traps (vgic_cpuif.c); and the
 * debug, PMU, ID and other registers guests see only through EL2
 * (sysreg_emul.c).  Anything else crashes the domain, with the register in
 * the reason.
 */
#include "arch/regs_esr.h"
#include "arch/regs_vtcr.h"
#include "arch/sysreg.h"
#include "guest_traps.h"
#include "sysreg_trap.h"
#include "tlbi.h"
#include "hv/domain.h"
#include "hv/sched.h"
#include "hv/time.h"
#include "hv/vgic.h"

#define SYS_ICC_SGI1R SYS_ENC(3, 0, 12, 11, 5)
#define SYS_DC_ISW SYS_ENC(1, 0, 7, 6, 2)
#define SYS_DC_CSW SYS_ENC(1, 0, 7, 10, 2)
#define SYS_DC_CISW SYS_ENC(1, 0, 7, 14, 2)

/* One accessor pair per trapped register, generated from its name. */
#define TVM_ACCESSORS(reg)                       \
	static uint64_t read_##reg(void)         \
	{                                        \
		return read_sysreg(reg);         \
	}                                        \
	static void write_##reg(uint64_t val)    \
	{                                        \
		write_sysreg(reg, val);          \
	}
TVM_ACCESSORS(sctlr_el1)
TVM_ACCESSORS(ttbr0_el1)
TVM_ACCESSORS(ttbr1_el1)
TVM_ACCESSORS(tcr_el1)
TVM_ACCESSORS(esr_el1)
TVM_ACCESSORS(far_el1)
TVM_ACCESSORS(afsr0_el1)
TVM_ACCESSORS(afsr1_el1)
TVM_ACCESSORS(mair_el1)
TVM_ACCESSORS(amair_el1)
TVM_ACCESSORS(contextidr_el1)
TVM_ACCESSORS(dacr32_el2)
TVM_ACCESSORS(ifsr32_el2)

struct tvm_reg {
	uint64_t enc;
	uint64_t (*read)(void);
	void (*write)(uint64_t val);
};

#define TVM_REG(enc, reg) { enc, read_##reg, write_##reg }

/*
 * The registers HCR_EL2.TVM traps (Arm ARM D19.2 "HCR_EL2", TVM).  DACR
 * and IFSR of an AArch32 guest have no EL1 register: they live in
 * DACR32_EL2 and IFSR32_EL2, which an AArch64 EL1 cannot name, so only
 * the AArch32 cp15 aliases (aa32_decode.c) reach those two entries.
 */
static const struct tvm_reg tvm_regs[] = {
	TVM_REG(SYS_ENC(3, 0, 1, 0, 0), sctlr_el1),
	TVM_REG(SYS_ENC(3, 0, 2, 0, 0), ttbr0_el1),
	TVM_REG(SYS_ENC(3, 0, 2, 0, 1), ttbr1_el1),
	TVM_REG(SYS_ENC(3, 0, 2, 0, 2), tcr_el1),
	TVM_REG(SYS_ENC(3, 0, 5, 2, 0), esr_el1),
	TVM_REG(SYS_ENC(3, 0, 6, 0, 0), far_el1),
	TVM_REG(SYS_ENC(3, 0, 5, 1, 0), afsr0_el1),
	TVM_REG(SYS_ENC(3, 0, 5, 1, 1), afsr1_el1),
	TVM_REG(SYS_ENC(3, 0, 10, 2, 0), mair_el1),
	TVM_REG(SYS_ENC(3, 0, 10, 3, 0), amair_el1),
	TVM_REG(SYS_ENC(3, 0, 13, 0, 1), contextidr_el1),
	TVM_REG(SYS_ENC(3, 4, 3, 0, 0), dacr32_el2),
	TVM_REG(SYS_ENC(3, 4, 5, 0, 1), ifsr32_el2),
};

static const struct tvm_reg *tvm_reg_find(uint64_t enc)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(tvm_regs); i++) {
		if (tvm_regs[i].enc == enc)
			return &tvm_regs[i];
	}
	return NULL;
}

bool tvm_reg_read(uint64_t enc, uint64_t *val)
{
	const struct tvm_reg *r = tvm_reg_find(enc);

	if (r)
		*val = r->read();
	return r != NULL;
}

static void tvm_write(struct vcpu *v, const struct tvm_reg *r, uint64_t val)
{
	v->stats.tvm_traps++;
	if (cp_caches_on(&v->cache))
		v->stats.traps_after_mmu_on++;
	/* The vCPU's EL1 state is live in this pCPU's registers. */
	r->write(val);
	if (r->write != write_sctlr_el1)
		return;
	v->stats.sctlr_writes++;
	flush_start(v, cp_sctlr_write(&v->cache, val & SCTLR_EL1_M, val & SCTLR_EL1_C, &v->stats));
}

/* Writes only: the registers HCR_EL2.TVM traps, SGIs and set/way maintenance. */
static bool trap_sysreg_write(struct vcpu *v, uint64_t enc, uint64_t val)
{
	const struct tvm_reg *r = tvm_reg_find(enc);

	if (r) {
		tvm_write(v, r, val);
		return true;
	}
	if (enc == SYS_ICC_SGI1R) {
		/* SGI generation traps with HCR_EL2.IMO: the vGIC delivers it. */
		vgic_sgi1r_write(v, val);
		return true;
	}
	if (enc == SYS_DC_ISW || enc == SYS_DC_CSW || enc == SYS_DC_CISW) {
		flush_start(v, cp_set_way(&v->cache, &v->stats));
		return true;
	}
	/* TLB maintenance traps (HCR_EL2.TTLB) for AArch64 domains. */
	return tlbi_emulate(v, enc, val);
}

bool trap_sysreg_emulate(struct vcpu *v, uint64_t enc, bool read, uint64_t *val)
{
	if (!read && trap_sysreg_write(v, enc, *val))
		return true;
	return vgic_cpuif_access(v, enc, read, val) || sysreg_emulate(v, enc, read, val);
}

void trap_sysreg(struct vcpu *v, uint64_t esr)
{
	uint64_t enc = esr & SYS_ENCODING_MASK;
	unsigned int rt = (unsigned int)FIELD_GET(SYS_RT, esr);
	bool read = esr & SYS_DIR_READ;
	uint64_t val = read ? 0 : guest_reg_get(v, rt);

	if (trap_sysreg_emulate(v, enc, read, &val)) {
		if (read)
			guest_reg_set(v, rt, val);
		guest_skip_insn(v, esr);
		return;
	}
	domain_crash(v->dom,
		     "vcpu %u: unhandled system register %s op0=%llu op1=%llu CRn=%llu CRm=%llu op2=%llu",
		     v->id, read ? "read" : "write",
		     (unsigned long long)FIELD_GET(SYS_OP0, esr), (unsigned long long)FIELD_GET(SYS_OP1, esr),
		     (unsigned long long)FIELD_GET(SYS_CRN, esr), (unsigned long long)FIELD_GET(SYS_CRM, esr),
		     (unsigned long long)FIELD_GET(SYS_OP2, esr));
}
