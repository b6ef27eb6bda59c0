/*
 * Binary buddy allocator over machine frames (see hv/palloc.h).
 *
 * Every frame of the window has one small metadata record.  Only the first
 * frame of a block, its head, describes the block: free or allocated, and
 * its order.  Every other frame that was ever added is PALLOC_INNER.  A split
 * or a merge therefore rewrites two heads and never walks the block, which
 * keeps palloc_alloc() and palloc_free() at O(PALLOC_MAX_ORDER) and leaves
 * the free memory itself untouched.
 *
 * Alignment is computed on machine frame numbers, not on offsets into the
 * window: an order-9 block is 2 MiB aligned in machine memory even when the
 * window base is not, which is what block mappings need.
 */
#include "hv/errno.h"
#include "hv/palloc.h"

/* List terminator; window sizes stay below it so it is never an index. */
#define PALLOC_NONE UINT32_MAX

enum palloc_state {
	PALLOC_ABSENT = 0, /* never handed over with palloc_add_free() */
	PALLOC_INNER,      /* added, but not the head of a block */
	PALLOC_FREE,       /* head of a free block, on free_head[order] */
	PALLOC_USED,       /* head of an allocated block */
};

struct palloc_frame {
	uint32_t prev; /* free-list neighbours, as window indices */
	uint32_t next;
	uint8_t order;
	uint8_t state;
};

/* Running totals that palloc_audit() builds from scratch and compares. */
struct palloc_audit_sums {
	uint64_t list_blocks;
	uint64_t list_pages;
	uint64_t head_free_blocks;
	uint64_t head_free_pages;
	uint64_t used_pages;
	uint64_t added_pages;
};

static uint64_t palloc_pages(unsigned int order)
{
	return UINT64_C(1) << order;
}

static uint64_t palloc_base_pfn(const struct palloc *pa)
{
	return ma_val(pa->base) >> PAGE_SHIFT;
}

/* True if the block of @order at window index @idx is machine-aligned. */
static bool palloc_block_aligned(const struct palloc *pa, uint64_t idx, unsigned int order)
{
	return IS_ALIGNED(palloc_base_pfn(pa) + idx, palloc_pages(order));
}

static bool palloc_block_in_window(const struct palloc *pa, uint64_t idx, unsigned int order)
{
	uint64_t n = palloc_pages(order);

	return n <= pa->npages && idx <= pa->npages - n;
}

/* Window index of @ma; false if @ma is unaligned or outside the window. */
static bool palloc_index_of(const struct palloc *pa, maddr_t ma, uint64_t *idx)
{
	uint64_t a = ma_val(ma), base = ma_val(pa->base);

	if (!IS_ALIGNED(a, PAGE_SIZE) || a < base)
		return false;
	*idx = (a - base) >> PAGE_SHIFT;
	return *idx < pa->npages;
}

static void palloc_set_head(struct palloc *pa, uint64_t idx, enum palloc_state state,
			    unsigned int order)
{
	pa->frames[idx].state = (uint8_t)state;
	pa->frames[idx].order = (uint8_t)order;
}

static void palloc_list_push(struct palloc *pa, uint64_t idx, unsigned int order)
{
	struct palloc_frame *f = &pa->frames[idx];
	uint32_t head = pa->free_head[order];

	palloc_set_head(pa, idx, PALLOC_FREE, order);
	f->prev = PALLOC_NONE;
	f->next = head;
	if (head != PALLOC_NONE)
		pa->frames[head].prev = (uint32_t)idx;
	pa->free_head[order] = (uint32_t)idx;
	pa->nfree[order]++;
}

static void palloc_list_unlink(struct palloc *pa, uint64_t idx)
{
	struct palloc_frame *f = &pa->frames[idx];

	if (f->prev != PALLOC_NONE)
		pa->frames[f->prev].next = f->next;
	else
		pa->free_head[f->order] = f->next;
	if (f->next != PALLOC_NONE)
		pa->frames[f->next].prev = f->prev;
	f->prev = PALLOC_NONE;
	f->next = PALLOC_NONE;
	pa->nfree[f->order]--;
}

/*
 * True if the buddy of the block at @idx is a free block of the same order,
 * which is the only case in which the two may merge.
 */
static bool palloc_free_buddy(const struct palloc *pa, uint64_t idx, unsigned int order,
			      uint64_t *buddy)
{
	uint64_t pfn = palloc_base_pfn(pa) + idx;
	uint64_t bpfn = pfn ^ palloc_pages(order);
	const struct palloc_frame *f;

	if (order >= PALLOC_MAX_ORDER || bpfn < palloc_base_pfn(pa))
		return false;
	*buddy = bpfn - palloc_base_pfn(pa);
	if (!palloc_block_in_window(pa, *buddy, order))
		return false;
	f = &pa->frames[*buddy];
	return f->state == PALLOC_FREE && f->order == order;
}

/* Puts a block on the free lists, merging it with free buddies first. */
static void palloc_release(struct palloc *pa, uint64_t idx, unsigned int order)
{
	uint64_t buddy;

	pa->free_pages += palloc_pages(order);
	while (palloc_free_buddy(pa, idx, order, &buddy)) {
		palloc_list_unlink(pa, buddy);
		/* The merged block starts at the lower half; the upper head goes. */
		palloc_set_head(pa, MAX(idx, buddy), PALLOC_INNER, 0);
		idx = MIN(idx, buddy);
		order++;
	}
	palloc_list_push(pa, idx, order);
}

/* Removes a block of exactly @order from the free lists, splitting if needed. */
static int palloc_take(struct palloc *pa, unsigned int order, uint64_t *idx)
{
	unsigned int o = order;

	while (o <= PALLOC_MAX_ORDER && pa->free_head[o] == PALLOC_NONE)
		o++;
	if (o > PALLOC_MAX_ORDER)
		return -ENOMEM;
	*idx = pa->free_head[o];
	palloc_list_unlink(pa, *idx);
	/* Keep the lower half each time so the result stays aligned. */
	while (o > order) {
		o--;
		palloc_list_push(pa, *idx + palloc_pages(o), o);
	}
	palloc_set_head(pa, *idx, PALLOC_USED, order);
	pa->free_pages -= palloc_pages(order);
	return 0;
}

size_t palloc_meta_size(uint64_t npages)
{
	if (npages >= PALLOC_NONE)
		return 0;
	return (size_t)npages * sizeof(struct palloc_frame);
}

static bool palloc_window_valid(maddr_t base, uint64_t npages)
{
	uint64_t b = ma_val(base);

	return IS_ALIGNED(b, PAGE_SIZE) && npages != 0 && npages < PALLOC_NONE &&
	       npages <= (UINT64_MAX - b) >> PAGE_SHIFT;
}

static bool palloc_meta_valid(uint64_t npages, const void *meta, size_t meta_size)
{
	return meta != NULL && IS_ALIGNED((uintptr_t)meta, _Alignof(struct palloc_frame)) &&
	       meta_size >= palloc_meta_size(npages);
}

int palloc_init(struct palloc *pa, maddr_t base, uint64_t npages, void *meta, size_t meta_size)
{
	unsigned int o;
	uint64_t i;

	if (!palloc_window_valid(base, npages) || !palloc_meta_valid(npages, meta, meta_size))
		return -EINVAL;
	pa->lock = SPINLOCK_INIT;
	pa->base = base;
	pa->npages = npages;
	pa->frames = meta;
	pa->free_pages = 0;
	pa->total_pages = 0;
	for (o = 0; o <= PALLOC_MAX_ORDER; o++) {
		pa->free_head[o] = PALLOC_NONE;
		pa->nfree[o] = 0;
	}
	for (i = 0; i < npages; i++)
		pa->frames[i] = (struct palloc_frame){ PALLOC_NONE, PALLOC_NONE, 0, PALLOC_ABSENT };
	return 0;
}

/* Largest order of an aligned block at @idx that fits in @npages pages. */
static unsigned int palloc_fit_order(const struct palloc *pa, uint64_t idx, uint64_t npages)
{
	unsigned int o = 0;

	while (o < PALLOC_MAX_ORDER && palloc_pages(o + 1) <= npages &&
	       palloc_block_aligned(pa, idx, o + 1))
		o++;
	return o;
}

static bool palloc_range_absent(const struct palloc *pa, uint64_t idx, uint64_t npages)
{
	uint64_t i;

	for (i = idx; i < idx + npages; i++)
		if (pa->frames[i].state != PALLOC_ABSENT)
			return false;
	return true;
}

static void palloc_add_range(struct palloc *pa, uint64_t idx, uint64_t npages)
{
	uint64_t i;
	unsigned int o;

	for (i = idx; i < idx + npages; i++)
		palloc_set_head(pa, i, PALLOC_INNER, 0);
	pa->total_pages += npages;
	while (npages != 0) {
		o = palloc_fit_order(pa, idx, npages);
		palloc_release(pa, idx, o);
		idx += palloc_pages(o);
		npages -= palloc_pages(o);
	}
}

int palloc_add_free(struct palloc *pa, maddr_t start, uint64_t npages)
{
	unsigned long flags;
	uint64_t idx;
	int ret = -EINVAL;

	if (npages == 0 || !palloc_index_of(pa, start, &idx) || npages > pa->npages - idx)
		return -EINVAL;
	flags = spin_lock_irqsave(&pa->lock);
	/* Check the whole range before touching anything, so a refusal changes nothing. */
	if (palloc_range_absent(pa, idx, npages)) {
		palloc_add_range(pa, idx, npages);
		ret = 0;
	}
	spin_unlock_irqrestore(&pa->lock, flags);
	return ret;
}

int palloc_alloc(struct palloc *pa, unsigned int order, maddr_t *out)
{
	unsigned long flags;
	uint64_t idx = 0;
	int ret;

	if (order > PALLOC_MAX_ORDER)
		return -EINVAL;
	flags = spin_lock_irqsave(&pa->lock);
	ret = palloc_take(pa, order, &idx);
	spin_unlock_irqrestore(&pa->lock, flags);
	if (ret == 0)
		*out = ma_add(pa->base, idx << PAGE_SHIFT);
	return ret;
}

int palloc_free(struct palloc *pa, maddr_t ma, unsigned int order)
{
	const struct palloc_frame *f;
	unsigned long flags;
	uint64_t idx;
	int ret = -EINVAL;

	if (order > PALLOC_MAX_ORDER || !palloc_index_of(pa, ma, &idx))
		return -EINVAL;
	flags = spin_lock_irqsave(&pa->lock);
	/*
	 * Only the head of an allocated block of this very order may be freed:
	 * a double free finds a free or inner frame, a wrong order a mismatch.
	 */
	f = &pa->frames[idx];
	if (f->state == PALLOC_USED && f->order == order) {
		palloc_release(pa, idx, order);
		ret = 0;
	}
	spin_unlock_irqrestore(&pa->lock, flags);
	return ret;
}

int palloc_largest_free_order(struct palloc *pa, unsigned int max_order)
{
	unsigned int top = MIN(max_order, PALLOC_MAX_ORDER);
	unsigned long flags;
	int o;

	flags = spin_lock_irqsave(&pa->lock);
	for (o = PALLOC_MAX_ORDER; o >= 0; o--)
		if (pa->free_head[o] != PALLOC_NONE)
			break;
	spin_unlock_irqrestore(&pa->lock, flags);
	if (o < 0)
		return -ENOMEM;
	/* A larger free block can always be split down to @top. */
	return (int)MIN((unsigned int)o, top);
}

void palloc_get_stats(struct palloc *pa, struct palloc_stats *st)
{
	unsigned long flags;
	unsigned int o;

	flags = spin_lock_irqsave(&pa->lock);
	st->total_pages = pa->total_pages;
	st->free_pages = pa->free_pages;
	for (o = 0; o <= PALLOC_MAX_ORDER; o++)
		st->free_blocks[o] = pa->nfree[o];
	spin_unlock_irqrestore(&pa->lock, flags);
}

/* Walks free_head[order]: links, heads, alignment, and the block count. */
static bool palloc_audit_list(const struct palloc *pa, unsigned int order,
			      struct palloc_audit_sums *s)
{
	uint32_t prev = PALLOC_NONE, idx;
	const struct palloc_frame *f;
	uint64_t n = 0;

	for (idx = pa->free_head[order]; idx != PALLOC_NONE; idx = f->next) {
		/* More nodes than frames means a cycle. */
		if (idx >= pa->npages || n++ >= pa->npages)
			return false;
		f = &pa->frames[idx];
		if (f->state != PALLOC_FREE || f->order != order || f->prev != prev)
			return false;
		if (!palloc_block_aligned(pa, idx, order) || !palloc_block_in_window(pa, idx, order))
			return false;
		prev = idx;
	}
	s->list_blocks += n;
	s->list_pages += n << order;
	return n == pa->nfree[order];
}

static bool palloc_audit_inner(const struct palloc *pa, uint64_t idx, unsigned int order)
{
	uint64_t i;

	for (i = idx + 1; i < idx + palloc_pages(order); i++)
		if (pa->frames[i].state != PALLOC_INNER)
			return false;
	return true;
}

/* Checks the block whose head is at @idx and adds it to the sums. */
static bool palloc_audit_block(const struct palloc *pa, uint64_t idx, struct palloc_audit_sums *s)
{
	const struct palloc_frame *f = &pa->frames[idx];
	unsigned int order = f->order;
	uint64_t buddy;

	if (f->state != PALLOC_FREE && f->state != PALLOC_USED)
		return false;
	if (order > PALLOC_MAX_ORDER || !palloc_block_aligned(pa, idx, order) ||
	    !palloc_block_in_window(pa, idx, order) || !palloc_audit_inner(pa, idx, order))
		return false;
	s->added_pages += palloc_pages(order);
	if (f->state == PALLOC_USED) {
		s->used_pages += palloc_pages(order);
		return true;
	}
	s->head_free_blocks++;
	s->head_free_pages += palloc_pages(order);
	return !palloc_free_buddy(pa, idx, order, &buddy);
}

/* Walks the frame array block by block, so every frame is checked once. */
static bool palloc_audit_frames(const struct palloc *pa, struct palloc_audit_sums *s)
{
	uint64_t idx = 0;

	while (idx < pa->npages) {
		if (pa->frames[idx].state == PALLOC_ABSENT) {
			idx++;
			continue;
		}
		if (!palloc_audit_block(pa, idx, s))
			return false;
		idx += palloc_pages(pa->frames[idx].order);
	}
	return true;
}

static bool palloc_audit_locked(const struct palloc *pa)
{
	struct palloc_audit_sums s = { 0 };
	unsigned int o;

	for (o = 0; o <= PALLOC_MAX_ORDER; o++)
		if (!palloc_audit_list(pa, o, &s))
			return false;
	if (!palloc_audit_frames(pa, &s))
		return false;
	/*
	 * Listed blocks are distinct free heads, so equal counts mean every
	 * free head is listed exactly once.
	 */
	return s.list_blocks == s.head_free_blocks && s.list_pages == pa->free_pages &&
	       s.head_free_pages == pa->free_pages && s.added_pages == pa->total_pages &&
	       s.used_pages + pa->free_pages == pa->total_pages;
}

int palloc_audit(struct palloc *pa)
{
	unsigned long flags;
	bool ok;

	flags = spin_lock_irqsave(&pa->lock);
	ok = palloc_audit_locked(pa);
	spin_unlock_irqrestore(&pa->lock, flags);
	return ok ? 0 : -EFAULT;
}
