/*
 * Raw images (daemon/vdev/blk_file.c): a request's whole chain goes to
 * the file in vectored calls, whatever its shape (empty buffers, more
 * buffers than one call takes), and a read the file cannot fill fails.
 */
#define _GNU_SOURCE /* IOV_MAX */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vdev/blk.h"

#define IMG_SIZE (64 * 1024)

static char path[] = "/tmp/cachet-blkfile-XXXXXX";
static struct blk_store store;

static void setup(void)
{
	char msg[256];
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, IMG_SIZE), 0);
	close(fd);
	ck_assert_int_eq(blk_file_open(path, false, &store, msg, sizeof(msg)), 0);
}

static void teardown(void)
{
	store.ops->close(&store);
	unlink(path);
	strcpy(path, "/tmp/cachet-blkfile-XXXXXX");
}

/* More one-byte buffers than one preadv takes, with empty ones among them. */
START_TEST(test_many_small_buffers_round_trip)
{
	enum { N = IOV_MAX + 100 };
	static struct iovec iov[N];
	static uint8_t bytes[N], back[N];
	struct iovec whole = { back, sizeof(back) };

	for (unsigned int i = 0; i < N; i++) {
		bytes[i] = (uint8_t)(i * 7 + 1);
		iov[i] = (struct iovec){ &bytes[i], i % 5 == 4 ? 0 : 1 };
	}
	ck_assert_int_eq(store.ops->writev(&store, iov, N, 4096), 0);
	ck_assert_int_eq(store.ops->readv(&store, &whole, 1, 4096), 0);
	for (unsigned int i = 0, j = 0; i < N; i++) {
		if (iov[i].iov_len)
			ck_assert_uint_eq(back[j++], bytes[i]);
	}
}
END_TEST

/* A read across the end of the image is transferred in part, then fails. */
START_TEST(test_read_past_the_end_fails)
{
	static uint8_t a[4096], b[4096];
	struct iovec iov[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	uint8_t one = 0x5a;
	struct iovec w = { &one, 1 };

	ck_assert_int_eq(store.ops->writev(&store, &w, 1, IMG_SIZE - 1), 0);
	memset(a, 0xff, sizeof(a));
	ck_assert_int_eq(store.ops->readv(&store, iov, 2, IMG_SIZE - 4096 - 100), -EIO);
	ck_assert_uint_eq(a[0], 0);
	ck_assert_int_eq(store.ops->readv(&store, iov, 2, IMG_SIZE - 8192), 0);
	ck_assert_uint_eq(b[4095], 0x5a);
}
END_TEST

static Suite *blkfile_suite(void)
{
	Suite *s = suite_create("daemon_blkfile");
	TCase *tc = tcase_create("raw");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_many_small_buffers_round_trip);
	tcase_add_test(tc, test_read_past_the_end_fails);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(blkfile_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
