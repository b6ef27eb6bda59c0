/*
 * Boot-time self-test of the live page allocator (see hv/palloc_selftest.h).
 *
 * It goes through the public API only, so it checks what callers rely on
 * rather than the allocator's internals, which palloc_audit() covers.
 */
#include "hv/errno.h"
#include "hv/palloc_selftest.h"

/*
 * Orders tried, in this sequence: small and 2 MiB blocks as the stage-2 and
 * table code use them, mixed with others so splits interleave.
 */
static const uint8_t palloc_st_orders[] = {
	0, 1, PALLOC_ORDER_2M, 0, 3, 1, 5, 0, PALLOC_ORDER_2M, 2, 4, 0, 7, 1, 10, 0,
};

#define PALLOC_ST_MAX_BLOCKS ARRAY_SIZE(palloc_st_orders)

struct palloc_st_block {
	maddr_t ma;
	unsigned int order;
};

struct palloc_st {
	struct palloc *pa;
	struct palloc_stats before;
	struct palloc_st_block blocks[PALLOC_ST_MAX_BLOCKS];
	unsigned int nblocks;
	uint64_t allocated_pages;
	unsigned int checks;
	bool failed;
	bool tried_double_free;
};

/* Counts one check; after the first failure, counting stops there. */
static bool palloc_st_check(struct palloc_st *st, bool ok)
{
	if (st->failed)
		return ok;
	st->checks++;
	if (!ok)
		st->failed = true;
	return ok;
}

static uint64_t palloc_st_bytes(unsigned int order)
{
	return PAGE_SIZE << order;
}

static bool palloc_st_stats_equal(const struct palloc_stats *a, const struct palloc_stats *b)
{
	unsigned int o;

	if (a->total_pages != b->total_pages || a->free_pages != b->free_pages)
		return false;
	for (o = 0; o <= PALLOC_MAX_ORDER; o++)
		if (a->free_blocks[o] != b->free_blocks[o])
			return false;
	return true;
}

/* Checks that the free count is exactly what the test's own tally says. */
static void palloc_st_check_free_pages(struct palloc_st *st)
{
	struct palloc_stats now;

	palloc_get_stats(st->pa, &now);
	palloc_st_check(st, now.total_pages == st->before.total_pages);
	palloc_st_check(st, now.free_pages == st->before.free_pages - st->allocated_pages);
}

static bool palloc_st_overlaps(const struct palloc_st_block *a, const struct palloc_st_block *b)
{
	uint64_t a0 = ma_val(a->ma), b0 = ma_val(b->ma);

	return a0 < b0 + palloc_st_bytes(b->order) && b0 < a0 + palloc_st_bytes(a->order);
}

/* Checks a freshly returned block against the window and earlier blocks. */
static void palloc_st_check_block(struct palloc_st *st, const struct palloc_st_block *b)
{
	uint64_t base = ma_val(st->pa->base), a = ma_val(b->ma);
	uint64_t end = base + (st->pa->npages << PAGE_SHIFT);
	unsigned int i;

	palloc_st_check(st, IS_ALIGNED(a, palloc_st_bytes(b->order)));
	palloc_st_check(st, a >= base && a < end && palloc_st_bytes(b->order) <= end - a);
	for (i = 0; i < st->nblocks; i++)
		palloc_st_check(st, !palloc_st_overlaps(&st->blocks[i], b));
}

static void palloc_st_alloc_one(struct palloc_st *st, unsigned int order)
{
	bool available = palloc_largest_free_order(st->pa, order) == (int)order;
	struct palloc_st_block *b = &st->blocks[st->nblocks];
	int ret;

	ret = palloc_alloc(st->pa, order, &b->ma);
	palloc_st_check(st, ret == 0 || ret == -ENOMEM);
	/* palloc_largest_free_order() must agree with what palloc_alloc() did. */
	palloc_st_check(st, (ret == 0) == available);
	if (ret != 0)
		return;
	b->order = order;
	palloc_st_check_block(st, b);
	st->nblocks++;
	st->allocated_pages += UINT64_C(1) << order;
	palloc_st_check_free_pages(st);
}

static void palloc_st_alloc_all(struct palloc_st *st)
{
	unsigned int i;

	for (i = 0; i < PALLOC_ST_MAX_BLOCKS; i++)
		palloc_st_alloc_one(st, palloc_st_orders[i]);
	/* Order 0 comes first and something is free, so it cannot fail. */
	palloc_st_check(st, st->nblocks > 0);
	palloc_st_check(st, palloc_audit(st->pa) == 0);
}

/* A free that must be refused: -EINVAL, and the statistics do not move. */
static void palloc_st_bad_free(struct palloc_st *st, maddr_t ma, unsigned int order)
{
	struct palloc_stats pre, post;

	palloc_get_stats(st->pa, &pre);
	palloc_st_check(st, palloc_free(st->pa, ma, order) == -EINVAL);
	palloc_get_stats(st->pa, &post);
	palloc_st_check(st, palloc_st_stats_equal(&pre, &post));
}

static void palloc_st_bad_frees(struct palloc_st *st)
{
	const struct palloc_st_block *b = &st->blocks[0];
	unsigned int i;

	if (b->order < PALLOC_MAX_ORDER)
		palloc_st_bad_free(st, b->ma, b->order + 1);
	for (i = 0; i < st->nblocks; i++) {
		b = &st->blocks[i];
		if (b->order == 0)
			continue;
		palloc_st_bad_free(st, b->ma, b->order - 1);
		/* The second frame of a block is not a block of its own. */
		palloc_st_bad_free(st, ma_add(b->ma, PAGE_SIZE), 0);
		break;
	}
	palloc_st_bad_free(st, ma_add(st->pa->base, st->pa->npages << PAGE_SHIFT), 0);
	palloc_st_check(st, palloc_audit(st->pa) == 0);
}

/* Frees block @i; the first block freed is then freed again, which must fail. */
static void palloc_st_free_one(struct palloc_st *st, unsigned int i)
{
	const struct palloc_st_block *b = &st->blocks[i];

	palloc_st_check(st, palloc_free(st->pa, b->ma, b->order) == 0);
	st->allocated_pages -= UINT64_C(1) << b->order;
	palloc_st_check_free_pages(st);
	if (!st->tried_double_free) {
		palloc_st_bad_free(st, b->ma, b->order);
		st->tried_double_free = true;
	}
}

/*
 * Frees odd-numbered blocks from the last down, then even-numbered ones
 * from the first up: neither allocation order nor its reverse, so merges
 * happen in an order the allocations never produced.
 */
static void palloc_st_free_all(struct palloc_st *st)
{
	unsigned int i;

	for (i = st->nblocks; i-- > 0;)
		if (i % 2 == 1)
			palloc_st_free_one(st, i);
	for (i = 0; i < st->nblocks; i += 2)
		palloc_st_free_one(st, i);
}

/*
 * Field by field rather than "= { .pa = pa }": zeroing the whole block
 * array would make the compiler call memset, which the hypervisor lacks.
 */
static void palloc_st_init(struct palloc_st *st, struct palloc *pa)
{
	st->pa = pa;
	st->nblocks = 0;
	st->allocated_pages = 0;
	st->checks = 0;
	st->failed = false;
	st->tried_double_free = false;
	palloc_get_stats(pa, &st->before);
}

int palloc_selftest(struct palloc *pa, unsigned int *checks_out)
{
	struct palloc_stats after;
	struct palloc_st st;

	palloc_st_init(&st, pa);
	*checks_out = 0;
	if (st.before.free_pages == 0)
		return -ENOMEM;
	palloc_st_check(&st, palloc_audit(pa) == 0);
	palloc_st_alloc_all(&st);
	palloc_st_bad_frees(&st);
	palloc_st_free_all(&st);
	palloc_get_stats(pa, &after);
	palloc_st_check(&st, palloc_st_stats_equal(&st.before, &after));
	palloc_st_check(&st, palloc_audit(pa) == 0);
	*checks_out = st.checks;
	return st.failed ? -EFAULT : 0;
}
