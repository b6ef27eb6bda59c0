/* Secondary CPU bring-up and the panic stop (see hv/smp.h). */
#include "hv/smp.h"

#include "hv/log.h"
#include "hv/plat.h"
#include "hv/time.h"

#define SMP_ONLINE_TIMEOUT_US 1000000
#define SMP_STOP_TIMEOUT_US 500000

struct percpu percpu[CONFIG_MAX_CPUS];

static bool cpu_is_online(void *arg)
{
	return __atomic_load_n(&((struct percpu *)arg)->online, __ATOMIC_ACQUIRE);
}

static bool cpus_stopped(void *arg)
{
	unsigned int self = *(unsigned int *)arg;

	for (unsigned int i = 0; i < CONFIG_MAX_CPUS; i++) {
		if (i != self && cpu_is_online(&percpu[i]) &&
		    !__atomic_load_n(&percpu[i].stopped, __ATOMIC_ACQUIRE))
			return false;
	}
	return true;
}

unsigned int smp_boot_secondaries(unsigned int count)
{
	for (unsigned int i = 1; i < count && i < CONFIG_MAX_CPUS; i++) {
		int rc;

		percpu[i].index = i;
		percpu[i].mpidr = plat_cpu_mpidr(i);
		rc = arch_cpu_start(i, percpu[i].mpidr);
		if (rc != 0) {
			log_printf("cpu %u: firmware refused to start it (error %d)\n", i, rc);
			continue;
		}
		if (!time_wait_until(cpu_is_online, &percpu[i], SMP_ONLINE_TIMEOUT_US))
			log_printf("cpu %u: did not come online\n", i);
	}
	return smp_online_count();
}

unsigned int smp_online_count(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < CONFIG_MAX_CPUS; i++)
		n += cpu_is_online(&percpu[i]) ? 1 : 0;
	return n;
}

void smp_stop_self(void)
{
	__atomic_store_n(&this_cpu()->stopped, true, __ATOMIC_RELEASE);
	arch_cpu_halt();
}

unsigned int smp_stop_others(void)
{
	unsigned int self = arch_cpu_index(), late = 0;

	arch_stop_other_cpus();
	if (time_wait_until(cpus_stopped, &self, SMP_STOP_TIMEOUT_US))
		return 0;
	for (unsigned int i = 0; i < CONFIG_MAX_CPUS; i++) {
		if (i != self && cpu_is_online(&percpu[i]) && !percpu[i].stopped)
			late++;
	}
	return late;
}
