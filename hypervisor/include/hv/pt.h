/*
 * Page-table builder for the hypervisor's own stage-1 tables and for guest
 * stage-2 tables (4 KiB granule).
 *
 * pt_map() picks the largest mapping that fits: a 1 GiB or 2 MiB block where
 * the virtual range and the output address are both aligned, 4 KiB pages
 * elsewhere.  Every update is prepare/commit: all table pages it may need
 * are allocated first (the step that may fail); the commit that writes
 * entries cannot fail, so a failed call changes nothing.  A change to a live
 * valid entry follows break-before-make: the entry is made invalid, the TLB
 * is invalidated, then the new entry is written.
 *
 * Errors are negative errno values.
 */
#ifndef HV_PT_H
#define HV_PT_H

#include "hv/types.h"

enum pt_stage {
	PT_STAGE1_EL2, /* the hypervisor's own translation regime */
	PT_STAGE2,     /* a guest's IPA -> machine translation */
};

enum pt_mem {
	PT_MEM_NORMAL,    /* write-back cacheable, inner shareable */
	PT_MEM_NORMAL_NC, /* non-cacheable */
	PT_MEM_DEVICE,    /* Device-nGnRnE */
	PT_MEM_FORCED_WB, /* stage 2 under HCR_EL2.FWB: write-back whatever stage 1 says */
};

#define PT_PERM_R 1u
#define PT_PERM_W 2u
#define PT_PERM_X 4u

struct pt_attr {
	enum pt_mem mem;
	unsigned int perm;
};

/* Where table pages come from (a static pool at boot, palloc later). */
struct pt_alloc_ops {
	int (*alloc_page)(void *ctx, maddr_t *out);
	void (*free_page)(void *ctx, maddr_t page);
	void *ctx;
};

struct pt {
	enum pt_stage stage;
	uint16_t vmid;        /* stage 2: the VMID whose TLB entries to invalidate */
	unsigned int va_bits;
	unsigned int start_level;
	maddr_t root;
	const struct pt_alloc_ops *alloc;
};

#define PT_LEVELS 4
#define PT_ENTRIES 512

/* Bytes one entry maps at @level (level 3 = 4 KiB page). */
static inline uint64_t pt_level_span(unsigned int level)
{
	return UINT64_C(1) << (PAGE_SHIFT + 9 * (3 - level));
}

/* Creates an empty table covering a @va_bits address space (32..48). */
int pt_init(struct pt *pt, enum pt_stage stage, unsigned int va_bits,
	    const struct pt_alloc_ops *alloc);

/*
 * Maps [va, va + size) to [pa, pa + size) with @attr, replacing whatever
 * was mapped there.  va, pa, size must be page aligned and the range must
 * fit the address space.  -EINVAL, -ENOMEM.
 */
int pt_map(struct pt *pt, uint64_t va, maddr_t pa, uint64_t size, struct pt_attr attr);

/* Removes any mapping of [va, va + size).  -EINVAL, -ENOMEM (block split). */
int pt_unmap(struct pt *pt, uint64_t va, uint64_t size);

/* What @va maps to: output address, attributes and the level of the leaf. */
bool pt_lookup(const struct pt *pt, uint64_t va, maddr_t *pa, struct pt_attr *attr,
	       unsigned int *level);

/* Frees every table page (not the memory the tables mapped). */
void pt_destroy(struct pt *pt);

/*
 * Calls @fn for every leaf mapping, in address order: input address, output
 * address, size (a page or a block), and whether its memory may have been
 * written since it was mapped (see pt_mark_written).  Stops early when @fn
 * returns false.
 */
typedef bool (*pt_walk_fn)(void *ctx, uint64_t va, maddr_t pa, uint64_t size, bool written);
void pt_walk_leaves(const struct pt *pt, pt_walk_fn fn, void *ctx);
/* Whether nothing in [va, va + size) is mapped. */
bool pt_range_unmapped(const struct pt *pt, uint64_t va, uint64_t size);

/*
 * Access tracking (stage 2), as Xen's p2m does with its valid bit: a parked
 * leaf keeps its mapping but faults on access; pt_unpark() makes it valid
 * again.  The leaves valid at a pt_park() pass are those touched since the
 * previous pass.  Parked leaves count as mapped for every other function.
 */
typedef void (*pt_leaf_fn)(void *ctx, uint64_t va, maddr_t pa, uint64_t size);
/*
 * Parks the valid leaves in [*cursor, end), calling @fn on each once it can
 * no longer be used, until @budget bytes are done; then *cursor is where to
 * resume.  Returns true (with *cursor = end) when the range is complete.
 * The caller serialises passes and pt_unpark() on the same table.
 */
bool pt_park(const struct pt *pt, uint64_t *cursor, uint64_t end, uint64_t budget, pt_leaf_fn fn,
	     void *ctx);
/*
 * pt_park() of all of [start, end) for a table no TLB can hold translations
 * of yet (its VMID has not been used since it was last invalidated): the
 * same entries, without the invalidations.  Under QEMU every broadcast
 * invalidation waits for all emulated CPUs, so a domain's first unpause
 * would otherwise pay that twice per 64 leaves.
 */
void pt_park_unused(const struct pt *pt, uint64_t start, uint64_t end, pt_leaf_fn fn, void *ctx);
/*
 * If @va lies in a parked leaf, calls @fn (if any) on the leaf and makes it
 * valid.  Returns whether a valid leaf now maps @va.
 */
bool pt_unpark(const struct pt *pt, uint64_t va, pt_leaf_fn fn, void *ctx);
/*
 * Write tracking, so that memory nobody wrote goes back to the free lists
 * as it is (still zero): a leaf counts as written when it is valid, when
 * pt_park() parked it valid (pt_park_unused() does not: nothing ran), or
 * when pt_mark_written() marked it (its frames were given to someone who
 * may write them).  Splits and merges keep the mark.  Returns whether a
 * leaf maps @va.  Same serialisation as pt_park().
 */
bool pt_mark_written(const struct pt *pt, uint64_t va);
/*
 * Splits the parked block holding @va into parked pages (each then tracked
 * on its own), remembering that it was one block.  0, -ENOENT when @va is
 * not in a parked block, -ENOMEM.
 */
int pt_split_parked(const struct pt *pt, uint64_t va);
/*
 * Makes the split block holding @va one block again (valid if any of its
 * pages was): whether there was one.  pt_merge_all() merges every split
 * block, so that each leaf is again what was mapped in one piece.
 */
bool pt_merge_split(const struct pt *pt, uint64_t va);
void pt_merge_all(const struct pt *pt);

#endif
