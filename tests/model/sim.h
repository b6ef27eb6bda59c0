/*
 * The software half of the cache-coherency model: the builder and the
 * guest's vCPUs as scripted actors, and the hypervisor's reaction to their
 * traps and stage-2 faults, carried out by the hypervisor's own code
 * compiled for the host: the policy (hypervisor/core/cache_policy.c), the
 * flushes and access tracking (flush.c) and the stage-2 tables (pt.c; see
 * s2.h).  A scheduler driven by a seeded PRNG interleaves the actors' steps
 * with speculative fills, evictions, vCPU migrations and the slices of the
 * hypervisor's preemptible flushes (one page each here).  Every read is
 * checked against the value the program last wrote.
 */
#ifndef MODEL_SIM_H
#define MODEL_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "hv/cache_policy.h"
#include "hw.h"

enum op_kind {
	OP_END,
	OP_STORE,   /* line, val */
	OP_LOAD,    /* line: checked against the last value written */
	OP_SCTLR,   /* m, c: MSR SCTLR_EL1 */
	OP_SETWAY,  /* a DC CISW loop over every set of the local cache */
	OP_FLUSH,   /* builder: ask the hypervisor to clean lines [line, line + val) */
	OP_SIGNAL,  /* raise event val */
	OP_WAIT,    /* wait for event val */
};

struct op {
	enum op_kind kind;
	unsigned int line;
	uint32_t val;
	bool m, c;
};

#define SIM_VCPUS 2

struct scenario {
	const char *name;
	const char *what;
	const struct op *builder;
	const struct op *vcpu[SIM_VCPUS];
	bool has_sys;     /* a system cache that set/way does not reach */
	bool migrate;     /* vCPUs may move between pCPUs at any step */
	unsigned int spec_weight; /* how often speculation is picked */
};

/* What the model runs: a shipped policy, or a negative control. */
struct variant {
	const char *name;
	enum cachet_cache_policy policy;
	bool drop_dc_drop_flush; /* DC without the M-before-C flush (Xen, January 2014) */
	bool setway_on_hw;       /* HCR_EL2.TSW clear: set/way runs on the local CPU */
	const char *must_fail[3]; /* a negative control: scenarios where it must fail */
};

struct sim_result {
	bool failed;
	char why[160];
	uint64_t flushes, pages_flushed, steps;
};

/* Runs one interleaving; @trace prints every step. */
void sim_run(const struct scenario *sc, const struct variant *va, uint64_t seed, bool trace,
	     struct sim_result *res);

extern const struct scenario scenarios[];
extern const unsigned int nr_scenarios;

#endif
