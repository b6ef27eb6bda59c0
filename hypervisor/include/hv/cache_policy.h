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
 * Policy CACHET_CACHE_S2_FAULT (KVM's 2014 design): no DC; TVM from reset.
 *    While a vCPU's caches are off, stage 2 is mapped lazily, page by page,
 *    and each page is cleaned and invalidated to the PoC before it is mapped.
 *    The toggle rule and set/way handling are those of dc-tvm; since every
 *    access bypasses the caches while they are off, turning them on flushes.
 * Policy CACHET_CACHE_S2FWB: HCR_EL2.FWB with stage-2 attributes forcing
 *    Normal write-back, so every guest access is cacheable whatever its
 *    SCTLR_EL1 says: no TVM, no flush, set/way operations are ignored.
 * Policy CACHET_CACHE_FLUSH_LOAD: nothing is trapped for coherency (the
 *    negative control: only the builder's flush after loading protects the
 *    guest); set/way operations still flush, since they are trapped anyway.
 * Policy CACHET_CACHE_NONE: no coherency measure at all, not even the
 *    builder's flush (the second negative control).
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
	bool fwb;               /* HCR_EL2.FWB and forced write-back stage 2 wanted */
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
/* Whether RAM is mapped at stage 2 as write-back forced by HCR_EL2.FWB. */
bool cp_s2_forced_wb(enum cachet_cache_policy policy);
/* Whether the policy ever flushes guest RAM, so RAM accesses are tracked. */
bool cp_tracks_touched(enum cachet_cache_policy policy);
/* Whether the builder's requests to clean what it wrote are carried out. */
bool cp_honours_builder_flush(enum cachet_cache_policy policy);
/* Whether stage 2 is mapped page by page on fault while this vCPU runs. */
bool cp_s2_lazy(const struct cp_state *s);
/* Whether each page is cleaned to the PoC before stage 2 maps it. */
bool cp_s2_clean_before_map(enum cachet_cache_policy policy);

#endif
