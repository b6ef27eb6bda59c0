/*
 * Memory scrubbing off the request path.
 *
 * Invariant: every page on mm_ram's free lists is zero and clean to the
 * PoC, so a domain's memory can be mapped as soon as it is allocated.
 * Pages that may hold data (RAM of unknown content at boot, memory a
 * destroyed domain gave back) are "pending": they wait on the scrub list
 * until a pCPU with nothing to run zeroes them, cleans them to the PoC and
 * frees them.  An allocation that finds no clean block scrubs pending pages
 * itself, so pending memory is never out of reach, only slower to get.
 *
 * Pending pages count as free memory (scrub_get_stats), so accounting
 * stays exact from the moment a domain is destroyed.
 */
#ifndef HV_SCRUB_H
#define HV_SCRUB_H

#include "hv/palloc.h"
#include "hv/types.h"

/* Moves every free block of mm_ram to the scrub list (boot: RAM of unknown content). */
void scrub_adopt_free(void);
/* Hands an allocated block of mm_ram (2^order pages at @ma) back for scrubbing. */
void scrub_free(maddr_t ma, unsigned int order);
/*
 * palloc_alloc() on mm_ram that scrubs pending memory itself when no clean
 * block is free.  The block is zero and clean to the PoC.  -ENOMEM, -EINVAL.
 */
int scrub_alloc(unsigned int order, maddr_t *out);
/*
 * Scrubs one bounded chunk of pending memory (the idle loop's work).
 * Returns true while pending memory remains.
 */
bool scrub_step(void);
/* scrub_step() for an idle pCPU: false at once while another idle pCPU scrubs. */
bool scrub_idle_step(void);
/* mm_ram's statistics with pending pages counted as free, read atomically. */
void scrub_get_stats(struct palloc_stats *st);
uint64_t scrub_pending_pages(void);

#endif
