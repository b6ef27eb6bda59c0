/*
 * The EL2 physical timer (CNTHP): a periodic tick on every CPU while it
 * runs a vCPU, the hypervisor's own time base for time slices and timeouts.
 * An idle CPU stops the tick and sets the timer to the next moment it has
 * something to do instead (arch_tick_stop_until), so that an idle platform
 * takes no interrupts; the first interrupt or the next vCPU run restarts it.
 */
#include "timer.h"

#include "arch/regs_timer.h"
#include "arch/sysreg.h"
#include "hv/arch.h"
#include "hv/config.h"

/* Starts stopped: the first arming writes the control register too. */
static bool timer_running[CONFIG_MAX_CPUS];
/* While stopped: the wake-up it is set for (UINT64_MAX: none). */
static uint64_t timer_wake[CONFIG_MAX_CPUS];

/*
 * The timer registers are slow under QEMU (each access takes its global
 * lock): a running tick is re-armed by its TVAL alone, which moves the
 * compare value and so drops the condition the interrupt came from.
 */
static void timer_arm_next(void)
{
	unsigned int cpu = arch_cpu_index();

	write_sysreg(cnthp_tval_el2, arch_counter_freq() / CONFIG_TICK_HZ);
	if (!timer_running[cpu])
		write_sysreg(cnthp_ctl_el2, CNT_CTL_ENABLE);
	isb();
	timer_running[cpu] = true;
}

void timer_init_cpu(void)
{
	timer_running[arch_cpu_index()] = false;
	timer_arm_next();
}

void timer_handle_irq(void)
{
	timer_arm_next();
}

void arch_tick_stop_until(uint64_t counter)
{
	unsigned int cpu = arch_cpu_index();

	/* A pCPU idles again and again with the same wake-up (often none): set it once. */
	if (!timer_running[cpu] && timer_wake[cpu] == counter)
		return;
	timer_running[cpu] = false;
	timer_wake[cpu] = counter;
	if (counter == UINT64_MAX) {
		write_sysreg(cnthp_ctl_el2, 0);
	} else {
		write_sysreg(cnthp_cval_el2, counter);
		write_sysreg(cnthp_ctl_el2, CNT_CTL_ENABLE);
	}
	isb();
}

void arch_tick_restart(void)
{
	/* The timer registers are slow under QEMU: touch them only after a stop. */
	if (!timer_running[arch_cpu_index()])
		timer_arm_next();
}
