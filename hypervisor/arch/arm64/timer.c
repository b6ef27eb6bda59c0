/*
 * The EL2 physical timer (CNTHP): a periodic tick on every CPU, the
 * hypervisor's own time base for time slices and timeouts.
 */
#include "timer.h"

#include "arch/regs_timer.h"
#include "arch/sysreg.h"
#include "hv/arch.h"
#include "hv/config.h"

static void timer_arm_next(void)
{
	write_sysreg(cnthp_tval_el2, arch_counter_freq() / CONFIG_TICK_HZ);
	write_sysreg(cnthp_ctl_el2, CNT_CTL_ENABLE);
	isb();
}

void timer_init_cpu(void)
{
	timer_arm_next();
}

void timer_handle_irq(void)
{
	timer_arm_next();
}
