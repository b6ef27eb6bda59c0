/*
 * What every test guest shares.  A guest defines guest_name and main();
 * start.S enters main() at EL1 with the MMU and caches off, a stack, a
 * zeroed .bss and an exception vector table that reports any exception.
 *
 * A guest ends by calling guest_pass() or guest_fail(), which print the
 * one result line the tests look for and power the guest off:
 *   RESULT: PASS <name>
 *   RESULT: FAIL <name> <why>
 * Nothing is printed after it unless powering off fails.
 */
#ifndef GUEST_GUEST_H
#define GUEST_GUEST_H

#include <stdint.h>

/* The guest's name as the result line gives it, e.g. "hello". */
extern const char guest_name[];

int main(void);

void guest_pass(void) __attribute__((noreturn));
/* fmt and what follows say why, printf-style, on the same line. */
void guest_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Powers off through PSCI SYSTEM_OFF; if that returns, says so and parks. */
void guest_power_off(void) __attribute__((noreturn));

/* Called by start.S if main() returns, and by the vectors on any exception. */
void guest_main_returned(void) __attribute__((noreturn));
void guest_exception(uint64_t vector, uint64_t esr, uint64_t elr, uint64_t far)
	__attribute__((noreturn));

#endif
