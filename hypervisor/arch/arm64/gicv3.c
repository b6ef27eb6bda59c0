/*
 * GICv3 for the hypervisor's own interrupts: distributor set-up once,
 * redistributor and system-register CPU interface on each CPU, acknowledge
 * and end-of-interrupt, and SGIs to other CPUs.  QEMU's virt machine runs the
 * GIC with a single security state (GICD_CTLR.DS = 1), so everything here is
 * Group 1.
 */
#include "gicv3.h"

#include "arch/regs_gicv3.h"
#include "arch/regs_id.h"
#include "arch/sysreg.h"
#include "hv/arch.h"
#include "hv/log.h"
#include "hv/mmio.h"
#include "hv/plat.h"

#define GIC_PRIO_DEFAULT 0xa0
#define GIC_WAIT_LOOPS 1000000

static uint64_t gicr_rd_base[CONFIG_MAX_CPUS];
/* Private interrupts enabled on each CPU, so unchanged enables cost no MMIO. */
static uint32_t gicr_enabled[CONFIG_MAX_CPUS];

static void gicd_wait_rwp(void)
{
	for (int i = 0; i < GIC_WAIT_LOOPS; i++) {
		if (!(mmio_read32(plat_board.gicd_base + GICD_CTLR) & GICD_CTLR_RWP))
			return;
	}
	log_printf("gicv3: distributor register write did not complete\n");
}

void gicv3_init_dist(void)
{
	uint64_t d = plat_board.gicd_base;
	unsigned int lines = 32 * ((unsigned int)FIELD_GET(GICD_TYPER_ITLINES,
							   mmio_read32(d + GICD_TYPER)) + 1);

	mmio_write32(d + GICD_CTLR, 0);
	gicd_wait_rwp();
	/* SPIs: Group 1, disabled until a driver or a guest device wants one. */
	for (unsigned int i = 32; i < lines; i += 32) {
		mmio_write32(d + GICD_IGROUPR + i / 8, ~0u);
		mmio_write32(d + GICD_ICENABLER + i / 8, ~0u);
	}
	mmio_write32(d + GICD_CTLR, GICD_CTLR_ARE_NS | GICD_CTLR_ENABLE_G1NS);
	gicd_wait_rwp();
}

/* The redistributor whose GICR_TYPER affinity matches this CPU's MPIDR. */
static uint64_t gicr_find(uint64_t mpidr)
{
	uint64_t aff = (FIELD_GET(MPIDR_AFF3, mpidr) << 24) | (FIELD_GET(MPIDR_AFF2, mpidr) << 16) |
		       (FIELD_GET(MPIDR_AFF1, mpidr) << 8) | FIELD_GET(MPIDR_AFF0, mpidr);

	for (uint64_t rd = plat_board.gicr_base; rd < plat_board.gicr_base + plat_board.gicr_size;
	     rd += GICR_STRIDE) {
		uint64_t typer = mmio_read64(rd + GICR_TYPER);

		if (FIELD_GET(GICR_TYPER_AFF, typer) == aff)
			return rd;
		if (typer & GICR_TYPER_LAST)
			break;
	}
	return 0;
}

static bool gicr_wake(uint64_t rd)
{
	mmio_write32(rd + GICR_WAKER,
		     mmio_read32(rd + GICR_WAKER) & ~(uint32_t)GICR_WAKER_PROCESSOR_SLEEP);
	for (int i = 0; i < GIC_WAIT_LOOPS; i++) {
		if (!(mmio_read32(rd + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP))
			return true;
	}
	return false;
}

static void gic_cpuif_enable(void)
{
	write_sysreg(ICC_SRE_EL2_ENC, read_sysreg(ICC_SRE_EL2_ENC) | ICC_SRE_SRE | ICC_SRE_ENABLE);
	isb();
	write_sysreg(ICC_PMR_EL1_ENC, 0xff);
	write_sysreg(ICC_BPR1_EL1_ENC, 0);
	write_sysreg(ICC_CTLR_EL1_ENC, 0); /* EOImode 0: EOI also deactivates */
	write_sysreg(ICC_IGRPEN1_EL1_ENC, 1);
	isb();
}

bool gicv3_init_cpu(unsigned int cpu)
{
	uint64_t rd = gicr_find(read_sysreg(mpidr_el1));
	uint64_t sgi;

	if (rd == 0 || !gicr_wake(rd))
		return false;
	gicr_rd_base[cpu] = rd;
	sgi = rd + GICR_SGI_BASE;
	mmio_write32(sgi + GICR_ICENABLER0, ~0u);
	gicr_enabled[cpu] = 0;
	mmio_write32(sgi + GICR_IGROUPR0, ~0u);
	for (unsigned int i = 0; i < 32; i += 4)
		mmio_write32(sgi + GICR_IPRIORITYR0 + i, GIC_PRIO_DEFAULT * 0x01010101u);
	gic_cpuif_enable();
	return true;
}

void gicv3_enable_private(unsigned int intid)
{
	gicv3_set_private_enabled(intid, true);
}

unsigned int gicv3_ack(void)
{
	unsigned int intid = (unsigned int)FIELD_GET(ICC_IAR_INTID, read_sysreg(ICC_IAR1_EL1_ENC));

	dsb(sy);
	return intid;
}

void gicv3_eoi(unsigned int intid)
{
	write_sysreg(ICC_EOIR1_EL1_ENC, intid);
	isb();
}

void gicv3_send_sgi_others(unsigned int sgi)
{
	dsb(ish);
	write_sysreg(ICC_SGI1R_EL1_ENC, ICC_SGI1R_IRM | FIELD_PREP(ICC_SGI1R_INTID, sgi));
	isb();
}

void gicv3_send_sgi(unsigned int cpu, unsigned int sgi)
{
	uint64_t mpidr = plat_cpu_mpidr(cpu);
	uint64_t target = FIELD_GET(MPIDR_AFF0, mpidr);

	/* Aff1 and above select the cluster; the target list is a bit per Aff0 (< 16). */
	dsb(ish);
	write_sysreg(ICC_SGI1R_EL1_ENC, (FIELD_GET(MPIDR_AFF1, mpidr) << 16) |
						FIELD_PREP(ICC_SGI1R_INTID, sgi) | (UINT64_C(1) << target));
	isb();
}

void gicv3_route_spi(unsigned int intid, unsigned int cpu)
{
	mmio_write64(plat_board.gicd_base + GICD_IROUTER + 8 * (uint64_t)intid,
		     plat_cpu_mpidr(cpu) & MPIDR_AFFINITY_MASK);
}

void gicv3_enable_spi(unsigned int intid)
{
	uint64_t d = plat_board.gicd_base;

	gicv3_route_spi(intid, 0);
	mmio_write8(d + GICD_IPRIORITYR + intid, GIC_PRIO_DEFAULT);
	mmio_write32(d + GICD_ISENABLER + 4 * (intid / 32), 1u << (intid % 32));
}

void gicv3_set_private_enabled(unsigned int intid, bool on)
{
	unsigned int cpu = arch_cpu_index();
	uint64_t sgi = gicr_rd_base[cpu] + GICR_SGI_BASE;
	uint32_t bit = 1u << intid;

	/* Called on every guest entry for the timer PPI: skip what is already so. */
	if (((gicr_enabled[cpu] & bit) != 0) == on)
		return;
	gicr_enabled[cpu] ^= bit;
	mmio_write32(sgi + (on ? GICR_ISENABLER0 : GICR_ICENABLER0), bit);
}
