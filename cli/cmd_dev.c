/*
 * The device commands: `cachet dev-stats DOMAIN` (every virtio device and
 * its counters), `cachet block-list DOMAIN` and `cachet network-list
 * DOMAIN...` (the disks and the vifs, in xl's layout), and
 * block-attach/block-detach and network-attach/network-detach, refused: a
 * virtio-mmio device exists from the domain's creation, the guest's device
 * tree names it, and there is no hot-plug on that transport.
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

/* Hot-plug is refused: @what names the devices, @key the xl.cfg list that gives them. */
static int dev_no_hotplug(struct cli_ctx *ctx, const char *cmd, const char *what,
			  const char *key)
{
	return cli_fail(ctx, "%s: virtio-mmio %s cannot be hot-plugged; give it in the domain's "
			"%s = [ ... ] and create the domain again", cmd, what, key);
}

int cmd_block_attach(struct cli_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	return dev_no_hotplug(ctx, argv[0], "disks", "disk");
}

int cmd_network_attach(struct cli_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	return dev_no_hotplug(ctx, argv[0], "network devices", "vif");
}

/* Where a vif's frames go, without blanks (scripts split xl's output at them). */
static void dev_net_path(struct json_object *d, char *buf, size_t size)
{
	if (strcmp(dev_str(d, "network"), "bridge") == 0)
		snprintf(buf, size, "%s/%s", dev_str(d, "bridge"), dev_str(d, "tap"));
	else
		snprintf(buf, size, "%s", strcmp(dev_str(d, "network"), "user") == 0 ? "slirp" : "-");
}

static void dev_net_rows(struct cli_ctx *ctx, struct json_object *devs)
{
	char path[64];

	for (size_t i = 0; i < json_object_array_length(devs); i++) {
		struct json_object *d = json_object_array_get_idx(devs, i);
		long long idx = (long long)dev_int(d, "vdev_number");

		if (strcmp(dev_str(d, "type"), "net") != 0)
			continue;
		dev_net_path(d, path, sizeof(path));
		fprintf(ctx->out, "%-3lld %-2d %-17s %6lld %5d %6lld %5d/%-11d %-30s\n", idx, 0,
			dev_str(d, "mac"), idx, dev_xenbus_state(dev_str(d, "state")),
			(long long)dev_int(d, "spi"), -1, -1, path);
	}
}

int cmd_network_list(struct cli_ctx *ctx, int argc, char **argv)
{
	int first, ret;

	if (cli_getopt(ctx, argc, argv, "") != -1)
		return CLI_USAGE;
	first = cli_optind();
	if (first >= argc)
		return cli_usage_error(ctx, "expected at least one DOMAIN");
	fprintf(ctx->out, "%-3s %-2s %-17s %6s %5s %6s %-17s %-30s\n", "Idx", "BE", "Mac Addr.",
		"handle", "state", "evt-ch", "tx-/rx-ring-ref", "BE-path");
	for (int i = first; i < argc; i++) {
		struct json_object *result, *devs;
		char *one[] = { argv[0], argv[i] };

		ret = dev_fetch(ctx, 2, one, &result, &devs);
		if (ret != CLI_OK)
			return ret;
		dev_net_rows(ctx, devs);
		json_object_put(result);
	}
	return CLI_OK;
}
