/* The exit profile (see hv/exitprof.h). */
#include "hv/exitprof.h"

#include <stddef.h>

#include "hv/domain.h"

/*
 * xorshift32 (Marsaglia): random enough to break exit patterns, a handful
 * of instructions per exit.  Its state must never be zero; a vCPU starts
 * from its own non-zero seed.
 */
static uint32_t exitprof_next(uint32_t x)
{
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return x;
}

bool exitprof_sample(struct vcpu *v)
{
	if (v->prof_rng == 0)
		v->prof_rng = 0x9e3779b9u ^ (v->id + 1);
	v->prof_rng = exitprof_next(v->prof_rng);
	return v->prof_rng % CACHET_EXIT_PROFILE_SAMPLE == 0;
}

#define EXITPROF_FIELDS(cls, name)                                                      \
	[cls] = { offsetof(struct cachet_vcpu_stats, name##_exits),                       \
		  offsetof(struct cachet_vcpu_stats, name##_ticks) }

/* Where each class counts: its exits and its ticks in struct cachet_vcpu_stats. */
static const struct {
	size_t exits, ticks;
} exitprof_fields[] = {
	EXITPROF_FIELDS(EXITPROF_MMIO, mmio),	EXITPROF_FIELDS(EXITPROF_SYSREG, sysreg),
	EXITPROF_FIELDS(EXITPROF_WFX, wfx),	EXITPROF_FIELDS(EXITPROF_IRQ, irq),
	EXITPROF_FIELDS(EXITPROF_OTHER, other),
};

static uint64_t *exitprof_field(struct cachet_vcpu_stats *s, size_t off)
{
	return (uint64_t *)(void *)((char *)s + off);
}

void exitprof_account(struct vcpu *v, enum exitprof_class cls, bool timed, uint64_t ticks)
{
	(*exitprof_field(&v->stats, exitprof_fields[cls].exits))++;
	if (timed)
		*exitprof_field(&v->stats, exitprof_fields[cls].ticks) +=
			ticks * CACHET_EXIT_PROFILE_SAMPLE;
}
