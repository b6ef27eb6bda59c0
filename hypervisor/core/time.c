/* Machine time and the per-CPU tick (see hv/time.h). */
#include "hv/time.h"

#include "hv/arch.h"
#include "hv/smp.h"

uint64_t time_now_us(void)
{
	uint64_t t = arch_counter_now(), f = arch_counter_freq();

	/* Split so the product cannot overflow for centuries of uptime. */
	return (t / f) * 1000000 + (t % f) * 1000000 / f;
}

uint64_t time_us_to_counter(uint64_t us)
{
	uint64_t f = arch_counter_freq();

	return (us / 1000000) * f + (us % 1000000) * f / 1000000;
}

void time_tick(void)
{
	this_cpu()->ticks++;
	this_cpu()->resched = true; /* the time slice ended */
}

bool time_wait_until(bool (*cond)(void *), void *arg, uint64_t timeout_us)
{
	uint64_t deadline = time_now_us() + timeout_us;

	while (!cond(arg)) {
		if (time_now_us() > deadline)
			return cond(arg);
	}
	return true;
}
