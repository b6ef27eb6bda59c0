/*
 * Unit tests of the page-table builder (hypervisor/core/pt.c) with the real
 * arm64 descriptor encoding, on the host fake arch.  The fake records every
 * entry write, barrier and TLB invalidation, so the tests check not only the
 * resulting tables but the order of the steps (break-before-make).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "arch/pte.h"
#include "arch/regs_tcr.h"
#include "host_arch.h"
#include "hv/errno.h"
#include "hv/pt.h"

#define POOL_PAGES 256
#define POOL_BASE UINT64_C(0x80000000)

static uint8_t *pool;
static bool pool_used[POOL_PAGES];
static unsigned int pool_in_use;
static unsigned int pool_fail_after = ~0u; /* allocations allowed before -ENOMEM */

static int pool_alloc(void *ctx, maddr_t *out)
{
	(void)ctx;
	if (pool_fail_after == 0)
		return -ENOMEM;
	pool_fail_after--;
	for (unsigned int i = 0; i < POOL_PAGES; i++) {
		if (!pool_used[i]) {
			pool_used[i] = true;
			pool_in_use++;
			*out = ma_init(POOL_BASE + (uint64_t)i * PAGE_SIZE);
			return 0;
		}
	}
	return -ENOMEM;
}

static void pool_free(void *ctx, maddr_t page)
{
	unsigned int i = (unsigned int)((ma_val(page) - POOL_BASE) / PAGE_SIZE);

	(void)ctx;
	ck_assert_msg(pool_used[i], "table page %#llx freed twice", (unsigned long long)ma_val(page));
	pool_used[i] = false;
	pool_in_use--;
}

static const struct pt_alloc_ops pool_ops = { pool_alloc, pool_free, NULL };
static struct pt pt;

static const struct pt_attr RW = { PT_MEM_NORMAL, PT_PERM_R | PT_PERM_W };
static const struct pt_attr RO = { PT_MEM_NORMAL, PT_PERM_R };
static const struct pt_attr RX = { PT_MEM_NORMAL, PT_PERM_R | PT_PERM_X };
static const struct pt_attr DEV = { PT_MEM_DEVICE, PT_PERM_R | PT_PERM_W };

static void setup_stage(enum pt_stage stage)
{
	pool = aligned_alloc(PAGE_SIZE, POOL_PAGES * PAGE_SIZE);
	ck_assert_ptr_nonnull(pool);
	memset(pool, 0xa5, POOL_PAGES * PAGE_SIZE); /* tables must be zeroed by pt.c */
	memset(pool_used, 0, sizeof(pool_used));
	pool_in_use = 0;
	pool_fail_after = ~0u;
	host_set_machine_memory(ma_init(POOL_BASE), pool, POOL_PAGES * PAGE_SIZE);
	ck_assert_int_eq(pt_init(&pt, stage, 39, &pool_ops), 0);
	host_events_reset();
}

static void setup(void)
{
	setup_stage(PT_STAGE1_EL2);
}

static void teardown(void)
{
	pt_destroy(&pt);
	ck_assert_uint_eq(pool_in_use, 0);
	free(pool);
}

static void expect_map(uint64_t va, uint64_t pa, unsigned int level, struct pt_attr want)
{
	maddr_t got;
	struct pt_attr attr;
	unsigned int l;

	ck_assert_msg(pt_lookup(&pt, va, &got, &attr, &l), "va %#llx not mapped",
		      (unsigned long long)va);
	ck_assert_uint_eq(ma_val(got), pa);
	ck_assert_uint_eq(l, level);
	ck_assert_int_eq(attr.mem, want.mem);
	ck_assert_uint_eq(attr.perm, want.perm);
}

static void expect_unmapped(uint64_t va)
{
	maddr_t got;
	struct pt_attr attr;
	unsigned int l;

	ck_assert_msg(!pt_lookup(&pt, va, &got, &attr, &l), "va %#llx still mapped",
		      (unsigned long long)va);
}

/*
 * Replays the recorded events and returns how many times a valid entry was
 * overwritten without first being made invalid and its TLB entry removed.
 */
static unsigned int bbm_violations(void)
{
	enum { MAX_TRACK = 4096 };
	static uint64_t addr[MAX_TRACK], val[MAX_TRACK];
	static bool flushed[MAX_TRACK];
	unsigned int n = 0, bad = 0;
	size_t count;
	const struct host_event *ev = host_events(&count);

	for (size_t i = 0; i < count; i++) {
		unsigned int k;

		if (ev[i].kind == HOST_EV_TLBI_VA || ev[i].kind == HOST_EV_TLBI_ALL) {
			for (k = 0; k < n; k++)
				flushed[k] = true;
			continue;
		}
		if (ev[i].kind != HOST_EV_PTE_WRITE)
			continue;
		for (k = 0; k < n && addr[k] != ev[i].addr; k++)
			;
		if (k == n) {
			ck_assert_uint_lt(n, MAX_TRACK);
			addr[n] = ev[i].addr;
			val[n] = 0; /* new tables start empty */
			flushed[n++] = true;
		}
		if (arch_pte_is_valid(val[k]) && arch_pte_is_valid(ev[i].value) && val[k] != ev[i].value)
			bad++; /* valid -> different valid: no break at all */
		if (!arch_pte_is_valid(val[k]) && arch_pte_is_valid(ev[i].value) && !flushed[k])
			bad++; /* made after a break but before the TLB was cleaned */
		if (arch_pte_is_valid(val[k]) && !arch_pte_is_valid(ev[i].value))
			flushed[k] = false;
		val[k] = ev[i].value;
	}
	return bad;
}

static size_t count_events(enum host_event_kind kind)
{
	size_t count, n = 0;
	const struct host_event *ev = host_events(&count);

	for (size_t i = 0; i < count; i++)
		n += ev[i].kind == kind;
	return n;
}

START_TEST(test_single_page)
{
	ck_assert_int_eq(pt_map(&pt, 0x1000, ma_init(0x40001000), PAGE_SIZE, RW), 0);
	expect_map(0x1000, 0x40001000, 3, RW);
	expect_map(0x1ff8, 0x40001ff8, 3, RW);
	expect_unmapped(0x0);
	expect_unmapped(0x2000);
	/* Root (level 1) + level 2 + level 3 table. */
	ck_assert_uint_eq(pool_in_use, 3);
}
END_TEST

START_TEST(test_block_choice)
{
	/* 1 GiB aligned on both sides: one level-1 block. */
	ck_assert_int_eq(pt_map(&pt, 0x40000000, ma_init(0x40000000), 0x40000000, RW), 0);
	expect_map(0x40000000, 0x40000000, 1, RW);
	expect_map(0x7fffffff, 0x7fffffff, 1, RW);
	ck_assert_uint_eq(pool_in_use, 1);
	/* 2 MiB aligned: level-2 blocks. */
	ck_assert_int_eq(pt_map(&pt, 0x200000, ma_init(0x80200000), 0x400000, RO), 0);
	expect_map(0x200000, 0x80200000, 2, RO);
	expect_map(0x5fffff, 0x805fffff, 2, RO);
	/* Output not aligned like the input: pages only. */
	ck_assert_int_eq(pt_map(&pt, 0x1000000, ma_init(0x90001000), 0x200000, RO), 0);
	expect_map(0x1000000, 0x90001000, 3, RO);
	expect_map(0x11ff000, 0x90200000, 3, RO);
}
END_TEST

START_TEST(test_mixed_range)
{
	/* [2 MiB - 4 KiB, 6 MiB + 4 KiB): page, two blocks, page. */
	ck_assert_int_eq(pt_map(&pt, 0x1ff000, ma_init(0x401ff000), 0x402000, RX), 0);
	expect_map(0x1ff000, 0x401ff000, 3, RX);
	expect_map(0x200000, 0x40200000, 2, RX);
	expect_map(0x400000, 0x40400000, 2, RX);
	expect_map(0x600000, 0x40600000, 3, RX);
	expect_unmapped(0x601000);
	expect_unmapped(0x1fe000);
	ck_assert_uint_eq(bbm_violations(), 0);
}
END_TEST

START_TEST(test_stage1_encoding)
{
	uint64_t rw = arch_pte_leaf(PT_STAGE1_EL2, 3, ma_init(0x40001000), RW);
	uint64_t rx = arch_pte_leaf(PT_STAGE1_EL2, 2, ma_init(0x40200000), RX);
	uint64_t dev = arch_pte_leaf(PT_STAGE1_EL2, 3, ma_init(0x09000000), DEV);

	/* Page descriptor, AF set, inner shareable, AP = RW at EL2, execute-never. */
	ck_assert_uint_eq(rw & 3, 3);
	ck_assert_uint_eq(rw & PTE_ADDR_MASK, 0x40001000);
	ck_assert(rw & PTE_AF);
	ck_assert_uint_eq(FIELD_GET(PTE_SH, rw), PTE_SH_INNER);
	ck_assert_uint_eq(FIELD_GET(PTE_S1_AP, rw), PTE_S1_AP_RW);
	ck_assert(rw & PTE_S1_XN);
	ck_assert_uint_eq(FIELD_GET(PTE_S1_ATTRIDX, rw), MAIR_IDX_NORMAL);
	/* Block descriptor, read-only, executable. */
	ck_assert_uint_eq(rx & 3, 1);
	ck_assert_uint_eq(FIELD_GET(PTE_S1_AP, rx), PTE_S1_AP_RO);
	ck_assert(!(rx & PTE_S1_XN));
	ck_assert_uint_eq(FIELD_GET(PTE_S1_ATTRIDX, dev), MAIR_IDX_DEVICE);
}
END_TEST

START_TEST(test_stage2_encoding)
{
	struct pt_attr wo_exec = { PT_MEM_NORMAL, PT_PERM_R | PT_PERM_W | PT_PERM_X };
	uint64_t ram = arch_pte_leaf(PT_STAGE2, 2, ma_init(0x80000000), wo_exec);
	uint64_t mmio = arch_pte_leaf(PT_STAGE2, 3, ma_init(0x09000000), DEV);

	ck_assert_uint_eq(FIELD_GET(PTE_S2_MEMATTR, ram), PTE_S2_MEMATTR_NORMAL_WB);
	ck_assert_uint_eq(FIELD_GET(PTE_S2AP, ram), PTE_S2AP_R | PTE_S2AP_W);
	ck_assert_uint_eq(FIELD_GET(PTE_S2_XN, ram), 0);
	ck_assert_uint_eq(FIELD_GET(PTE_S2_MEMATTR, mmio), PTE_S2_MEMATTR_DEVICE_nGnRnE);
	ck_assert_uint_eq(FIELD_GET(PTE_S2_XN, mmio), PTE_S2_XN_ALL);
	ck_assert_int_eq(arch_pte_attr(PT_STAGE2, ram).perm, (int)wo_exec.perm);
}
END_TEST

/* Under HCR_EL2.FWB, MemAttr 0b0110 forces write-back; 0b1111 would defer to stage 1. */
START_TEST(test_stage2_forced_wb)
{
	struct pt_attr fwb = { PT_MEM_FORCED_WB, PT_PERM_R | PT_PERM_W | PT_PERM_X };
	uint64_t ram = arch_pte_leaf(PT_STAGE2, 3, ma_init(0x80000000), fwb);

	ck_assert_uint_eq(FIELD_GET(PTE_S2_MEMATTR, ram), 0x6);
	ck_assert_int_eq(arch_pte_attr(PT_STAGE2, ram).mem, PT_MEM_FORCED_WB);
}
END_TEST

/* Records the leaves a park pass hands over. */
static uint64_t parked_va[16], parked_size[16];
static unsigned int nr_parked;

static void record_leaf(void *ctx, uint64_t va, maddr_t pa, uint64_t size)
{
	(void)ctx, (void)pa;
	ck_assert_uint_lt(nr_parked, 16);
	parked_va[nr_parked] = va;
	parked_size[nr_parked++] = size;
}

static bool park_all(uint64_t budget)
{
	uint64_t cursor = 0;

	nr_parked = 0;
	return pt_park(&pt, &cursor, UINT64_C(1) << 40, budget, record_leaf, NULL);
}

/* A stage-2 table mapping two 2 MiB blocks at 0x40000000. */
static void stage2_two_blocks(void)
{
	teardown();
	setup_stage(PT_STAGE2);
	ck_assert_int_eq(pt_map(&pt, 0x40000000, ma_init(0x81000000), 0x400000, RW), 0);
}

/* A park pass hands over exactly the leaves used since the previous one. */
START_TEST(test_park_tracks_touched_leaves)
{
	maddr_t pa;
	struct pt_attr a;
	unsigned int level;

	stage2_two_blocks();
	ck_assert_int_eq(pt_map(&pt, 0x40400000, ma_init(0x82000000), 0x2000, RW), 0);
	ck_assert(park_all(UINT64_MAX));
	ck_assert_uint_eq(nr_parked, 4); /* two blocks, two pages */
	ck_assert_uint_eq(parked_size[0], 0x200000);
	ck_assert_uint_eq(parked_va[3], 0x40401000);
	/* Parked leaves still map their memory for the hypervisor. */
	ck_assert(pt_lookup(&pt, 0x40401000, &pa, &a, &level));
	ck_assert_uint_eq(ma_val(pa), 0x82001000);
	ck_assert(!pt_range_unmapped(&pt, 0x40000000, 0x1000));
	ck_assert(park_all(UINT64_MAX));
	ck_assert_uint_eq(nr_parked, 0);
	/* A fault on one page revalidates just that leaf. */
	nr_parked = 0;
	ck_assert(pt_unpark(&pt, 0x40201234, record_leaf, NULL));
	ck_assert_uint_eq(nr_parked, 1);
	ck_assert_uint_eq(parked_va[0], 0x40200000);
	ck_assert(pt_unpark(&pt, 0x40201234, NULL, NULL)); /* already valid */
	ck_assert(!pt_unpark(&pt, 0x50000000, NULL, NULL)); /* nothing there */
	ck_assert(park_all(UINT64_MAX));
	ck_assert_uint_eq(nr_parked, 1);
	ck_assert_uint_eq(parked_va[0], 0x40200000);
}
END_TEST

/* Whether the event log holds a TLB invalidation. */
static bool logged_tlbi(void)
{
	size_t n;
	const struct host_event *ev = host_events(&n);

	for (size_t i = 0; i < n; i++) {
		if (ev[i].kind == HOST_EV_TLBI_ALL || ev[i].kind == HOST_EV_TLBI_VA)
			return true;
	}
	return false;
}

/* A table nothing ran on yet is parked the same way, with no invalidation. */
START_TEST(test_park_unused_parks_without_tlbi)
{
	stage2_two_blocks();
	nr_parked = 0;
	host_events_reset();
	pt_park_unused(&pt, 0x40200000, UINT64_C(1) << 40, record_leaf, NULL);
	ck_assert(!logged_tlbi());
	ck_assert_uint_eq(nr_parked, 1); /* from start on only */
	ck_assert_uint_eq(parked_va[0], 0x40200000);
	ck_assert(pt_unpark(&pt, 0x40201234, NULL, NULL));
	/* The usual pass invalidates: that table may have been used meanwhile. */
	host_events_reset();
	ck_assert(park_all(UINT64_MAX));
	ck_assert_uint_eq(nr_parked, 2);
	ck_assert(logged_tlbi());
}
END_TEST

/* A pass stops once its budget is spent and resumes where it stopped. */
START_TEST(test_park_is_preemptible)
{
	uint64_t cursor = 0;

	teardown();
	setup_stage(PT_STAGE2);
	ck_assert_int_eq(pt_map(&pt, 0x40000000, ma_init(0x81000000), 0x600000, RW), 0);
	nr_parked = 0;
	ck_assert(!pt_park(&pt, &cursor, UINT64_C(1) << 40, 0x200000, record_leaf, NULL));
	ck_assert_uint_eq(nr_parked, 1);
	ck_assert_uint_eq(cursor, 0x40200000);
	ck_assert(!pt_park(&pt, &cursor, UINT64_C(1) << 40, 0x200000, record_leaf, NULL));
	ck_assert_uint_eq(cursor, 0x40400000);
	ck_assert(pt_park(&pt, &cursor, UINT64_C(1) << 40, 0x200000, record_leaf, NULL));
	ck_assert_uint_eq(nr_parked, 3);
	ck_assert_uint_eq(parked_va[2], 0x40400000);
	ck_assert_uint_eq(cursor, UINT64_C(1) << 40);
}
END_TEST

/* A parked block tracked page by page, then one block again. */
START_TEST(test_split_and_merge_parked_block)
{
	maddr_t pa;
	struct pt_attr a;
	unsigned int level;

	stage2_two_blocks();
	ck_assert_int_eq(pt_split_parked(&pt, 0x40001000), -ENOENT); /* valid, not parked */
	ck_assert(park_all(UINT64_MAX));
	ck_assert_int_eq(pt_split_parked(&pt, 0x40201000), 0);
	ck_assert_int_eq(pt_split_parked(&pt, 0x40201000), -ENOENT); /* pages now */
	ck_assert(pt_unpark(&pt, 0x40203000, NULL, NULL));
	ck_assert(pt_lookup(&pt, 0x40203000, &pa, &a, &level));
	ck_assert_uint_eq(level, 3);
	ck_assert_uint_eq(ma_val(pa), 0x81203000);
	ck_assert(park_all(UINT64_MAX));
	ck_assert_uint_eq(nr_parked, 1);
	ck_assert_uint_eq(parked_size[0], PAGE_SIZE);
	ck_assert(pt_unpark(&pt, 0x40204000, NULL, NULL));
	ck_assert(pt_merge_split(&pt, 0x40200000));
	ck_assert(!pt_merge_split(&pt, 0x40200000));
	ck_assert(pt_lookup(&pt, 0x40204000, &pa, &a, &level));
	ck_assert_uint_eq(level, 2);
	ck_assert_uint_eq(ma_val(pa), 0x81204000);
	/* One page was in use, so the merged block is valid (touched). */
	ck_assert(park_all(UINT64_MAX));
	ck_assert_uint_eq(nr_parked, 1);
	ck_assert_uint_eq(parked_size[0], 0x200000);
	/* pt_merge_all leaves no split table behind. */
	ck_assert_int_eq(pt_split_parked(&pt, 0x40000000), 0);
	pt_merge_all(&pt);
	ck_assert(pt_lookup(&pt, 0x40000000, &pa, &a, &level));
	ck_assert_uint_eq(level, 2);
}
END_TEST

/* What pt_walk_leaves reports: the written flag of the first leaves, and bytes of each kind. */
static bool walk_written[16];
static unsigned int nr_walked;
static uint64_t written_bytes, clean_bytes;

static bool record_written(void *ctx, uint64_t va, maddr_t pa, uint64_t size, bool written)
{
	(void)ctx, (void)va, (void)pa;
	if (nr_walked < 16)
		walk_written[nr_walked] = written;
	nr_walked++;
	*(written ? &written_bytes : &clean_bytes) += size;
	return true;
}

static void walk_all(void)
{
	nr_walked = 0;
	written_bytes = clean_bytes = 0;
	pt_walk_leaves(&pt, record_written, NULL);
}

/*
 * A leaf counts as written once it was valid while the guest could run, or
 * once marked; parking before anything ran, splits and merges lose nothing.
 */
START_TEST(test_written_tracking)
{
	stage2_two_blocks();
	/* Valid leaves: anything may have written them. */
	walk_all();
	ck_assert_uint_eq(nr_walked, 2);
	ck_assert(walk_written[0] && walk_written[1]);
	/* Parked before any run: nothing wrote them, unless marked. */
	ck_assert(pt_mark_written(&pt, 0x40001000));
	ck_assert(!pt_mark_written(&pt, 0x50000000)); /* nothing there */
	pt_park_unused(&pt, 0, UINT64_C(1) << 40, record_leaf, NULL);
	walk_all();
	ck_assert(walk_written[0] && !walk_written[1]);
	/* Touched, then parked again by a flush pass: written for good. */
	ck_assert(pt_unpark(&pt, 0x40200000, NULL, NULL));
	ck_assert(park_all(UINT64_MAX));
	walk_all();
	ck_assert(walk_written[0] && walk_written[1]);
}
END_TEST

/* The mark of a block is each of its pages' once split, and theirs the block's once merged. */
START_TEST(test_written_kept_by_split_and_merge)
{
	stage2_two_blocks();
	ck_assert(pt_mark_written(&pt, 0x40000000));
	pt_park_unused(&pt, 0, UINT64_C(1) << 40, record_leaf, NULL);
	ck_assert_int_eq(pt_split_parked(&pt, 0x40000000), 0);
	ck_assert_int_eq(pt_split_parked(&pt, 0x40200000), 0);
	walk_all();
	ck_assert_uint_eq(nr_walked, 1024);
	ck_assert_uint_eq(written_bytes, 0x200000);
	ck_assert_uint_eq(clean_bytes, 0x200000);
	pt_merge_all(&pt);
	walk_all();
	ck_assert_uint_eq(nr_walked, 2);
	ck_assert(walk_written[0] && !walk_written[1]);
	/* One marked page makes the whole merged block written. */
	ck_assert_int_eq(pt_split_parked(&pt, 0x40200000), 0);
	ck_assert(pt_mark_written(&pt, 0x403ff000));
	walk_all();
	ck_assert_uint_eq(clean_bytes, 0x200000 - PAGE_SIZE);
	pt_merge_all(&pt);
	walk_all();
	ck_assert(walk_written[1]);
}
END_TEST

START_TEST(test_stage2_tables)
{
	teardown();
	setup_stage(PT_STAGE2);
	ck_assert_int_eq(pt_map(&pt, 0x40000000, ma_init(0x81000000), 0x200000, RW), 0);
	expect_map(0x40000000, 0x81000000, 2, RW);
}
END_TEST

START_TEST(test_bbm_attribute_change)
{
	uint64_t *l3;
	size_t count;
	const struct host_event *ev;
	int zero_at = -1, tlbi_at = -1, new_at = -1;

	ck_assert_int_eq(pt_map(&pt, 0x5000, ma_init(0x40005000), PAGE_SIZE, RW), 0);
	host_events_reset();
	ck_assert_int_eq(pt_map(&pt, 0x5000, ma_init(0x40005000), PAGE_SIZE, RO), 0);
	expect_map(0x5000, 0x40005000, 3, RO);
	ev = host_events(&count);
	for (size_t i = 0; i < count; i++) {
		if (ev[i].kind == HOST_EV_PTE_WRITE && ev[i].value == 0 && zero_at < 0)
			zero_at = (int)i;
		if (ev[i].kind == HOST_EV_TLBI_VA && ev[i].addr == 0x5000)
			tlbi_at = (int)i;
		if (ev[i].kind == HOST_EV_PTE_WRITE && arch_pte_is_valid(ev[i].value))
			new_at = (int)i;
	}
	ck_assert_int_ge(zero_at, 0);
	ck_assert_int_gt(tlbi_at, zero_at);
	ck_assert_int_gt(new_at, tlbi_at);
	l3 = (uint64_t *)(uintptr_t)ev[new_at].addr;
	ck_assert_uint_eq(*l3, ev[new_at].value);
	ck_assert_uint_eq(bbm_violations(), 0);
}
END_TEST

START_TEST(test_remap_same_is_silent)
{
	ck_assert_int_eq(pt_map(&pt, 0x200000, ma_init(0x40200000), 0x200000, RW), 0);
	host_events_reset();
	ck_assert_int_eq(pt_map(&pt, 0x200000, ma_init(0x40200000), 0x200000, RW), 0);
	ck_assert_uint_eq(count_events(HOST_EV_PTE_WRITE), 0);
	ck_assert_uint_eq(count_events(HOST_EV_TLBI_VA) + count_events(HOST_EV_TLBI_ALL), 0);
}
END_TEST

START_TEST(test_block_split_keeps_neighbours)
{
	ck_assert_int_eq(pt_map(&pt, 0x200000, ma_init(0x40200000), 0x200000, RW), 0);
	ck_assert_uint_eq(pool_in_use, 2);
	host_events_reset();
	ck_assert_int_eq(pt_map(&pt, 0x203000, ma_init(0x40203000), PAGE_SIZE, RO), 0);
	expect_map(0x203000, 0x40203000, 3, RO);
	expect_map(0x200000, 0x40200000, 3, RW);
	expect_map(0x202fff, 0x40202fff, 3, RW);
	expect_map(0x3ff000, 0x403ff000, 3, RW);
	ck_assert_uint_eq(pool_in_use, 3);
	/* 512 entries of the new table, then the break and the table entry. */
	ck_assert_uint_ge(count_events(HOST_EV_PTE_WRITE), 512 + 2);
	ck_assert_uint_ge(count_events(HOST_EV_TLBI_VA), 1);
	ck_assert_uint_eq(bbm_violations(), 0);
}
END_TEST

START_TEST(test_merge_back_to_block_frees_table)
{
	ck_assert_int_eq(pt_map(&pt, 0x200000, ma_init(0x40200000), 0x200000, RW), 0);
	ck_assert_int_eq(pt_map(&pt, 0x203000, ma_init(0x40203000), PAGE_SIZE, RO), 0);
	ck_assert_uint_eq(pool_in_use, 3);
	host_events_reset();
	ck_assert_int_eq(pt_map(&pt, 0x200000, ma_init(0x40200000), 0x200000, RW), 0);
	expect_map(0x203000, 0x40203000, 2, RW);
	ck_assert_uint_eq(pool_in_use, 2);
	/* Replacing a table drops every translation below it. */
	ck_assert_uint_ge(count_events(HOST_EV_TLBI_ALL), 1);
	ck_assert_uint_eq(bbm_violations(), 0);
}
END_TEST

START_TEST(test_unmap)
{
	ck_assert_int_eq(pt_map(&pt, 0x200000, ma_init(0x40200000), 0x400000, RW), 0);
	host_events_reset();
	/* Partial unmap of the first block splits it; the second goes whole. */
	ck_assert_int_eq(pt_unmap(&pt, 0x3ff000, 0x201000), 0);
	expect_map(0x3fe000, 0x403fe000, 3, RW);
	expect_unmapped(0x3ff000);
	expect_unmapped(0x400000);
	expect_unmapped(0x5ff000);
	ck_assert_uint_eq(bbm_violations(), 0);
	/* Unmapping what is not mapped is fine and writes nothing. */
	host_events_reset();
	ck_assert_int_eq(pt_unmap(&pt, 0x10000000, 0x200000), 0);
	ck_assert_uint_eq(count_events(HOST_EV_PTE_WRITE), 0);
}
END_TEST

START_TEST(test_failed_map_changes_nothing)
{
	size_t count;

	ck_assert_int_eq(pt_map(&pt, 0x200000, ma_init(0x40200000), 0x200000, RW), 0);
	host_events_reset();
	/* Needs a level-2 and a level-3 table; allow only one. */
	pool_fail_after = 1;
	ck_assert_int_eq(pt_map(&pt, 0x80001000, ma_init(0x50001000), PAGE_SIZE, RW), -ENOMEM);
	host_events(&count);
	ck_assert_uint_eq(count_events(HOST_EV_PTE_WRITE), 0);
	ck_assert_uint_eq(pool_in_use, 2);
	expect_unmapped(0x80001000);
	expect_map(0x200000, 0x40200000, 2, RW);
	pool_fail_after = ~0u;
	ck_assert_int_eq(pt_map(&pt, 0x80001000, ma_init(0x50001000), PAGE_SIZE, RW), 0);
	expect_map(0x80001000, 0x50001000, 3, RW);
}
END_TEST

START_TEST(test_bad_arguments)
{
	ck_assert_int_eq(pt_map(&pt, 0x1001, ma_init(0x40001000), PAGE_SIZE, RW), -EINVAL);
	ck_assert_int_eq(pt_map(&pt, 0x1000, ma_init(0x40001800), PAGE_SIZE, RW), -EINVAL);
	ck_assert_int_eq(pt_map(&pt, 0x1000, ma_init(0x40001000), 0, RW), -EINVAL);
	ck_assert_int_eq(pt_map(&pt, UINT64_C(1) << 39, ma_init(0), PAGE_SIZE, RW), -EINVAL);
	ck_assert_int_eq(pt_map(&pt, (UINT64_C(1) << 39) - PAGE_SIZE, ma_init(0), 2 * PAGE_SIZE, RW),
			 -EINVAL);
	ck_assert_int_eq(pt_map(&pt, 0x1000, ma_init(0x1000), PAGE_SIZE,
				(struct pt_attr){ PT_MEM_NORMAL, 0x10 }),
			 -EINVAL);
	ck_assert_int_eq(pt_unmap(&pt, 0x1000, 0x800), -EINVAL);
	ck_assert_uint_eq(pool_in_use, 1);
}
END_TEST

START_TEST(test_destroy_frees_everything)
{
	ck_assert_int_eq(pt_map(&pt, 0x1000, ma_init(0x40001000), PAGE_SIZE, RW), 0);
	ck_assert_int_eq(pt_map(&pt, 0x40000000, ma_init(0x40000000), 0x40000000, RW), 0);
	ck_assert_int_eq(pt_map(&pt, 0x7fe01000, ma_init(0x7fe01000), PAGE_SIZE, RO), 0);
	ck_assert_uint_gt(pool_in_use, 4);
	/* teardown() destroys and checks that no page is left. */
}
END_TEST

static Suite *pt_suite(void)
{
	Suite *s = suite_create("pt");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_single_page);
	tcase_add_test(tc, test_block_choice);
	tcase_add_test(tc, test_mixed_range);
	tcase_add_test(tc, test_stage1_encoding);
	tcase_add_test(tc, test_stage2_encoding);
	tcase_add_test(tc, test_stage2_forced_wb);
	tcase_add_test(tc, test_park_tracks_touched_leaves);
	tcase_add_test(tc, test_park_is_preemptible);
	tcase_add_test(tc, test_park_unused_parks_without_tlbi);
	tcase_add_test(tc, test_split_and_merge_parked_block);
	tcase_add_test(tc, test_written_tracking);
	tcase_add_test(tc, test_written_kept_by_split_and_merge);
	tcase_add_test(tc, test_stage2_tables);
	tcase_add_test(tc, test_bbm_attribute_change);
	tcase_add_test(tc, test_remap_same_is_silent);
	tcase_add_test(tc, test_block_split_keeps_neighbours);
	tcase_add_test(tc, test_merge_back_to_block_frees_table);
	tcase_add_test(tc, test_unmap);
	tcase_add_test(tc, test_failed_map_changes_nothing);
	tcase_add_test(tc, test_bad_arguments);
	tcase_add_test(tc, test_destroy_frees_everything);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(pt_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
