/* Physical CPUs: per-CPU state, bring-up of the secondaries, stopping. */
#ifndef HV_SMP_H
#define HV_SMP_H

#include "hv/config.h"
#include "hv/arch.h"
#include "hv/types.h"

struct percpu {
	unsigned int index;
	uint64_t mpidr;
	bool online;   /* set by the CPU itself once its MMU is on */
	bool stopped;  /* set by the CPU itself when it parks for a panic */
	bool resched;  /* an interrupt asked the scheduler to look again */
	bool doorbell; /* the doorbell's interrupt came here (hv/doorbell.h) */
	uint64_t ticks;
};

extern struct percpu percpu[CONFIG_MAX_CPUS];

static inline struct percpu *this_cpu(void)
{
	return &percpu[arch_cpu_index()];
}

/* Starts CPUs 1..count-1 and waits for each; returns how many are online. */
unsigned int smp_boot_secondaries(unsigned int count);
unsigned int smp_online_count(void);
/* Called on a CPU that received the panic stop request. */
void smp_stop_self(void) __attribute__((noreturn));
/* Asks all other online CPUs to stop and waits briefly; returns how many did not. */
unsigned int smp_stop_others(void);

#endif
