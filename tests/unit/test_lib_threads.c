/*
 * libcachet's thread-safety promise (libcachet(3), THREADS), checked under
 * ThreadSanitizer: this program is built with -fsanitize=thread, so any data
 * race inside the library fails it.  Eight threads hammer one shared handle
 * with requests that succeed and requests that fail (each failure rewrites
 * the handle's error message while others read theirs); then eight threads
 * fail cachet_open at once, each reading its own reason.  (Several handles
 * on one mailbox at once are not supported: libcachet(3) says so.)
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cachet/cachet.h"
#include "cachet/public/guest_map.h"
#include "test_lib_fake.h"

#define THR_THREADS 8
#define THR_ROUNDS 200
#define GFN0 (CACHET_GUEST_RAM0_BASE >> 12)

static struct fake f;
static cachet_handle *shared;

struct thr_arg {
	unsigned int id;
	unsigned int failures;
	char why[256];
};

static void thr_fail(struct thr_arg *a, cachet_handle *h, const char *what)
{
	if (!a->failures++)
		snprintf(a->why, sizeof(a->why), "%s: %s", what, cachet_last_error(h));
}

/* One round on @h: a translation, a domain's life, and a request that must fail. */
static void thr_round(struct thr_arg *a, cachet_handle *h, unsigned int r)
{
	struct cachet_domain_create_in in = { .max_vcpus = 1, .max_pages = 256 };
	uint64_t mfns[64], gfn = GFN0 + a->id * 1000u + r;
	struct cachet_error_info e;
	struct cachet_dominfo info;
	cachet_domid_t domid;

	if (cachet_translate(h, 1, gfn, 64, mfns) != 0 || mfns[63] != gfn + 63 + FAKE_FORMULA_DELTA)
		thr_fail(a, h, "translate");
	if (cachet_domain_create(h, &in, &domid) != 0 || cachet_domain_pause(h, domid) != 0 ||
	    cachet_domain_unpause(h, domid) != 0 || cachet_domain_destroy(h, domid) != 0)
		thr_fail(a, h, "domain life");
	/*
	 * Domain 60 + id never exists: every thread's failure writes the handle's
	 * message, and each thread must still read its own failure back.
	 */
	if (cachet_domain_getinfo(h, 60 + a->id, &info) != -CACHET_ENOENT)
		thr_fail(a, h, "getinfo of a missing domain");
	if (cachet_last_error_info(h, &e) != 0 || e.code != -CACHET_ENOENT ||
	    e.domid != 60 + a->id || strcmp(e.op, "domain_getinfo") != 0 ||
	    strcmp(e.message, cachet_last_error(h)) != 0)
		thr_fail(a, h, "this thread's error");
}

static void *thr_shared(void *p)
{
	struct thr_arg *a = p;

	for (unsigned int r = 0; r < THR_ROUNDS; r++)
		thr_round(a, shared, r);
	return NULL;
}

/* Failures without a handle keep their reason per thread. */
static void *thr_open_errors(void *p)
{
	struct thr_arg *a = p;
	cachet_handle *none;
	char path[64];

	for (unsigned int r = 0; r < THR_ROUNDS; r++) {
		snprintf(path, sizeof(path), "/nonexistent/cachet-%u-%u", a->id, r);
		if (cachet_open(path, &none) == 0 || !strstr(cachet_last_error(NULL), path))
			thr_fail(a, NULL, "per-thread open error");
	}
	return NULL;
}

static void thr_run(void *(*fn)(void *))
{
	struct thr_arg a[THR_THREADS];
	pthread_t t[THR_THREADS];

	for (unsigned int i = 0; i < THR_THREADS; i++) {
		a[i] = (struct thr_arg){ .id = i };
		ck_assert_int_eq(pthread_create(&t[i], NULL, fn, &a[i]), 0);
	}
	for (unsigned int i = 0; i < THR_THREADS; i++)
		pthread_join(t[i], NULL);
	for (unsigned int i = 0; i < THR_THREADS; i++)
		ck_assert_msg(a[i].failures == 0, "thread %u: %u failures, first: %s", i,
			      a[i].failures, a[i].why);
}

static void thr_setup(void)
{
	fake_init(&f, FAKE_RAM_SIZE, 3); /* fewer slots than threads: they must wait */
	f.mode = FAKE_P2M_FORMULA;
	f.dom_used[1] = true;
	fake_start(&f);
	ck_assert_int_eq(cachet_open(f.path, &shared), 0);
}

static void thr_teardown(void)
{
	cachet_close(shared);
	fake_stop_thread(&f);
	ck_assert_uint_eq(f.bad_requests, 0);
	fake_fini(&f);
}

START_TEST(test_one_handle_eight_threads)
{
	thr_run(thr_shared);
	/* Every domain made was destroyed (the model is read once its thread has stopped). */
	fake_stop_thread(&f);
	ck_assert_uint_eq(fake_live_domains(&f), 1);
}
END_TEST

START_TEST(test_errors_without_handle_per_thread)
{
	thr_run(thr_open_errors);
}
END_TEST

static Suite *threads_suite(void)
{
	Suite *s = suite_create("lib_threads");
	TCase *tc = tcase_create("threads");

	/* ThreadSanitizer slows everything down: the timeout only catches hangs. */
	tcase_set_timeout(tc, 300);
	tcase_add_checked_fixture(tc, thr_setup, thr_teardown);
	tcase_add_test(tc, test_one_handle_eight_threads);
	tcase_add_test(tc, test_errors_without_handle_per_thread);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(threads_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
