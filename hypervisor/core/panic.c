/* Hypervisor panic (see hv/panic.h). */
#include "hv/panic.h"

#include <stdarg.h>

#include "hv/arch.h"
#include "hv/fmt.h"
#include "hv/log.h"
#include "hv/smp.h"

#define PANIC_NO_CPU (-1)

static int panic_cpu = PANIC_NO_CPU;

void panic_begin(const char *reason)
{
	int expected = PANIC_NO_CPU;
	int self = (int)arch_cpu_index();

	arch_irq_save();
	if (!__atomic_compare_exchange_n(&panic_cpu, &expected, self, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE)) {
		if (expected != self)
			smp_stop_self(); /* another CPU is already reporting */
		/* The dump itself faulted: say so with what is known, and stop. */
		log_force_unlock();
		log_printf("\n*** nested PANIC on CPU %d: %s\n*** all CPUs stopped\n", self, reason);
		arch_cpu_halt();
	}
	/* A CPU stopped while holding the log lock must not silence us. */
	log_force_unlock();
	log_printf("\n*** PANIC on CPU %d: %s\n", self, reason);
}

void panic_finish(void)
{
	unsigned int late = smp_stop_others();

	if (late != 0)
		log_printf("*** %u other CPUs did not stop\n", late);
	else
		log_printf("*** all CPUs stopped\n");
	arch_cpu_halt();
}

void panic(const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	panic_begin(msg);
	log_printf("Backtrace:\n");
	arch_backtrace((uint64_t)(uintptr_t)__builtin_frame_address(0));
	panic_finish();
}
