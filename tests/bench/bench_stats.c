/* What the C benchmarks share (see bench_stats.h). */
#include "bench_stats.h"

#include <stdlib.h>
#include <time.h>

double bench_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int bench_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double bench_quantile(double *v, size_t n, double q)
{
	qsort(v, n, sizeof(*v), bench_cmp);
	return v[(size_t)(q * (double)(n - 1))];
}
