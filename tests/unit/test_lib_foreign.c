/*
 * Unit tests of libcachet's foreign mapping against the fake mailbox server:
 * writes through a mapping land in the RAM file at the offsets of the
 * machine frames the hypervisor named, machine-contiguous runs (2 MiB
 * blocks) are mapped as one, bad frames are refused, and unmapping asks for
 * a cache clean of the range.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cachet/cachet.h"
#include "cachet/public/guest_map.h"
#include "foreign.h"
#include "test_lib_fake.h"

#define GFN0 (CACHET_GUEST_RAM0_BASE >> 12)
#define MFN_AT(off) ((CACHET_MBOX_RAM_BASE + (off)) >> 12)

static struct fake f;
static cachet_handle *h;

static void setup(void)
{
	fake_init(&f, FAKE_RAM_SIZE, CACHET_MBOX_SLOTS);
	f.dom_used[1] = true;
	fake_start(&f);
	ck_assert_int_eq(cachet_open(f.path, &h), 0);
}

static void teardown(void)
{
	cachet_close(h);
	fake_stop_thread(&f);
	ck_assert_uint_eq(f.bad_requests, 0);
	fake_fini(&f);
}

static uint64_t file_offset(uint64_t mfn)
{
	return (mfn << 12) - CACHET_MBOX_RAM_BASE;
}

START_TEST(test_run_len)
{
	static const uint64_t a[] = { 10, 11, 12, 20, 21, 5, 7, 8 };

	ck_assert_uint_eq(foreign_run_len(a, 8), 3);
	ck_assert_uint_eq(foreign_run_len(a + 3, 5), 2);
	ck_assert_uint_eq(foreign_run_len(a + 5, 3), 1);
	ck_assert_uint_eq(foreign_run_len(a + 6, 2), 2);
	ck_assert_uint_eq(foreign_run_len(a, 1), 1);
	/* A descending sequence is not contiguous in the file. */
	ck_assert_uint_eq(foreign_run_len((const uint64_t[]){ 9, 8 }, 2), 1);
}
END_TEST

START_TEST(test_writes_land_at_frame_offsets)
{
	const uint64_t A = MFN_AT(8 << 20), B = MFN_AT(20 << 20), C = MFN_AT(40 << 20);
	const uint64_t frames[6] = { A, A + 1, A + 2, B, C, C + 1 };
	uint8_t page[4096], want[4096];
	struct cachet_req req;
	uint8_t *p;

	for (unsigned int i = 0; i < 6; i++)
		fake_set_p2m(&f, GFN0 + 0x10 + i, frames[i]);
	ck_assert_int_eq(cachet_map_foreign(h, 1, GFN0 + 0x10, 6, (void **)&p), 0);
	for (unsigned int i = 0; i < 6; i++)
		memset(p + i * 4096, 0x30 + i, 4096);
	/* MAP_SHARED both ways: what the file holds shows through the mapping. */
	ck_assert_int_eq(pwrite(f.fd, "zz", 2, (off_t)file_offset(B) + 100), 2);
	ck_assert_int_eq(memcmp(p + 3 * 4096 + 100, "zz", 2), 0);
	for (unsigned int i = 0; i < 6; i++) {
		memset(want, 0x30 + i, sizeof(want));
		if (i == 3)
			memcpy(want + 100, "zz", 2);
		ck_assert_int_eq(pread(f.fd, page, sizeof(page), (off_t)file_offset(frames[i])),
				 4096);
		ck_assert_msg(memcmp(page, want, sizeof(page)) == 0, "page %u not at frame 0x%llx",
			      i, (unsigned long long)frames[i]);
	}
	ck_assert_int_eq(cachet_unmap_foreign(h, 1, p, GFN0 + 0x10, 6), 0);
	ck_assert(fake_find(&f, CACHET_OP_CACHE_FLUSH, 0, &req));
	ck_assert_uint_eq(req.u.flush.domid, 1);
	ck_assert_uint_eq(req.u.flush.gfn, GFN0 + 0x10);
	ck_assert_uint_eq(req.u.flush.nr_pages, 6);
	/* Neighbouring frames are untouched. */
	ck_assert_int_eq(pread(f.fd, page, 1, (off_t)file_offset(A + 3)), 1);
	ck_assert_uint_eq(page[0], 0);
}
END_TEST

/* A domain populated in 2 MiB blocks maps with one mmap per block. */
START_TEST(test_2m_blocks_are_single_runs)
{
	static uint64_t mfns[1024];
	uint8_t *p;
	uint8_t b;

	ck_assert_int_eq(cachet_populate(h, 1, GFN0, 1024, 9), 0);
	ck_assert_int_eq(cachet_translate(h, 1, GFN0, 1024, mfns), 0);
	ck_assert_uint_eq(foreign_run_len(mfns, 1024), 512);
	ck_assert_uint_eq(foreign_run_len(mfns + 512, 512), 512);
	ck_assert_uint_eq(mfns[0] % 512, 0);
	ck_assert_int_eq(cachet_map_foreign(h, 1, GFN0, 1024, (void **)&p), 0);
	for (unsigned int i = 0; i < 1024; i++)
		p[i * 4096 + 7] = (uint8_t)i;
	ck_assert_int_eq(cachet_unmap_foreign(h, 1, p, GFN0, 1024), 0);
	for (unsigned int i = 0; i < 1024; i += 97) {
		fake_read_guest(&f, CACHET_GUEST_RAM0_BASE + i * 4096ull + 7, &b, 1);
		ck_assert_uint_eq(b, (uint8_t)i);
	}
}
END_TEST

static void expect_bad_frame(uint64_t mfn)
{
	void *p = (void *)0x1;

	fake_set_p2m(&f, GFN0 + 1, mfn);
	ck_assert_int_eq(cachet_map_foreign(h, 1, GFN0, 2, &p), -CACHET_LIB_EIO);
	ck_assert_ptr_eq(p, (void *)0x1);
	ck_assert_msg(strstr(cachet_last_error(h), "outside the RAM file") != NULL, "%s",
		      cachet_last_error(h));
}

START_TEST(test_bad_frames_refused)
{
	char want[160];

	fake_set_p2m(&f, GFN0, MFN_AT(8 << 20));
	expect_bad_frame(MFN_AT(FAKE_RAM_SIZE));      /* first frame past the file */
	snprintf(want, sizeof(want), "map_foreign: gfn 0x%llx translates to machine frame "
		 "0x%llx, outside the RAM file (67108864 bytes) or inside the mailbox",
		 (unsigned long long)GFN0 + 1, (unsigned long long)MFN_AT(FAKE_RAM_SIZE));
	ck_assert_str_eq(cachet_last_error(h), want);
	expect_bad_frame(0x100);                       /* below machine RAM */
	expect_bad_frame(CACHET_MBOX_ADDR >> 12);      /* the mailbox itself */
	expect_bad_frame(UINT64_MAX >> 4);             /* address overflows */
	/* The fake's own misbehaviour switch: a frame past the file. */
	fake_set_p2m(&f, GFN0 + 1, MFN_AT(8 << 20) + 1);
	fake_set(&f.bad_mfn, 1);
	expect_bad_frame(MFN_AT(8 << 20) + 1);
	ck_assert_uint_eq(fake_count(&f, CACHET_OP_CACHE_FLUSH), 0);
}
END_TEST

START_TEST(test_translate_errors_propagate)
{
	void *p;

	ck_assert_int_eq(cachet_map_foreign(h, 1, GFN0 + 50, 4, &p), -CACHET_EFAULT);
	ck_assert_str_eq(cachet_last_error(h), "translate: guest address not populated "
			 "(hypervisor status -14)");
}
END_TEST

START_TEST(test_unmap_checks_and_flush_errors)
{
	uint8_t *p;

	ck_assert_int_eq(cachet_unmap_foreign(h, 1, NULL, GFN0, 1), -CACHET_LIB_EINVAL);
	ck_assert_int_eq(cachet_unmap_foreign(h, 1, (void *)0x1001, GFN0, 1), -CACHET_LIB_EINVAL);
	fake_set_p2m(&f, GFN0, MFN_AT(8 << 20));
	ck_assert_int_eq(cachet_map_foreign(h, 1, GFN0, 1, (void **)&p), 0);
	p[0] = 1;
	fake_force(&f, CACHET_OP_CACHE_FLUSH, -CACHET_EINVAL);
	ck_assert_int_eq(cachet_unmap_foreign(h, 1, p, GFN0, 1), -CACHET_EINVAL);
	ck_assert_uint_eq(fake_count(&f, CACHET_OP_CACHE_FLUSH), 1);
}
END_TEST

static Suite *foreign_suite(void)
{
	Suite *s = suite_create("lib_foreign");
	TCase *tc = tcase_create("foreign");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_run_len);
	tcase_add_test(tc, test_writes_land_at_frame_offsets);
	tcase_add_test(tc, test_2m_blocks_are_single_runs);
	tcase_add_test(tc, test_bad_frames_refused);
	tcase_add_test(tc, test_translate_errors_propagate);
	tcase_add_test(tc, test_unmap_checks_and_flush_errors);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(foreign_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
