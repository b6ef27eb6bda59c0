/* Boot-time self-tests (see hv/selftest.h). */
#include "hv/selftest.h"

#include "hv/log.h"
#include "hv/mm.h"
#include "hv/palloc_selftest.h"
#include "hv/smp.h"
#include "hv/time.h"

#define SELFTEST_TICKS 3
#define SELFTEST_TICK_TIMEOUT_US 1000000

bool selftest_palloc(void)
{
	unsigned int checks = 0;
	int rc = palloc_selftest(&mm_ram, &checks);

	if (rc != 0) {
		log_printf("selftest: palloc FAIL (error %d after %u checks)\n", rc, checks);
		return false;
	}
	log_printf("selftest: palloc PASS (%u checks)\n", checks);
	return true;
}

static bool remap_check(uint64_t va, unsigned int want_level, unsigned int want_perm)
{
	maddr_t pa;
	struct pt_attr attr;
	unsigned int level;

	return pt_lookup(mm_hyp_tables(), va, &pa, &attr, &level) && ma_val(pa) == va &&
	       level == want_level && attr.perm == want_perm;
}

/*
 * A 2 MiB block that only this test uses is split to make one page
 * read-only, then merged back: both changes replace a live entry, so they
 * exercise break-before-make on the tables the CPUs are walking.  The data
 * written before the split must read back after each change.
 */
bool selftest_remap(void)
{
	const unsigned int rw = PT_PERM_R | PT_PERM_W;
	maddr_t block;
	volatile uint64_t *p;
	bool ok;

	if (palloc_alloc(&mm_ram, PALLOC_ORDER_2M, &block) != 0) {
		log_printf("selftest: remap SKIP (no free 2 MiB block)\n");
		return true;
	}
	p = arch_ma_to_ptr(ma_add(block, PAGE_SIZE));
	*p = 0x5eedfacecafef00dULL;
	ok = mm_remap(ma_val(block) + PAGE_SIZE, PAGE_SIZE, (struct pt_attr){ PT_MEM_NORMAL, PT_PERM_R }) == 0 &&
	     remap_check(ma_val(block) + PAGE_SIZE, 3, PT_PERM_R) && remap_check(ma_val(block), 3, rw) &&
	     *p == 0x5eedfacecafef00dULL;
	ok = ok && mm_remap(ma_val(block), MIB(2), (struct pt_attr){ PT_MEM_NORMAL, rw }) == 0 &&
	     remap_check(ma_val(block) + PAGE_SIZE, 2, rw) && *p == 0x5eedfacecafef00dULL;
	palloc_free(&mm_ram, block, PALLOC_ORDER_2M);
	log_printf("selftest: remap %s (live block split and merge)\n", ok ? "PASS" : "FAIL");
	return ok;
}

static bool all_cpus_ticked(void *arg)
{
	(void)arg;
	for (unsigned int i = 0; i < CONFIG_MAX_CPUS; i++) {
		if (percpu[i].online && __atomic_load_n(&percpu[i].ticks, __ATOMIC_RELAXED) < SELFTEST_TICKS)
			return false;
	}
	return true;
}

bool selftest_ticks(void)
{
	bool ok;

	arch_irq_enable();
	ok = time_wait_until(all_cpus_ticked, NULL, SELFTEST_TICK_TIMEOUT_US);
	log_printf("selftest: timer %s (every online CPU ticked %d times)\n", ok ? "PASS" : "FAIL",
		   SELFTEST_TICKS);
	return ok;
}
