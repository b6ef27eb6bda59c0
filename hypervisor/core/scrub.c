/*
 * Memory scrubbing off the request path (see hv/scrub.h).
 *
 * Pending blocks are kept on a list threaded through the blocks themselves:
 * each starts with a scrub_item header.  A block is scrubbed from its end
 * towards its start, one chunk per step, so that the header survives until
 * the last chunk; a pCPU takes the whole block off the list while it
 * scrubs a chunk, so no two pCPUs ever work on the same block.
 *
 * No lock is held across the long work: scrub_lock (and, nested in it,
 * the allocator's lock) covers a list push or pop and palloc_free's buddy
 * merge, a few dozen instructions; zeroing and cleaning a chunk run with
 * no lock held.  So CPU 0, serving a request or printing, never waits on a
 * scrubber for more than one such section (under emulation, plus the host
 * time slice of a holder whose thread the host preempted).
 */
#include "hv/scrub.h"

#include "hv/arch.h"
#include "hv/arch_vcpu.h"
#include "hv/errno.h"
#include "hv/log.h"
#include "hv/mm.h"
#include "hv/smp.h"
#include "hv/spinlock.h"
#include "hv/time.h"

/* Pages per step: bounds how long an idle pCPU is deaf to new work. */
#define SCRUB_CHUNK_PAGES 64

struct scrub_item {
	uint64_t next;      /* machine address of the next pending block, or 0 */
	uint64_t dirty;     /* pages from the block's start still to scrub */
	uint32_t order;
	uint32_t pad;
};

static spinlock_t scrub_lock = SPINLOCK_INIT;
static uint64_t scrub_head;    /* machine address of the first pending block, or 0 */
static uint64_t scrub_pending; /* pages on the list or being scrubbed */
static bool scrub_idle_busy;   /* an idle pCPU is scrubbing */
static bool scrub_adopted;     /* boot's adoption is over: idle pCPUs may start */
static bool scrub_boot_done;   /* the RAM found at boot is all clean */

static struct scrub_item *scrub_item_at(uint64_t ma)
{
	return arch_ma_to_ptr(ma_init(ma));
}

static void scrub_push_locked(uint64_t ma, uint64_t dirty, unsigned int order)
{
	struct scrub_item *it = scrub_item_at(ma);

	*it = (struct scrub_item){ .next = scrub_head, .dirty = dirty, .order = order };
	scrub_head = ma;
}

/*
 * Idle pCPUs sleep without a tick: new work must be announced to them (the
 * first one to look takes it; CPU 0 scrubs only when it is alone).
 */
static void scrub_wake_idle(void)
{
	unsigned int self = arch_cpu_index();

	for (unsigned int cpu = 1; cpu < CONFIG_MAX_CPUS; cpu++) {
		if (cpu != self && __atomic_load_n(&percpu[cpu].online, __ATOMIC_ACQUIRE))
			arch_kick_cpu(cpu);
	}
}

void scrub_free(maddr_t ma, unsigned int order)
{
	unsigned long flags = spin_lock_irqsave(&scrub_lock);
	bool was_empty = scrub_head == 0;

	scrub_push_locked(ma_val(ma), UINT64_C(1) << order, order);
	scrub_pending += UINT64_C(1) << order;
	spin_unlock_irqrestore(&scrub_lock, flags);
	if (was_empty && __atomic_load_n(&scrub_adopted, __ATOMIC_ACQUIRE))
		scrub_wake_idle();
}

void scrub_adopt_free(void)
{
	maddr_t ma;
	int order;

	/* 2 MiB pieces: the first allocations after boot need not wait for a 1 GiB scrub. */
	while ((order = palloc_largest_free_order(&mm_ram, PALLOC_ORDER_2M)) >= 0 &&
	       palloc_alloc(&mm_ram, (unsigned int)order, &ma) == 0)
		scrub_free(ma, (unsigned int)order);
	/* Idle pCPUs wait for the whole list, or they would hand blocks back to be adopted again. */
	__atomic_store_n(&scrub_adopted, true, __ATOMIC_RELEASE);
	scrub_wake_idle();
}

/* Takes the first pending block off the list; false if there is none. */
static bool scrub_pop(uint64_t *ma, struct scrub_item *it)
{
	unsigned long flags = spin_lock_irqsave(&scrub_lock);
	bool found = scrub_head != 0;

	if (found) {
		*ma = scrub_head;
		*it = *scrub_item_at(*ma);
		scrub_head = it->next;
	}
	spin_unlock_irqrestore(&scrub_lock, flags);
	return found;
}

/* Puts the block back, or frees it once it is all clean. */
static void scrub_settle(uint64_t ma, const struct scrub_item *it)
{
	unsigned long flags = spin_lock_irqsave(&scrub_lock);
	bool boot_done = false;

	if (it->dirty > 0) {
		scrub_push_locked(ma, it->dirty, it->order);
	} else {
		palloc_free(&mm_ram, ma_init(ma), it->order);
		scrub_pending -= UINT64_C(1) << it->order;
		boot_done = scrub_pending == 0 && !scrub_boot_done;
		scrub_boot_done |= boot_done;
	}
	spin_unlock_irqrestore(&scrub_lock, flags);
	/* Printed outside the lock: the console may be slow, the lock must not be. */
	if (boot_done)
		log_printf("scrub: all free memory clean after %llu us\n",
			   (unsigned long long)time_now_us());
}

bool scrub_step(void)
{
	struct scrub_item it;
	uint64_t ma, n;
	uint8_t *chunk;

	if (!scrub_pop(&ma, &it))
		return __atomic_load_n(&scrub_pending, __ATOMIC_RELAXED) != 0;
	n = it.dirty < SCRUB_CHUNK_PAGES ? it.dirty : SCRUB_CHUNK_PAGES;
	it.dirty -= n;
	chunk = arch_ma_to_ptr(ma_init(ma + it.dirty * PAGE_SIZE));
	/* Stores, not DC ZVA: QEMU keeps translated code across DC ZVA. */
	for (uint64_t i = 0; i < n; i++)
		arch_page_zero(chunk + i * PAGE_SIZE);
	arch_dcache_clean_inval_range(chunk, n * PAGE_SIZE);
	scrub_settle(ma, &it);
	return true;
}

/*
 * One idle pCPU scrubs at a time.  Under emulation the pCPUs are host
 * threads sharing few host cores: several scrubbers would take the cores
 * from the pCPUs that have real work, and a ticket lock passed between
 * host threads that the host preempts costs a time slice per hand-over
 * (measured: four scrubbing pCPUs delayed the boot CPU by 5 s).
 */
bool scrub_idle_step(void)
{
	bool more;

	if (!__atomic_load_n(&scrub_adopted, __ATOMIC_ACQUIRE) ||
	    __atomic_exchange_n(&scrub_idle_busy, true, __ATOMIC_ACQUIRE))
		return false;
	more = scrub_step();
	__atomic_store_n(&scrub_idle_busy, false, __ATOMIC_RELEASE);
	return more;
}

int scrub_alloc(unsigned int order, maddr_t *out)
{
	int rc;

	while ((rc = palloc_alloc(&mm_ram, order, out)) == -ENOMEM) {
		if (!scrub_step())
			break;
	}
	return rc;
}

void scrub_get_stats(struct palloc_stats *st)
{
	unsigned long flags = spin_lock_irqsave(&scrub_lock);

	palloc_get_stats(&mm_ram, st);
	st->free_pages += scrub_pending;
	spin_unlock_irqrestore(&scrub_lock, flags);
}

uint64_t scrub_pending_pages(void)
{
	return __atomic_load_n(&scrub_pending, __ATOMIC_RELAXED);
}
