/*
 * `cachet console DOMAIN` (and `create -c`): polls the daemon's copy of the
 * console and, when standard input is a terminal, forwards keystrokes.
 *
 * The terminal is put in raw mode so that every key (Ctrl+C too) reaches the
 * guest; Ctrl+] detaches, as in xl.  Whatever ends the session (detach, the
 * domain going away, an error, SIGTERM/SIGHUP), the terminal settings and
 * signal dispositions are restored on the single way out of
 * cli_console_attach().  Without a terminal, standard input is never read:
 * the command may run with stdin shared with something else.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cfg.h"
#include "cli.h"
#include "utf8.h"

#define CON_INPUT_SIZE 4096
/* Keystrokes the guest has not taken yet; console_write takes at most 64 KiB. */
#define CON_QUEUE_SIZE (64 * 1024)

static const int con_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
#define CON_NSIGNALS (sizeof(con_signals) / sizeof(con_signals[0]))

static volatile sig_atomic_t con_stop;

struct con {
	struct cli_ctx *ctx;
	const char *dom;
	int64_t pos;   /* absolute offset of the next byte to show */
	int64_t dropped; /* the daemon's count of bytes the guest wrote that it could not copy; -1 first */
	bool tty;      /* forwarding keystrokes from a terminal in raw mode */
	bool in_eof;   /* the terminal hung up */
	/* The start of a UTF-8 sequence the last read cut short, kept for the next. */
	char pending[4];
	size_t npending;
	/* Keystrokes waiting for room in the guest's input buffer. */
	char queue[CON_QUEUE_SIZE];
	size_t queued;
	struct termios saved;
	struct sigaction old[CON_NSIGNALS];
};

static void con_on_signal(int sig)
{
	(void)sig;
	con_stop = 1;
}

/* Signals end the loop (no SA_RESTART, so blocking calls return early). */
static void con_signals_on(struct con *c)
{
	struct sigaction sa = { .sa_handler = con_on_signal };

	sigemptyset(&sa.sa_mask);
	con_stop = 0;
	for (size_t i = 0; i < CON_NSIGNALS; i++)
		sigaction(con_signals[i], &sa, &c->old[i]);
}

static void con_signals_off(struct con *c)
{
	for (size_t i = 0; i < CON_NSIGNALS; i++)
		sigaction(con_signals[i], &c->old[i], NULL);
}

static int con_raw_on(struct con *c)
{
	struct termios raw;

	if (tcgetattr(c->ctx->in_fd, &c->saved) < 0)
		return -1;
	raw = c->saved;
	cfmakeraw(&raw);
	return tcsetattr(c->ctx->in_fd, TCSANOW, &raw);
}

static void con_raw_off(struct con *c)
{
	tcsetattr(c->ctx->in_fd, TCSADRAIN, &c->saved);
}

/* {"domain": D} for this console; the name was checked on the way in. */
static struct json_object *con_params(struct con *c)
{
	struct json_object *params = NULL;

	cli_domain_params(c->ctx, c->dom, &params);
	return params;
}

/*
 * Output that will never be shown is said so on stderr, never silently
 * skipped: bytes the daemon no longer keeps (lost), and bytes the guest wrote
 * faster than the daemon could copy them while this console was attached
 * (dropped: the daemon's running count).
 */
static void con_report_loss(struct con *c, int64_t lost, int64_t dropped)
{
	if (lost > 0)
		fprintf(c->ctx->err, "\r\n" CLI_PROG ": %lld bytes of %s's console output are no "
			"longer kept\r\n", (long long)lost, c->dom);
	if (c->dropped >= 0 && dropped > c->dropped)
		fprintf(c->ctx->err, "\r\n" CLI_PROG ": %lld bytes of %s's console output were lost "
			"(the guest wrote faster than cachetd could copy)\r\n",
			(long long)(dropped - c->dropped), c->dom);
	c->dropped = dropped;
}

/* Shows what the daemon has from c->pos on; *@got is how many bytes came. */
static int con_read(struct con *c, size_t *got, bool *alive)
{
	struct json_object *params = con_params(c), *result;
	const char *data;
	int64_t next, lost, dropped;
	int ret = -1;

	json_object_object_add(params, "pos", json_object_new_int64(c->pos));
	if (cli_call(c->ctx, "console_read", params, &result) < 0)
		return -1;
	if (cli_reply_str(c->ctx, result, "data", &data, got) == 0 &&
	    cli_reply_int(c->ctx, result, "next", &next) == 0 &&
	    cli_reply_int(c->ctx, result, "lost", &lost) == 0 &&
	    cli_reply_int(c->ctx, result, "dropped", &dropped) == 0 &&
	    cli_reply_bool(c->ctx, result, "alive", alive) == 0 &&
	    cli_write_out(c->ctx, data, *got) == 0) {
		con_report_loss(c, lost, dropped);
		c->pos = next;
		ret = 0;
	}
	json_object_put(result);
	return ret;
}

/*
 * Offers the queued keystrokes to the daemon once and keeps what the guest
 * had no room for, to offer again on the next round (PROTOCOL.md).
 */
static int con_flush(struct con *c)
{
	struct json_object *params, *result;
	int64_t accepted;
	size_t done;
	int ret;

	if (c->queued == 0)
		return 0;
	params = con_params(c);
	json_object_object_add(params, "data", json_object_new_string_len(c->queue, (int)c->queued));
	if (cli_call(c->ctx, "console_write", params, &result) < 0)
		return -1;
	ret = cli_reply_int(c->ctx, result, "accepted", &accepted);
	json_object_put(result);
	if (ret < 0)
		return -1;
	done = accepted <= 0 ? 0 : (uint64_t)accepted >= c->queued ? c->queued : (size_t)accepted;
	/* The rest of a character the guest took in part cannot be sent alone. */
	while (done > 0 && done < c->queued && ((unsigned char)c->queue[done] & 0xc0) == 0x80)
		done++;
	memmove(c->queue, c->queue + done, c->queued - done);
	c->queued -= done;
	return 0;
}

/* Queues @len bytes of valid UTF-8; what does not fit is dropped, whole characters. */
static void con_enqueue(struct con *c, const char *buf, size_t len)
{
	size_t n = len < CON_QUEUE_SIZE - c->queued ? len : CON_QUEUE_SIZE - c->queued;

	while (n > 0 && n < len && ((unsigned char)buf[n] & 0xc0) == 0x80)
		n--;
	memcpy(c->queue + c->queued, buf, n);
	c->queued += n;
}

/*
 * Copies @len typed bytes to @out (room for 3 * @len) as valid UTF-8, which
 * is all the daemon takes in a JSON string: invalid bytes become U+FFFD and,
 * when @hold, a sequence cut short at the end is kept for the next read.
 */
static size_t con_utf8_clean(struct con *c, const char *in, size_t len, char *out, bool hold)
{
	size_t i = 0, o = 0;

	while (i < len) {
		size_t seq = utf8_seq(in + i, len - i);

		if (seq > len - i && hold) {
			memcpy(c->pending, in + i, len - i);
			c->npending = len - i;
			break;
		}
		if (seq == 0 || seq > len - i) {
			memcpy(out + o, UTF8_REPLACEMENT, 3);
			o += 3;
			i++;
			continue;
		}
		memcpy(out + o, in + i, seq);
		o += seq;
		i += seq;
	}
	return o;
}

/*
 * Waits up to @wait_ms for keystrokes and queues them.  Returns 1 when the
 * user detached, 0 to go on, -1 on error.
 */
static int con_forward_input(struct con *c, int wait_ms)
{
	struct pollfd pfd = { .fd = c->ctx->in_fd, .events = POLLIN };
	char buf[sizeof(c->pending) + CON_INPUT_SIZE], out[3 * sizeof(buf)], *esc;
	ssize_t n;
	size_t len;

	n = poll(&pfd, 1, wait_ms);
	if (n < 0 && errno != EINTR) {
		cli_fail(c->ctx, "poll: %s", strerror(errno));
		return -1;
	}
	if (n <= 0)
		return 0;
	memcpy(buf, c->pending, c->npending);
	n = read(c->ctx->in_fd, buf + c->npending, CON_INPUT_SIZE);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	/* A terminal that hung up reads as EOF or, for a pty, as EIO. */
	c->in_eof = n == 0 || (n < 0 && errno == EIO);
	if (c->in_eof)
		return 0;
	if (n < 0) {
		cli_fail(c->ctx, "reading the terminal: %s", strerror(errno));
		return -1;
	}
	len = c->npending + (size_t)n;
	c->npending = 0;
	esc = memchr(buf, CLI_CONSOLE_ESCAPE, len);
	if (esc)
		len = (size_t)(esc - buf);
	con_enqueue(c, out, con_utf8_clean(c, buf, len, out, !esc));
	return esc ? 1 : 0;
}

static void con_sleep(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int con_loop(struct con *c)
{
	for (;;) {
		size_t got;
		bool alive;
		int wait, r;

		if (con_stop)
			return cli_fail(c->ctx, "console: interrupted");
		if (con_read(c, &got, &alive) < 0)
			return CLI_FAIL;
		if (!alive && got == 0)
			return CLI_OK;
		/* Drain output without pausing; poll only when there was none. */
		wait = got ? 0 : (int)c->ctx->poll_ms;
		if (c->tty && !c->in_eof) {
			r = con_forward_input(c, wait);
			if (r < 0 || con_flush(c) < 0)
				return CLI_FAIL;
			if (r > 0)
				return CLI_OK;
		} else if (wait) {
			con_sleep((unsigned int)wait);
		}
	}
}

int cli_console_attach(struct cli_ctx *ctx, const char *dom)
{
	struct con c = { .ctx = ctx, .dom = dom, .dropped = -1 };
	int ret;

	c.tty = isatty(ctx->in_fd);
	if (c.tty && con_raw_on(&c) < 0)
		return cli_fail(ctx, "cannot put the terminal in raw mode: %s", strerror(errno));
	con_signals_on(&c);
	ret = con_loop(&c);
	con_signals_off(&c);
	if (c.tty)
		con_raw_off(&c);
	return ret;
}

/* Copies the name of domain @domid in @domains, or "" for one the daemon did not create. */
static int con_find_name(struct cli_ctx *ctx, struct json_object *domains, int64_t domid,
			 char *name, size_t size)
{
	size_t n = json_object_array_length(domains);

	for (size_t i = 0; i < n; i++) {
		struct json_object *d = json_object_array_get_idx(domains, i);
		const char *s;
		int64_t id;

		if (cli_reply_int(ctx, d, "domid", &id) < 0 ||
		    cli_reply_str(ctx, d, "name", &s, NULL) < 0)
			return -1;
		if (id == domid) {
			/* Such a domain is listed as "(domid N)": it has only its id. */
			snprintf(name, size, "%s", cfg_name_is_valid(s) ? s : "");
			return 0;
		}
	}
	cli_fail(ctx, "no domain with id %lld", (long long)domid);
	return -1;
}

/*
 * Finds the name of the live domain @domid to read its console by: the
 * daemon serves the console of a domain that has gone by name only.
 */
static int con_name_of(struct cli_ctx *ctx, int64_t domid, char *name, size_t size)
{
	struct json_object *result, *domains;
	int ret = -1;

	if (cli_call(ctx, "list", NULL, &result) < 0)
		return -1;
	if (cli_reply_array(ctx, result, "domains", &domains) == 0)
		ret = con_find_name(ctx, domains, domid, name, size);
	json_object_put(result);
	return ret;
}

int cmd_console(struct cli_ctx *ctx, int argc, char **argv)
{
	struct json_object *params;
	const char *dom;
	char name[64];
	int ret;

	ret = cli_one_arg(ctx, argc, argv, "DOMAIN", &dom);
	if (ret == CLI_OK)
		ret = cli_domain_params(ctx, dom, &params);
	if (ret != CLI_OK)
		return ret;
	json_object_put(params);
	if (cli_arg_is_domid(dom)) {
		if (con_name_of(ctx, atoll(dom), name, sizeof(name)) < 0)
			return CLI_FAIL;
		if (*name)
			dom = name;
	}
	return cli_console_attach(ctx, dom);
}
