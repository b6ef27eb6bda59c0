/*
 * spin: a CPU-bound guest for fairness measurements.  It counts loop
 * iterations and, about every 500 ms of counter time, prints how many it
 * managed in that period ("spin: rate N"), so a benchmark can compare its
 * share of a pCPU alone and next to another guest.  Runs until destroyed.
 */
#include <stdint.h>

#include "arm64.h"
#include "console.h"
#include "guest.h"

const char guest_name[] = "spin";

#define SPIN_PERIOD_MS 500

static uint64_t counter_now(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

int main(void)
{
	uint64_t period = read_sysreg(cntfrq_el0) / 1000 * SPIN_PERIOD_MS;
	uint64_t next = counter_now() + period;
	uint64_t count = 0;

	console_puts("spin: running until destroyed\n");
	for (;;) {
		for (unsigned int i = 0; i < 1000; i++)
			__asm__ volatile("" ::: "memory");
		count++;
		if (counter_now() >= next) {
			console_printf("spin: rate %llu\n", (unsigned long long)count);
			count = 0;
			next += period;
		}
	}
}
