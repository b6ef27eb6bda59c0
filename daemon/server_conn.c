/*
 * One client connection.  Its input is capped by its line buffer and its
 * output by SERVER_OUT_HIGH: a client that does not read its answers stops
 * being served until it does, so no client can make the daemon's memory
 * grow without bound.  A request must arrive whole within SERVER_IDLE_MS of
 * the connection or of the previous request, so a client that starts a
 * request and stalls cannot hold its slot; a client that keeps asking
 * (`cachet console` polling) stays as long as it likes.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server.h"

#define SERVER_READ_CHUNK (64 * 1024)

void server_conn_init(struct server_conn *c, int fd, const struct rpc_table *table, uid_t uid,
		      uint64_t now_ms)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->table = table;
	c->uid = uid;
	c->since_ms = now_ms;
	lbuf_init(&c->in, RPC_LINE_MAX);
}

void server_conn_free(struct server_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	lbuf_free(&c->in);
	free(c->out);
	rpc_deferred_free(c->waiting);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

static size_t server_pending(const struct server_conn *c)
{
	return c->out_len - c->out_off;
}

bool server_conn_queue(struct server_conn *c, char *rsp, size_t len)
{
	if (c->out_off > 0 && c->out_off == c->out_len)
		c->out_off = c->out_len = 0;
	if (c->out_len + len > c->out_alloc) {
		size_t want = c->out_len + len + SERVER_READ_CHUNK;
		char *p = realloc(c->out, want);

		if (!p) {
			free(rsp);
			return false;
		}
		c->out = p;
		c->out_alloc = want;
	}
	memcpy(c->out + c->out_len, rsp, len);
	c->out_len += len;
	free(rsp);
	return true;
}

void server_conn_process(struct server_conn *c, struct cachetd *d)
{
	const struct rpc_table *t = c->table ? c->table : &methods_table;

	while (!c->closing && !c->waiting && server_pending(c) < SERVER_OUT_HIGH) {
		const char *line;
		size_t len, rlen = 0;
		char *rsp;
		int r = lbuf_next(&c->in, &line, &len);

		if (r == 0)
			return;
		/* An over-long line cannot be resynchronised: answer once, then hang up. */
		rsp = r < 0 ? rpc_oversize_response(&rlen)
			    : rpc_handle_line(t, d, line, len, &rlen, &c->waiting);
		if (r < 0)
			c->closing = true;
		c->spoke = true;
		c->since_ms = d->now_ms;
		if (c->waiting)
			return;
		if (!rsp || !server_conn_queue(c, rsp, rlen))
			c->closing = true;
	}
}

void server_conn_resume(struct server_conn *c, struct cachetd *d)
{
	size_t rlen = 0;
	char *rsp;

	if (!c->waiting || !rpc_deferred_poll(c->waiting, d, &rsp, &rlen))
		return;
	c->waiting = NULL;
	c->since_ms = d->now_ms;
	if (!rsp || !server_conn_queue(c, rsp, rlen))
		c->closing = true;
	server_conn_process(c, d);
}

void server_conn_read(struct server_conn *c, struct cachetd *d)
{
	char buf[SERVER_READ_CHUNK];
	ssize_t n = read(c->fd, buf, sizeof(buf));

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		c->eof = true;
		return;
	}
	if (lbuf_append(&c->in, buf, (size_t)n) < 0) {
		c->closing = true;
		return;
	}
	server_conn_process(c, d);
}

void server_conn_write(struct server_conn *c, struct cachetd *d)
{
	ssize_t n = send(c->fd, c->out + c->out_off, server_pending(c), MSG_NOSIGNAL);

	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR) {
			c->eof = true;
			c->closing = true;
			c->out_off = c->out_len; /* the client is gone: drop what it did not read */
		}
		return;
	}
	c->out_off += (size_t)n;
	/* Requests held back while output was high can be handled now. */
	server_conn_process(c, d);
}

short server_conn_events(const struct server_conn *c)
{
	short ev = 0;

	/* A hang-up is reported even without POLLIN, so a waiting client is still watched. */
	if (!c->eof && !c->closing && !c->waiting && server_pending(c) < SERVER_OUT_HIGH)
		ev |= POLLIN;
	if (server_pending(c) > 0)
		ev |= POLLOUT;
	return ev;
}

bool server_conn_done(const struct server_conn *c)
{
	return (c->eof || c->closing) && !c->waiting && server_pending(c) == 0;
}

bool server_conn_stalled(const struct server_conn *c, uint64_t now_ms)
{
	bool started = !c->spoke || lbuf_pending(&c->in) > 0;

	/* Waiting for an answer or for the client to read one is not stalling. */
	return started && !c->waiting && server_pending(c) == 0 &&
	       now_ms - c->since_ms >= SERVER_IDLE_MS;
}
