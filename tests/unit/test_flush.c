/*
 * Unit tests of touched-page tracking and preemptible flushes
 * (hypervisor/core/flush.c) over the real page-table code, with the host
 * arch recording the cache maintenance the flushes issue.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cachet/public/guest_map.h"
#include "host_arch.h"
#include "hv/domain.h"
#include "hv/errno.h"
#include "hv/flush.h"

#define RAM_BYTES (UINT64_C(16) << 20)
#define TABLE_PAGES 512 /* freed tables are not reused */
#define MA_BASE UINT64_C(0x80000000)
#define RAM CACHET_GUEST_RAM0_BASE

static uint8_t *mem; /* guest RAM, then the page-table pool */
static unsigned int tables_used;
static struct domain dom;
static struct vcpu *v;

static int table_alloc(void *ctx, maddr_t *out)
{
	(void)ctx;
	if (tables_used == TABLE_PAGES)
		return -ENOMEM;
	*out = ma_init(MA_BASE + RAM_BYTES + (uint64_t)tables_used++ * PAGE_SIZE);
	memset(arch_ma_to_ptr(*out), 0, PAGE_SIZE);
	return 0;
}

static void table_free(void *ctx, maddr_t page)
{
	(void)ctx, (void)page;
}

static const struct pt_alloc_ops table_ops = { table_alloc, table_free, NULL };

/* A domain under @policy with @bytes of RAM mapped in @step pieces, tracking started. */
static void make_domain(enum cachet_cache_policy policy, uint64_t bytes, uint64_t step)
{
	const struct pt_attr ram = { PT_MEM_NORMAL, PT_PERM_R | PT_PERM_W | PT_PERM_X };

	tables_used = 0;
	memset(&dom, 0, sizeof(dom));
	dom.cache_policy = policy;
	ck_assert_int_eq(pt_init(&dom.p2m, PT_STAGE2, CONFIG_GUEST_IPA_BITS, &table_ops), 0);
	for (uint64_t off = 0; off < bytes; off += step)
		ck_assert_int_eq(pt_map(&dom.p2m, RAM + off, ma_init(MA_BASE + off), step, ram), 0);
	v = &dom.vcpus[0];
	*v = (struct vcpu){ .dom = &dom };
	cp_init(&v->cache, policy);
	flush_track_start(&dom);
	host_events_reset();
}

static void setup(void)
{
	mem = aligned_alloc(PAGE_SIZE, RAM_BYTES + TABLE_PAGES * PAGE_SIZE);
	ck_assert_ptr_nonnull(mem);
	host_set_machine_memory(ma_init(MA_BASE), mem, RAM_BYTES + TABLE_PAGES * PAGE_SIZE);
}

static void teardown(void)
{
	free(mem);
}

/* The machine addresses the recorded cleans covered, in bytes. */
static uint64_t cleaned_bytes(uint64_t *first_ma)
{
	size_t n;
	const struct host_event *ev = host_events(&n);
	uint64_t total = 0;

	*first_ma = 0;
	for (size_t i = 0; i < n; i++) {
		if (ev[i].kind != HOST_EV_DC_CLEAN_INVAL)
			continue;
		if (total == 0)
			*first_ma = ma_val(arch_ptr_to_ma((const void *)(uintptr_t)ev[i].addr));
		total += ev[i].value;
	}
	return total;
}

/* Runs the pending flush to its end; returns the slices it took. */
static unsigned int run_flush(void)
{
	unsigned int slices = 1;

	while (!flush_continue(v))
		slices++;
	return slices;
}

START_TEST(test_flush_cleans_only_touched)
{
	uint64_t first;

	make_domain(CACHET_CACHE_DC_TVM, RAM_BYTES, UINT64_C(2) << 20);
	ck_assert(flush_s2_fault(v, RAM + 0x200000 + 0x10));
	ck_assert(flush_s2_fault(v, RAM + 0x200000 + 0x5000)); /* same block, already valid */
	ck_assert(flush_s2_fault(v, RAM + 0xa00000));
	ck_assert_uint_eq(v->stats.s2_faults, 3);
	ck_assert_uint_eq(cleaned_bytes(&first), 0); /* dc-tvm maps without cleaning */
	flush_start(v, CP_FLUSH_SETWAY);
	ck_assert_uint_eq(run_flush(), 1);
	ck_assert_uint_eq(v->stats.flushed_pages, 2 * 512);
	ck_assert_uint_eq(cleaned_bytes(&first), UINT64_C(4) << 20);
	ck_assert_uint_eq(first, MA_BASE + 0x200000);
	/* Nothing touched since: the next flush cleans nothing. */
	host_events_reset();
	flush_start(v, CP_FLUSH_TOGGLE);
	run_flush();
	ck_assert_uint_eq(cleaned_bytes(&first), 0);
	ck_assert_uint_eq(v->stats.flushed_pages, 2 * 512);
}
END_TEST

START_TEST(test_flush_runs_in_slices)
{
	make_domain(CACHET_CACHE_DC_TVM, RAM_BYTES, UINT64_C(2) << 20);
	for (uint64_t off = 0; off < RAM_BYTES; off += UINT64_C(2) << 20)
		ck_assert(flush_s2_fault(v, RAM + off));
	flush_start(v, CP_FLUSH_DC_DROP);
	ck_assert(v->flush.active);
	ck_assert_uint_eq(run_flush(), RAM_BYTES / FLUSH_SLICE_BYTES);
	ck_assert(!v->flush.active);
	ck_assert_uint_eq(v->stats.flush_slices, RAM_BYTES / FLUSH_SLICE_BYTES);
	ck_assert_uint_eq(v->stats.flushed_pages, RAM_BYTES / PAGE_SIZE);
	/* No flush pending: the vCPU may run at once. */
	ck_assert(flush_continue(v));
}
END_TEST

/* s2-fault: page by page, cleaned, while the caches are off; blocks again once on. */
START_TEST(test_s2_fault_maps_pages_then_blocks)
{
	uint64_t first;

	make_domain(CACHET_CACHE_S2_FAULT, RAM_BYTES, UINT64_C(2) << 20);
	ck_assert(flush_s2_fault(v, RAM + 3 * PAGE_SIZE + 8));
	ck_assert_uint_eq(cleaned_bytes(&first), PAGE_SIZE);
	ck_assert_uint_eq(first, MA_BASE + 3 * PAGE_SIZE);
	ck_assert_uint_eq(v->stats.flushed_pages, 1);
	/* Only that page was touched: turning the caches on flushes just it. */
	ck_assert_int_eq(cp_sctlr_write(&v->cache, true, true, &v->stats), CP_FLUSH_TOGGLE);
	flush_start(v, CP_FLUSH_TOGGLE);
	run_flush();
	ck_assert_uint_eq(v->stats.flushed_pages, 2);
	/* Caches on: the block is mapped whole again, without a clean. */
	host_events_reset();
	ck_assert(flush_s2_fault(v, RAM + 5 * PAGE_SIZE));
	ck_assert_uint_eq(cleaned_bytes(&first), 0);
	flush_start(v, CP_FLUSH_SETWAY);
	run_flush();
	ck_assert_uint_eq(v->stats.flushed_pages, 2 + 512);
}
END_TEST

START_TEST(test_faults_elsewhere_are_not_ours)
{
	make_domain(CACHET_CACHE_DC_TVM, RAM_BYTES, UINT64_C(2) << 20);
	ck_assert(!flush_s2_fault(v, 0x09000000));        /* below RAM: MMIO */
	ck_assert(!flush_s2_fault(v, RAM + 2 * RAM_BYTES)); /* RAM never populated */
	/* Under none and s2fwb nothing is tracked: faults are never RAM's. */
	make_domain(CACHET_CACHE_NONE, RAM_BYTES, UINT64_C(2) << 20);
	ck_assert(!flush_s2_fault(v, RAM));
	make_domain(CACHET_CACHE_S2FWB, RAM_BYTES, UINT64_C(2) << 20);
	ck_assert(!flush_s2_fault(v, RAM));
}
END_TEST

int main(void)
{
	Suite *su = suite_create("flush");
	TCase *tc = tcase_create("tracking");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_flush_cleans_only_touched);
	tcase_add_test(tc, test_flush_runs_in_slices);
	tcase_add_test(tc, test_s2_fault_maps_pages_then_blocks);
	tcase_add_test(tc, test_faults_elsewhere_are_not_ours);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
