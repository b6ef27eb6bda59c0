/*
 * Create+destroy benchmark through cachetd: @cycles times, create a tiny
 * domain from @kernel (16 MiB, 1 vCPU, started) and destroy it, each call a
 * JSON-RPC request on a connection of its own as the CLI makes them.
 * Prints the rate and the latency distribution of create and of destroy;
 * asserts nothing about speed.
 *
 * Usage: bench_lifecycle STATE_DIR KERNEL [CYCLES]
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <json.h>

#include "bench_stats.h"
#include "rpc.h"

static double now_ms(void)
{
	return bench_now_us() / 1e3;
}

static struct json_object *create_params(const char *kernel)
{
	struct json_object *cfg = json_object_new_object(), *p = json_object_new_object();

	json_object_object_add(cfg, "name", json_object_new_string("lifecycle"));
	json_object_object_add(cfg, "kernel", json_object_new_string(kernel));
	json_object_object_add(cfg, "memory", json_object_new_int(16));
	json_object_object_add(cfg, "vcpus", json_object_new_int(1));
	json_object_object_add(p, "config", cfg);
	return p;
}

/* Times one call; exits with the daemon's message if it fails. */
static double timed_call(struct rpc *r, const char *method, struct json_object *params)
{
	struct json_object *result = NULL;
	double t0 = now_ms();

	if (rpc_call(r, method, params, &result) != 0) {
		fprintf(stderr, "bench_lifecycle: %s: %s\n", method, rpc_error(r));
		exit(1);
	}
	json_object_put(result);
	return now_ms() - t0;
}

static void report(const char *what, double *v, int n)
{
	double median = bench_quantile(v, (size_t)n, 0.5); /* sorts v */

	printf("%-8s latency: median %7.2f ms   p99 %7.2f ms   min %7.2f ms   max %7.2f ms\n",
	       what, median, bench_quantile(v, (size_t)n, 0.99), v[0], v[n - 1]);
}

int main(int argc, char **argv)
{
	int cycles = argc > 3 ? atoi(argv[3]) : 100;
	double *create, *destroy, t0, total;
	struct rpc r;

	if (argc < 3 || cycles < 1) {
		fprintf(stderr, "usage: bench_lifecycle STATE_DIR KERNEL [CYCLES]\n");
		return 2;
	}
	if (rpc_init(&r, argv[1], 30000) != 0) {
		fprintf(stderr, "bench_lifecycle: %s\n", rpc_error(&r));
		return 1;
	}
	create = calloc((size_t)cycles, sizeof(double));
	destroy = calloc((size_t)cycles, sizeof(double));
	t0 = now_ms();
	for (int i = 0; i < cycles; i++) {
		struct json_object *p = json_object_new_object();

		create[i] = timed_call(&r, "create", create_params(argv[2]));
		json_object_object_add(p, "domain", json_object_new_string("lifecycle"));
		destroy[i] = timed_call(&r, "destroy", p);
	}
	total = now_ms() - t0;
	printf("create+destroy of a 16 MiB guest: %d cycles in %.2f s, %.1f cycles/s\n", cycles,
	       total / 1e3, cycles / (total / 1e3));
	report("create", create, cycles);
	report("destroy", destroy, cycles);
	free(create);
	free(destroy);
	return 0;
}
