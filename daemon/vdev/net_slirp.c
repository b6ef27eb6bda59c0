/*
 * User-mode networking with libslirp (netbe.h).  The guest sits alone on
 * 10.0.2.0/24 as QEMU's -netdev user puts it: slirp answers DHCP (the guest
 * gets 10.0.2.15, or vif ip=), is the router and the host at 10.0.2.2 (so
 * 10.0.2.2:PORT reaches the host's 127.0.0.1:PORT), and relays DNS at
 * 10.0.2.3 to the host's resolvers.  The guest's connections become the
 * daemon's own sockets; port forwards (vif forward=) listen on the host.
 * libslirp is single-threaded: every call here is on the guest's device
 * service thread, which polls slirp's sockets and runs its timers.
 */
#include "netbe.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <slirp/libslirp.h>

#include "dlog.h"

/*
 * The link's MTU: slirp has no wire, so the largest it takes (as
 * slirp4netns does) lets the guest send 64 KiB frames, about forty times
 * fewer than at 1500 for the same stream, and frames are what cost.
 */
#define SLIRP_MTU 65520u

/* Guest errors slirp reports (malformed packets) logged per device. */
#define SLIRP_GUEST_ERRORS_LOGGED 10

/* A timer libslirp asked for (SlirpCb.timer_new_opaque). */
struct slirp_timer {
	int64_t expire_ms;       /* on slirp_clock_ms's scale; -1 when not armed */
	SlirpTimerId id;
	void *cb_opaque;
	struct slirp_timer *next;
};

struct netbe_slirp {
	struct netbe be;         /* first: the device holds a struct netbe * */
	Slirp *slirp;
	struct slirp_timer *timers;
	char mac[18];            /* for log lines */
	uint64_t to_guest;       /* frames slirp sent to the guest */
	uint64_t from_guest;     /* frames the guest sent to slirp */
	uint64_t guest_errors;
};

static int64_t slirp_clock_ns(void *opaque)
{
	struct timespec ts;

	(void)opaque;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t slirp_clock_ms(void)
{
	return slirp_clock_ns(NULL) / 1000000;
}

static ssize_t slirp_send_packet(const void *buf, size_t len, void *opaque)
{
	struct netbe_slirp *s = opaque;

	s->to_guest++;
	s->be.peer.receive(s->be.peer.opaque, buf, len);
	return (ssize_t)len;
}

static void slirp_guest_error(const char *msg, void *opaque)
{
	struct netbe_slirp *s = opaque;

	if (s->guest_errors++ < SLIRP_GUEST_ERRORS_LOGGED)
		dlog("net %s: slirp: guest error: %s", s->mac, msg);
}

static void *slirp_timer_new(SlirpTimerId id, void *cb_opaque, void *opaque)
{
	struct netbe_slirp *s = opaque;
	struct slirp_timer *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->expire_ms = -1;
	t->id = id;
	t->cb_opaque = cb_opaque;
	t->next = s->timers;
	s->timers = t;
	return t;
}

static void slirp_timer_free(void *timer, void *opaque)
{
	struct netbe_slirp *s = opaque;

	for (struct slirp_timer **p = &s->timers; *p; p = &(*p)->next) {
		if (*p == timer) {
			*p = (*p)->next;
			free(timer);
			return;
		}
	}
}

static void slirp_timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
	(void)opaque;
	((struct slirp_timer *)timer)->expire_ms = expire_ms;
}

/* The service thread polls slirp's descriptors afresh before every wait. */
static void slirp_poll_fd_ignored(int fd, void *opaque)
{
	(void)fd;
	(void)opaque;
}

static void slirp_notify_ignored(void *opaque)
{
	(void)opaque;
}

static const SlirpCb slirp_callbacks = {
	.send_packet = slirp_send_packet,
	.guest_error = slirp_guest_error,
	.clock_get_ns = slirp_clock_ns,
	.timer_free = slirp_timer_free,
	.timer_mod = slirp_timer_mod,
	.register_poll_fd = slirp_poll_fd_ignored,
	.unregister_poll_fd = slirp_poll_fd_ignored,
	.notify = slirp_notify_ignored,
	.timer_new_opaque = slirp_timer_new,
};

static int slirp_add_poll(int fd, int events, void *opaque)
{
	short ev = 0;

	if (events & SLIRP_POLL_IN)
		ev |= POLLIN;
	if (events & SLIRP_POLL_OUT)
		ev |= POLLOUT;
	if (events & SLIRP_POLL_PRI)
		ev |= POLLPRI;
	return vdev_pollset_add(opaque, fd, ev);
}

static int slirp_get_revents(int idx, void *opaque)
{
	const struct vdev_pollset *ps = opaque;
	short re;
	int ev = 0;

	if (idx < 0 || (unsigned int)idx >= ps->n)
		return 0;
	re = ps->fd[idx].revents;
	if (re & POLLIN)
		ev |= SLIRP_POLL_IN;
	if (re & POLLOUT)
		ev |= SLIRP_POLL_OUT;
	if (re & POLLPRI)
		ev |= SLIRP_POLL_PRI;
	if (re & POLLERR)
		ev |= SLIRP_POLL_ERR;
	if (re & POLLHUP)
		ev |= SLIRP_POLL_HUP;
	return ev;
}

static void slirp_send(struct netbe *be, const uint8_t *frame, size_t len)
{
	struct netbe_slirp *s = (struct netbe_slirp *)be;

	if (len > INT_MAX) {
		s->be.tx_dropped++;
		return;
	}
	s->from_guest++;
	slirp_input(s->slirp, frame, (int)len);
}

static void slirp_prepare(struct netbe *be, struct vdev_pollset *ps, int *timeout_ms)
{
	struct netbe_slirp *s = (struct netbe_slirp *)be;
	uint32_t timeout = *timeout_ms < 0 ? UINT32_MAX : (uint32_t)*timeout_ms;
	int64_t now = slirp_clock_ms();

	slirp_pollfds_fill(s->slirp, &timeout, slirp_add_poll, ps);
	if (timeout != UINT32_MAX)
		netbe_timeout_min(timeout_ms, timeout);
	for (struct slirp_timer *t = s->timers; t; t = t->next)
		if (t->expire_ms >= 0)
			netbe_timeout_min(timeout_ms, t->expire_ms > now ? t->expire_ms - now : 0);
}

/* The first armed timer that is due at @now, or NULL. */
static struct slirp_timer *slirp_due_timer(struct netbe_slirp *s, int64_t now)
{
	for (struct slirp_timer *t = s->timers; t; t = t->next)
		if (t->expire_ms >= 0 && t->expire_ms <= now)
			return t;
	return NULL;
}

/*
 * Runs the timers that are due.  A handler may free or add timers, so the
 * list is searched again after each; each is disarmed before its handler
 * runs (it re-arms itself for later).
 */
static void slirp_run_timers(struct netbe_slirp *s)
{
	int64_t now = slirp_clock_ms();
	struct slirp_timer *t;

	while ((t = slirp_due_timer(s, now)) != NULL) {
		t->expire_ms = -1;
		slirp_handle_timer(s->slirp, t->id, t->cb_opaque);
	}
}

static void slirp_done(struct netbe *be, const struct vdev_pollset *ps)
{
	struct netbe_slirp *s = (struct netbe_slirp *)be;

	slirp_pollfds_poll(s->slirp, 0, slirp_get_revents, (void *)ps);
	slirp_run_timers(s);
}

static void slirp_stats(struct netbe *be, struct json_object *out)
{
	struct netbe_slirp *s = (struct netbe_slirp *)be;

	json_object_object_add(out, "slirp_frames_to_guest", json_object_new_uint64(s->to_guest));
	json_object_object_add(out, "slirp_frames_from_guest",
			       json_object_new_uint64(s->from_guest));
	json_object_object_add(out, "slirp_guest_errors", json_object_new_uint64(s->guest_errors));
}

static void slirp_destroy(struct netbe *be)
{
	struct netbe_slirp *s = (struct netbe_slirp *)be;

	if (s->slirp)
		slirp_cleanup(s->slirp);
	while (s->timers) {
		struct slirp_timer *t = s->timers;

		s->timers = t->next;
		free(t);
	}
	free(s);
}

static const struct netbe_ops slirp_ops = {
	.kind = "user",
	.mtu = SLIRP_MTU,
	.send = slirp_send,
	.poll_prepare = slirp_prepare,
	.poll_done = slirp_done,
	.stats = slirp_stats,
	.destroy = slirp_destroy,
};

/* The guest's /24: 10.0.2.0, or the one around vif ip=. */
static void slirp_network(const struct net_cfg *cfg, SlirpConfig *sc)
{
	uint32_t net = cfg->ip_given ? ntohl(cfg->ip.s_addr) & 0xffffff00u : 0x0a000200u;

	sc->vnetwork.s_addr = htonl(net);
	sc->vnetmask.s_addr = htonl(0xffffff00u);
	sc->vhost.s_addr = htonl(net | 2);
	sc->vnameserver.s_addr = htonl(net | 3);
	sc->vdhcp_start.s_addr = cfg->ip_given ? cfg->ip.s_addr : htonl(net | 15);
}

static int slirp_forward(struct netbe_slirp *s, const struct net_fwd *f, struct in_addr guest,
			 char *msg, size_t msglen)
{
	char host[INET_ADDRSTRLEN];

	if (slirp_add_hostfwd(s->slirp, f->udp, f->host, f->host_port, guest, f->guest_port) == 0)
		return 0;
	inet_ntop(AF_INET, &f->host, host, sizeof(host));
	snprintf(msg, msglen, "forward=%s:%s:%u:%u: cannot listen on %s port %u of the host "
		 "(in use, or a privileged port?)", f->udp ? "udp" : "tcp", host, f->host_port,
		 f->guest_port, f->udp ? "UDP" : "TCP", f->host_port);
	return -1;
}

struct netbe *netbe_slirp_new(const struct net_cfg *cfg, const struct netbe_peer *peer,
			      char *msg, size_t msglen)
{
	struct netbe_slirp *s = calloc(1, sizeof(*s));
	SlirpConfig sc = { .version = 4, .in_enabled = true, .vhostname = "cachet",
			   .if_mtu = SLIRP_MTU, .if_mru = SLIRP_MTU };

	if (!s) {
		snprintf(msg, msglen, "out of memory");
		return NULL;
	}
	s->be.ops = &slirp_ops;
	s->be.peer = *peer;
	snprintf(s->mac, sizeof(s->mac), "%02x:%02x:%02x:%02x:%02x:%02x", cfg->mac[0],
		 cfg->mac[1], cfg->mac[2], cfg->mac[3], cfg->mac[4], cfg->mac[5]);
	slirp_network(cfg, &sc);
	s->slirp = slirp_new(&sc, &slirp_callbacks, s);
	if (!s->slirp) {
		snprintf(msg, msglen, "libslirp could not start user-mode networking");
		slirp_destroy(&s->be);
		return NULL;
	}
	for (unsigned int i = 0; i < cfg->nfwd; i++) {
		if (slirp_forward(s, &cfg->fwd[i], sc.vdhcp_start, msg, msglen) < 0) {
			slirp_destroy(&s->be);
			return NULL;
		}
	}
	return &s->be;
}
