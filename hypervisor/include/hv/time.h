/* Time since boot and the per-CPU tick. */
#ifndef HV_TIME_H
#define HV_TIME_H

#include <stdbool.h>
#include <stdint.h>

/* Microseconds of machine time since the machine started. */
uint64_t time_now_us(void);
/* The system counter value at @us microseconds of machine time. */
uint64_t time_us_to_counter(uint64_t us);
/* Accounts one timer tick on this CPU (called from the timer interrupt). */
void time_tick(void);
/* Spins until @cond() or @timeout_us passes; returns whether cond() held. */
bool time_wait_until(bool (*cond)(void *), void *arg, uint64_t timeout_us);

#endif
