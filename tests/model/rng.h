/* A small deterministic PRNG (xorshift64*), so a seed replays a run exactly. */
#ifndef MODEL_RNG_H
#define MODEL_RNG_H

#include <stdint.h>

struct rng {
	uint64_t s;
};

static inline void rng_seed(struct rng *r, uint64_t seed)
{
	r->s = seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
	if (r->s == 0)
		r->s = 1;
}

static inline uint32_t rng_below(struct rng *r, uint32_t n)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return (uint32_t)(((r->s * 0x2545F4914F6CDD1Dull) >> 32) % n);
}

#endif
