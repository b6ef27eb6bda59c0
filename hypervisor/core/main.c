/*
 * Boot sequence.  head.S runs hv_boot_primary_early() on CPU 0 with the MMU
 * off, turns the MMU on, then runs hv_boot_primary(); secondaries enter
 * hv_boot_secondary() with their MMU already on.
 */
#include "hv/arch.h"
#include "hv/log.h"
#include "hv/mbox.h"
#include "hv/mm.h"
#include "hv/panic.h"
#include "hv/plat.h"
#include "hv/sched.h"
#include "hv/scrub.h"
#include "hv/selftest.h"
#include "hv/smp.h"
#include "hv/time.h"

maddr_t hv_boot_primary_early(void);
void hv_boot_primary(void);
void hv_boot_secondary(unsigned int index);

extern char __hv_start[], __hv_end[];

maddr_t hv_boot_primary_early(void)
{
	plat_early_init();
	log_printf("\nCachet hypervisor " CACHET_VERSION " starting on %s\n", plat_board.name);
	return mm_boot_tables();
}

static void cpu_come_online(unsigned int index)
{
	struct percpu *c = &percpu[index];

	c->index = index;
	arch_init_local();
	log_printf("cpu %u: online, MMU %s\n", index, arch_mmu_enabled() ? "on" : "OFF");
	__atomic_store_n(&c->online, true, __ATOMIC_RELEASE);
}

static void print_banner(unsigned int online, unsigned int present)
{
	struct arch_features f;
	struct palloc_stats st;

	arch_probe_features(&f);
	scrub_get_stats(&st);
	log_printf("Cachet hypervisor " CACHET_VERSION " on %s\n", plat_board.name);
	log_printf("  pCPUs online: %u of %u\n", online, present);
	log_printf("  RAM: %llu MiB at %#llx, %llu MiB free (%llu of %llu pages)\n",
		   (unsigned long long)(mm_ram_size() >> 20), (unsigned long long)plat_board.ram_base,
		   (unsigned long long)(st.free_pages >> (20 - PAGE_SHIFT)),
		   (unsigned long long)st.free_pages, (unsigned long long)st.total_pages);
	log_printf("  page size: %llu KiB; image %p-%p\n", (unsigned long long)(PAGE_SIZE >> 10),
		   (void *)__hv_start, (void *)__hv_end);
	log_printf("  CPU: MIDR %#llx, PA %u bits, VMID %u bits, FEAT_S2FWB %s, AArch32 EL1 %s\n",
		   (unsigned long long)f.midr, f.pa_bits, f.vmid_bits, f.s2fwb ? "yes" : "no",
		   f.aarch32_el1 ? "yes" : "no");
	log_printf("  GICv3: %u list registers, %u priority bits; counter %llu Hz\n",
		   f.gic_list_regs, f.gic_pri_bits, (unsigned long long)arch_counter_freq());
}

#ifdef CACHET_FAULT_TEST
/* Test build only: a store to our own text must take a permission fault. */
static void fault_test(void)
{
	log_printf("fault test: writing to hypervisor text at %p\n", (void *)__hv_start);
	*(volatile uint32_t *)(void *)__hv_start = 0;
	log_printf("fault test: the write to text did not fault\n");
}
#endif

void hv_boot_primary(void)
{
	unsigned int present = MIN(plat_cpu_count(), CONFIG_MAX_CPUS);
	unsigned int online;
	int rc;

	log_enable_locking();
	percpu[0].mpidr = plat_cpu_mpidr(0);
	arch_init_primary();
	cpu_come_online(0);
	rc = mm_init_allocator();
	if (rc != 0)
		panic("mm: cannot set up the page allocator (error %d)", rc);
	online = smp_boot_secondaries(present);
	selftest_palloc();
	selftest_remap();
	selftest_ticks();
	sched_allow_tickless();
	/* RAM may hold anything (a reset keeps it): nobody gets it unscrubbed. */
	scrub_adopt_free();
	print_banner(online, present);
	mbox_init();
	log_printf("cachet: boot complete in %llu us of QEMU time\n",
		   (unsigned long long)time_now_us());
#ifdef CACHET_FAULT_TEST
	fault_test();
#endif
	sched_run();
}

void hv_boot_secondary(unsigned int index)
{
	cpu_come_online(index);
	sched_run();
}
