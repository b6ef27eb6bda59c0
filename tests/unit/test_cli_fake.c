/*
 * The fake cachetd of the CLI tests.
 */
#define _GNU_SOURCE
#include "test_cli_fake.h"

#include <check.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "test_cli_util.h"

#define FAKE_MAX_REQUEST (2 * 1024 * 1024)

static struct {
	char *dir;
	char sock[108];
	int lfd;
	pthread_t thread;
	atomic_bool stop;
	pthread_mutex_t lock;
	struct json_object *requests;
	fake_handler_fn *handler;
} fake;

/* Reads one request line from @fd; NULL on EOF or error. */
static char *fake_read_line(int fd)
{
	char *buf = malloc(FAKE_MAX_REQUEST + 1);
	size_t len = 0;

	while (buf && len < FAKE_MAX_REQUEST) {
		ssize_t n = read(fd, buf + len, FAKE_MAX_REQUEST - len);

		if (n <= 0)
			break;
		len += (size_t)n;
		if (memchr(buf, '\n', len)) {
			*(char *)memchr(buf, '\n', len) = '\0';
			return buf;
		}
	}
	free(buf);
	return NULL;
}

static void fake_write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

static void fake_serve(int fd)
{
	char *line = fake_read_line(fd), *reply = NULL;
	struct json_object *req = line ? json_tokener_parse(line) : NULL, *m = NULL, *p = NULL;

	if (req) {
		pthread_mutex_lock(&fake.lock);
		json_object_array_add(fake.requests, json_object_get(req));
		pthread_mutex_unlock(&fake.lock);
		json_object_object_get_ex(req, "method", &m);
		json_object_object_get_ex(req, "params", &p);
		reply = fake.handler(json_object_get_string(m), p, req);
	}
	if (reply) {
		fake_write_all(fd, reply, strlen(reply));
		fake_write_all(fd, "\n", 1);
	}
	free(reply);
	free(line);
	json_object_put(req);
}

static void *fake_main(void *arg)
{
	(void)arg;
	while (!atomic_load(&fake.stop)) {
		struct pollfd pfd = { .fd = fake.lfd, .events = POLLIN };
		int fd;

		if (poll(&pfd, 1, 20) <= 0)
			continue;
		fd = accept(fake.lfd, NULL, NULL);
		if (fd < 0)
			continue;
		fake_serve(fd);
		close(fd);
	}
	return NULL;
}

const char *fake_start(fake_handler_fn *handler)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	fake.dir = tmp_dir_new();
	snprintf(fake.sock, sizeof(fake.sock), "%s/cachetd.sock", fake.dir);
	memcpy(sa.sun_path, fake.sock, sizeof(fake.sock));
	fake.lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_ge(fake.lfd, 0);
	ck_assert_int_eq(bind(fake.lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(fake.lfd, 16), 0);
	fake.handler = handler;
	fake.requests = json_object_new_array();
	atomic_store(&fake.stop, false);
	pthread_mutex_init(&fake.lock, NULL);
	ck_assert_int_eq(pthread_create(&fake.thread, NULL, fake_main, NULL), 0);
	return fake.dir;
}

void fake_stop(void)
{
	atomic_store(&fake.stop, true);
	pthread_join(fake.thread, NULL);
	close(fake.lfd);
	json_object_put(fake.requests);
	pthread_mutex_destroy(&fake.lock);
	tmp_dir_remove(fake.dir);
}

int fake_nrequests(void)
{
	int n;

	pthread_mutex_lock(&fake.lock);
	n = (int)json_object_array_length(fake.requests);
	pthread_mutex_unlock(&fake.lock);
	return n;
}

struct json_object *fake_request(int i)
{
	struct json_object *req;

	pthread_mutex_lock(&fake.lock);
	req = json_object_get(json_object_array_get_idx(fake.requests, (size_t)i));
	pthread_mutex_unlock(&fake.lock);
	ck_assert_ptr_nonnull(req);
	return req;
}

char *fake_params_text(int i)
{
	struct json_object *req = fake_request(i), *p;
	char *text;

	if (json_object_object_get_ex(req, "params", &p))
		text = strdup(json_object_to_json_string_ext(
			p, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	else
		text = strdup("");
	json_object_put(req);
	return text;
}

/* The reply skeleton: jsonrpc and the request's id. */
static struct json_object *fake_reply(struct json_object *req)
{
	struct json_object *reply = json_object_new_object(), *id = NULL;

	json_object_object_add(reply, "jsonrpc", json_object_new_string("2.0"));
	json_object_object_get_ex(req, "id", &id);
	json_object_object_add(reply, "id", json_object_get(id));
	return reply;
}

static char *fake_text(struct json_object *reply)
{
	char *text = strdup(json_object_to_json_string_ext(reply, JSON_C_TO_STRING_PLAIN));

	json_object_put(reply);
	return text;
}

char *fake_result(struct json_object *req, struct json_object *result)
{
	struct json_object *reply = fake_reply(req);

	json_object_object_add(reply, "result", result);
	return fake_text(reply);
}

char *fake_error(struct json_object *req, int code, const char *message)
{
	struct json_object *reply = fake_reply(req), *err = json_object_new_object();

	json_object_object_add(err, "code", json_object_new_int(code));
	json_object_object_add(err, "message", json_object_new_string(message));
	json_object_object_add(reply, "error", err);
	return fake_text(reply);
}
