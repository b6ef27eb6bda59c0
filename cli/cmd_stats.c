/*
 * `cachet cache-stats DOMAIN`: the domain's cache policy, then the per-vCPU
 * cache-maintenance counters (struct cachet_vcpu_stats) as a table, one row
 * per counter and one column per vCPU.
 */
#include <string.h>

#include "cli.h"

#define STATS_NAME_WIDTH 20
#define STATS_MIN_WIDTH 8

/* Every vCPU must be an object of integer counters. */
static int stats_check(struct cli_ctx *ctx, struct json_object *vcpus)
{
	size_t n = json_object_array_length(vcpus);

	for (size_t i = 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(vcpus, i);

		if (!json_object_is_type(v, json_type_object))
			return cli_malformed(ctx, "vCPU %zu is not an object", i);
		json_object_object_foreach(v, key, val) {
			if (!json_object_is_type(val, json_type_int))
				return cli_malformed(ctx, "counter '%s' of vCPU %zu is not an integer",
						     key, i);
		}
	}
	return 0;
}

/* The widest value of counter @key over all vCPUs, at least the header's. */
static int stats_width(struct json_object *vcpus, const char *key)
{
	size_t n = json_object_array_length(vcpus);
	int width = STATS_MIN_WIDTH;

	for (size_t i = 0; i < n; i++) {
		struct json_object *val;
		int w;

		if (!json_object_object_get_ex(json_object_array_get_idx(vcpus, i), key, &val))
			continue;
		w = snprintf(NULL, 0, "%lld", (long long)json_object_get_int64(val));
		if (w > width)
			width = w;
	}
	return width;
}

static void stats_print_row(struct cli_ctx *ctx, struct json_object *vcpus, const char *key,
			    int width)
{
	size_t n = json_object_array_length(vcpus);

	fprintf(ctx->out, "%-*s", STATS_NAME_WIDTH, key);
	for (size_t i = 0; i < n; i++) {
		struct json_object *val;

		if (json_object_object_get_ex(json_object_array_get_idx(vcpus, i), key, &val))
			fprintf(ctx->out, " %*lld", width, (long long)json_object_get_int64(val));
		else
			fprintf(ctx->out, " %*s", width, "-");
	}
	fputc('\n', ctx->out);
}

/* Counters are listed in the order the daemon gives them for vCPU 0. */
static void stats_print(struct cli_ctx *ctx, struct json_object *vcpus)
{
	size_t n = json_object_array_length(vcpus);
	int width = STATS_MIN_WIDTH;
	char head[32];

	if (n == 0) {
		fputs("no vCPUs\n", ctx->out);
		return;
	}
	json_object_object_foreach(json_object_array_get_idx(vcpus, 0), k1, v1) {
		int w = stats_width(vcpus, k1);

		(void)v1;
		if (w > width)
			width = w;
	}
	fprintf(ctx->out, "%-*s", STATS_NAME_WIDTH, "counter");
	for (size_t i = 0; i < n; i++) {
		snprintf(head, sizeof(head), "vcpu%zu", i);
		fprintf(ctx->out, " %*s", width, head);
	}
	fputc('\n', ctx->out);
	json_object_object_foreach(json_object_array_get_idx(vcpus, 0), k2, v2) {
		(void)v2;
		stats_print_row(ctx, vcpus, k2, width);
	}
}

/* A domain the daemon did not build has no recorded policy: no line then. */
static void stats_print_policy(struct cli_ctx *ctx, struct json_object *result)
{
	struct json_object *p;

	if (json_object_object_get_ex(result, "cache_policy", &p) &&
	    json_object_is_type(p, json_type_string))
		fprintf(ctx->out, "%-*s %s\n", STATS_NAME_WIDTH, "cache_policy",
			json_object_get_string(p));
}

int cmd_cache_stats(struct cli_ctx *ctx, int argc, char **argv)
{
	struct json_object *params, *result, *vcpus;
	const char *dom;
	int ret;

	ret = cli_one_arg(ctx, argc, argv, "DOMAIN", &dom);
	if (ret == CLI_OK)
		ret = cli_domain_params(ctx, dom, &params);
	if (ret != CLI_OK)
		return ret;
	if (cli_call(ctx, "cache_stats", params, &result) < 0)
		return CLI_FAIL;
	ret = CLI_FAIL;
	if (cli_reply_array(ctx, result, "vcpus", &vcpus) == 0 && stats_check(ctx, vcpus) == 0) {
		stats_print_policy(ctx, result);
		stats_print(ctx, vcpus);
		ret = CLI_OK;
	}
	json_object_put(result);
	return ret;
}
