/*
 * The list-register side of the virtual GIC: the GICv3 virtual CPU
 * interface (ICH_*_EL2, GICv3 spec 12.5) presents interrupts to the loaded
 * vCPU; the guest acknowledges and ends them with its ICC_* registers
 * without trapping.  Before each entry free list registers are filled from
 * the vGIC; after each exit finished ones are handed back.
 */
#include "arch/bits.h"
#include "arch/regs_gicv3.h"
#include "arch/sysreg.h"
#include "hv/arch.h"
#include "hv/config.h"
#include "hv/domain.h"
#include "hv/vgic.h"
#include "vgic_lr.h"

#define ICH_HCR_EL2_ENC S3_4_C12_C11_0
#define ICH_VMCR_EL2_ENC S3_4_C12_C11_7
#define ICH_AP0R0_EL2_ENC S3_4_C12_C8_0
#define ICH_AP1R0_EL2_ENC S3_4_C12_C9_0

/*
 * Every guest runs with TC: the common registers trap, so the guest cannot
 * clear ICC_CTLR_EL1.CBPR (see vgic_cpuif.c for why it must stay set).
 */
#define ICH_HCR_GUEST (ICH_HCR_EN | ICH_HCR_TC)

#define ICH_LR_VINTID_MASK GENMASK(31, 0)
#define ICH_LR_EOI BIT(41)          /* maintenance interrupt when the guest ends it */
#define ICH_LR_PRIORITY_SHIFT 48
#define ICH_LR_GROUP BIT(60)
#define ICH_LR_STATE_SHIFT 62
#define ICH_LR_STATE_MASK GENMASK(63, 62)
#define ICH_LR_PENDING 1
#define ICH_LR_ACTIVE 2

static unsigned int vgic_nr_lrs;
/*
 * ICH_* accesses are slow under QEMU (they take its global lock), and most
 * exits involve no interrupt at all: only list registers known to be in use
 * are read, and ICH_HCR_EL2 is written only when it changes.
 */
static uint64_t vgic_hcr[CONFIG_MAX_CPUS];

static void vgic_write_hcr(uint64_t hcr)
{
	unsigned int cpu = arch_cpu_index();

	if (vgic_hcr[cpu] != hcr) {
		vgic_hcr[cpu] = hcr;
		write_sysreg(ICH_HCR_EL2_ENC, hcr);
	}
}

/* List registers are separate system registers: one accessor pair, generated. */
#define LR_CASE(n, crm, op2)                                                 \
	case n:                                                              \
		if (write)                                                   \
			write_sysreg(S3_4_C12_##crm##_##op2, *val);          \
		else                                                         \
			*val = read_sysreg(S3_4_C12_##crm##_##op2);          \
		break;

static void lr_access(unsigned int n, uint64_t *val, bool write)
{
	switch (n) {
		LR_CASE(0, C12, 0) LR_CASE(1, C12, 1) LR_CASE(2, C12, 2) LR_CASE(3, C12, 3)
		LR_CASE(4, C12, 4) LR_CASE(5, C12, 5) LR_CASE(6, C12, 6) LR_CASE(7, C12, 7)
		LR_CASE(8, C13, 0) LR_CASE(9, C13, 1) LR_CASE(10, C13, 2) LR_CASE(11, C13, 3)
		LR_CASE(12, C13, 4) LR_CASE(13, C13, 5) LR_CASE(14, C13, 6) LR_CASE(15, C13, 7)
	default:
		break;
	}
}

static uint64_t lr_read(unsigned int n)
{
	uint64_t v = 0;

	lr_access(n, &v, false);
	return v;
}

static void lr_write(unsigned int n, uint64_t v)
{
	lr_access(n, &v, true);
}

void vgic_lr_init_cpu(void)
{
	uint64_t vtr = read_sysreg(ICH_VTR_EL2_ENC);

	vgic_nr_lrs = MIN((unsigned int)FIELD_GET(ICH_VTR_LISTREGS, vtr) + 1, ARCH_MAX_LRS);
	for (unsigned int i = 0; i < vgic_nr_lrs; i++)
		lr_write(i, 0);
	vgic_hcr[arch_cpu_index()] = ICH_HCR_GUEST;
	write_sysreg(ICH_HCR_EL2_ENC, ICH_HCR_GUEST);
	isb();
}

void arch_vgic_flush(struct vcpu *v)
{
	struct vgic_lr_item items[ARCH_MAX_LRS];
	unsigned int free[ARCH_MAX_LRS], nfree = 0, n;
	uint64_t hcr = ICH_HCR_GUEST;

	for (unsigned int i = 0; i < vgic_nr_lrs; i++) {
		if (!(v->arch.vgic.used & (1u << i)))
			free[nfree++] = i;
	}
	n = vgic_pick(v, items, nfree);
	for (unsigned int k = 0; k < n; k++) {
		uint64_t lr = items[k].intid | ((uint64_t)items[k].priority << ICH_LR_PRIORITY_SHIFT) |
			      FIELD_PREP(ICH_LR_STATE, ICH_LR_PENDING);

		if (items[k].group)
			lr |= ICH_LR_GROUP;
		/* A level interrupt is re-sampled when the guest ends it. */
		if (items[k].level)
			lr |= ICH_LR_EOI;
		lr_write(free[k], lr);
		v->arch.vgic.used |= (uint16_t)(1u << free[k]);
	}
	/* More waiting than fits: ask to be told when list registers drain. */
	if (n == nfree && nfree != 0 && vgic_has_pending(v))
		hcr |= ICH_HCR_UIE;
	vgic_write_hcr(hcr);
}

void arch_vgic_sync(struct vcpu *v)
{
	for (unsigned int i = 0; i < vgic_nr_lrs && v->arch.vgic.used != 0; i++) {
		uint64_t lr;

		if (!(v->arch.vgic.used & (1u << i)))
			continue;
		lr = lr_read(i);
		if (FIELD_GET(ICH_LR_STATE, lr) == 0) {
			/* Clearing it also ends its EOI maintenance condition. */
			lr_write(i, 0);
			v->arch.vgic.used &= (uint16_t)~(1u << i);
			vgic_lr_done(v, (uint32_t)(lr & ICH_LR_VINTID_MASK), false, false);
		}
	}
	/* The underflow request served its purpose: no maintenance while idle. */
	vgic_write_hcr(ICH_HCR_GUEST);
}

void vgic_lr_save(struct arch_vgic_state *s)
{
	for (unsigned int i = 0; i < vgic_nr_lrs; i++)
		s->lr[i] = lr_read(i);
	s->vmcr = read_sysreg(ICH_VMCR_EL2_ENC);
	s->ap0r0 = read_sysreg(ICH_AP0R0_EL2_ENC);
	s->ap1r0 = read_sysreg(ICH_AP1R0_EL2_ENC);
}

void vgic_lr_restore(const struct arch_vgic_state *s)
{
	for (unsigned int i = 0; i < vgic_nr_lrs; i++)
		lr_write(i, s->lr[i]);
	write_sysreg(ICH_VMCR_EL2_ENC, s->vmcr | ICH_VMCR_VCBPR);
	write_sysreg(ICH_AP0R0_EL2_ENC, s->ap0r0);
	write_sysreg(ICH_AP1R0_EL2_ENC, s->ap1r0);
}

uint64_t vgic_lr_vmcr(void)
{
	return read_sysreg(ICH_VMCR_EL2_ENC);
}

void vgic_lr_set_vmcr(uint64_t vmcr)
{
	write_sysreg(ICH_VMCR_EL2_ENC, vmcr | ICH_VMCR_VCBPR);
}

uint64_t vgic_lr_active_priorities(void)
{
	return read_sysreg(ICH_AP0R0_EL2_ENC) | read_sysreg(ICH_AP1R0_EL2_ENC);
}

void vgic_lr_deactivate(uint32_t intid)
{
	for (unsigned int i = 0; i < vgic_nr_lrs; i++) {
		uint64_t lr = lr_read(i);

		if ((lr & ICH_LR_VINTID_MASK) == intid &&
		    (FIELD_GET(ICH_LR_STATE, lr) & ICH_LR_ACTIVE)) {
			lr_write(i, lr & ~FIELD_PREP(ICH_LR_STATE, ICH_LR_ACTIVE));
			return;
		}
	}
	/* Not in a list register: nothing of the vCPU's is active by that number. */
}
