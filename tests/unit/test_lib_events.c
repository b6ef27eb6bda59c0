/*
 * libcachet's lifecycle event stream (cachet_events_*) against a fake
 * cachetd on a temporary UNIX socket: the subscription request, events split
 * across reads, lines that are not events, a malformed line and a daemon
 * that goes away or refuses.
 */
#define _GNU_SOURCE
#include <check.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cachet/cachet.h"

/* What the fake daemon sends after reading the request, piece by piece. */
struct ev_script {
	const char *const *pieces;
	char request[256];
	int listen_fd;
};

static char ev_dir[] = "/tmp/cachet-events-XXXXXX";
static char ev_sock[100];

static void *ev_server(void *p)
{
	struct ev_script *s = p;
	int fd = accept(s->listen_fd, NULL, NULL);
	ssize_t n = read(fd, s->request, sizeof(s->request) - 1);

	s->request[n > 0 ? n : 0] = '\0';
	for (const char *const *piece = s->pieces; *piece; piece++) {
		ck_assert_int_eq(write(fd, *piece, strlen(*piece)), (ssize_t)strlen(*piece));
		usleep(20000);
	}
	close(fd);
	return NULL;
}

static int ev_listen(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", ev_sock);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(fd, 1), 0);
	return fd;
}

static void ev_setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(ev_dir));
	snprintf(ev_sock, sizeof(ev_sock), "%s/cachetd.sock", ev_dir);
}

static void ev_teardown(void)
{
	unlink(ev_sock);
	rmdir(ev_dir);
	strcpy(ev_dir, "/tmp/cachet-events-XXXXXX");
}

/* Reads one event, polling the descriptor as an event loop would. */
static int ev_next(cachet_events *ev, struct cachet_lifecycle_event *out)
{
	struct pollfd p = { cachet_events_fd(ev), POLLIN, 0 };
	int rc;

	while ((rc = cachet_events_read(ev, out)) == 0)
		ck_assert_int_eq(poll(&p, 1, 5000), 1);
	return rc;
}

#define EV(seq, type, domid, name, detail)                                                    \
	"{\"jsonrpc\":\"2.0\",\"method\":\"event\",\"params\":{\"seq\":" #seq                    \
	",\"event\":\"" type "\",\"detail\":\"" detail "\",\"domid\":" #domid ",\"name\":\"" name \
	"\",\"uuid\":\"5f0c2a1e-8b7d-4c3e-9a2b-1d0e6f7a8b9c\"}}\n"

START_TEST(test_events_in_order_across_reads)
{
	static const char *const pieces[] = {
		"{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"seq\":0}}\n",
		EV(1, "created", 3, "web", ""),
		/* One event split in two writes, then two in one. */
		"{\"jsonrpc\":\"2.0\",\"method\":\"event\",\"params\":{\"seq\":2,\"event\":\"shut",
		"down\",\"detail\":\"reboot\",\"domid\":3,\"name\":\"web\",\"uuid\":\"\"}}\n",
		EV(3, "rebooted", 4, "web", "restart") EV(4, "destroyed", 4, "web", "destroyed"),
		"not json\n",
		NULL,
	};
	struct ev_script s = { .pieces = pieces, .listen_fd = ev_listen() };
	struct cachet_lifecycle_event e;
	cachet_events *ev;
	pthread_t t;

	ck_assert_int_eq(pthread_create(&t, NULL, ev_server, &s), 0);
	ck_assert_int_eq(cachet_events_open(ev_sock, &ev), 0);
	ck_assert_ptr_nonnull(strstr(s.request, "\"method\":\"events_subscribe\""));
	ck_assert_int_eq(ev_next(ev, &e), 1);
	ck_assert_int_eq(e.type, CACHET_LC_CREATED);
	ck_assert_uint_eq(e.seq, 1);
	ck_assert_uint_eq(e.domid, 3);
	ck_assert_str_eq(e.name, "web");
	ck_assert_str_eq(e.uuid, "5f0c2a1e-8b7d-4c3e-9a2b-1d0e6f7a8b9c");
	ck_assert_int_eq(ev_next(ev, &e), 1);
	ck_assert_int_eq(e.type, CACHET_LC_SHUTDOWN);
	ck_assert_str_eq(e.detail, "reboot");
	ck_assert_int_eq(ev_next(ev, &e), 1);
	ck_assert_int_eq(e.type, CACHET_LC_REBOOTED);
	ck_assert_uint_eq(e.domid, 4);
	ck_assert_int_eq(ev_next(ev, &e), 1);
	ck_assert_int_eq(e.type, CACHET_LC_DESTROYED);
	ck_assert_str_eq(cachet_lifecycle_name(e.type), "destroyed");
	/* The malformed line kills the subscription, with a reason. */
	ck_assert_int_eq(ev_next(ev, &e), -CACHET_LIB_EIO);
	ck_assert_ptr_nonnull(strstr(cachet_last_error(NULL), "malformed line from cachetd"));
	ck_assert_int_eq(cachet_events_read(ev, &e), -CACHET_LIB_EIO);
	cachet_events_close(ev);
	pthread_join(t, NULL);
	close(s.listen_fd);
}
END_TEST

START_TEST(test_daemon_gone_or_refusing)
{
	static const char *const refuse[] = {
		"{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32601,\"message\":\"no\"}}\n", NULL,
	};
	static const char *const closes[] = {
		"{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\n", EV(1, "paused", 2, "db", ""), NULL,
	};
	struct ev_script s = { .pieces = refuse, .listen_fd = -1 };
	struct cachet_lifecycle_event e;
	cachet_events *ev;
	pthread_t t;

	ck_assert_int_eq(cachet_events_open(ev_sock, &ev), -CACHET_LIB_EIO);
	ck_assert_ptr_nonnull(strstr(cachet_last_error(NULL), "cannot connect"));
	s.listen_fd = ev_listen();
	ck_assert_int_eq(pthread_create(&t, NULL, ev_server, &s), 0);
	ck_assert_int_eq(cachet_events_open(ev_sock, &ev), -CACHET_LIB_EIO);
	ck_assert_ptr_nonnull(strstr(cachet_last_error(NULL), "refused the subscription"));
	pthread_join(t, NULL);
	/* An event already received is still delivered before the end is reported. */
	s.pieces = closes;
	ck_assert_int_eq(pthread_create(&t, NULL, ev_server, &s), 0);
	ck_assert_int_eq(cachet_events_open(ev_sock, &ev), 0);
	pthread_join(t, NULL);
	ck_assert_int_eq(ev_next(ev, &e), 1);
	ck_assert_int_eq(e.type, CACHET_LC_PAUSED);
	ck_assert_int_eq(ev_next(ev, &e), -CACHET_LIB_EIO);
	ck_assert_ptr_nonnull(strstr(cachet_last_error(NULL), "closed the connection"));
	cachet_events_close(ev);
	close(s.listen_fd);
	ck_assert_int_eq(cachet_events_open(NULL, &ev), -CACHET_LIB_EINVAL);
	ck_assert_int_eq(cachet_events_read(NULL, &e), -CACHET_LIB_EINVAL);
}
END_TEST

static Suite *events_suite(void)
{
	Suite *s = suite_create("lib_events");
	TCase *tc = tcase_create("events");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, ev_setup, ev_teardown);
	tcase_add_test(tc, test_events_in_order_across_reads);
	tcase_add_test(tc, test_daemon_gone_or_refusing);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(events_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
