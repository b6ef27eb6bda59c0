/*
 * A TAP device on a bridge (netbe.h), for vifs with bridge=: what xl's
 * vif-bridge gives a Xen guest.  The daemon makes the TAP device (named by
 * vifname=, else as the device model chose), brings it up, adds it to the
 * bridge and then runs script= with the device's name as its argument, as
 * xl runs a vif script.  It needs CAP_NET_ADMIN (root).  Frames pass
 * without a virtio_net_hdr (no IFF_VNET_HDR: the device offers no
 * offloads); the TAP device is read only while the guest has room, so the
 * kernel's queue holds what the guest cannot take yet.
 */
#include "netbe.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <linux/sockios.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* Frames read per wakeup, so one busy device cannot hold the service thread. */
#define TAP_BURST 64
/* The largest frame a TAP device gives without GSO, with room to spare. */
#define TAP_FRAME_MAX 65536
/* Where script= names without a slash are looked up. */
#define TAP_SCRIPT_DIR "/etc/cachet/scripts"

struct netbe_tap {
	struct netbe be;         /* first: the device holds a struct netbe * */
	int fd;
	int idx;                 /* the fd's index in this wait's pollset, or -1 */
	char ifname[IFNAMSIZ];
	uint64_t to_guest, from_guest;
	uint8_t frame[TAP_FRAME_MAX];
};

static int tap_fail(char *msg, size_t msglen, const char *what, const char *name, int err)
{
	snprintf(msg, msglen, "%s %s: %s%s", what, name, strerror(err),
		 err == EPERM || err == EACCES ?
			 " (a TAP device needs root or CAP_NET_ADMIN; without bridge= the "
			 "guest gets user-mode networking)" : "");
	return -1;
}

static int tap_open(struct netbe_tap *t, const char *name, char *msg, size_t msglen)
{
	struct ifreq ifr;

	t->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (t->fd < 0)
		return tap_fail(msg, msglen, "cannot open", "/dev/net/tun", errno);
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(t->fd, TUNSETIFF, &ifr) < 0)
		return tap_fail(msg, msglen, "cannot create the TAP device", name, errno);
	snprintf(t->ifname, sizeof(t->ifname), "%s", ifr.ifr_name);
	return 0;
}

/* Brings the TAP device up and adds it to @bridge (SIOCBRADDIF). */
static int tap_attach(struct netbe_tap *t, const char *bridge, char *msg, size_t msglen)
{
	int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret = 0;
	struct ifreq ifr;

	if (sock < 0)
		return tap_fail(msg, msglen, "cannot open a socket for", t->ifname, errno);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", t->ifname);
	if (ioctl(sock, SIOCGIFFLAGS, &ifr) < 0 ||
	    (ifr.ifr_flags |= IFF_UP, ioctl(sock, SIOCSIFFLAGS, &ifr) < 0))
		ret = tap_fail(msg, msglen, "cannot bring up", t->ifname, errno);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", bridge);
	ifr.ifr_ifindex = (int)if_nametoindex(t->ifname);
	if (ret == 0 && ioctl(sock, SIOCBRADDIF, &ifr) < 0) {
		if (errno == ENODEV || errno == EOPNOTSUPP)
			snprintf(msg, msglen, "bridge=%s: no such bridge on the host", bridge);
		else
			tap_fail(msg, msglen, "cannot add the TAP device to bridge", bridge, errno);
		ret = -1;
	}
	close(sock);
	return ret;
}

/* Runs script= as xl does: SCRIPT IFNAME, waiting for it; 0 when it exited 0. */
static int tap_run_script(const struct netbe_tap *t, const struct net_cfg *cfg, char *msg,
			  size_t msglen)
{
	char path[NET_SCRIPT_MAX + sizeof(TAP_SCRIPT_DIR) + 1];
	int status;
	pid_t pid;

	if (strchr(cfg->script, '/'))
		snprintf(path, sizeof(path), "%s", cfg->script);
	else
		snprintf(path, sizeof(path), "%s/%s", TAP_SCRIPT_DIR, cfg->script);
	pid = fork();
	if (pid < 0)
		return tap_fail(msg, msglen, "cannot run script", path, errno);
	if (pid == 0) {
		setenv("bridge", cfg->bridge, 1);
		setenv("vif", t->ifname, 1);
		execl(path, path, t->ifname, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return tap_fail(msg, msglen, "cannot wait for script", path, errno);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		snprintf(msg, msglen, "script %s %s: cannot be run (missing or not executable?)",
			 path, t->ifname);
	else
		snprintf(msg, msglen, "script %s %s failed (%s %d)", path, t->ifname,
			 WIFEXITED(status) ? "exit status" : "signal",
			 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	return -1;
}

static void tap_send(struct netbe *be, const uint8_t *frame, size_t len)
{
	struct netbe_tap *t = (struct netbe_tap *)be;

	/* A full TAP queue drops the frame, as a congested link would. */
	if (write(t->fd, frame, len) != (ssize_t)len)
		t->be.tx_dropped++;
	else
		t->from_guest++;
}

static void tap_prepare(struct netbe *be, struct vdev_pollset *ps, int *timeout_ms)
{
	struct netbe_tap *t = (struct netbe_tap *)be;

	(void)timeout_ms;
	t->idx = -1;
	if (t->be.peer.can_receive(t->be.peer.opaque))
		t->idx = vdev_pollset_add(ps, t->fd, POLLIN);
}

static void tap_done(struct netbe *be, const struct vdev_pollset *ps)
{
	struct netbe_tap *t = (struct netbe_tap *)be;
	ssize_t n;

	if (t->idx < 0 || !(ps->fd[t->idx].revents & POLLIN))
		return;
	for (int i = 0; i < TAP_BURST && t->be.peer.can_receive(t->be.peer.opaque); i++) {
		n = read(t->fd, t->frame, sizeof(t->frame));
		if (n <= 0)
			break;
		t->to_guest++;
		t->be.peer.receive(t->be.peer.opaque, t->frame, (size_t)n);
	}
}

static void tap_stats(struct netbe *be, struct json_object *out)
{
	struct netbe_tap *t = (struct netbe_tap *)be;

	json_object_object_add(out, "tap", json_object_new_string(t->ifname));
	json_object_object_add(out, "tap_frames_to_guest", json_object_new_uint64(t->to_guest));
	json_object_object_add(out, "tap_frames_from_guest", json_object_new_uint64(t->from_guest));
}

static void tap_destroy(struct netbe *be)
{
	struct netbe_tap *t = (struct netbe_tap *)be;

	/* Closing the last descriptor removes the device and its bridge port. */
	if (t->fd >= 0)
		close(t->fd);
	free(t);
}

static const struct netbe_ops tap_ops = {
	.kind = "bridge",
	.send = tap_send,
	.poll_prepare = tap_prepare,
	.poll_done = tap_done,
	.stats = tap_stats,
	.destroy = tap_destroy,
};

struct netbe *netbe_tap_new(const struct net_cfg *cfg, const struct netbe_peer *peer,
			    char *msg, size_t msglen)
{
	struct netbe_tap *t = calloc(1, sizeof(*t));

	if (!t) {
		snprintf(msg, msglen, "out of memory");
		return NULL;
	}
	t->be.ops = &tap_ops;
	t->be.peer = *peer;
	t->fd = -1;
	t->idx = -1;
	if (tap_open(t, cfg->ifname, msg, msglen) < 0 ||
	    tap_attach(t, cfg->bridge, msg, msglen) < 0 ||
	    (cfg->script[0] && tap_run_script(t, cfg, msg, msglen) < 0)) {
		tap_destroy(&t->be);
		return NULL;
	}
	return &t->be;
}
