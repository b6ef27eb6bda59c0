/*
 * idle: a guest that keeps running until it is destroyed.  It prints a
 * heartbeat line about every 100 ms of counter time and sleeps in WFI in
 * between, so tests can run it next to other guests (two guests at once,
 * a crash that must leave it running) and see that it still makes progress.
 * idle-slow.c builds the same guest with a heartbeat a second, for runs of
 * many guests where the console output itself would be the load.
 */
#include <stdint.h>

#include "arm64.h"
#include "console.h"
#include "guest.h"

#ifndef IDLE_NAME
#define IDLE_NAME "idle"
#define IDLE_BEAT_MS 100
#endif

const char guest_name[] = IDLE_NAME;

static uint64_t counter_now(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v));
	return v;
}

static uint64_t counter_freq(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

int main(void)
{
	uint64_t step = counter_freq() / 1000 * IDLE_BEAT_MS;
	uint64_t next = counter_now() + step;

	console_puts(IDLE_NAME ": running until destroyed\n");
	for (uint64_t beat = 1;; beat++) {
		while (counter_now() < next)
			__asm__ volatile("wfi");
		console_printf(IDLE_NAME ": alive %llu\n", (unsigned long long)beat);
		next += step;
	}
}
