/*
 * The device commands: `cachet dev-stats DOMAIN` (every virtio device and
 * its counters), `cachet block-list DOMAIN` (the disks, in xl's layout) and
 * block-attach/block-detach, refused: a virtio-mmio device exists from the
 * domain's creation, the guest's device tree names it, and there is no
 * hot-plug on that transport.
 */
#include <string.h>

#include "cli.h"

/* The "devices" array of dev_stats; each entry an object. */
static int dev_fetch(struct cli_ctx *ctx, int argc, char **argv, struct json_object **result,
		     struct json_object **devs)
{
	struct json_object *params;
	const char *dom;
	int ret = cli_one_arg(ctx, argc, argv, "DOMAIN", &dom);

	if (ret == CLI_OK)
		ret = cli_domain_params(ctx, dom, &params);
	if (ret != CLI_OK)
		return ret;
	if (cli_call(ctx, "dev_stats", params, result) < 0)
		return CLI_FAIL;
	if (cli_reply_array(ctx, *result, "devices", devs) < 0)
		goto bad;
	for (size_t i = 0; i < json_object_array_length(*devs); i++)
		if (!json_object_is_type(json_object_array_get_idx(*devs, i), json_type_object)) {
			cli_malformed(ctx, "device %zu is not an object", i);
			goto bad;
		}
	return CLI_OK;
bad:
	json_object_put(*result);
	return CLI_FAIL;
}

static int64_t dev_int(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_int64(v) : -1;
}

static const char *dev_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string) ?
		       json_object_get_string(v) : "-";
}

int cmd_dev_stats(struct cli_ctx *ctx, int argc, char **argv)
{
	static const char *const counters[] = { "requests", "bytes_read", "bytes_written", "errors",
						"notifications", "interrupts", "needs_reset" };
	struct json_object *result, *devs;
	int ret = dev_fetch(ctx, argc, argv, &result, &devs);

	if (ret != CLI_OK)
		return ret;
	fprintf(ctx->out, "%-3s %-4s %-6s %-11s %-3s %10s %12s %12s %6s %8s %10s %5s\n", "Idx",
		"Type", "Vdev", "State", "SPI", "Requests", "ReadBytes", "WrittenBytes", "Errors",
		"Notifies", "Interrupts", "Reset");
	for (size_t i = 0; i < json_object_array_length(devs); i++) {
		struct json_object *d = json_object_array_get_idx(devs, i);
		const int widths[] = { 10, 12, 12, 6, 8, 10, 5 };

		fprintf(ctx->out, "%-3lld %-4s %-6s %-11s %-3lld", (long long)dev_int(d, "index"),
			dev_str(d, "type"), dev_str(d, "vdev"), dev_str(d, "state"),
			(long long)dev_int(d, "spi"));
		for (size_t c = 0; c < sizeof(counters) / sizeof(counters[0]); c++)
			fprintf(ctx->out, " %*lld", widths[c], (long long)dev_int(d, counters[c]));
		fputc('\n', ctx->out);
	}
	json_object_put(result);
	return CLI_OK;
}

/* xl's frontend states (xen/io/xenbus.h): Initialising 1, Connected 4, Closed 6. */
static int dev_xenbus_state(const char *state)
{
	return strcmp(state, "running") == 0 ? 4 : strcmp(state, "stopped") == 0 ? 1 : 6;
}

int cmd_block_list(struct cli_ctx *ctx, int argc, char **argv)
{
	struct json_object *result, *devs, *domid;
	int ret = dev_fetch(ctx, argc, argv, &result, &devs);
	long long handle = -1;

	if (ret != CLI_OK)
		return ret;
	if (json_object_object_get_ex(result, "domid", &domid))
		handle = (long long)json_object_get_int64(domid);
	fprintf(ctx->out, "%-5s %-3s %-6s %-5s %-6s %-8s %-30s\n", "Vdev", "BE", "handle", "state",
		"evt-ch", "ring-ref", "BE-path");
	for (size_t i = 0; i < json_object_array_length(devs); i++) {
		struct json_object *d = json_object_array_get_idx(devs, i);

		if (strcmp(dev_str(d, "type"), "blk") != 0)
			continue;
		fprintf(ctx->out, "%-5lld %-3d %-6lld %-5d %-6lld %-8d %-30s\n",
			(long long)dev_int(d, "vdev_number"), 0, handle,
			dev_xenbus_state(dev_str(d, "state")), (long long)dev_int(d, "spi"), -1,
			dev_str(d, "target"));
	}
	json_object_put(result);
	return CLI_OK;
}

int cmd_block_attach(struct cli_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	return cli_fail(ctx, "%s: virtio-mmio disks cannot be hot-plugged; give the disk in the "
			"domain's disk = [ ... ] and create it again", argv[0]);
}
