/*
 * The hardware half of the cache-coherency model: memory (the PoC), an
 * optional system cache in front of it that set/way operations do not reach,
 * and per-CPU write-back data caches organised in sets and ways.  A line
 * holds one 32-bit value; what matters is which copy a read sees.
 *
 * Cacheable accesses are coherent among the CPU caches (a miss takes a dirty
 * copy from another CPU, a store invalidates the others), as on any SMP Arm
 * system.  Non-cacheable accesses go straight to memory and neither look at
 * nor update the caches: that is where stale data comes from.  Any CPU may
 * fill any line speculatively at any time, because the hypervisor's own
 * linear map of RAM is Normal write-back (Arm ARM B2.4, speculative
 * accesses to Normal memory).
 */
#ifndef MODEL_HW_H
#define MODEL_HW_H

#include <stdbool.h>
#include <stdint.h>

#include "rng.h"

#define HW_LINES 16 /* guest RAM, in cache lines */
#define HW_LINES_PER_PAGE 2
#define HW_PAGES (HW_LINES / HW_LINES_PER_PAGE)
#define HW_CPUS 4 /* CPU 0 runs the builder; guests run on 1..3 */
#define HW_SETS 4
#define HW_WAYS 2

struct hw_line {
	bool valid, dirty;
	unsigned int line; /* which RAM line this copy holds */
	uint32_t val;
};

struct hw {
	uint32_t mem[HW_LINES];
	struct hw_line cpu[HW_CPUS][HW_SETS][HW_WAYS];
	struct hw_line sys[HW_LINES]; /* fully associative system cache */
	bool has_sys;
};

void hw_init(struct hw *h, bool has_sys);
uint32_t hw_read(struct hw *h, struct rng *r, unsigned int cpu, unsigned int line, bool cacheable);
void hw_write(struct hw *h, struct rng *r, unsigned int cpu, unsigned int line, uint32_t val,
	      bool cacheable);
/* A speculative fill; returns whether a line was allocated. */
bool hw_speculate(struct hw *h, struct rng *r, unsigned int cpu, unsigned int line);
/* A natural eviction of one random line of @cpu's cache or the system cache. */
bool hw_evict(struct hw *h, struct rng *r, unsigned int cpu);
/* DC CIVAC: clean and invalidate @line to the PoC in every cache. */
void hw_clean_inval_va(struct hw *h, unsigned int line);
/* DC CISW on every way of @set of @cpu's own cache only. */
void hw_clean_inval_set(struct hw *h, unsigned int cpu, unsigned int set);

#endif
