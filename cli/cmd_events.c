/*
 * `cachet events`: cachetd's lifecycle events as `virsh event --all`
 * prints them, read through libcachet's event stream (cachet_events_*),
 * which this command polls like any event loop would.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cachet/cachet.h"
#include "cli.h"

/* libvirt's words for each event (virsh's lifecycle event and detail strings). */
static const char *const events_words[] = {
	[CACHET_LC_CREATED] = "Defined Added",
	[CACHET_LC_STARTED] = "Started Booted",
	[CACHET_LC_PAUSED] = "Suspended Paused",
	[CACHET_LC_RESUMED] = "Resumed Unpaused",
	[CACHET_LC_SHUTDOWN] = "Shutdown Finished after guest request",
	[CACHET_LC_CRASHED] = "Crashed Panicked",
	[CACHET_LC_REBOOTED] = NULL, /* virsh prints reboots as their own kind of event */
	[CACHET_LC_DESTROYED] = "Stopped Destroyed",
};

static void events_print(struct cli_ctx *ctx, const struct cachet_lifecycle_event *ev)
{
	const char *name = ev->name[0] ? ev->name : "(unnamed)";

	if (ev->type == CACHET_LC_REBOOTED)
		fprintf(ctx->out, "event 'reboot' for domain '%s'", name);
	else
		fprintf(ctx->out, "event 'lifecycle' for domain '%s': %s", name,
			events_words[ev->type]);
	/* What virsh has no word for: the domain id and Cachet's detail. */
	fprintf(ctx->out, " [id %u%s%s]\n", ev->domid, ev->detail[0] ? ", " : "", ev->detail);
	fflush(ctx->out);
}

static int events_args(struct cli_ctx *ctx, int argc, char **argv, bool *loop, int *timeout_ms)
{
	char *end;
	long s;
	int opt;

	while ((opt = cli_getopt(ctx, argc, argv, "lt:")) != -1) {
		if (opt == '?')
			return CLI_USAGE;
		if (opt == 'l') {
			*loop = true;
			continue;
		}
		s = strtol(optarg, &end, 10);
		if (*end || end == optarg || s <= 0 || s > 86400)
			return cli_usage_error(ctx, "-t: '%s' is not a number of seconds (1-86400)",
					       optarg);
		*timeout_ms = (int)s * 1000;
	}
	if (cli_optind() < argc)
		return cli_usage_error(ctx, "too many arguments");
	return CLI_OK;
}

static int64_t events_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Prints events as they come: one, or all with -l, until -t runs out (exit 0). */
static int events_loop(struct cli_ctx *ctx, cachet_events *sub, bool loop, int timeout_ms)
{
	int64_t end = timeout_ms ? events_now_ms() + timeout_ms : 0;
	struct cachet_lifecycle_event ev;
	struct pollfd p = { cachet_events_fd(sub), POLLIN, 0 };
	int rc;

	for (;;) {
		while ((rc = cachet_events_read(sub, &ev)) == 1) {
			events_print(ctx, &ev);
			if (!loop)
				return CLI_OK;
		}
		if (rc < 0)
			return cli_fail(ctx, "%s", cachet_last_error(NULL));
		if (end && events_now_ms() >= end)
			return CLI_OK;
		if (poll(&p, 1, end ? (int)(end - events_now_ms()) : -1) < 0 && errno != EINTR)
			return cli_fail(ctx, "poll: %s", strerror(errno));
	}
}

int cmd_events(struct cli_ctx *ctx, int argc, char **argv)
{
	bool loop = false;
	int timeout_ms = 0, ret = events_args(ctx, argc, argv, &loop, &timeout_ms);
	cachet_events *sub;
	const char *sock;

	if (ret != CLI_OK)
		return ret;
	if (cli_socket_path(ctx, &sock) < 0)
		return CLI_FAIL;
	if (cachet_events_open(sock, &sub) < 0)
		return cli_fail(ctx, "%s", cachet_last_error(NULL));
	/* Subscribed: say so, so that a script knows events from now on are seen. */
	fprintf(ctx->err, "Listening for events (Ctrl+C stops)\n");
	ret = events_loop(ctx, sub, loop, timeout_ms);
	cachet_events_close(sub);
	return ret;
}
