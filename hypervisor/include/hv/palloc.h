/*
 * Physical page allocator: a binary buddy allocator over machine frames.
 *
 * One allocator instance manages one contiguous window of machine memory
 * [base, base + npages * PAGE_SIZE).  Inside it, only frames handed over with
 * palloc_add_free() are ever allocated, so holes (the hypervisor image,
 * firmware tables, the management mailbox) are simply never added.
 *
 * Blocks are naturally aligned: an order-9 block is a 2 MiB-aligned 2 MiB
 * extent, which is what lets stage-2 and stage-1 tables use block mappings.
 * Per-frame metadata lives in a caller-provided array (palloc_meta_size()
 * bytes), never in the free pages themselves, so free memory is not written.
 *
 * Accounting is exact: free_pages always equals the sum of the sizes of the
 * blocks on the free lists, which palloc_audit() recomputes independently.
 *
 * All functions are safe to call from several CPUs (one spinlock per
 * instance).  Errors are negative errno values (hv/errno.h).
 */
#ifndef HV_PALLOC_H
#define HV_PALLOC_H

#include "hv/spinlock.h"
#include "hv/types.h"

/* Largest block: 2^18 pages = 1 GiB with 4 KiB pages. */
#define PALLOC_MAX_ORDER 18
/* Order of a 2 MiB block. */
#define PALLOC_ORDER_2M 9

struct palloc_frame;

struct palloc {
	spinlock_t lock;
	maddr_t base;
	uint64_t npages;
	struct palloc_frame *frames;
	uint32_t free_head[PALLOC_MAX_ORDER + 1];
	uint64_t free_pages;
	uint64_t total_pages; /* pages ever added with palloc_add_free() */
	/* Private to palloc.c: blocks on each free list, so stats need no walk. */
	uint64_t nfree[PALLOC_MAX_ORDER + 1];
};

struct palloc_stats {
	uint64_t total_pages;
	uint64_t free_pages;
	uint64_t free_blocks[PALLOC_MAX_ORDER + 1];
};

/*
 * Bytes of metadata needed for a window of @npages frames, or 0 if no window
 * can be that large (frame indices are 32-bit).
 */
size_t palloc_meta_size(uint64_t npages);

/*
 * Sets up an empty allocator for the window.  @base must be page aligned,
 * @npages non-zero, and @meta must be 4-byte aligned and hold
 * palloc_meta_size(npages) bytes.  -EINVAL otherwise.
 */
int palloc_init(struct palloc *pa, maddr_t base, uint64_t npages, void *meta, size_t meta_size);

/*
 * Hands [start, start + npages pages) to the allocator as free memory,
 * coalescing into the largest aligned blocks, merged with free neighbours
 * added earlier.  -EINVAL if the range is empty, unaligned, outside the
 * window, or overlaps memory already added; nothing changes then.
 */
int palloc_add_free(struct palloc *pa, maddr_t start, uint64_t npages);

/* Allocates one naturally aligned block of 2^order pages.  -EINVAL, -ENOMEM. */
int palloc_alloc(struct palloc *pa, unsigned int order, maddr_t *out);

/*
 * Returns a block obtained from palloc_alloc() with the same order, merging
 * it with free buddies.  -EINVAL if @ma/@order do not name an allocated
 * block (double free, wrong order, outside the window); nothing changes then.
 */
int palloc_free(struct palloc *pa, maddr_t ma, unsigned int order);

/*
 * The largest order <= max_order that palloc_alloc() could satisfy now (a
 * free block of that order or larger exists), or -ENOMEM if nothing is free.
 * A @max_order above PALLOC_MAX_ORDER is treated as PALLOC_MAX_ORDER.
 */
int palloc_largest_free_order(struct palloc *pa, unsigned int max_order);

void palloc_get_stats(struct palloc *pa, struct palloc_stats *st);

/*
 * Walks every free list and the frame metadata and checks all invariants
 * (list links, alignment, no overlapping blocks, buddies merged, counts
 * equal).  Returns 0 or -EFAULT on the first inconsistency.
 */
int palloc_audit(struct palloc *pa);

#endif
