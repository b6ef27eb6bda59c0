/*
 * The guest's stage 2 in the cache model: the hypervisor's own page tables
 * (hypervisor/core/pt.c) over the model's RAM, one 2 MiB block per
 * HW_LINES_PER_PAGE lines (as populate maps RAM), a model line being the
 * first 4 KiB page of its part of the block, and the hypervisor's own
 * flushes and access
 * tracking (hypervisor/core/flush.c) driving the model's caches: every
 * clean+invalidate by VA the hypervisor issues through the host arch seam
 * is replayed on the model's caches.
 */
#ifndef MODEL_S2_H
#define MODEL_S2_H

#include <stdbool.h>

#include "hv/domain.h"
#include "hw.h"

#define S2_BLOCK_BYTES (UINT64_C(2) << 20)
#define S2_LINE_BYTES (S2_BLOCK_BYTES / HW_LINES_PER_PAGE)

/* A fresh domain under @policy with every model page mapped at stage 2. */
struct domain *s2_domain_new(enum cachet_cache_policy policy);
/* What the MMU sees: whether a valid stage-2 leaf maps @line (parked leaves fault). */
bool s2_line_valid(const struct domain *d, unsigned int line);
uint64_t s2_line_ipa(unsigned int line);
/* Applies to @h the cache maintenance the hypervisor code just issued. */
void s2_replay_maintenance(struct hw *h);

#endif
