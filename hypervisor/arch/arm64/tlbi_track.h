/*
 * Which pCPUs still hold TLB entries a domain's guest has invalidated
 * (arch-internal, host-tested).  A trapped guest TLBI is done on its own
 * pCPU alone whenever no other vCPU of the domain is executing guest code
 * at that moment; each such local operation advances the domain's count
 * @gen.  Every pCPU records in seen[] the count up to which its entries for
 * the domain are known clean, and invalidates the domain's VMID locally
 * before entering a guest of the domain when the count has moved.
 *
 * Ordering (a Dekker pair): the TLBI side advances @gen and then looks for
 * vCPUs in guest mode; the entry side marks its vCPU in guest mode and then
 * reads @gen, both with sequentially consistent accesses.  So either the
 * TLBI side sees the vCPU and broadcasts instead, or the vCPU sees the new
 * count and invalidates before it runs.  A broadcast does not advance
 * @gen: it reaches every pCPU already.  seen[cpu] is written only by that
 * pCPU.
 */
#ifndef ARCH_ARM64_TLBI_TRACK_H
#define ARCH_ARM64_TLBI_TRACK_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/config.h"

struct tlbi_track {
	uint64_t gen;                   /* local-only operations so far */
	uint64_t seen[CONFIG_MAX_CPUS]; /* per pCPU: clean up to this count */
};

/*
 * Counts one local-only operation about to be done and returns its number;
 * a full barrier orders the count before the caller's look for vCPUs in
 * guest mode.
 */
uint64_t tlbi_track_begin_local(struct tlbi_track *t);
/*
 * The operation numbered @g was done on @cpu: if @cpu was clean up to the
 * one before, it is clean up to @g (otherwise its next entry invalidates).
 */
void tlbi_track_local_done(struct tlbi_track *t, unsigned int cpu, uint64_t g);
/*
 * On @cpu, before entering the guest (after marking the vCPU in guest
 * mode; a full barrier here orders the two): whether the domain's VMID must be invalidated here first.  The
 * caller invalidates before the guest runs; @cpu is then clean.
 */
bool tlbi_track_must_flush(struct tlbi_track *t, unsigned int cpu);

#endif
