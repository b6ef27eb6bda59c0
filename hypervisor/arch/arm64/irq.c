/* Interrupt set-up and dispatch for the hypervisor's own interrupts. */
#include "gicv3.h"
#include "guest_traps.h"
#include "cachet/public/guest_map.h"
#include "hv/arch_vcpu.h"
#include "hv/pl011.h"
#include "vgic_lr.h"
#include "vtimer.h"
#include "irq.h"
#include "timer.h"

#include "arch/regs_hcr.h"
#include "arch/sysreg.h"
#include "hv/arch.h"
#include "hv/log.h"
#include "hv/panic.h"
#include "hv/plat.h"
#include "hv/smp.h"
#include "hv/time.h"

void arch_init_primary(void)
{
	gicv3_init_dist();
	/* Input on the hypervisor's UART is the management doorbell. */
	pl011_enable_rx_irq(plat_board.uart_base);
	gicv3_enable_spi(plat_board.uart_intid);
}

void arch_doorbell_route(unsigned int cpu)
{
	gicv3_route_spi(plat_board.uart_intid, cpu);
}

void arch_init_local(void)
{
	unsigned int cpu = arch_cpu_index();

	write_sysreg(hcr_el2, HCR_EL2_HOST);
	isb();
	if (!gicv3_init_cpu(cpu))
		panic("cpu %u: no GICv3 redistributor answers for this CPU", cpu);
	gicv3_enable_private(GIC_SGI_STOP);
	gicv3_enable_private(GIC_SGI_KICK);
	gicv3_enable_private(plat_board.timer_hyp_intid);
	gicv3_enable_private(plat_board.gic_maint_intid);
	timer_init_cpu();
	vcpu_init_cpu();
	vgic_lr_init_cpu();
}

void arch_stop_other_cpus(void)
{
	gicv3_send_sgi_others(GIC_SGI_STOP);
}

/*
 * Handles the highest-priority pending interrupt; called with interrupts
 * masked.  One at a time: another one still pending is taken as soon as
 * interrupts are unmasked or the guest is entered, which is rare, whereas
 * acknowledging again to find none would cost every interrupt another
 * access to the GIC (each takes QEMU's global lock).
 */
void irq_dispatch(void)
{
	unsigned int intid = gicv3_ack();

	if (intid >= GIC_INTID_SPURIOUS)
		return;
	if (intid == plat_board.timer_hyp_intid) {
		timer_handle_irq();
		time_tick();
	} else if (intid == plat_board.uart_intid) {
		pl011_drain_rx(plat_board.uart_base); /* the mailbox is polled next */
		this_cpu()->doorbell = true;
		this_cpu()->resched = true;
	} else if (intid == GIC_SGI_KICK) {
		this_cpu()->resched = true; /* another CPU changed what runs here */
	} else if (intid == plat_board.gic_maint_intid) {
		/* Nothing to do: leaving the guest was the point. */
	} else if (intid == CACHET_GUEST_TIMER_VIRT_PPI) {
		vtimer_irq(arch_loaded_vcpu());
	} else if (intid == GIC_SGI_STOP) {
		gicv3_eoi(intid);
		smp_stop_self();
	} else {
		log_printf("cpu %u: unexpected interrupt %u\n", arch_cpu_index(), intid);
	}
	gicv3_eoi(intid);
}
