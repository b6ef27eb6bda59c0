/*
 * Boot-time self-tests of the live hypervisor: they run on the real
 * allocator, tables and CPUs, print one PASS/FAIL line each, and return
 * whether they passed.
 */
#ifndef HV_SELFTEST_H
#define HV_SELFTEST_H

#include <stdbool.h>

bool selftest_palloc(void);
/* Splits and restores a live block mapping (break-before-make on live tables). */
bool selftest_remap(void);
/* Every online CPU's timer ticks. */
bool selftest_ticks(void);

#endif
