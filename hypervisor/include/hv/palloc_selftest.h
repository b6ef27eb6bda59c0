/*
 * Boot-time self-test of a live page allocator.
 *
 * Runs against the real allocator instance, so it must be called while no
 * other CPU uses it (the exact count checks assume nobody else allocates).
 * Everything it allocates is freed again before it returns, and the free
 * lists are then exactly as they were.
 */
#ifndef HV_PALLOC_SELFTEST_H
#define HV_PALLOC_SELFTEST_H

#include "hv/palloc.h"

/*
 * Allocates a mix of orders (only what is free), checks alignment, overlap,
 * exact accounting and palloc_audit(), checks that double and wrong-order
 * frees are refused without effect, then frees everything in a different
 * order and checks that the statistics are restored exactly.
 *
 * Returns 0, -ENOMEM if the allocator has nothing free to test with, or
 * -EFAULT if a check failed.  *@checks_out is the number of checks made; on
 * failure it is the number of the first failing check (counting from 1).
 * Prints nothing: the caller reports the result.
 */
int palloc_selftest(struct palloc *pa, unsigned int *checks_out);

#endif
