/*
 * The GIC CPU interface registers common to both interrupt groups, trapped
 * with ICH_HCR_EL2.TC and emulated on the virtual interface's state
 * (GICv3 12.2: ICC_CTLR_EL1, ICC_PMR_EL1, ICC_RPR_EL1, ICC_DIR_EL1).
 *
 * Why they trap: QEMU 7.2 stores ICV_BPR1_EL1 in a 3-bit field without
 * checking the value written, so a guest writing 8 leaves it 0, and the
 * next acknowledge of a pending virtual interrupt fails an assertion
 * (icv_gprio_mask: bpr > 0) that aborts QEMU with every guest in it.
 * With ICC_CTLR_EL1.CBPR set, writes to ICC_BPR1_EL1 are ignored and group 1
 * uses the group 0 binary point, which has no such hole.  CBPR lives in
 * ICH_VMCR_EL2.VCBPR and the guest may clear it through ICC_CTLR_EL1, so
 * ICC_CTLR_EL1 traps and its CBPR reads as one and ignores writes (the
 * guests' binary point stays at its reset minimum, where the two schemes
 * group priorities alike).  The alternative, trapping ICC_BPR1_EL1 with
 * ICH_HCR_EL2.TALL1, would also trap every acknowledge and end of interrupt
 * (and need both emulated from the list registers): measured with the
 * hostile test guest under QEMU 7.2, a trapped ICC access costs 3.4-4.2 us
 * against 0.05 us for one that does not trap, so about 8 us more per
 * interrupt.  These four registers are rarely used (Linux touches them at
 * boot, and ICC_DIR_EL1 only with split EOI).  The SGI registers of group 0 and of
 * the other Security state trap with HCR_EL2.FMO/IMO and are ignored.
 */
#include "arch/regs_gicv3.h"
#include "arch/sysreg.h"
#include "sysreg_trap.h"
#include "vgic_lr.h"

#define SYS_ICC_PMR SYS_ENC(3, 0, 4, 6, 0)
#define SYS_ICC_DIR SYS_ENC(3, 0, 12, 11, 1)
#define SYS_ICC_RPR SYS_ENC(3, 0, 12, 11, 3)
#define SYS_ICC_CTLR SYS_ENC(3, 0, 12, 12, 4)
#define SYS_ICC_ASGI1R SYS_ENC(3, 0, 12, 11, 6)
#define SYS_ICC_SGI0R SYS_ENC(3, 0, 12, 11, 7)

#define ICC_INTID_MASK GENMASK(23, 0)
#define GIC_PRIO_IDLE 0xff

static uint64_t cpuif_vtr(void)
{
	return read_sysreg(ICH_VTR_EL2_ENC);
}

static uint64_t cpuif_ctlr(void)
{
	uint64_t vtr = cpuif_vtr(), vmcr = vgic_lr_vmcr();

	return ICC_CTLR_CBPR | ((vmcr & ICH_VMCR_VEOIM) ? ICC_CTLR_EOIMODE : 0) |
	       FIELD_PREP(ICC_CTLR_PRIBITS, FIELD_GET(ICH_VTR_PRIBITS, vtr)) |
	       FIELD_PREP(ICC_CTLR_IDBITS, FIELD_GET(ICH_VTR_IDBITS, vtr)) |
	       ((vtr & ICH_VTR_SEIS) ? ICC_CTLR_SEIS : 0) | ((vtr & ICH_VTR_A3V) ? ICC_CTLR_A3V : 0);
}

static void cpuif_ctlr_write(uint64_t val)
{
	uint64_t vmcr = vgic_lr_vmcr() & ~ICH_VMCR_VEOIM;

	vgic_lr_set_vmcr(vmcr | ((val & ICC_CTLR_EOIMODE) ? ICH_VMCR_VEOIM : 0));
}

/* The priority bits the interface implements, as a mask of the top bits. */
static uint64_t cpuif_prio_mask(void)
{
	unsigned int bits = (unsigned int)FIELD_GET(ICH_VTR_PRIBITS, cpuif_vtr()) + 1;

	return (0xffu << (8 - bits)) & 0xffu;
}

static void cpuif_pmr_write(uint64_t val)
{
	uint64_t vmcr = vgic_lr_vmcr() & ~ICH_VMCR_VPMR_MASK;

	vgic_lr_set_vmcr(vmcr | FIELD_PREP(ICH_VMCR_VPMR, val & cpuif_prio_mask()));
}

/* The running priority: that of the highest (lowest numbered) active group. */
static uint64_t cpuif_rpr(void)
{
	uint64_t ap = vgic_lr_active_priorities() & 0xffffffffu;
	unsigned int prebits = (unsigned int)FIELD_GET(ICH_VTR_PREBITS, cpuif_vtr()) + 1;

	if (ap == 0)
		return GIC_PRIO_IDLE;
	return ((uint64_t)__builtin_ctzll(ap) << (8 - prebits)) & 0xff;
}

bool vgic_cpuif_access(struct vcpu *v, uint64_t enc, bool read, uint64_t *val)
{
	(void)v;
	switch (enc) {
	case SYS_ICC_CTLR:
		if (read)
			*val = cpuif_ctlr();
		else
			cpuif_ctlr_write(*val);
		return true;
	case SYS_ICC_PMR:
		if (read)
			*val = FIELD_GET(ICH_VMCR_VPMR, vgic_lr_vmcr());
		else
			cpuif_pmr_write(*val);
		return true;
	case SYS_ICC_RPR:
		if (read)
			*val = cpuif_rpr();
		return true; /* writes to RPR are ignored */
	case SYS_ICC_ASGI1R:
	case SYS_ICC_SGI0R:
		/* Group 0 and the other Security state do not exist for guests. */
		return !read;
	case SYS_ICC_DIR:
		/* Only meaningful with EOImode 1; otherwise UNPREDICTABLE, ignored here. */
		if (!read && (vgic_lr_vmcr() & ICH_VMCR_VEOIM))
			vgic_lr_deactivate((uint32_t)(*val & ICC_INTID_MASK));
		return true;
	default:
		return false;
	}
}
