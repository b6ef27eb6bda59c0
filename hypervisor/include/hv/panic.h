/*
 * Fatal hypervisor errors.  Only internal invariants lead here; nothing a
 * guest or a request can do may reach a panic.  A panic prints what it can,
 * stops every other CPU, then stops this one.
 */
#ifndef HV_PANIC_H
#define HV_PANIC_H

#include <stdbool.h>

void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/*
 * The two halves of a panic, for callers that print their own dump in
 * between (the exception path).  panic_begin() prints the headline; a CPU
 * that is not the first to panic halts inside it.
 */
void panic_begin(const char *reason);
void panic_finish(void) __attribute__((noreturn));

#define ASSERT(cond)                                                                 \
	do {                                                                         \
		if (!(cond))                                                         \
			panic("assertion failed: %s at %s:%d", #cond, __FILE__, __LINE__); \
	} while (0)

#endif
