/*
 * Listening sockets, admission of clients (peer credentials, per-user and
 * total limits) and the event loop.
 */
#define _GNU_SOURCE /* ppoll, accept4 */
#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "dlog.h"
#include "errmap.h"
#include "state.h"

#define SERVER_BACKLOG 64
#define SERVER_REFUSED_LOG_MS 1000 /* at most one refusal line per second in the log */

/* Socket modes: the peer check decides, the modes keep strangers from even connecting. */
static mode_t server_socket_mode(const struct server_cfg *cfg, bool read_only)
{
	if (read_only)
		return 0666;
	return cfg->policy.has_group ? 0660 : 0600;
}

static int server_listen_one(struct server_listener *l, const char *state_dir, const char *name,
			     const struct server_cfg *cfg, char *msg, size_t msglen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	l->path = state_path(state_dir, "", name, "");
	if (!l->path || strlen(l->path) >= sizeof(sa.sun_path)) {
		snprintf(msg, msglen, "state directory path too long for a UNIX socket: %s", state_dir);
		return -1;
	}
	memcpy(sa.sun_path, l->path, strlen(l->path) + 1);
	/* The lock is held, so a socket file left here belongs to a dead daemon. */
	unlink(l->path);
	l->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (l->fd < 0 || bind(l->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    (!l->read_only && cfg->policy.has_group && chown(l->path, (uid_t)-1, cfg->policy.group) < 0) ||
	    chmod(l->path, server_socket_mode(cfg, l->read_only)) < 0 ||
	    listen(l->fd, SERVER_BACKLOG) < 0) {
		snprintf(msg, msglen, "cannot listen on %s: %s", l->path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Others must be able to pass through the state directory to reach a shared socket. */
static int server_open_dir(const char *state_dir, const struct server_cfg *cfg, char *msg,
			   size_t msglen)
{
	struct stat st;

	if ((!cfg->policy.has_group && !cfg->ro_socket) || stat(state_dir, &st) < 0 ||
	    (st.st_mode & 0011) == 0011)
		return 0;
	if (chmod(state_dir, (st.st_mode & 07777) | 0011) < 0) {
		snprintf(msg, msglen, "cannot let others reach the sockets in %s: %s", state_dir,
			 strerror(errno));
		return -1;
	}
	return 0;
}

int server_listen(struct server *s, const char *state_dir, const struct server_cfg *cfg,
		  char *msg, size_t msglen)
{
	memset(s, 0, sizeof(*s));
	s->cfg = *cfg;
	s->lis[0].fd = s->lis[1].fd = -1;
	for (size_t i = 0; i < 3; i++) {
		s->tables[i] = methods_table;
		s->tables[i].access = (enum rpc_access)i;
	}
	s->conns = calloc(SERVER_CONNS_MAX, sizeof(*s->conns));
	if (!s->conns) {
		snprintf(msg, msglen, "out of memory");
		return -1;
	}
	s->nlis = cfg->ro_socket ? 2 : 1;
	s->lis[1].read_only = true;
	if (server_open_dir(state_dir, cfg, msg, msglen) < 0 ||
	    server_listen_one(&s->lis[0], state_dir, "cachetd.sock", cfg, msg, msglen) < 0)
		return -1;
	if (cfg->ro_socket &&
	    server_listen_one(&s->lis[1], state_dir, "cachetd-ro.sock", cfg, msg, msglen) < 0)
		return -1;
	return 0;
}

void server_close(struct server *s)
{
	for (size_t i = 0; i < s->n; i++)
		server_conn_free(&s->conns[i]);
	s->n = 0;
	free(s->conns);
	s->conns = NULL;
	for (size_t i = 0; i < 2; i++) {
		if (s->lis[i].fd >= 0)
			close(s->lis[i].fd);
		if (s->lis[i].path)
			unlink(s->lis[i].path);
		free(s->lis[i].path);
		s->lis[i].path = NULL;
		s->lis[i].fd = -1;
	}
}

static size_t server_user_conns(const struct server *s, uid_t uid)
{
	size_t n = 0;

	for (size_t i = 0; i < s->n; i++)
		n += s->conns[i].uid == uid;
	return n;
}

static void server_log_refusal(struct server *s, uint64_t now_ms, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A local user could fill the log with refusals: at most one line per second. */
static void server_log_refusal(struct server *s, uint64_t now_ms, const char *fmt, ...)
{
	char why[RPC_MSG_MAX];
	va_list ap;

	if (s->refused_log_ms != 0 && now_ms - s->refused_log_ms < SERVER_REFUSED_LOG_MS)
		return;
	s->refused_log_ms = now_ms;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	dlog("refused a client: %s", why);
}

/* Tells a refused client why (one line, best effort: the socket is non-blocking). */
static void server_refuse(struct server *s, int fd, uint64_t now_ms, const struct rpc_error *err)
{
	size_t len = 0;
	char *rsp = rpc_error_response(err, &len);

	/* A client that cannot take the line is not told; it is refused all the same. */
	if (rsp && send(fd, rsp, len, MSG_NOSIGNAL | MSG_DONTWAIT) != (ssize_t)len)
		dlog("could not tell a refused client why");
	free(rsp);
	close(fd);
	server_log_refusal(s, now_ms, "%s", err->message);
}

/*
 * Whether a peer may have one more connection; err says why not.  A peer
 * without access gets one too (within the same limits), so that it can be
 * told why once it asks something: closing at once would race with its
 * first write and leave it with a broken pipe instead of a reason.
 */
static bool server_admit(const struct server *s, const struct server_peer *peer,
			 struct rpc_error *err)
{
	if (s->n == SERVER_CONNS_MAX || server_user_conns(s, peer->uid) >= SERVER_CONNS_PER_USER) {
		rpc_error_set(err, errmap_code(CACHET_LIB_ENOMEM), "too many connections%s (uid %lu)",
			      s->n == SERVER_CONNS_MAX ? "" : " from this user",
			      (unsigned long)peer->uid);
		return false;
	}
	return true;
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
		if (server_conn_pending(c) + len > SERVER_OUT_HIGH) {
			dlog("dropping an events subscriber that does not read its events");
			c->closing = true;
			c->out_off = c->out_len;
		} else if (!(copy = strndup(line, len)) || !server_conn_queue(c, copy, len)) {
			c->closing = true;
		}
	}
}

static enum rpc_access server_rpc_access(enum server_access a)
{
	return a == SERVER_ACCESS_FULL ? RPC_ACCESS_FULL
	       : a == SERVER_ACCESS_READ ? RPC_ACCESS_MONITOR : RPC_ACCESS_NONE;
}

static void server_accept(struct server *s, struct server_listener *l, uint64_t now_ms)
{
	int fd = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	enum server_access access;
	struct server_peer peer;
	struct rpc_error err;

	if (fd < 0) {
		/* The socket stays readable: stop listening until a connection closes. */
		if (errno == EMFILE || errno == ENFILE) {
			s->accept_paused = true;
			server_log_refusal(s, now_ms, "out of file descriptors: %s", strerror(errno));
		}
		return;
	}
	if (server_peer_get(fd, &s->cfg.policy, &peer) < 0) {
		close(fd);
		return;
	}
	access = server_peer_access(&s->cfg.policy, &peer, l->read_only);
	if (!server_admit(s, &peer, &err)) {
		server_refuse(s, fd, now_ms, &err);
		return;
	}
	server_conn_init(&s->conns[s->n++], fd, &s->tables[server_rpc_access(access)], peer.uid,
			 now_ms);
	if (access == SERVER_ACCESS_NONE)
		server_log_refusal(s, now_ms, "uid %lu may not use cachetd", (unsigned long)peer.uid);
}

/*
 * Drops finished and stalled connections, keeping the array dense; a closed
 * channel client's mailbox slots are freed (those still in REQUEST on a
 * later tick).
 */
static void server_reap(struct server *s, struct cachetd *d)
{
	uint32_t live[SERVER_CONNS_MAX];
	size_t j = 0, nr_live = 0;
	bool closed_client = false;

	for (size_t i = 0; i < s->n; i++) {
		if (server_conn_done(&s->conns[i]) || server_conn_stalled(&s->conns[i], d->now_ms)) {
			closed_client |= s->conns[i].client_id != 0;
			server_conn_free(&s->conns[i]);
			s->accept_paused = false;
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

/*
 * pollfd layout: the listening sockets, the hypervisor console, the build
 * threads' eventfd, then the clients.
 */
#define SERVER_FD_SERIAL 2
#define SERVER_FD_JOBS 3
#define SERVER_FD_CLIENTS 4

static nfds_t server_pollfds(const struct server *s, const struct cachetd *d,
			     const struct platform *p, struct pollfd *fds)
{
	short accept_ev = s->n < SERVER_CONNS_MAX && !s->accept_paused ? POLLIN : 0;

	for (size_t i = 0; i < 2; i++)
		fds[i] = (struct pollfd){ i < s->nlis ? s->lis[i].fd : -1, accept_ev, 0 };
	fds[SERVER_FD_SERIAL] = (struct pollfd){ p->serial_fd, POLLIN, 0 };
	fds[SERVER_FD_JOBS] = (struct pollfd){ d->jobs_fd, POLLIN, 0 };
	for (size_t i = 0; i < s->n; i++)
		fds[SERVER_FD_CLIENTS + i] =
			(struct pollfd){ s->conns[i].fd, server_conn_events(&s->conns[i]), 0 };
	return (nfds_t)(SERVER_FD_CLIENTS + s->n);
}

static void server_serve_clients(struct server *s, struct cachetd *d, const struct pollfd *fds)
{
	for (size_t i = 0; i < s->n; i++) {
		struct server_conn *c = &s->conns[i];
		short re = fds[SERVER_FD_CLIENTS + i].revents;

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

static void server_reopen_logs(struct server_flags *f)
{
	f->reopen = 0;
	if (dlog_reopen() < 0)
		dlog("SIGHUP: cannot reopen the log; still writing the old file");
	else
		dlog("SIGHUP: log reopened");
}

int server_run(struct server *s, struct cachetd *d, struct platform *p, struct server_flags *f,
	       const sigset_t *waitmask, char *msg, size_t msglen)
{
	struct pollfd *fds = calloc(SERVER_FD_CLIENTS + SERVER_CONNS_MAX, sizeof(*fds));
	uint64_t next_tick = platform_now_ms();
	int rc = 0;

	if (!fds) {
		snprintf(msg, msglen, "out of memory");
		return -1;
	}
	d->events.sink = server_broadcast;
	d->events.sink_ctx = s;
	while (!f->stop) {
		nfds_t nfds = server_pollfds(s, d, p, fds);

		server_wait(fds, nfds, next_tick, waitmask);
		if (f->stop)
			break;
		if (f->reopen)
			server_reopen_logs(f);
		if ((fds[SERVER_FD_SERIAL].revents & (POLLIN | POLLHUP)) && platform_pump(p) < 0) {
			if (!platform_wait_exit(p, msg, msglen))
				snprintf(msg, msglen, "QEMU closed the hypervisor console");
			rc = -1;
			break;
		}
		d->now_ms = platform_now_ms();
		server_serve_clients(s, d, fds);
		server_reap(s, d);
		/* After the clients: fds[] describes the connections as they were before. */
		for (size_t i = 0; i < s->nlis; i++) {
			if (fds[i].revents & POLLIN)
				server_accept(s, &s->lis[i], d->now_ms);
		}
		/* A build finished: its client is answered now, not at the next tick. */
		if (fds[SERVER_FD_JOBS].revents & POLLIN) {
			create_job_collect(d);
			server_resume_waiting(s, d);
		}
		if (platform_now_ms() >= next_tick) {
			monitor_tick(d, platform_now_ms());
			server_resume_waiting(s, d);
			next_tick = platform_now_ms() + SERVER_TICK_MS;
			if (platform_exited(p, msg, msglen)) {
				rc = -1;
				break;
			}
		}
	}
	free(fds);
	return rc;
}
