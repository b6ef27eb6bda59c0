/*
 * The JSON-RPC client: one connection per call, line framing, bounded reads.
 */
#include "rpc.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* A growing buffer for one reply line. */
struct rpc_buf {
	char *data;
	size_t len, cap;
};

__attribute__((format(printf, 2, 3))) static int rpc_fail(struct rpc *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
	return -1;
}

const char *rpc_error(const struct rpc *r)
{
	return r->err;
}

int rpc_error_code(const struct rpc *r)
{
	return r->code;
}

int rpc_state_dir(struct rpc *r, const char *opt, const char *env, bool is_root,
		  const char **out)
{
	if (opt && *opt)
		*out = opt;
	else if (env && *env)
		*out = env;
	else if (is_root)
		*out = RPC_DEFAULT_STATE_DIR;
	else
		return rpc_fail(r, "no state directory: pass --state-dir DIR or set "
				   "CACHET_STATE_DIR (" RPC_DEFAULT_STATE_DIR
				   " is the default only for root)");
	return 0;
}

int rpc_init(struct rpc *r, const char *state_dir, int timeout_ms)
{
	int n;

	memset(r, 0, sizeof(*r));
	r->timeout_ms = timeout_ms;
	r->next_id = 1;
	n = snprintf(r->sock_path, sizeof(r->sock_path), "%s/%s", state_dir, RPC_SOCKET_NAME);
	if (n < 0 || (size_t)n >= sizeof(r->sock_path))
		return rpc_fail(r, "socket path '%s/%s' is too long for a UNIX socket", state_dir,
				RPC_SOCKET_NAME);
	return 0;
}

/* Milliseconds left before @deadline, at least 0. */
static int rpc_ms_left(const struct timespec *deadline)
{
	struct timespec now;
	long long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long long)(deadline->tv_sec - now.tv_sec) * 1000 +
	     (deadline->tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : (int)ms;
}

static void rpc_deadline(struct timespec *deadline, int timeout_ms)
{
	clock_gettime(CLOCK_MONOTONIC, deadline);
	deadline->tv_sec += timeout_ms / 1000;
	deadline->tv_nsec += (timeout_ms % 1000) * 1000000L;
	if (deadline->tv_nsec >= 1000000000L) {
		deadline->tv_sec++;
		deadline->tv_nsec -= 1000000000L;
	}
}

/* Waits for @events on @fd until @deadline; 0 when ready. */
static int rpc_wait(struct rpc *r, int fd, short events, const struct timespec *deadline)
{
	struct pollfd pfd = { .fd = fd, .events = events };

	for (;;) {
		int n = poll(&pfd, 1, rpc_ms_left(deadline));

		if (n > 0)
			return 0;
		if (n == 0)
			return rpc_fail(r, "cachetd at %s did not answer within %g s",
					r->sock_path, r->timeout_ms / 1000.0);
		if (errno != EINTR)
			return rpc_fail(r, "poll: %s", strerror(errno));
	}
}

/*
 * A non-blocking connect: when the daemon's backlog is full, Linux answers
 * EAGAIN at once (a blocking connect would wait without limit), so retry
 * until the deadline and then say so.
 */
#define RPC_CONNECT_RETRY_MS 20

static int rpc_connect(struct rpc *r, const struct timespec *deadline)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	int e;

	if (fd < 0)
		return rpc_fail(r, "socket: %s", strerror(errno));
	memcpy(sa.sun_path, r->sock_path, sizeof(sa.sun_path));
	for (;;) {
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			return fd;
		e = errno;
		if ((e != EAGAIN && e != EINTR) || rpc_ms_left(deadline) == 0)
			break;
		poll(NULL, 0, RPC_CONNECT_RETRY_MS);
	}
	close(fd);
	if (e == EAGAIN)
		return rpc_fail(r, "cachetd at %s accepted no connection within %g s (too busy?)",
				r->sock_path, r->timeout_ms / 1000.0);
	return rpc_fail(r, "cannot reach cachetd at %s: %s (is cachetd running?)", r->sock_path,
			strerror(e));
}

static int rpc_send_all(struct rpc *r, int fd, const char *buf, size_t len,
			const struct timespec *deadline)
{
	while (len > 0) {
		ssize_t n;

		if (rpc_wait(r, fd, POLLOUT, deadline) < 0)
			return -1;
		n = send(fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return rpc_fail(r, "sending to cachetd at %s: %s", r->sock_path,
					strerror(errno));
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Makes room for at least one more byte and the NUL, within RPC_MAX_REPLY. */
static int rpc_buf_grow(struct rpc *r, struct rpc_buf *b)
{
	size_t cap = b->cap ? b->cap * 2 : 4096;
	char *p;

	if (b->len >= RPC_MAX_REPLY)
		return rpc_fail(r, "reply from cachetd is larger than %d MiB",
				RPC_MAX_REPLY / (1024 * 1024));
	if (b->len + 1 < b->cap)
		return 0;
	if (cap > RPC_MAX_REPLY + 1)
		cap = RPC_MAX_REPLY + 1;
	p = realloc(b->data, cap);
	if (!p)
		return rpc_fail(r, "out of memory");
	b->data = p;
	b->cap = cap;
	return 0;
}

/* Reads until a newline (kept out of @b) or end of stream; NUL-terminates. */
static int rpc_recv_line(struct rpc *r, int fd, struct rpc_buf *b,
			 const struct timespec *deadline)
{
	for (;;) {
		ssize_t n;
		char *nl;

		if (rpc_buf_grow(r, b) < 0 || rpc_wait(r, fd, POLLIN, deadline) < 0)
			return -1;
		n = recv(fd, b->data + b->len, b->cap - b->len - 1, MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return rpc_fail(r, "reading from cachetd at %s: %s", r->sock_path,
					strerror(errno));
		nl = memchr(b->data + b->len, '\n', (size_t)n);
		b->len += (size_t)n;
		if (nl)
			b->len = (size_t)(nl - b->data);
		if (nl || n == 0)
			break;
	}
	b->data[b->len] = '\0';
	if (b->len == 0)
		return rpc_fail(r, "cachetd closed the connection without answering");
	return 0;
}

static struct json_object *rpc_request(struct rpc *r, const char *method,
				       struct json_object *params, unsigned int id)
{
	struct json_object *req = json_object_new_object();

	if (!req) {
		json_object_put(params);
		rpc_fail(r, "out of memory");
		return NULL;
	}
	json_object_object_add(req, "jsonrpc", json_object_new_string("2.0"));
	json_object_object_add(req, "method", json_object_new_string(method));
	json_object_object_add(req, "id", json_object_new_int64(id));
	if (params)
		json_object_object_add(req, "params", params);
	return req;
}

static int rpc_parse_error(struct rpc *r, struct json_object *error)
{
	struct json_object *code, *msg;

	if (!json_object_object_get_ex(error, "message", &msg) ||
	    !json_object_is_type(msg, json_type_string))
		return rpc_fail(r, "cachetd sent an error without a message");
	if (json_object_object_get_ex(error, "code", &code) &&
	    json_object_is_type(code, json_type_int))
		r->code = json_object_get_int(code);
	else
		r->code = -1;
	return rpc_fail(r, "%s", json_object_get_string(msg));
}

/* Checks the reply to request @id and extracts its result or error. */
static int rpc_parse_reply(struct rpc *r, const struct rpc_buf *b, unsigned int id,
			   struct json_object **result)
{
	struct json_object *reply, *rid, *v;
	int ret = -1;

	reply = json_tokener_parse(b->data);
	if (!json_object_is_type(reply, json_type_object))
		rpc_fail(r, "cachetd sent a malformed reply (not a JSON object)");
	else if (!json_object_object_get_ex(reply, "id", &rid) ||
		 !json_object_is_type(rid, json_type_int) || json_object_get_int64(rid) != id)
		rpc_fail(r, "cachetd sent a reply to another request (id mismatch)");
	else if (json_object_object_get_ex(reply, "error", &v) && v)
		ret = rpc_parse_error(r, v);
	else if (!json_object_object_get_ex(reply, "result", &v))
		rpc_fail(r, "cachetd sent a reply with neither result nor error");
	else {
		*result = json_object_get(v);
		ret = 0;
	}
	json_object_put(reply);
	return ret;
}

/* Sends request @req (consumed) over a new connection and reads the reply. */
static int rpc_exchange(struct rpc *r, struct json_object *req, struct rpc_buf *b)
{
	const char *text = json_object_to_json_string_ext(
		req, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	size_t len = strlen(text);
	struct timespec deadline;
	char *line;
	int fd, ret = -1;

	if (len + 1 > RPC_MAX_REQUEST) {
		json_object_put(req);
		return rpc_fail(r, "request too large for cachetd (over 1 MiB)");
	}
	line = malloc(len + 2);
	if (line) {
		memcpy(line, text, len);
		memcpy(line + len, "\n", 2);
	}
	json_object_put(req);
	if (!line)
		return rpc_fail(r, "out of memory");
	rpc_deadline(&deadline, r->timeout_ms);
	fd = rpc_connect(r, &deadline);
	if (fd >= 0) {
		if (rpc_send_all(r, fd, line, len + 1, &deadline) == 0)
			ret = rpc_recv_line(r, fd, b, &deadline);
		close(fd);
	}
	free(line);
	return ret;
}

int rpc_call(struct rpc *r, const char *method, struct json_object *params,
	     struct json_object **result)
{
	unsigned int id = r->next_id++;
	struct json_object *req = rpc_request(r, method, params, id);
	struct rpc_buf b = { 0 };
	int ret;

	r->code = 0;
	if (!req)
		return -1;
	ret = rpc_exchange(r, req, &b);
	if (ret == 0)
		ret = rpc_parse_reply(r, &b, id, result);
	free(b.data);
	return ret;
}
