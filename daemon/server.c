/*
 * Event loop and client connections.  A connection's input is capped by
 * its line buffer and its output by SERVER_OUT_HIGH: a client that does not
 * read its answers stops being served until it does, so no client can make
 * the daemon's memory grow without bound.
 */
#define _GNU_SOURCE /* ppoll, accept4 */
#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "dlog.h"
#include "state.h"

#define SERVER_READ_CHUNK (64 * 1024)

int server_listen(struct server *s, const char *state_dir, char *msg, size_t msglen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	memset(s, 0, sizeof(*s));
	s->listen_fd = -1;
	s->sock_path = state_path(state_dir, "", "cachetd.sock", "");
	if (!s->sock_path || strlen(s->sock_path) >= sizeof(sa.sun_path)) {
		snprintf(msg, msglen, "state directory path too long for a UNIX socket: %s", state_dir);
		return -1;
	}
	memcpy(sa.sun_path, s->sock_path, strlen(s->sock_path) + 1);
	/* The lock is held, so a socket file left here belongs to a dead daemon. */
	unlink(s->sock_path);
	s->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s->listen_fd < 0 || bind(s->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    chmod(s->sock_path, 0600) < 0 || listen(s->listen_fd, 16) < 0) {
		snprintf(msg, msglen, "cannot listen on %s: %s", s->sock_path, strerror(errno));
		return -1;
	}
	return 0;
}

static void server_conn_free(struct server_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	lbuf_free(&c->in);
	free(c->out);
	rpc_deferred_free(c->waiting);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

void server_close(struct server *s)
{
	for (size_t i = 0; i < s->n; i++)
		server_conn_free(&s->conns[i]);
	s->n = 0;
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	if (s->sock_path)
		unlink(s->sock_path);
	free(s->sock_path);
	s->sock_path = NULL;
	s->listen_fd = -1;
}

static void server_accept(struct server *s)
{
	int fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	struct server_conn *c;

	if (fd < 0)
		return;
	if (s->n == SERVER_CONNS_MAX) {
		dlog("refusing a client: %d connections already", SERVER_CONNS_MAX);
		close(fd);
		return;
	}
	c = &s->conns[s->n++];
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	lbuf_init(&c->in, RPC_LINE_MAX);
}

static size_t server_pending(const struct server_conn *c)
{
	return c->out_len - c->out_off;
}

/* Queues a response (taking ownership of rsp); false if memory ran out. */
static bool server_queue(struct server_conn *c, char *rsp, size_t len)
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

/*
 * The events sink: a copy of @line for every subscriber.  One that does not
 * read its events is dropped rather than let its backlog grow.
 */
static void server_broadcast(void *ctx, const char *line, size_t len)
{
	struct server *s = ctx;

	for (size_t i = 0; i < s->n; i++) {
		struct server_conn *c = &s->conns[i];
		char *copy;

		if (!c->subscribed || c->closing)
			continue;
		if (server_pending(c) + len > SERVER_OUT_HIGH) {
			dlog("dropping an events subscriber that does not read its events");
			c->closing = true;
			c->out_off = c->out_len;
		} else if (!(copy = strndup(line, len)) || !server_queue(c, copy, len)) {
			c->closing = true;
		}
	}
}

void server_conn_process(struct server_conn *c, struct cachetd *d)
{
	while (!c->closing && !c->waiting && server_pending(c) < SERVER_OUT_HIGH) {
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
			    : rpc_handle_line(&methods_table, d, line, len, &rlen, &c->waiting);
		d->peer_fd = -1;
		server_conn_grant(c, d);
		if (r < 0)
			c->closing = true;
		if (c->waiting)
			return;
		if (!rsp || !server_queue(c, rsp, rlen))
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
	if (!rsp || !server_queue(c, rsp, rlen))
		c->closing = true;
	server_conn_process(c, d);
}

static void server_conn_read(struct server_conn *c, struct cachetd *d)
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
	struct iovec iov = { c->out + c->out_off, server_pending(c) };
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

static void server_conn_write(struct server_conn *c, struct cachetd *d)
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

static short server_conn_events(const struct server_conn *c)
{
	short ev = 0;

	/* A hang-up is reported even without POLLIN, so a waiting client is still watched. */
	if (!c->eof && !c->closing && !c->waiting && server_pending(c) < SERVER_OUT_HIGH)
		ev |= POLLIN;
	if (server_pending(c) > 0)
		ev |= POLLOUT;
	return ev;
}

static bool server_conn_done(const struct server_conn *c)
{
	return (c->eof || c->closing) && !c->waiting && server_pending(c) == 0;
}

/*
 * Drops finished connections, keeping the array dense; a closed channel
 * client's mailbox slots are freed (those still in REQUEST on a later tick).
 */
static void server_reap(struct server *s, struct cachetd *d)
{
	uint32_t live[SERVER_CONNS_MAX];
	size_t j = 0, nr_live = 0;
	bool closed_client = false;

	for (size_t i = 0; i < s->n; i++) {
		if (server_conn_done(&s->conns[i])) {
			closed_client |= s->conns[i].client_id != 0;
			server_conn_free(&s->conns[i]);
			continue;
		}
		if (s->conns[i].client_id)
			live[nr_live++] = s->conns[i].client_id;
		if (i != j)
			s->conns[j] = s->conns[i];
		j++;
	}
	s->n = j;
	if (closed_client || d->now_ms >= s->next_reclaim_ms) {
		channel_reclaim(d, live, nr_live);
		s->next_reclaim_ms = d->now_ms + SERVER_RECLAIM_MS;
	}
}

/* pollfd layout: [0] listening socket, [1] hypervisor console, then the clients. */
static nfds_t server_pollfds(const struct server *s, const struct platform *p, struct pollfd *fds)
{
	fds[0] = (struct pollfd){ s->listen_fd, s->n < SERVER_CONNS_MAX ? POLLIN : 0, 0 };
	fds[1] = (struct pollfd){ p->serial_fd, POLLIN, 0 };
	for (size_t i = 0; i < s->n; i++)
		fds[2 + i] = (struct pollfd){ s->conns[i].fd, server_conn_events(&s->conns[i]), 0 };
	return (nfds_t)(2 + s->n);
}

static void server_serve_clients(struct server *s, struct cachetd *d, const struct pollfd *fds)
{
	for (size_t i = 0; i < s->n; i++) {
		struct server_conn *c = &s->conns[i];
		short re = fds[2 + i].revents;

		if (re & POLLOUT)
			server_conn_write(c, d);
		if (re & POLLIN) {
			server_conn_read(c, d);
		} else if (re & (POLLHUP | POLLERR)) {
			/* Nobody is left to take the answer of a waiting request. */
			rpc_deferred_free(c->waiting);
			c->waiting = NULL;
			c->eof = true;
		}
	}
}

/* After the background work: answers the waiting requests that are done now. */
static void server_resume_waiting(struct server *s, struct cachetd *d)
{
	for (size_t i = 0; i < s->n; i++)
		server_conn_resume(&s->conns[i], d);
}

static void server_wait(const struct pollfd *fds, nfds_t nfds, uint64_t until,
			const sigset_t *waitmask)
{
	uint64_t now = platform_now_ms();
	uint64_t ms = until > now ? until - now : 0;
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	ppoll((struct pollfd *)fds, nfds, &ts, waitmask);
}

int server_run(struct server *s, struct cachetd *d, struct platform *p,
	       volatile sig_atomic_t *stop, const sigset_t *waitmask, char *msg, size_t msglen)
{
	struct pollfd fds[2 + SERVER_CONNS_MAX];
	uint64_t next_tick = platform_now_ms();

	d->events.sink = server_broadcast;
	d->events.sink_ctx = s;
	while (!*stop) {
		nfds_t nfds = server_pollfds(s, p, fds);

		server_wait(fds, nfds, next_tick, waitmask);
		if (*stop)
			break;
		if ((fds[1].revents & (POLLIN | POLLHUP)) && platform_pump(p) < 0) {
			if (!platform_wait_exit(p, msg, msglen))
				snprintf(msg, msglen, "QEMU closed the hypervisor console");
			return -1;
		}
		server_serve_clients(s, d, fds);
		server_reap(s, d);
		/* After the clients: fds[] describes the connections as they were before. */
		if (fds[0].revents & POLLIN)
			server_accept(s);
		if (platform_now_ms() >= next_tick) {
			monitor_tick(d, platform_now_ms());
			server_resume_waiting(s, d);
			next_tick = platform_now_ms() + SERVER_TICK_MS;
			if (platform_exited(p, msg, msglen))
				return -1;
		}
	}
	return 0;
}
