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

#include "dlog.h"
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

size_t server_conn_pending(const struct server_conn *c)
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

/* channel_open succeeded on this connection: its answer carries the descriptors. */
static void server_conn_grant(struct server_conn *c, struct cachetd *d)
{
	if (!d->granted_id)
		return;
	if (c->client_id) {
		/* A second grant on one connection replaces the first id. */
		dlog("channel: client %u asked again; now client %u", c->client_id, d->granted_id);
	}
	c->client_id = d->granted_id;
	c->pass_fds = true;
	d->granted_id = 0;
}

/* After events_subscribe's answer is queued, the connection gets the events that follow. */
static void server_conn_check_subscribe(struct server_conn *c, struct cachetd *d)
{
	if (!d->events.subscribe_pending)
		return;
	d->events.subscribe_pending = false;
	c->subscribed = true;
}

void server_conn_process(struct server_conn *c, struct cachetd *d)
{
	const struct rpc_table *t = c->table ? c->table : &methods_table;

	while (!c->closing && !c->waiting && server_conn_pending(c) < SERVER_OUT_HIGH) {
		const char *line;
		size_t len, rlen = 0;
		char *rsp;
		int r = lbuf_next(&c->in, &line, &len);

		if (r == 0)
			return;
		/* An over-long line cannot be resynchronised: answer once, then hang up. */
		d->peer_fd = c->fd;
		d->granted_id = 0;
		rsp = r < 0 ? rpc_oversize_response(&rlen)
			    : rpc_handle_line(t, d, line, len, &rlen, &c->waiting);
		d->peer_fd = -1;
		server_conn_grant(c, d);
		if (r < 0)
			c->closing = true;
		c->spoke = true;
		c->since_ms = d->now_ms;
		if (c->waiting)
			return;
		if (!rsp || !server_conn_queue(c, rsp, rlen))
			c->closing = true;
		server_conn_check_subscribe(c, d);
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

/* Sends pending output, with the channel's descriptors if this connection was granted them. */
static ssize_t server_conn_send(struct server_conn *c, struct cachetd *d)
{
	int fds[2];
	size_t nfds = (size_t)channel_fds(d, fds);
	union {
		char buf[CMSG_SPACE(sizeof(fds))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { c->out + c->out_off, server_conn_pending(c) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;
	ssize_t n;

	if (!c->pass_fds)
		return send(c->fd, iov.iov_base, iov.iov_len, MSG_NOSIGNAL);
	memset(&u, 0, sizeof(u));
	mh.msg_control = u.buf;
	mh.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(nfds * sizeof(int));
	memcpy(CMSG_DATA(cm), fds, nfds * sizeof(int));
	n = sendmsg(c->fd, &mh, MSG_NOSIGNAL);
	if (n > 0)
		c->pass_fds = false;
	return n;
}

void server_conn_write(struct server_conn *c, struct cachetd *d)
{
	ssize_t n = server_conn_send(c, d);

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
	if (!c->eof && !c->closing && !c->waiting && server_conn_pending(c) < SERVER_OUT_HIGH)
		ev |= POLLIN;
	if (server_conn_pending(c) > 0)
		ev |= POLLOUT;
	return ev;
}

bool server_conn_done(const struct server_conn *c)
{
	return (c->eof || c->closing) && !c->waiting && server_conn_pending(c) == 0;
}

bool server_conn_stalled(const struct server_conn *c, uint64_t now_ms)
{
	bool started = !c->spoke || lbuf_pending(&c->in) > 0;

	/* Waiting for an answer or for the client to read one is not stalling. */
	return started && !c->waiting && server_conn_pending(c) == 0 &&
	       now_ms - c->since_ms >= SERVER_IDLE_MS;
}
