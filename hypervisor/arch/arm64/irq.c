/* Interrupt set-up and dispatch for the hypervisor's own interrupts. */
#include "gicv3.h"
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
}

void arch_init_local(void)
{
	unsigned int cpu = arch_cpu_index();

	write_sysreg(hcr_el2, HCR_EL2_HOST);
	isb();
	if (!gicv3_init_cpu(cpu))
		panic("cpu %u: no GICv3 redistributor answers for this CPU", cpu);
	gicv3_enable_private(GIC_SGI_STOP);
	gicv3_enable_private(plat_board.timer_hyp_intid);
	timer_init_cpu();
}

void arch_stop_other_cpus(void)
{
	gicv3_send_sgi_others(GIC_SGI_STOP);
}

/* Handles every pending interrupt; called with interrupts masked. */
void irq_dispatch(void)
{
	for (;;) {
		unsigned int intid = gicv3_ack();

		if (intid >= GIC_INTID_SPURIOUS)
			return;
		if (intid == plat_board.timer_hyp_intid) {
			timer_handle_irq();
			time_tick();
		} else if (intid == GIC_SGI_STOP) {
			gicv3_eoi(intid);
			smp_stop_self();
		} else {
			log_printf("cpu %u: unexpected interrupt %u\n", arch_cpu_index(), intid);
		}
		gicv3_eoi(intid);
	}
}
