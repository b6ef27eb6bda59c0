/*
 * Guest RAM flushes that cost what the guest touched, and that other vCPUs
 * and domains do not wait for (DESIGN.md section 1).
 *
 * Access tracking: from its first unpause, a domain whose policy ever
 * flushes has its RAM parked at stage 2 (hv/pt.h): the first access to a
 * parked 4 KiB page or 2 MiB block faults, and flush_s2_fault() makes it
 * valid again, so the valid leaves are exactly what was touched since the
 * last flush.  Under s2-fault, a vCPU whose caches are off touches RAM page
 * by page (a parked block is split into parked pages), each page cleaned
 * and invalidated to the PoC before it becomes valid; once its caches are
 * on, a split block becomes one block again.
 *
 * A VM flush parks every valid leaf, then cleans and invalidates it by VA to
 * the PoC.  It runs in slices (FLUSH_SLICE_BYTES) between which the vCPU
 * goes back to the scheduler, so other vCPUs and the management mailbox
 * run; the vCPU re-enters its guest only once its flush is complete.  The
 * job lives in the vCPU, and maintenance by VA reaches every CPU, so it
 * completes correctly on whichever pCPU the vCPU runs next.
 */
#ifndef HV_FLUSH_H
#define HV_FLUSH_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/cache_policy.h"

/* The cache model builds this file with a one-page slice, to interleave slices finely. */
#ifndef FLUSH_SLICE_BYTES
#define FLUSH_SLICE_BYTES (UINT64_C(4) << 20)
#endif

struct vcpu;
struct domain;

struct flush_job {
	bool active;
	uint64_t cursor; /* next guest-physical address to look at */
};

/* Starts tracking @d's RAM accesses (its first unpause; nothing runs). */
void flush_track_start(struct domain *d);
/* A trap asked for @why: the vCPU's RAM flush starts before it runs again. */
void flush_start(struct vcpu *v, enum cp_flush_reason why);
/*
 * Runs a slice of @v's pending flush; true once none is pending, so the
 * vCPU may enter its guest.
 */
bool flush_continue(struct vcpu *v);
/* A stage-2 translation fault at @ipa: true if it was a parked RAM leaf, now valid. */
bool flush_s2_fault(struct vcpu *v, uint64_t ipa);

#endif
