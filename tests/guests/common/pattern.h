/*
 * Guest-written test patterns: a buffer filled with the xorshift stream
 * from a given seed, checked later (after the guest changed its MMU or
 * cache state) to see that the writes were not lost or hidden.
 */
#ifndef GUEST_PATTERN_H
#define GUEST_PATTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void pattern_fill(uint64_t *buf, size_t words, uint64_t seed);

/* Prints "<what>: pattern ok" or the first bad word; true if intact. */
bool pattern_check(const uint64_t *buf, size_t words, uint64_t seed, const char *what);

#endif
