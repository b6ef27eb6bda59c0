/*
 * How a libxc client reaches the hypervisor: it connects to cachetd's
 * socket (found as the cachet CLI finds it: $CACHET_STATE_DIR, else
 * /var/lib/cachet for root), asks for the management channel
 * ("channel_open", daemon/PROTOCOL.md) and receives the RAM file and the
 * doorbell as descriptors with the answer.  The connection stays open for
 * the interface's life: when it closes, cachetd reclaims our mailbox slots.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cachet/public/mbox.h"
#include "xc_private.h"

#define XC_CHANNEL_DEFAULT_DIR "/var/lib/cachet"
#define XC_CHANNEL_SOCKET "cachetd.sock"
#define XC_CHANNEL_TIMEOUT_MS 10000
#define XC_CHANNEL_REPLY_MAX 4096
#define XC_CHANNEL_REQUEST "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"channel_open\"}\n"

static int xc_channel_path(xc_interface *xch, struct sockaddr_un *sa)
{
	const char *dir = getenv("CACHET_STATE_DIR");
	int n;

	if (!dir || !*dir) {
		if (geteuid() != 0)
			return xc_fail(xch, XC_INTERNAL_ERROR, ENOENT, "xc_interface_open: no "
				       "cachetd state directory: set CACHET_STATE_DIR ("
				       XC_CHANNEL_DEFAULT_DIR " is the default only for root)");
		dir = XC_CHANNEL_DEFAULT_DIR;
	}
	sa->sun_family = AF_UNIX;
	n = snprintf(sa->sun_path, sizeof(sa->sun_path), "%s/%s", dir, XC_CHANNEL_SOCKET);
	if (n < 0 || (size_t)n >= sizeof(sa->sun_path))
		return xc_fail(xch, XC_INTERNAL_ERROR, ENAMETOOLONG, "xc_interface_open: socket "
			       "path %s/%s is too long", dir, XC_CHANNEL_SOCKET);
	return 0;
}

static int xc_channel_connect(xc_interface *xch)
{
	struct sockaddr_un sa;
	size_t len = strlen(XC_CHANNEL_REQUEST);

	memset(&sa, 0, sizeof(sa));
	if (xc_channel_path(xch, &sa) < 0)
		return -1;
	xch->sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (xch->sock < 0 || connect(xch->sock, (struct sockaddr *)&sa, sizeof(sa)) != 0)
		return xc_fail(xch, XC_INTERNAL_ERROR, errno, "xc_interface_open: cannot reach "
			       "cachetd at %s (is it running?)", sa.sun_path);
	if (send(xch->sock, XC_CHANNEL_REQUEST, len, MSG_NOSIGNAL) != (ssize_t)len)
		return xc_fail(xch, XC_INTERNAL_ERROR, errno, "xc_interface_open: cannot send "
			       "to cachetd");
	return 0;
}

/* Keeps the descriptors of a control message: RAM file, then the doorbell. */
static void xc_channel_take_fds(xc_interface *xch, struct msghdr *mh, int *ram_fd)
{
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm)) {
		size_t n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		int fds[2] = { -1, -1 };

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		memcpy(fds, CMSG_DATA(cm), (n > 2 ? 2 : n) * sizeof(int));
		for (size_t i = 2; i < n; i++) {
			int extra;

			memcpy(&extra, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
			close(extra);
		}
		if (*ram_fd >= 0 || xch->doorbell >= 0) {
			close(fds[0]);
			if (fds[1] >= 0)
				close(fds[1]);
			continue;
		}
		*ram_fd = fds[0];
		xch->doorbell = n > 1 ? fds[1] : -1;
	}
}

/* Reads the one answer line, collecting the descriptors that come with it. */
static int xc_channel_read(xc_interface *xch, char *buf, size_t size, int *ram_fd)
{
	size_t len = 0;

	while (len + 1 < size && !memchr(buf, '\n', len)) {
		union {
			char c[CMSG_SPACE(4 * sizeof(int))];
			struct cmsghdr align;
		} u;
		struct iovec iov = { buf + len, size - 1 - len };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.c,
				     .msg_controllen = sizeof(u.c) };
		struct pollfd pfd = { xch->sock, POLLIN, 0 };
		ssize_t n;

		if (poll(&pfd, 1, XC_CHANNEL_TIMEOUT_MS) <= 0)
			return xc_fail(xch, XC_INTERNAL_ERROR, ETIMEDOUT, "xc_interface_open: "
				       "cachetd did not answer channel_open");
		n = recvmsg(xch->sock, &mh, MSG_CMSG_CLOEXEC);
		if (n <= 0)
			return xc_fail(xch, XC_INTERNAL_ERROR, n < 0 ? errno : ECONNRESET,
				       "xc_interface_open: cachetd closed the connection");
		xc_channel_take_fds(xch, &mh, ram_fd);
		len += (size_t)n;
		buf[len] = '\0';
	}
	return 0;
}

static int xc_channel_error(xc_interface *xch, struct json_object *error)
{
	struct json_object *msg = NULL;

	json_object_object_get_ex(error, "message", &msg);
	return xc_fail(xch, XC_INTERNAL_ERROR, EPERM, "xc_interface_open: cachetd refused the "
		       "management channel: %s", msg ? json_object_get_string(msg) : "no reason");
}

/* Takes the client id from the answer; the descriptors must have come with it. */
static int xc_channel_parse(xc_interface *xch, const char *line, int ram_fd)
{
	struct json_object *o = json_tokener_parse(line), *v = NULL, *id = NULL;
	int rc;

	if (o && json_object_object_get_ex(o, "error", &v))
		rc = xc_channel_error(xch, v);
	else if (!o || !json_object_object_get_ex(o, "result", &v) ||
		 !json_object_object_get_ex(v, "client_id", &id) ||
		 json_object_get_int64(id) <= CACHET_MBOX_OWNER_PRIMARY ||
		 json_object_get_int64(id) > UINT32_MAX)
		rc = xc_fail(xch, XC_INTERNAL_ERROR, EPROTO, "xc_interface_open: malformed "
			     "channel_open answer from cachetd");
	else if (ram_fd < 0)
		rc = xc_fail(xch, XC_INTERNAL_ERROR, EPROTO, "xc_interface_open: cachetd sent "
			     "no RAM file descriptor");
	else {
		xch->client_id = (uint32_t)json_object_get_int64(id);
		rc = 0;
	}
	json_object_put(o);
	return rc;
}

int xc_channel_open(xc_interface *xch)
{
	char buf[XC_CHANNEL_REPLY_MAX];
	int ram_fd = -1, rc;

	buf[0] = '\0';
	if (xc_channel_connect(xch) < 0 || xc_channel_read(xch, buf, sizeof(buf), &ram_fd) < 0 ||
	    xc_channel_parse(xch, buf, ram_fd) < 0) {
		if (ram_fd >= 0)
			close(ram_fd);
		return -1;
	}
	rc = cachet_open_fd(ram_fd, xch->client_id, &xch->h);
	if (rc < 0)
		return xc_fail_lib(xch, rc, "xc_interface_open");
	cachet_set_doorbell_fd(xch->h, xch->doorbell);
	return 0;
}

void xc_channel_close(xc_interface *xch)
{
	cachet_close(xch->h);
	xch->h = NULL;
	if (xch->doorbell >= 0)
		close(xch->doorbell);
	if (xch->sock >= 0)
		close(xch->sock);
	xch->doorbell = xch->sock = -1;
}
