/* What the C benchmarks share: a monotonic clock and order statistics. */
#ifndef TESTS_BENCH_STATS_H
#define TESTS_BENCH_STATS_H

#include <stddef.h>

/* Microseconds of CLOCK_MONOTONIC. */
double bench_now_us(void);
/* Sorts @v in place and returns its @q quantile (0..1); v[0] and v[n - 1] are then the range. */
double bench_quantile(double *v, size_t n, double q);

#endif
