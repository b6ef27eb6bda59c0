/*
 * The lifecycle event stream of cachetd (cachet.h, cachet_events_*): a
 * UNIX socket connection that sends one request (events_subscribe) and
 * then reads newline-framed JSON-RPC notifications, each parsed with yajl.
 * Reads never block: bytes are taken as they come and kept until a line is
 * whole, so a caller's event loop decides when to wait.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <yajl/yajl_tree.h>

#include "errors.h"

#define EVENTS_LINE_MAX (64 * 1024)    /* an event line is a few hundred bytes */
#define EVENTS_OPEN_TIMEOUT_MS 5000

struct cachet_events {
	int fd;
	char buf[EVENTS_LINE_MAX];
	size_t len;             /* bytes in buf */
	bool dead;              /* the daemon is gone or broke the protocol */
};

static const char *const events_names[] = {
	[CACHET_LC_CREATED] = "created",   [CACHET_LC_STARTED] = "started",
	[CACHET_LC_PAUSED] = "paused",	   [CACHET_LC_RESUMED] = "resumed",
	[CACHET_LC_SHUTDOWN] = "shutdown", [CACHET_LC_CRASHED] = "crashed",
	[CACHET_LC_REBOOTED] = "rebooted", [CACHET_LC_DESTROYED] = "destroyed",
};
#define EVENTS_NTYPES (sizeof(events_names) / sizeof(events_names[0]))

const char *cachet_lifecycle_name(enum cachet_lifecycle type)
{
	return (unsigned int)type < EVENTS_NTYPES ? events_names[type] : "unknown";
}

int cachet_events_fd(const cachet_events *ev)
{
	return ev ? ev->fd : -1;
}

void cachet_events_close(cachet_events *ev)
{
	if (!ev)
		return;
	close(ev->fd);
	free(ev);
}

/* Takes the bytes the socket has; 0, or -CACHET_LIB_EIO once the daemon has gone. */
static int events_fill(cachet_events *ev)
{
	ssize_t n;

	if (ev->dead)
		return -CACHET_LIB_EIO;
	if (ev->len == sizeof(ev->buf)) {
		ev->dead = true;
		return err_set(NULL, CACHET_LIB_EIO, "events: a line longer than %d bytes",
			       EVENTS_LINE_MAX);
	}
	n = recv(ev->fd, ev->buf + ev->len, sizeof(ev->buf) - ev->len, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return 0;
	if (n <= 0) {
		ev->dead = true;
		return err_set(NULL, CACHET_LIB_EIO, "events: cachetd closed the connection");
	}
	ev->len += (size_t)n;
	return 0;
}

/* Moves the first whole line out of the buffer into a new string, or NULL. */
static char *events_take_line(cachet_events *ev)
{
	char *nl = memchr(ev->buf, '\n', ev->len), *line;
	size_t n;

	if (!nl)
		return NULL;
	n = (size_t)(nl - ev->buf);
	line = malloc(n + 1);
	if (line) {
		memcpy(line, ev->buf, n);
		line[n] = '\0';
	}
	memmove(ev->buf, nl + 1, ev->len - n - 1);
	ev->len -= n + 1;
	return line;
}

static const char *events_str(yajl_val params, const char *key)
{
	const char *path[] = { key, NULL };
	yajl_val v = yajl_tree_get(params, path, yajl_t_string);

	return v && YAJL_IS_STRING(v) ? v->u.string : NULL;
}

static bool events_uint(yajl_val params, const char *key, uint64_t max, uint64_t *out)
{
	const char *path[] = { key, NULL };
	yajl_val v = yajl_tree_get(params, path, yajl_t_number);

	if (!v || !YAJL_IS_INTEGER(v) || YAJL_GET_INTEGER(v) < 0 ||
	    (uint64_t)YAJL_GET_INTEGER(v) > max)
		return false;
	*out = (uint64_t)YAJL_GET_INTEGER(v);
	return true;
}

/* The event of a notification's params; false when a field is missing or unknown. */
static bool events_decode(yajl_val params, struct cachet_lifecycle_event *out)
{
	const char *type = events_str(params, "event"), *name = events_str(params, "name");
	const char *uuid = events_str(params, "uuid"), *detail = events_str(params, "detail");
	uint64_t domid;
	size_t t;

	for (t = 0; type && t < EVENTS_NTYPES && strcmp(type, events_names[t]) != 0; t++)
		;
	if (!type || t == EVENTS_NTYPES || !name || !uuid || !detail ||
	    !events_uint(params, "seq", UINT64_MAX >> 1, &out->seq) ||
	    !events_uint(params, "domid", UINT32_MAX, &domid))
		return false;
	out->type = (enum cachet_lifecycle)t;
	out->domid = (uint32_t)domid;
	snprintf(out->name, sizeof(out->name), "%s", name);
	snprintf(out->uuid, sizeof(out->uuid), "%s", uuid);
	snprintf(out->detail, sizeof(out->detail), "%s", detail);
	return true;
}

/* One line: 1 with *out set for an event, 0 for a line that is no event, <0 if malformed. */
static int events_parse(cachet_events *ev, const char *line, struct cachet_lifecycle_event *out)
{
	const char *method_path[] = { "method", NULL }, *params_path[] = { "params", NULL };
	char why[128];
	yajl_val doc = yajl_tree_parse(line, why, sizeof(why)), method, params;
	const char *name;
	int ret = -1;

	if (!doc) {
		ev->dead = true;
		return err_set(NULL, CACHET_LIB_EIO, "events: malformed line from cachetd: %s", why);
	}
	method = yajl_tree_get(doc, method_path, yajl_t_string);
	params = yajl_tree_get(doc, params_path, yajl_t_object);
	name = method && YAJL_IS_STRING(method) ? method->u.string : NULL;
	/* Answers (to the subscription) carry no method: they are not events. */
	if (!name || strcmp(name, "event") != 0)
		ret = 0;
	else if (params && events_decode(params, out))
		ret = 1;
	yajl_tree_free(doc);
	if (ret < 0) {
		ev->dead = true;
		return err_set(NULL, CACHET_LIB_EIO, "events: malformed event from cachetd");
	}
	return ret;
}

int cachet_events_read(cachet_events *ev, struct cachet_lifecycle_event *out)
{
	int ret = 0, filled = 0;

	if (!ev || !out)
		return err_set(NULL, CACHET_LIB_EINVAL, "events_read: NULL argument");
	while (ret == 0) {
		char *line = events_take_line(ev);

		if (!line) {
			/* Read the socket once per call: what is not there yet is for the next poll. */
			if (filled++ || (ret = events_fill(ev)) < 0)
				return ret;
			continue;
		}
		ret = events_parse(ev, line, out);
		free(line);
	}
	return ret;
}

static int events_connect(const char *sock_path, int *fd)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if (strlen(sock_path) >= sizeof(sa.sun_path))
		return err_set(NULL, CACHET_LIB_EINVAL, "events: socket path too long: %s", sock_path);
	memcpy(sa.sun_path, sock_path, strlen(sock_path) + 1);
	*fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (*fd < 0 || connect(*fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;

		if (*fd >= 0)
			close(*fd);
		*fd = -1;
		return err_set(NULL, CACHET_LIB_EIO, "events: cannot connect to %s: %s", sock_path,
			       strerror(e));
	}
	return 0;
}

/* Sends the subscription and waits for its answer (an object with "result"). */
static int events_subscribe(cachet_events *ev)
{
	static const char req[] = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"events_subscribe\"}\n";
	const char *result_path[] = { "result", NULL };
	struct pollfd p = { ev->fd, POLLIN, 0 };
	char why[128], *line = NULL;
	yajl_val doc;
	bool ok;

	if (send(ev->fd, req, sizeof(req) - 1, MSG_NOSIGNAL) != (ssize_t)(sizeof(req) - 1))
		return err_set(NULL, CACHET_LIB_EIO, "events: cannot send the subscription: %s",
			       strerror(errno));
	while (!(line = events_take_line(ev))) {
		if (poll(&p, 1, EVENTS_OPEN_TIMEOUT_MS) <= 0)
			return err_set(NULL, CACHET_LIB_ETIMEDOUT, "events: no answer from cachetd");
		if (events_fill(ev) < 0)
			return -CACHET_LIB_EIO;
	}
	doc = yajl_tree_parse(line, why, sizeof(why));
	ok = doc && yajl_tree_get(doc, result_path, yajl_t_object);
	yajl_tree_free(doc);
	if (!ok)
		err_set(NULL, CACHET_LIB_EIO, "events: cachetd refused the subscription: %.200s", line);
	free(line);
	return ok ? 0 : -CACHET_LIB_EIO;
}

int cachet_events_open(const char *sock_path, cachet_events **out)
{
	cachet_events *ev;
	int rc;

	if (!sock_path || !out)
		return err_set(NULL, CACHET_LIB_EINVAL, "events_open: NULL argument");
	ev = calloc(1, sizeof(*ev));
	if (!ev)
		return err_set(NULL, CACHET_LIB_ENOMEM, "events_open: out of memory");
	ev->fd = -1;
	rc = events_connect(sock_path, &ev->fd);
	if (rc == 0)
		rc = events_subscribe(ev);
	if (rc < 0) {
		if (ev->fd >= 0)
			close(ev->fd);
		free(ev);
		return rc;
	}
	*out = ev;
	return 0;
}
