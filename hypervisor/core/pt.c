/*
 * Page-table builder (see hv/pt.h).
 *
 * Updates run in two passes.  pt_reserve() computes an upper bound on the
 * table pages the update can need and allocates them all; only then does
 * the commit walk change entries, taking pages from that reserve.  Unused
 * reserve pages are returned afterwards.
 */
#include "hv/pt.h"

#include "arch/pte.h"
#include "hv/arch.h"
#include "hv/errno.h"
#include "hv/string.h"

/*
 * Table pages set aside by the prepare step, chained through their first
 * word (they are ours and zeroed, so no other storage is needed).
 */
struct pt_reserve {
	maddr_t head;
	uint64_t count;
};

static uint64_t *pt_table(maddr_t table)
{
	return arch_ma_to_ptr(table);
}

static unsigned int pt_index(uint64_t va, unsigned int level)
{
	return (unsigned int)((va / pt_level_span(level)) % PT_ENTRIES);
}

static bool pt_range_ok(const struct pt *pt, uint64_t va, uint64_t pa, uint64_t size)
{
	uint64_t limit = UINT64_C(1) << pt->va_bits;

	return size != 0 && IS_ALIGNED(va | pa | size, PAGE_SIZE) && va < limit &&
	       size <= limit - va;
}

static int pt_new_table(const struct pt *pt, maddr_t *out)
{
	int rc = pt->alloc->alloc_page(pt->alloc->ctx, out);

	if (rc == 0)
		memset(pt_table(*out), 0, PAGE_SIZE);
	return rc;
}

int pt_init(struct pt *pt, enum pt_stage stage, unsigned int va_bits,
	    const struct pt_alloc_ops *alloc)
{
	/* One root page: levels start where 9 bits per level cover va_bits. */
	if (va_bits < 30 || va_bits > 48)
		return -EINVAL;
	pt->stage = stage;
	pt->va_bits = va_bits;
	pt->start_level = 3 - (va_bits - PAGE_SHIFT - 1) / 9;
	pt->alloc = alloc;
	pt->vmid = 0;
	return pt_new_table(pt, &pt->root);
}

/*
 * How many entries at @level the update [va, end) touches without being able
 * to make them leaves: those need a table below them.
 */
static uint64_t pt_tables_below(unsigned int level, uint64_t va, uint64_t end, bool leaf_ok)
{
	uint64_t span = pt_level_span(level);
	uint64_t first = va / span, last = (end - 1) / span;
	uint64_t n = 0;

	if (!leaf_ok)
		return last - first + 1;
	if (!IS_ALIGNED(va, span))
		n++;
	if (!IS_ALIGNED(end, span) && (last != first || n == 0))
		n++;
	return n;
}

static int pt_reserve_fill(const struct pt *pt, struct pt_reserve *r, uint64_t va, uint64_t pa,
			   uint64_t size, bool mapping)
{
	uint64_t need = 0;
	maddr_t page;

	/* Unmapping never needs a table for an entry it covers whole. */
	for (unsigned int level = pt->start_level; level < 3; level++) {
		bool leaf_ok = !mapping || (arch_pte_block_allowed(level) &&
					    IS_ALIGNED(va ^ pa, pt_level_span(level)));

		need += pt_tables_below(level, va, va + size, leaf_ok);
	}
	r->head = ma_init(0);
	for (r->count = 0; r->count < need; r->count++) {
		if (pt_new_table(pt, &page) != 0)
			return -ENOMEM;
		pt_table(page)[0] = ma_val(r->head);
		r->head = page;
	}
	return 0;
}

static maddr_t pt_reserve_take(struct pt_reserve *r)
{
	/* The reserve is an upper bound, so it never runs dry. */
	maddr_t page = r->head;
	uint64_t *t = pt_table(page);

	r->head = ma_init(t[0]);
	r->count--;
	t[0] = 0;
	return page;
}

static void pt_reserve_release(const struct pt *pt, struct pt_reserve *r)
{
	while (r->count > 0)
		pt->alloc->free_page(pt->alloc->ctx, pt_reserve_take(r));
}

static void pt_tlb_flush(const struct pt *pt, uint64_t va, bool whole_subtree)
{
	if (pt->stage == PT_STAGE2 && whole_subtree)
		arch_tlbi_guest_all(pt->vmid, pt->root);
	else if (pt->stage == PT_STAGE2)
		arch_tlbi_guest_ipa(pt->vmid, pt->root, va);
	else if (whole_subtree)
		arch_tlbi_hyp_all();
	else
		arch_tlbi_hyp_va(va);
}

/*
 * Replaces a live entry.  Break-before-make (Arm ARM D8.16.1): a valid entry
 * is first made invalid and its TLB entries removed, so no CPU can ever hold
 * the old and the new translation at once.
 */
static void pt_replace(const struct pt *pt, uint64_t *entry, uint64_t new, uint64_t va,
		       unsigned int level)
{
	uint64_t old = *entry;

	if (old == new)
		return;
	if (arch_pte_is_valid(old)) {
		arch_pte_write(entry, 0);
		arch_barrier_writes();
		pt_tlb_flush(pt, va, arch_pte_is_table(old, level));
	}
	arch_pte_write(entry, new);
	arch_barrier_writes();
}

/* A leaf that maps something, whether the hardware may use it now or not. */
static bool pt_present(uint64_t e)
{
	return arch_pte_is_valid(e) || arch_pte_is_parked(e);
}

static void pt_free_subtree(const struct pt *pt, maddr_t table, unsigned int level)
{
	uint64_t *t = pt_table(table);

	for (unsigned int i = 0; i < PT_ENTRIES && level < 3; i++) {
		if (arch_pte_is_table(t[i], level))
			pt_free_subtree(pt, arch_pte_addr(t[i]), level + 1);
	}
	pt->alloc->free_page(pt->alloc->ctx, table);
}

/*
 * Turns a block into a table of next-level leaves with the same output and
 * attributes.  The new table is complete before it replaces the block.
 */
static maddr_t pt_split_block(const struct pt *pt, uint64_t *entry, uint64_t va, unsigned int level,
			      struct pt_reserve *r)
{
	maddr_t table = pt_reserve_take(r);
	uint64_t *t = pt_table(table);
	struct pt_attr attr = arch_pte_attr(pt->stage, *entry);
	maddr_t pa = arch_pte_addr(*entry);
	uint64_t step = pt_level_span(level + 1);

	for (unsigned int i = 0; i < PT_ENTRIES; i++)
		arch_pte_write(&t[i], arch_pte_leaf(pt->stage, level + 1, ma_add(pa, i * step), attr));
	arch_barrier_writes();
	pt_replace(pt, entry, arch_pte_table(table), ALIGN_DOWN(va, pt_level_span(level)), level);
	return table;
}

/* The table below @entry, creating or splitting as needed. */
static maddr_t pt_descend(const struct pt *pt, uint64_t *entry, uint64_t va, unsigned int level,
			  struct pt_reserve *r)
{
	maddr_t table;

	if (arch_pte_is_table(*entry, level))
		return arch_pte_addr(*entry);
	if (arch_pte_is_valid(*entry))
		return pt_split_block(pt, entry, va, level, r);
	table = pt_reserve_take(r);
	pt_replace(pt, entry, arch_pte_table(table), va, level);
	return table;
}

struct pt_update {
	bool map;
	uint64_t delta; /* output address minus input address (mapping only) */
	struct pt_attr attr;
	struct pt_reserve *reserve;
};

static void pt_update_level(const struct pt *pt, maddr_t table, unsigned int level, uint64_t va,
			    uint64_t end, const struct pt_update *u);

/* Applies the update to one entry covering [va, chunk_end). */
static void pt_update_entry(const struct pt *pt, uint64_t *entry, unsigned int level, uint64_t va,
			    uint64_t chunk_end, const struct pt_update *u)
{
	maddr_t pa = ma_init(va + u->delta);
	uint64_t span = pt_level_span(level);
	bool whole = IS_ALIGNED(va, span) && chunk_end - va == span;
	uint64_t old = *entry;

	if (whole && (!u->map || ((level == 3 || arch_pte_block_allowed(level)) &&
				  IS_ALIGNED(ma_val(pa), span)))) {
		uint64_t new = u->map ? arch_pte_leaf(pt->stage, level, pa, u->attr) : 0;

		pt_replace(pt, entry, new, va, level);
		if (arch_pte_is_table(old, level))
			pt_free_subtree(pt, arch_pte_addr(old), level + 1);
		return;
	}
	if (!u->map && !pt_present(old))
		return;
	pt_update_level(pt, pt_descend(pt, entry, va, level, u->reserve), level + 1, va, chunk_end,
			u);
}

static void pt_update_level(const struct pt *pt, maddr_t table, unsigned int level, uint64_t va,
			    uint64_t end, const struct pt_update *u)
{
	uint64_t *t = pt_table(table);
	uint64_t span = pt_level_span(level);

	while (va < end) {
		uint64_t chunk_end = MIN(end, ALIGN_DOWN(va, span) + span);

		pt_update_entry(pt, &t[pt_index(va, level)], level, va, chunk_end, u);
		va = chunk_end;
	}
}

static int pt_update(struct pt *pt, uint64_t va, uint64_t size, struct pt_update *u)
{
	struct pt_reserve r;
	int rc = pt_reserve_fill(pt, &r, va, va + u->delta, size, u->map);

	if (rc == 0) {
		u->reserve = &r;
		pt_update_level(pt, pt->root, pt->start_level, va, va + size, u);
	}
	pt_reserve_release(pt, &r);
	return rc;
}

int pt_map(struct pt *pt, uint64_t va, maddr_t pa, uint64_t size, struct pt_attr attr)
{
	struct pt_update u = { .map = true, .delta = ma_val(pa) - va, .attr = attr };

	if (!pt_range_ok(pt, va, ma_val(pa), size) || attr.mem > PT_MEM_FORCED_WB ||
	    (attr.perm & ~(PT_PERM_R | PT_PERM_W | PT_PERM_X)) != 0)
		return -EINVAL;
	return pt_update(pt, va, size, &u);
}

int pt_unmap(struct pt *pt, uint64_t va, uint64_t size)
{
	struct pt_update u = { .map = false, .delta = 0 };

	if (!pt_range_ok(pt, va, 0, size))
		return -EINVAL;
	return pt_update(pt, va, size, &u);
}

bool pt_lookup(const struct pt *pt, uint64_t va, maddr_t *pa, struct pt_attr *attr,
	       unsigned int *level)
{
	maddr_t table = pt->root;

	if (va >> pt->va_bits)
		return false;
	for (unsigned int l = pt->start_level; l <= 3; l++) {
		uint64_t e = pt_table(table)[pt_index(va, l)];

		if (!pt_present(e))
			return false;
		if (!arch_pte_is_table(e, l)) {
			*pa = ma_add(arch_pte_addr(e), va % pt_level_span(l));
			*attr = arch_pte_attr(pt->stage, e);
			*level = l;
			return true;
		}
		table = arch_pte_addr(e);
	}
	return false;
}

void pt_destroy(struct pt *pt)
{
	pt_free_subtree(pt, pt->root, pt->start_level);
	pt->root = ma_init(0);
}

/* Valid leaves may have been written through; parked ones only if marked so. */
static bool pt_leaf_written(uint64_t e)
{
	return arch_pte_is_valid(e) || arch_pte_is_written(e);
}

static bool pt_walk_table(const struct pt *pt, maddr_t table, unsigned int level, uint64_t base,
			  pt_walk_fn fn, void *ctx)
{
	const uint64_t *t = pt_table(table);
	uint64_t span = pt_level_span(level);

	for (unsigned int i = 0; i < PT_ENTRIES; i++) {
		uint64_t va = base + i * span;

		if (arch_pte_is_table(t[i], level)) {
			if (!pt_walk_table(pt, arch_pte_addr(t[i]), level + 1, va, fn, ctx))
				return false;
		} else if (pt_present(t[i]) &&
			   !fn(ctx, va, arch_pte_addr(t[i]), span, pt_leaf_written(t[i]))) {
			return false;
		}
	}
	return true;
}

void pt_walk_leaves(const struct pt *pt, pt_walk_fn fn, void *ctx)
{
	pt_walk_table(pt, pt->root, pt->start_level, 0, fn, ctx);
}

static bool pt_subtree_unmapped(const struct pt *pt, maddr_t table, unsigned int level,
				uint64_t va, uint64_t end)
{
	const uint64_t *t = pt_table(table);
	uint64_t span = pt_level_span(level);

	while (va < end) {
		uint64_t chunk_end = MIN(end, ALIGN_DOWN(va, span) + span);
		uint64_t e = t[pt_index(va, level)];

		if (arch_pte_is_table(e, level)) {
			if (!pt_subtree_unmapped(pt, arch_pte_addr(e), level + 1, va, chunk_end))
				return false;
		} else if (pt_present(e)) {
			return false;
		}
		va = chunk_end;
	}
	return true;
}

bool pt_range_unmapped(const struct pt *pt, uint64_t va, uint64_t size)
{
	if (size == 0 || va >= (UINT64_C(1) << pt->va_bits) ||
	    size > (UINT64_C(1) << pt->va_bits) - va)
		return false;
	return pt_subtree_unmapped(pt, pt->root, pt->start_level, va, va + size);
}

#define PT_PARK_BATCH 64

struct pt_park_walk {
	uint64_t *cursor;
	uint64_t end;
	uint64_t budget, done; /* bytes */
	pt_leaf_fn fn;
	void *ctx;
	bool unused;           /* no TLB can hold the table's translations (pt_park_unused) */
	unsigned int nr;       /* leaves parked, not yet handed to fn */
	struct {
		uint64_t va;
		maddr_t pa;
		uint64_t size;
	} batch[PT_PARK_BATCH];
};

/*
 * Hands the parked batch to fn once no TLB can hold its old translations
 * (one invalidation of the whole VMID per batch: per-leaf invalidation
 * costs far more for a page-granular table).  An access after that faults
 * and marks its leaf touched again, so nothing slips past fn unseen.
 */
static void pt_park_flush_batch(const struct pt *pt, struct pt_park_walk *w)
{
	if (w->nr == 0)
		return;
	arch_barrier_writes();
	if (!w->unused)
		pt_tlb_flush(pt, 0, true);
	for (unsigned int i = 0; i < w->nr; i++)
		w->fn(w->ctx, w->batch[i].va, w->batch[i].pa, w->batch[i].size);
	w->nr = 0;
}

/* Parks the valid leaves of one table from the cursor on. */
static bool pt_park_table(const struct pt *pt, maddr_t table, unsigned int level, uint64_t base,
			  struct pt_park_walk *w)
{
	uint64_t *t = pt_table(table);
	uint64_t span = pt_level_span(level);

	for (unsigned int i = *w->cursor > base ? pt_index(*w->cursor, level) : 0; i < PT_ENTRIES;
	     i++) {
		uint64_t va = base + i * span, e = t[i];

		if (va >= w->end)
			return true;
		if (arch_pte_is_table(e, level)) {
			if (!pt_park_table(pt, arch_pte_addr(e), level + 1, va, w))
				return false;
			continue;
		}
		if (!arch_pte_is_valid(e))
			continue;
		if (w->done >= w->budget) {
			*w->cursor = va;
			return false;
		}
		w->done += span;
		/* A leaf the guest could use may hold its data from now on. */
		arch_pte_write(&t[i], w->unused ? arch_pte_park(e)
						: arch_pte_mark_written(arch_pte_park(e)));
		w->batch[w->nr].va = va;
		w->batch[w->nr].pa = arch_pte_addr(e);
		w->batch[w->nr++].size = span;
		if (w->nr == PT_PARK_BATCH)
			pt_park_flush_batch(pt, w);
	}
	return true;
}

bool pt_park(const struct pt *pt, uint64_t *cursor, uint64_t end, uint64_t budget, pt_leaf_fn fn,
	     void *ctx)
{
	struct pt_park_walk w = { .cursor = cursor, .end = end, .budget = budget, .fn = fn,
				  .ctx = ctx };
	bool done = pt_park_table(pt, pt->root, pt->start_level, 0, &w);

	pt_park_flush_batch(pt, &w);
	if (done)
		*cursor = end;
	return done;
}

void pt_park_unused(const struct pt *pt, uint64_t start, uint64_t end, pt_leaf_fn fn, void *ctx)
{
	uint64_t cursor = start;
	struct pt_park_walk w = { .cursor = &cursor, .end = end, .budget = UINT64_MAX, .fn = fn,
				  .ctx = ctx, .unused = true };

	pt_park_table(pt, pt->root, pt->start_level, 0, &w);
	pt_park_flush_batch(pt, &w);
}

bool pt_unpark(const struct pt *pt, uint64_t va, pt_leaf_fn fn, void *ctx)
{
	maddr_t table = pt->root;

	if (va >> pt->va_bits)
		return false;
	for (unsigned int l = pt->start_level; l <= 3; l++) {
		uint64_t *e = &pt_table(table)[pt_index(va, l)];
		uint64_t span = pt_level_span(l);

		if (arch_pte_is_table(*e, l)) {
			table = arch_pte_addr(*e);
			continue;
		}
		if (arch_pte_is_parked(*e)) {
			if (fn)
				fn(ctx, ALIGN_DOWN(va, span), arch_pte_addr(*e), span);
			/* Invalid to valid needs no TLB maintenance: faults are not cached. */
			arch_pte_write(e, arch_pte_unpark(*e));
			arch_barrier_writes();
		}
		return arch_pte_is_valid(*e);
	}
	return false;
}

/* The entry at @level on the walk to @va, or NULL if the walk ends above it. */
static uint64_t *pt_entry_at(const struct pt *pt, uint64_t va, unsigned int level)
{
	maddr_t table = pt->root;

	if (va >> pt->va_bits)
		return NULL;
	for (unsigned int l = pt->start_level; l <= level; l++) {
		uint64_t *e = &pt_table(table)[pt_index(va, l)];

		if (l == level)
			return e;
		if (!arch_pte_is_table(*e, l))
			return NULL;
		table = arch_pte_addr(*e);
	}
	return NULL;
}

/* @e with the written mark of @like: a split or merge keeps what was written. */
static uint64_t pt_leaf_like(uint64_t like, uint64_t e)
{
	return arch_pte_is_written(like) ? arch_pte_mark_written(e) : e;
}

bool pt_mark_written(const struct pt *pt, uint64_t va)
{
	maddr_t table = pt->root;

	if (va >> pt->va_bits)
		return false;
	for (unsigned int l = pt->start_level; l <= 3; l++) {
		uint64_t *e = &pt_table(table)[pt_index(va, l)];

		if (arch_pte_is_table(*e, l)) {
			table = arch_pte_addr(*e);
			continue;
		}
		if (!pt_present(*e))
			return false;
		/* Software bits only: no break-before-make, no TLB maintenance (D8.14). */
		arch_pte_write(e, arch_pte_mark_written(*e));
		return true;
	}
	return false;
}

int pt_split_parked(const struct pt *pt, uint64_t va)
{
	for (unsigned int l = pt->start_level; l < 3; l++) {
		uint64_t *e = pt_entry_at(pt, va, l);
		struct pt_attr attr;
		maddr_t table, pa;
		uint64_t *t;

		if (e == NULL || arch_pte_is_table(*e, l))
			continue;
		if (!arch_pte_is_parked(*e))
			return -ENOENT;
		if (pt_new_table(pt, &table) != 0)
			return -ENOMEM;
		t = pt_table(table);
		attr = arch_pte_attr(pt->stage, *e);
		pa = arch_pte_addr(*e);
		for (unsigned int i = 0; i < PT_ENTRIES; i++)
			t[i] = pt_leaf_like(*e, arch_pte_park(arch_pte_leaf(
						   pt->stage, l + 1, ma_add(pa, i * pt_level_span(l + 1)),
						   attr)));
		arch_barrier_writes();
		/* The block was invalid: no TLB holds it, so no break is needed. */
		arch_pte_write(e, arch_pte_split_table(table));
		arch_barrier_writes();
		return 0;
	}
	return -ENOENT;
}

/* Makes the split table at @e one block again: valid if any of its leaves is. */
static void pt_merge_entry(const struct pt *pt, uint64_t *e, uint64_t va, unsigned int level)
{
	maddr_t table = arch_pte_addr(*e);
	const uint64_t *t = pt_table(table);
	uint64_t block = arch_pte_leaf(pt->stage, level, arch_pte_addr(t[0]),
				       arch_pte_attr(pt->stage, t[0]));
	bool touched = false;
	uint64_t written = 0;

	for (unsigned int i = 0; i < PT_ENTRIES && !touched; i++) {
		touched = arch_pte_is_valid(t[i]);
		written |= arch_pte_is_written(t[i]) ? t[i] : 0;
	}
	pt_replace(pt, e, touched ? block : pt_leaf_like(written, arch_pte_park(block)), va,
		   level);
	pt->alloc->free_page(pt->alloc->ctx, table);
}

bool pt_merge_split(const struct pt *pt, uint64_t va)
{
	for (unsigned int l = pt->start_level; l < 3; l++) {
		uint64_t *e = pt_entry_at(pt, va, l);

		if (e != NULL && arch_pte_is_split(*e, l)) {
			pt_merge_entry(pt, e, ALIGN_DOWN(va, pt_level_span(l)), l);
			return true;
		}
	}
	return false;
}

static void pt_merge_table(const struct pt *pt, maddr_t table, unsigned int level, uint64_t base)
{
	uint64_t *t = pt_table(table);

	for (unsigned int i = 0; i < PT_ENTRIES && level < 3; i++) {
		uint64_t va = base + i * pt_level_span(level);

		if (arch_pte_is_split(t[i], level))
			pt_merge_entry(pt, &t[i], va, level);
		else if (arch_pte_is_table(t[i], level))
			pt_merge_table(pt, arch_pte_addr(t[i]), level + 1, va);
	}
}

void pt_merge_all(const struct pt *pt)
{
	pt_merge_table(pt, pt->root, pt->start_level, 0);
}
