/*
 * cache-model: runs every policy variant over every seed scenario for many
 * seeded interleavings.  Shipped policies must never read stale data; each
 * negative control must read stale data in the scenarios it is known to
 * break.  A failing run prints its seed, the command that replays it, and
 * its interleaving.
 *
 *   cache-model [--runs N] [--policy NAME] [--scenario NAME] [--seed S]
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

static const struct variant variants[] = {
	{ "dc-tvm", CACHET_CACHE_DC_TVM, false, false, { NULL } },
	{ "s2-fault", CACHET_CACHE_S2_FAULT, false, false, { NULL } },
	{ "s2fwb", CACHET_CACHE_S2FWB, false, false, { NULL } },
	{ "flush-load", CACHET_CACHE_FLUSH_LOAD, false, false, { "mmu-off-boot", "m-before-c" } },
	{ "none", CACHET_CACHE_NONE, false, false, { "mmu-off-boot" } },
	{ "dc-without-m-before-c-flush", CACHET_CACHE_DC_TVM, true, false, { "m-before-c" } },
	{ "setway-on-hardware", CACHET_CACHE_DC_TVM, false, true,
	  { "setway-migrate", "system-cache" } },
};

struct opts {
	unsigned int runs;
	const char *policy, *scenario;
	bool one_seed;
	uint64_t seed;
};

static bool must_fail(const struct variant *va, const struct scenario *sc)
{
	for (unsigned int i = 0; i < 3 && va->must_fail[i]; i++)
		if (strcmp(va->must_fail[i], sc->name) == 0)
			return true;
	return false;
}

static void replay(const struct scenario *sc, const struct variant *va, uint64_t seed)
{
	struct sim_result r;

	printf("  interleaving of seed %llu (replay: cache-model --policy %s --scenario %s --seed %llu):\n",
	       (unsigned long long)seed, va->name, sc->name, (unsigned long long)seed);
	sim_run(sc, va, seed, true, &r);
}

/* Runs one variant over one scenario; returns whether the outcome is the expected one. */
static bool run_pair(const struct variant *va, const struct scenario *sc, const struct opts *o)
{
	unsigned int fails = 0, runs = o->one_seed ? 1 : o->runs;
	uint64_t first_fail = 0, flushes = 0, pages = 0;
	bool ok, expect_fail = must_fail(va, sc), control = va->must_fail[0] != NULL;

	for (unsigned int i = 0; i < runs; i++) {
		uint64_t seed = o->one_seed ? o->seed : i + 1;
		struct sim_result r;

		sim_run(sc, va, seed, false, &r);
		flushes += r.flushes;
		pages += r.pages_flushed;
		if (r.failed && fails++ == 0)
			first_fail = seed;
	}
	/* A control is judged only where its failure is the point. */
	ok = expect_fail ? fails > 0 : control || fails == 0;
	printf("%-4s %-28s %-18s %5u runs %5u stale %6.2f flushes %6.2f pages/run%s\n",
	       ok ? "ok" : "FAIL", va->name, sc->name, runs, fails, (double)flushes / runs,
	       (double)pages / runs,
	       expect_fail ? "  (negative control: must fail)" : control ? "  (control, not judged)" : "");
	if (fails > 0 && (expect_fail || !control || o->one_seed))
		replay(sc, va, first_fail);
	return ok;
}

static int usage(void)
{
	fprintf(stderr, "usage: cache-model [--runs N] [--policy NAME] [--scenario NAME] [--seed S]\n");
	return 2;
}

static bool parse(int argc, char **argv, struct opts *o)
{
	static const struct option lopts[] = {
		{ "runs", required_argument, NULL, 'r' },   { "policy", required_argument, NULL, 'p' },
		{ "scenario", required_argument, NULL, 's' }, { "seed", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	*o = (struct opts){ .runs = 3000 };
	while ((c = getopt_long(argc, argv, "", lopts, NULL)) != -1) {
		if (c == 'r') {
			o->runs = (unsigned int)strtoul(optarg, &end, 0);
			if (*end || o->runs == 0)
				return false;
		} else if (c == 'p') {
			o->policy = optarg;
		} else if (c == 's') {
			o->scenario = optarg;
		} else if (c == 'S') {
			o->seed = strtoull(optarg, &end, 0);
			o->one_seed = *end == '\0';
			if (!o->one_seed)
				return false;
		} else {
			return false;
		}
	}
	return optind == argc;
}

int main(int argc, char **argv)
{
	struct opts o;
	unsigned int bad = 0, pairs = 0;

	if (!parse(argc, argv, &o))
		return usage();
	for (unsigned int v = 0; v < sizeof(variants) / sizeof(variants[0]); v++) {
		if (o.policy && strcmp(o.policy, variants[v].name) != 0)
			continue;
		for (unsigned int s = 0; s < nr_scenarios; s++) {
			if (o.scenario && strcmp(o.scenario, scenarios[s].name) != 0)
				continue;
			pairs++;
			bad += !run_pair(&variants[v], &scenarios[s], &o);
		}
	}
	if (pairs == 0) {
		fprintf(stderr, "cache-model: no policy/scenario matches\n");
		return 2;
	}
	printf("%s: %u of %u policy/scenario pairs behaved as expected\n", bad ? "FAIL" : "PASS",
	       pairs - bad, pairs);
	return bad ? 1 : 0;
}
