/*
 * Unit tests of the physical page allocator (hypervisor/core/palloc.c),
 * compiled for the host.  The allocator keeps all its state in metadata and
 * never touches the memory it manages, so no machine memory is set up.
 *
 * Windows start at 0x40000000 (or just above) rather than 0, so that a
 * confusion between window offsets and machine addresses shows up.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hv/errno.h"
#include "hv/palloc.h"
#include "hv/palloc_selftest.h"

#define TP_BASE UINT64_C(0x40000000)
#define TP_MAX_PAGES (UINT64_C(1) << PALLOC_MAX_ORDER)

static struct palloc tp_pa;
static void *tp_meta;

/* A fixed-seed generator (splitmix64) so every run makes the same choices. */
static uint64_t tp_rng_state;

static void tp_rng_seed(uint64_t seed)
{
	tp_rng_state = seed;
}

static uint64_t tp_rng(void)
{
	uint64_t z = (tp_rng_state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint64_t tp_rng_below(uint64_t n)
{
	return tp_rng() % n;
}

static uint64_t tp_bytes(unsigned int order)
{
	return PAGE_SIZE << order;
}

static maddr_t tp_page(uint64_t base, uint64_t idx)
{
	return ma_init(base + idx * PAGE_SIZE);
}

/* A fresh, empty allocator for [base, base + npages pages). */
static struct palloc *tp_new(uint64_t base, uint64_t npages)
{
	size_t size = palloc_meta_size(npages);

	free(tp_meta);
	tp_meta = malloc(size);
	ck_assert_ptr_nonnull(tp_meta);
	ck_assert_int_eq(palloc_init(&tp_pa, ma_init(base), npages, tp_meta, size), 0);
	return &tp_pa;
}

/* A fresh allocator whose whole window is free. */
static struct palloc *tp_new_full(uint64_t base, uint64_t npages)
{
	struct palloc *pa = tp_new(base, npages);

	ck_assert_int_eq(palloc_add_free(pa, ma_init(base), npages), 0);
	return pa;
}

static void tp_teardown(void)
{
	free(tp_meta);
	tp_meta = NULL;
}

static struct palloc_stats tp_stats(struct palloc *pa)
{
	struct palloc_stats st;

	palloc_get_stats(pa, &st);
	return st;
}

static void tp_assert_stats_eq(const struct palloc_stats *a, const struct palloc_stats *b)
{
	unsigned int o;

	ck_assert_uint_eq(a->total_pages, b->total_pages);
	ck_assert_uint_eq(a->free_pages, b->free_pages);
	for (o = 0; o <= PALLOC_MAX_ORDER; o++)
		ck_assert_uint_eq(a->free_blocks[o], b->free_blocks[o]);
}

/* Only blocks of exactly @order are free, @count of them. */
static void tp_assert_only_blocks(struct palloc *pa, unsigned int order, uint64_t count)
{
	struct palloc_stats st = tp_stats(pa);
	unsigned int o;

	for (o = 0; o <= PALLOC_MAX_ORDER; o++)
		ck_assert_uint_eq(st.free_blocks[o], o == order ? count : 0);
}

static maddr_t tp_alloc_ok(struct palloc *pa, unsigned int order)
{
	maddr_t ma;

	ck_assert_int_eq(palloc_alloc(pa, order, &ma), 0);
	ck_assert_uint_eq(ma_val(ma) % tp_bytes(order), 0);
	return ma;
}

/* A refused free: -EINVAL, and neither statistics nor invariants change. */
static void tp_assert_free_refused(struct palloc *pa, maddr_t ma, unsigned int order)
{
	struct palloc_stats before = tp_stats(pa), after;

	ck_assert_int_eq(palloc_free(pa, ma, order), -EINVAL);
	after = tp_stats(pa);
	tp_assert_stats_eq(&before, &after);
	ck_assert_int_eq(palloc_audit(pa), 0);
}

static void tp_assert_add_refused(struct palloc *pa, maddr_t start, uint64_t npages)
{
	struct palloc_stats before = tp_stats(pa), after;

	ck_assert_int_eq(palloc_add_free(pa, start, npages), -EINVAL);
	after = tp_stats(pa);
	tp_assert_stats_eq(&before, &after);
	ck_assert_int_eq(palloc_audit(pa), 0);
}

START_TEST(test_init_rejects_bad_arguments)
{
	static uint32_t meta[64];
	struct palloc pa;

	ck_assert_int_eq(palloc_init(&pa, ma_init(TP_BASE + 0x800), 4, meta, sizeof(meta)), -EINVAL);
	ck_assert_int_eq(palloc_init(&pa, ma_init(TP_BASE), 0, meta, sizeof(meta)), -EINVAL);
	ck_assert_int_eq(palloc_init(&pa, ma_init(TP_BASE), 4, NULL, sizeof(meta)), -EINVAL);
	ck_assert_int_eq(palloc_init(&pa, ma_init(TP_BASE), 4, meta, palloc_meta_size(4) - 1),
			 -EINVAL);
	ck_assert_int_eq(palloc_init(&pa, ma_init(TP_BASE), 4, (char *)meta + 1, 128), -EINVAL);
	/* The window may not wrap around the top of the address space. */
	ck_assert_int_eq(palloc_init(&pa, ma_init(UINT64_MAX - PAGE_MASK), 2, meta, sizeof(meta)),
			 -EINVAL);
	ck_assert_int_eq(palloc_init(&pa, ma_init(TP_BASE), 4, meta, palloc_meta_size(4)), 0);
	ck_assert_int_eq(palloc_audit(&pa), 0);
	ck_assert_uint_eq(tp_stats(&pa).total_pages, 0);
	ck_assert_int_eq(palloc_largest_free_order(&pa, PALLOC_MAX_ORDER), -ENOMEM);
}
END_TEST

START_TEST(test_meta_size_scales_and_rejects_huge_windows)
{
	ck_assert_uint_gt(palloc_meta_size(1), 0);
	ck_assert_uint_eq(palloc_meta_size(1000), 1000 * palloc_meta_size(1));
	/* Per-frame metadata stays small: at most 16 bytes per 4 KiB frame. */
	ck_assert_uint_le(palloc_meta_size(1), 16);
	ck_assert_uint_eq(palloc_meta_size(UINT64_C(1) << 40), 0);
}
END_TEST

START_TEST(test_alloc_each_order_is_aligned_and_counted)
{
	struct palloc *pa = tp_new_full(TP_BASE, 2 * TP_MAX_PAGES);
	uint64_t end = TP_BASE + 2 * TP_MAX_PAGES * PAGE_SIZE;
	unsigned int order;

	for (order = 0; order <= PALLOC_MAX_ORDER; order++) {
		struct palloc_stats before = tp_stats(pa), after;
		maddr_t ma = tp_alloc_ok(pa, order);

		ck_assert_uint_ge(ma_val(ma), TP_BASE);
		ck_assert_uint_le(ma_val(ma) + tp_bytes(order), end);
		ck_assert_uint_eq(tp_stats(pa).free_pages, before.free_pages - (UINT64_C(1) << order));
		ck_assert_int_eq(palloc_audit(pa), 0);
		ck_assert_int_eq(palloc_free(pa, ma, order), 0);
		after = tp_stats(pa);
		tp_assert_stats_eq(&before, &after);
	}
	tp_assert_only_blocks(pa, PALLOC_MAX_ORDER, 2);
}
END_TEST

START_TEST(test_alloc_rejects_order_above_max)
{
	struct palloc *pa = tp_new_full(TP_BASE, 16);
	maddr_t ma;

	ck_assert_int_eq(palloc_alloc(pa, PALLOC_MAX_ORDER + 1, &ma), -EINVAL);
	ck_assert_uint_eq(tp_stats(pa).free_pages, 16);
	/* Larger than anything free, but a valid order: out of memory. */
	ck_assert_int_eq(palloc_alloc(pa, 5, &ma), -ENOMEM);
}
END_TEST

START_TEST(test_exhaustion_returns_enomem_and_free_restores)
{
	struct palloc *pa = tp_new_full(TP_BASE, 64);
	maddr_t got[64], ma;
	unsigned int i, j;

	for (i = 0; i < 64; i++) {
		got[i] = tp_alloc_ok(pa, 0);
		for (j = 0; j < i; j++)
			ck_assert_uint_ne(ma_val(got[j]), ma_val(got[i]));
	}
	ck_assert_int_eq(palloc_alloc(pa, 0, &ma), -ENOMEM);
	ck_assert_uint_eq(tp_stats(pa).free_pages, 0);
	ck_assert_int_eq(palloc_largest_free_order(pa, PALLOC_MAX_ORDER), -ENOMEM);
	ck_assert_int_eq(palloc_free(pa, got[17], 0), 0);
	ck_assert_uint_eq(ma_val(tp_alloc_ok(pa, 0)), ma_val(got[17]));
	for (i = 0; i < 64; i++)
		ck_assert_int_eq(palloc_free(pa, got[i], 0), 0);
	ck_assert_uint_eq(tp_stats(pa).free_pages, 64);
	tp_assert_only_blocks(pa, 6, 1);
	ck_assert_int_eq(palloc_audit(pa), 0);
}
END_TEST

struct tp_block {
	maddr_t ma;
	unsigned int order;
};

/* Allocates random orders 0..max_order until even order 0 fails. */
static size_t tp_fill_random(struct palloc *pa, struct tp_block *b, size_t cap,
			     unsigned int max_order)
{
	size_t n = 0;

	while (n < cap) {
		unsigned int order = (unsigned int)tp_rng_below(max_order + 1);
		int ret = palloc_alloc(pa, order, &b[n].ma);

		if (ret == -ENOMEM && order > 0)
			ret = palloc_alloc(pa, order = 0, &b[n].ma);
		if (ret == -ENOMEM)
			break;
		ck_assert_int_eq(ret, 0);
		b[n++].order = order;
	}
	return n;
}

static void tp_shuffle(struct tp_block *b, size_t n)
{
	size_t i, j;
	struct tp_block t;

	for (i = n; i > 1; i--) {
		j = (size_t)tp_rng_below(i);
		t = b[i - 1];
		b[i - 1] = b[j];
		b[j] = t;
	}
}

START_TEST(test_free_in_random_order_coalesces_to_max_blocks)
{
	uint64_t npages = 2 * TP_MAX_PAGES;
	struct palloc *pa = tp_new_full(TP_BASE, npages);
	struct tp_block *b = calloc(npages, sizeof(*b));
	uint64_t pages = 0;
	size_t n, i;

	ck_assert_ptr_nonnull(b);
	tp_rng_seed(1);
	n = tp_fill_random(pa, b, npages, 4);
	for (i = 0; i < n; i++)
		pages += UINT64_C(1) << b[i].order;
	/* Every page was handed out: exhaustion is exact. */
	ck_assert_uint_eq(pages, npages);
	ck_assert_uint_eq(tp_stats(pa).free_pages, 0);
	ck_assert_int_eq(palloc_audit(pa), 0);
	tp_shuffle(b, n);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(palloc_free(pa, b[i].ma, b[i].order), 0);
	ck_assert_uint_eq(tp_stats(pa).free_pages, npages);
	tp_assert_only_blocks(pa, PALLOC_MAX_ORDER, 2);
	ck_assert_int_eq(palloc_audit(pa), 0);
	free(b);
}
END_TEST

START_TEST(test_holes_are_never_returned)
{
	/* Pages [100, 300) and [700, 701) of a 1024-page window are never added. */
	struct palloc *pa = tp_new(TP_BASE, 1024);
	struct tp_block b[1024];
	uint64_t pages = 0, lo = TP_BASE + 100 * PAGE_SIZE, hi = TP_BASE + 300 * PAGE_SIZE;
	uint64_t hole2 = TP_BASE + 700 * PAGE_SIZE;
	size_t n, i;

	ck_assert_int_eq(palloc_add_free(pa, tp_page(TP_BASE, 0), 100), 0);
	ck_assert_int_eq(palloc_add_free(pa, tp_page(TP_BASE, 300), 400), 0);
	ck_assert_int_eq(palloc_add_free(pa, tp_page(TP_BASE, 701), 323), 0);
	ck_assert_uint_eq(tp_stats(pa).total_pages, 823);
	tp_rng_seed(2);
	n = tp_fill_random(pa, b, ARRAY_SIZE(b), 6);
	for (i = 0; i < n; i++) {
		uint64_t a = ma_val(b[i].ma), e = a + tp_bytes(b[i].order);

		ck_assert(e <= lo || a >= hi);
		ck_assert(e <= hole2 || a > hole2);
		pages += UINT64_C(1) << b[i].order;
	}
	ck_assert_uint_eq(pages, 823);
	/* Freeing a page in a hole is freeing something never allocated. */
	tp_assert_free_refused(pa, ma_init(lo), 0);
	tp_assert_free_refused(pa, ma_init(hole2), 0);
}
END_TEST

START_TEST(test_add_free_rejects_overlap)
{
	struct palloc *pa = tp_new(TP_BASE, 1024);
	maddr_t a;

	ck_assert_int_eq(palloc_add_free(pa, tp_page(TP_BASE, 100), 100), 0);
	tp_assert_add_refused(pa, tp_page(TP_BASE, 100), 100);
	tp_assert_add_refused(pa, tp_page(TP_BASE, 50), 51);
	tp_assert_add_refused(pa, tp_page(TP_BASE, 199), 10);
	tp_assert_add_refused(pa, tp_page(TP_BASE, 0), 1024);
	/* Overlap with allocated memory counts too. */
	a = tp_alloc_ok(pa, 2);
	tp_assert_add_refused(pa, a, 1);
	tp_assert_add_refused(pa, ma_add(a, 3 * PAGE_SIZE), 1);
	/* Right next to it is fine. */
	ck_assert_int_eq(palloc_add_free(pa, tp_page(TP_BASE, 200), 10), 0);
	ck_assert_uint_eq(tp_stats(pa).total_pages, 110);
}
END_TEST

START_TEST(test_add_free_rejects_unaligned_and_empty)
{
	struct palloc *pa = tp_new(TP_BASE, 1024);

	tp_assert_add_refused(pa, ma_init(TP_BASE + 1), 1);
	tp_assert_add_refused(pa, ma_init(TP_BASE + PAGE_SIZE / 2), 4);
	tp_assert_add_refused(pa, tp_page(TP_BASE, 3), 0);
	ck_assert_uint_eq(tp_stats(pa).total_pages, 0);
}
END_TEST

START_TEST(test_add_free_rejects_outside_window)
{
	struct palloc *pa = tp_new(TP_BASE, 1024);

	tp_assert_add_refused(pa, ma_init(TP_BASE - PAGE_SIZE), 2);
	tp_assert_add_refused(pa, ma_init(0), 1);
	tp_assert_add_refused(pa, tp_page(TP_BASE, 1024), 1);
	tp_assert_add_refused(pa, tp_page(TP_BASE, 1000), 25);
	tp_assert_add_refused(pa, tp_page(TP_BASE, 1), UINT64_MAX);
	ck_assert_int_eq(palloc_add_free(pa, tp_page(TP_BASE, 1000), 24), 0);
}
END_TEST

START_TEST(test_add_free_splits_range_into_aligned_blocks)
{
	/* Pages 1..1023: one block of each order 0..9, the largest that fit. */
	struct palloc *pa = tp_new(TP_BASE, 1024);
	struct palloc_stats st;
	unsigned int o;

	ck_assert_int_eq(palloc_add_free(pa, tp_page(TP_BASE, 1), 1023), 0);
	st = tp_stats(pa);
	ck_assert_uint_eq(st.total_pages, 1023);
	ck_assert_uint_eq(st.free_pages, 1023);
	for (o = 0; o <= PALLOC_MAX_ORDER; o++)
		ck_assert_uint_eq(st.free_blocks[o], o <= 9 ? 1 : 0);
	ck_assert_int_eq(palloc_audit(pa), 0);
	/* Adding the missing page merges everything into one order-10 block. */
	ck_assert_int_eq(palloc_add_free(pa, tp_page(TP_BASE, 0), 1), 0);
	tp_assert_only_blocks(pa, 10, 1);
}
END_TEST

START_TEST(test_add_free_page_by_page_merges_with_earlier_ranges)
{
	struct palloc *pa = tp_new(TP_BASE, 2048);
	uint32_t order[2048];
	size_t i, j;
	uint32_t t;

	for (i = 0; i < 2048; i++)
		order[i] = (uint32_t)i;
	tp_rng_seed(3);
	for (i = 2048; i > 1; i--) {
		j = (size_t)tp_rng_below(i);
		t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
	for (i = 0; i < 2048; i++) {
		ck_assert_int_eq(palloc_add_free(pa, tp_page(TP_BASE, order[i]), 1), 0);
		if (i % 64 == 0)
			ck_assert_int_eq(palloc_audit(pa), 0);
	}
	tp_assert_only_blocks(pa, 11, 1);
	ck_assert_int_eq(palloc_audit(pa), 0);
}
END_TEST

START_TEST(test_add_free_caps_blocks_at_max_order)
{
	struct palloc *pa = tp_new_full(TP_BASE, 4 * TP_MAX_PAGES);

	tp_assert_only_blocks(pa, PALLOC_MAX_ORDER, 4);
	ck_assert_int_eq(palloc_largest_free_order(pa, 100), PALLOC_MAX_ORDER);
}
END_TEST

START_TEST(test_blocks_align_to_machine_addresses_not_window_offsets)
{
	/* The window starts one page past a 1 GiB boundary. */
	uint64_t base = TP_BASE + PAGE_SIZE;
	struct palloc *pa = tp_new_full(base, 1024);
	struct palloc_stats st = tp_stats(pa);
	unsigned int o;

	/* Frames 0x40001..0x40400: 0x40001 and 0x40400 alone, one block of each order 1..9. */
	for (o = 0; o <= PALLOC_MAX_ORDER; o++)
		ck_assert_uint_eq(st.free_blocks[o], o == 0 ? 2 : o <= 9 ? 1 : 0);
	ck_assert_uint_eq(ma_val(tp_alloc_ok(pa, PALLOC_ORDER_2M)), TP_BASE + MIB(2));
	ck_assert_uint_eq(ma_val(tp_alloc_ok(pa, 8)), TP_BASE + MIB(1));
	ck_assert_int_eq(palloc_largest_free_order(pa, PALLOC_MAX_ORDER), 7);
	ck_assert_int_eq(palloc_audit(pa), 0);
}
END_TEST

START_TEST(test_double_free_is_rejected_without_effect)
{
	struct palloc *pa = tp_new_full(TP_BASE, 1024);
	maddr_t a = tp_alloc_ok(pa, 3), b = tp_alloc_ok(pa, 0), c;

	ck_assert_int_eq(palloc_free(pa, a, 3), 0);
	tp_assert_free_refused(pa, a, 3);
	ck_assert_int_eq(palloc_free(pa, b, 0), 0);
	/* After merging, the freed head is inside a larger free block. */
	tp_assert_free_refused(pa, b, 0);
	tp_assert_free_refused(pa, a, 3);
	/* Reused by a smaller block: freeing the old, larger one is still wrong. */
	c = tp_alloc_ok(pa, 1);
	ck_assert_uint_eq(ma_val(c), ma_val(a));
	tp_assert_free_refused(pa, a, 3);
	ck_assert_int_eq(palloc_free(pa, c, 1), 0);
	tp_assert_only_blocks(pa, 10, 1);
}
END_TEST

START_TEST(test_wrong_order_free_is_rejected_without_effect)
{
	struct palloc *pa = tp_new_full(TP_BASE, 1024);
	maddr_t a = tp_alloc_ok(pa, 4);

	tp_assert_free_refused(pa, a, 3);
	tp_assert_free_refused(pa, a, 5);
	tp_assert_free_refused(pa, a, 0);
	tp_assert_free_refused(pa, a, PALLOC_MAX_ORDER);
	tp_assert_free_refused(pa, a, PALLOC_MAX_ORDER + 1);
	/* Frames inside a block are not blocks. */
	tp_assert_free_refused(pa, ma_add(a, PAGE_SIZE), 0);
	tp_assert_free_refused(pa, ma_add(a, 8 * PAGE_SIZE), 3);
	ck_assert_int_eq(palloc_free(pa, a, 4), 0);
	tp_assert_only_blocks(pa, 10, 1);
}
END_TEST

START_TEST(test_foreign_free_is_rejected_without_effect)
{
	struct palloc *pa = tp_new_full(TP_BASE, 1024);
	maddr_t a = tp_alloc_ok(pa, 0);

	tp_assert_free_refused(pa, ma_init(TP_BASE - PAGE_SIZE), 0);
	tp_assert_free_refused(pa, ma_init(0), 0);
	tp_assert_free_refused(pa, tp_page(TP_BASE, 1024), 0);
	tp_assert_free_refused(pa, ma_init(UINT64_MAX & ~PAGE_MASK), 0);
	tp_assert_free_refused(pa, ma_add(a, 8), 0);
	/* Never allocated, but inside added memory. */
	tp_assert_free_refused(pa, tp_page(TP_BASE, 512), 9);
	ck_assert_int_eq(palloc_free(pa, a, 0), 0);
}
END_TEST

/* Page ownership tracked outside the allocator for the random sequence. */
#define TP_SEQ_PAGES 512
#define TP_SEQ_HOLE_LO 200
#define TP_SEQ_HOLE_HI 230

static void tp_seq_mark(uint8_t *owned, const struct tp_block *b, uint8_t want, uint8_t set)
{
	uint64_t first = (ma_val(b->ma) - TP_BASE) / PAGE_SIZE, i;

	ck_assert_uint_le(first + (UINT64_C(1) << b->order), TP_SEQ_PAGES);
	for (i = first; i < first + (UINT64_C(1) << b->order); i++) {
		ck_assert(i < TP_SEQ_HOLE_LO || i >= TP_SEQ_HOLE_HI);
		ck_assert_uint_eq(owned[i], want);
		owned[i] = set;
	}
}

/* One random step; returns the change in free pages it should cause. */
static int64_t tp_seq_step(struct palloc *pa, struct tp_block *live, size_t *n, uint8_t *owned)
{
	struct tp_block b;
	size_t k;

	if (*n > 0 && tp_rng_below(2) == 0) {
		k = (size_t)tp_rng_below(*n);
		b = live[k];
		live[k] = live[--*n];
		ck_assert_int_eq(palloc_free(pa, b.ma, b.order), 0);
		tp_seq_mark(owned, &b, 1, 0);
		return (int64_t)1 << b.order;
	}
	b.order = (unsigned int)tp_rng_below(7);
	if (palloc_alloc(pa, b.order, &b.ma) != 0) {
		ck_assert_int_lt(palloc_largest_free_order(pa, b.order), (int)b.order);
		return 0;
	}
	ck_assert_uint_eq(ma_val(b.ma) % tp_bytes(b.order), 0);
	tp_seq_mark(owned, &b, 0, 1);
	live[(*n)++] = b;
	return -((int64_t)1 << b.order);
}

START_TEST(test_random_sequence_keeps_exact_accounting)
{
	struct palloc *pa = tp_new(TP_BASE, TP_SEQ_PAGES);
	struct tp_block live[TP_SEQ_PAGES];
	uint8_t owned[TP_SEQ_PAGES] = { 0 };
	uint64_t expected = TP_SEQ_PAGES - (TP_SEQ_HOLE_HI - TP_SEQ_HOLE_LO);
	size_t n = 0;
	int step;

	ck_assert_int_eq(palloc_add_free(pa, tp_page(TP_BASE, 0), TP_SEQ_HOLE_LO), 0);
	ck_assert_int_eq(palloc_add_free(pa, tp_page(TP_BASE, TP_SEQ_HOLE_HI),
					 TP_SEQ_PAGES - TP_SEQ_HOLE_HI), 0);
	tp_rng_seed(4);
	for (step = 0; step < 20000; step++) {
		expected = (uint64_t)((int64_t)expected + tp_seq_step(pa, live, &n, owned));
		ck_assert_uint_eq(tp_stats(pa).free_pages, expected);
		ck_assert_int_eq(palloc_audit(pa), 0);
	}
	while (n-- > 0)
		ck_assert_int_eq(palloc_free(pa, live[n].ma, live[n].order), 0);
	ck_assert_uint_eq(tp_stats(pa).free_pages, TP_SEQ_PAGES - (TP_SEQ_HOLE_HI - TP_SEQ_HOLE_LO));
	ck_assert_int_eq(palloc_audit(pa), 0);
}
END_TEST

START_TEST(test_largest_free_order_reports_what_alloc_can_do)
{
	struct palloc *pa = tp_new_full(TP_BASE, 16);

	ck_assert_int_eq(palloc_largest_free_order(pa, PALLOC_MAX_ORDER), 4);
	ck_assert_int_eq(palloc_largest_free_order(pa, PALLOC_MAX_ORDER + 5), 4);
	/* A larger free block can be split, so the cap itself is available. */
	ck_assert_int_eq(palloc_largest_free_order(pa, 2), 2);
	ck_assert_int_eq(palloc_largest_free_order(pa, 0), 0);
	(void)tp_alloc_ok(pa, 3);
	ck_assert_int_eq(palloc_largest_free_order(pa, PALLOC_MAX_ORDER), 3);
	(void)tp_alloc_ok(pa, 2);
	ck_assert_int_eq(palloc_largest_free_order(pa, PALLOC_MAX_ORDER), 2);
	ck_assert_int_eq(palloc_largest_free_order(pa, 1), 1);
	(void)tp_alloc_ok(pa, 2);
	ck_assert_int_eq(palloc_largest_free_order(pa, PALLOC_MAX_ORDER), -ENOMEM);
	ck_assert_int_eq(palloc_largest_free_order(pa, 0), -ENOMEM);
}
END_TEST

START_TEST(test_stats_count_free_blocks_per_order)
{
	struct palloc *pa = tp_new_full(TP_BASE, TP_MAX_PAGES);
	struct palloc_stats st;
	unsigned int o;

	(void)tp_alloc_ok(pa, 0);
	st = tp_stats(pa);
	ck_assert_uint_eq(st.total_pages, TP_MAX_PAGES);
	ck_assert_uint_eq(st.free_pages, TP_MAX_PAGES - 1);
	/* Splitting one max block down to a page leaves one buddy per order. */
	for (o = 0; o <= PALLOC_MAX_ORDER; o++)
		ck_assert_uint_eq(st.free_blocks[o], o < PALLOC_MAX_ORDER ? 1 : 0);
	(void)tp_alloc_ok(pa, PALLOC_ORDER_2M);
	st = tp_stats(pa);
	ck_assert_uint_eq(st.free_blocks[PALLOC_ORDER_2M], 0);
	ck_assert_uint_eq(st.free_pages, TP_MAX_PAGES - 1 - 512);
}
END_TEST

START_TEST(test_audit_detects_broken_accounting)
{
	struct palloc *pa = tp_new_full(TP_BASE, 1024);
	uint32_t head;

	(void)tp_alloc_ok(pa, 0);
	ck_assert_int_eq(palloc_audit(pa), 0);
	pa->free_pages++;
	ck_assert_int_eq(palloc_audit(pa), -EFAULT);
	pa->free_pages--;
	pa->total_pages--;
	ck_assert_int_eq(palloc_audit(pa), -EFAULT);
	pa->total_pages++;
	pa->nfree[3]++;
	ck_assert_int_eq(palloc_audit(pa), -EFAULT);
	pa->nfree[3]--;
	/* A block on the wrong list. */
	head = pa->free_head[3];
	pa->free_head[3] = pa->free_head[4];
	pa->free_head[4] = head;
	ck_assert_int_eq(palloc_audit(pa), -EFAULT);
	pa->free_head[4] = pa->free_head[3];
	pa->free_head[3] = head;
	ck_assert_int_eq(palloc_audit(pa), 0);
}
END_TEST

START_TEST(test_audit_detects_unmerged_buddies)
{
	struct palloc *pa = tp_new_full(TP_BASE, 16);
	maddr_t q[4];
	unsigned int i;

	/* Free the middle two of four order-2 blocks: not buddies, so not merged. */
	for (i = 0; i < 4; i++)
		q[i] = tp_alloc_ok(pa, 2);
	ck_assert_int_eq(palloc_free(pa, q[1], 2), 0);
	ck_assert_int_eq(palloc_free(pa, q[2], 2), 0);
	ck_assert_int_eq(palloc_audit(pa), 0);
	/*
	 * Moving the window up by four pages keeps every block aligned but
	 * makes those two blocks buddies, which the allocator would have merged.
	 */
	pa->base = ma_add(pa->base, 4 * PAGE_SIZE);
	ck_assert_int_eq(palloc_audit(pa), -EFAULT);
	pa->base = ma_init(TP_BASE);
	ck_assert_int_eq(palloc_audit(pa), 0);
}
END_TEST

START_TEST(test_audit_detects_page_both_free_and_allocated)
{
	struct palloc *pa = tp_new_full(TP_BASE, 16);
	size_t rec = palloc_meta_size(1);
	unsigned char saved[64];
	unsigned char *meta = tp_meta;

	/* Page 0 allocated; pages 8..15 form one free order-3 block. */
	ck_assert_uint_eq(ma_val(tp_alloc_ok(pa, 0)), TP_BASE);
	ck_assert_uint_eq(tp_stats(pa).free_blocks[3], 1);
	ck_assert_int_eq(palloc_audit(pa), 0);
	/*
	 * Copying frame 0's record over frame 9 makes page 9 an allocated block
	 * inside a free one, without knowing the record's layout.
	 */
	ck_assert_uint_le(rec, sizeof(saved));
	memcpy(saved, meta + 9 * rec, rec);
	memcpy(meta + 9 * rec, meta, rec);
	ck_assert_int_eq(palloc_audit(pa), -EFAULT);
	memcpy(meta + 9 * rec, saved, rec);
	ck_assert_int_eq(palloc_audit(pa), 0);
}
END_TEST

START_TEST(test_selftest_passes_on_fresh_allocator)
{
	struct palloc *pa = tp_new_full(TP_BASE, 2 * TP_MAX_PAGES);
	struct palloc_stats before = tp_stats(pa), after;
	unsigned int checks = 0;

	ck_assert_int_eq(palloc_selftest(pa, &checks), 0);
	ck_assert_uint_gt(checks, 50);
	after = tp_stats(pa);
	tp_assert_stats_eq(&before, &after);
	ck_assert_int_eq(palloc_audit(pa), 0);
}
END_TEST

START_TEST(test_selftest_passes_on_small_fragmented_allocator)
{
	struct palloc *pa = tp_new(TP_BASE + PAGE_SIZE, 700);
	struct palloc_stats before, after;
	unsigned int checks = 0;

	ck_assert_int_eq(palloc_add_free(pa, tp_page(TP_BASE, 1), 300), 0);
	ck_assert_int_eq(palloc_add_free(pa, tp_page(TP_BASE, 333), 100), 0);
	(void)tp_alloc_ok(pa, 0);
	(void)tp_alloc_ok(pa, 5);
	before = tp_stats(pa);
	ck_assert_int_eq(palloc_selftest(pa, &checks), 0);
	ck_assert_uint_gt(checks, 20);
	after = tp_stats(pa);
	tp_assert_stats_eq(&before, &after);
}
END_TEST

START_TEST(test_selftest_reports_nothing_free)
{
	struct palloc *pa = tp_new(TP_BASE, 16);
	unsigned int checks = 99;

	ck_assert_int_eq(palloc_selftest(pa, &checks), -ENOMEM);
	ck_assert_uint_eq(checks, 0);
	ck_assert_int_eq(palloc_add_free(pa, tp_page(TP_BASE, 3), 1), 0);
	ck_assert_int_eq(palloc_selftest(pa, &checks), 0);
}
END_TEST

static void tp_add(Suite *s, const char *name, const TTest *test)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, NULL, tp_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test);
	suite_add_tcase(s, tc);
}

static Suite *palloc_suite(void)
{
	Suite *s = suite_create("palloc");

	tp_add(s, "init", test_init_rejects_bad_arguments);
	tp_add(s, "meta_size", test_meta_size_scales_and_rejects_huge_windows);
	tp_add(s, "alloc_orders", test_alloc_each_order_is_aligned_and_counted);
	tp_add(s, "alloc_bad_order", test_alloc_rejects_order_above_max);
	tp_add(s, "exhaustion", test_exhaustion_returns_enomem_and_free_restores);
	tp_add(s, "coalesce", test_free_in_random_order_coalesces_to_max_blocks);
	tp_add(s, "holes", test_holes_are_never_returned);
	tp_add(s, "add_overlap", test_add_free_rejects_overlap);
	tp_add(s, "add_unaligned", test_add_free_rejects_unaligned_and_empty);
	tp_add(s, "add_outside", test_add_free_rejects_outside_window);
	tp_add(s, "add_split", test_add_free_splits_range_into_aligned_blocks);
	tp_add(s, "add_merge", test_add_free_page_by_page_merges_with_earlier_ranges);
	tp_add(s, "add_cap", test_add_free_caps_blocks_at_max_order);
	tp_add(s, "machine_align", test_blocks_align_to_machine_addresses_not_window_offsets);
	tp_add(s, "double_free", test_double_free_is_rejected_without_effect);
	tp_add(s, "wrong_order", test_wrong_order_free_is_rejected_without_effect);
	tp_add(s, "foreign_free", test_foreign_free_is_rejected_without_effect);
	tp_add(s, "random_seq", test_random_sequence_keeps_exact_accounting);
	tp_add(s, "largest", test_largest_free_order_reports_what_alloc_can_do);
	tp_add(s, "stats", test_stats_count_free_blocks_per_order);
	tp_add(s, "audit", test_audit_detects_broken_accounting);
	tp_add(s, "audit_buddies", test_audit_detects_unmerged_buddies);
	tp_add(s, "audit_overlap", test_audit_detects_page_both_free_and_allocated);
	tp_add(s, "selftest_fresh", test_selftest_passes_on_fresh_allocator);
	tp_add(s, "selftest_fragmented", test_selftest_passes_on_small_fragmented_allocator);
	tp_add(s, "selftest_empty", test_selftest_reports_nothing_free);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(palloc_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
