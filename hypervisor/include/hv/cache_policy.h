/*
 * Guest cache-coherency policy (DESIGN.md section 1), as a pure state
 * machine: the arch code reports what the guest did (a write to SCTLR_EL1, a
 * set/way operation) and applies what the policy answers (the new HCR_EL2.DC
 * and HCR_EL2.TVM, and whether the guest's RAM must be cleaned and
 * invalidated to the PoC before the guest runs again).  Nothing here touches
 * hardware, so the same code runs in the hypervisor, in host unit tests and
 * in the cache-coherency model.
 *
 * Policy CACHET_CACHE_DC_TVM:
 *  - A vCPU starts with DC and TVM set: while its MMU is off, its accesses
 *    are Normal write-back, so it sees what the builder wrote through caches.
 *  - SCTLR_EL1.M turning on clears DC (DC would keep stage 1 off).  If
 *    SCTLR_EL1.C is still 0 at that moment (FreeBSD), the guest now makes
 *    non-cacheable accesses to memory that may be dirty in the caches: its
 *    RAM is flushed before it runs again, and TVM stays set.
 *  - TVM is cleared once M and C are both set: no more traps.
 *  - A change of "caches enabled" (M and C) after the guest has run with
 *    non-cacheable accesses, or a change from enabled to disabled, flushes
 *    RAM (the toggle rule).  Turning the MMU off sets DC again, and flushes
 *    if the guest ran non-cacheable since the last flush.
 *  - A set/way operation cannot be virtualized: when TVM is off, the guest's
 *    RAM is flushed at once and TVM is re-armed so the coming cache toggle
 *    is seen; when TVM is on, the toggle will flush, so nothing more is done.
 * Policy CACHET_CACHE_FLUSH_LOAD: nothing is trapped for coherency (the
 *    negative control: only the builder's flush after loading protects the
 *    guest); set/way operations still flush, since they are trapped anyway.
 */
#ifndef HV_CACHE_POLICY_H
#define HV_CACHE_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "cachet/public/abi.h"

enum cp_flush_reason {
	CP_FLUSH_NONE,
	CP_FLUSH_DC_DROP,
	CP_FLUSH_TOGGLE,
	CP_FLUSH_SETWAY,
};

struct cp_state {
	enum cachet_cache_policy policy;
	bool dc;                /* HCR_EL2.DC wanted */
	bool tvm;               /* HCR_EL2.TVM wanted */
	bool m, c;              /* the guest's SCTLR_EL1.M and .C */
	bool uncached_run;      /* the guest made non-cacheable accesses since the last flush */
};

/* Reset state of a vCPU under @policy. */
void cp_init(struct cp_state *s, enum cachet_cache_policy policy);
/*
 * The guest wrote SCTLR_EL1 (a trapped write, or an initial value).  Updates
 * the state and @st counters; returns the flush the hypervisor must do
 * before the guest runs again.
 */
enum cp_flush_reason cp_sctlr_write(struct cp_state *s, bool m, bool c,
				    struct cachet_vcpu_stats *st);
/* The guest issued DC ISW/CSW/CISW. */
enum cp_flush_reason cp_set_way(struct cp_state *s, struct cachet_vcpu_stats *st);
/* Whether the guest's caches are on (SCTLR_EL1.M and .C). */
bool cp_caches_on(const struct cp_state *s);

#endif
