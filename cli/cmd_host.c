/*
 * Host commands: info and dmesg (xl_info.c).
 */
#include "cli.h"

/* Bounds `dmesg` against a daemon that keeps answering with more data. */
#define DMESG_MAX_CALLS 4096

static void info_line_str(struct cli_ctx *ctx, const char *key, const char *value)
{
	fprintf(ctx->out, "%-23s: %s\n", key, value);
}

static void info_line_int(struct cli_ctx *ctx, const char *key, long long value)
{
	fprintf(ctx->out, "%-23s: %lld\n", key, value);
}

/* The optional feature list, space separated as xl prints its capabilities. */
static void info_features(struct cli_ctx *ctx, struct json_object *result)
{
	struct json_object *arr;
	size_t n;

	if (!json_object_object_get_ex(result, "features", &arr) ||
	    !json_object_is_type(arr, json_type_array))
		return;
	n = json_object_array_length(arr);
	fprintf(ctx->out, "%-23s:", "features");
	for (size_t i = 0; i < n; i++)
		fprintf(ctx->out, " %s", json_object_get_string(json_object_array_get_idx(arr, i)));
	fputc('\n', ctx->out);
}

int cmd_info(struct cli_ctx *ctx, int argc, char **argv)
{
	struct json_object *result;
	const char *abi, *hv;
	int64_t cpus, total_kb, free_kb;
	int ret = cli_no_args(ctx, argc, argv);

	if (ret != CLI_OK)
		return ret;
	if (cli_call(ctx, "info", NULL, &result) < 0)
		return CLI_FAIL;
	ret = CLI_FAIL;
	if (cli_reply_str(ctx, result, "abi_version", &abi, NULL) == 0 &&
	    cli_reply_str(ctx, result, "hv_version", &hv, NULL) == 0 &&
	    cli_reply_int(ctx, result, "nr_cpus", &cpus) == 0 &&
	    cli_reply_int(ctx, result, "total_memory_kb", &total_kb) == 0 &&
	    cli_reply_int(ctx, result, "free_memory_kb", &free_kb) == 0) {
		info_line_int(ctx, "nr_cpus", cpus);
		info_line_int(ctx, "total_memory", total_kb / 1024);
		info_line_int(ctx, "free_memory", free_kb / 1024);
		info_line_str(ctx, "hv_version", hv);
		info_line_str(ctx, "abi_version", abi);
		info_features(ctx, result);
		ret = CLI_OK;
	}
	json_object_put(result);
	return ret;
}

/* Reads one chunk of the log from *@pos; sets *@done when there is no more. */
static int dmesg_chunk(struct cli_ctx *ctx, int64_t *pos, bool *done)
{
	struct json_object *params = json_object_new_object(), *result;
	const char *data;
	size_t len;
	int64_t next;
	int ret = -1;

	json_object_object_add(params, "pos", json_object_new_int64(*pos));
	if (cli_call(ctx, "dmesg", params, &result) < 0)
		return -1;
	if (cli_reply_str(ctx, result, "data", &data, &len) == 0 &&
	    cli_reply_int(ctx, result, "next", &next) == 0 && cli_write_out(ctx, data, len) == 0) {
		*done = len == 0 || next <= *pos;
		*pos = next;
		ret = 0;
	}
	json_object_put(result);
	return ret;
}

int cmd_dmesg(struct cli_ctx *ctx, int argc, char **argv)
{
	int64_t pos = 0;
	bool done = false;
	int ret = cli_no_args(ctx, argc, argv);

	if (ret != CLI_OK)
		return ret;
	for (int i = 0; i < DMESG_MAX_CALLS && !done; i++)
		if (dmesg_chunk(ctx, &pos, &done) < 0)
			return CLI_FAIL;
	return CLI_OK;
}
