/*
 * Unit tests of libcachet's mailbox transport and operation wrappers,
 * against the fake mailbox server of test_lib_fake.c: header checks at open,
 * one round trip per operation, status mapping, argument checks, request
 * splitting, timeouts and slot reuse, reboot detection, the doorbell, and
 * many threads sharing one handle.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cachet/cachet.h"
#include "cachet/public/guest_map.h"
#include "test_lib_fake.h"

#define GFN0 (CACHET_GUEST_RAM0_BASE >> 12)

static struct fake f;
static cachet_handle *h;

#define ck_assert_msg_has(text, part)                                                     \
	ck_assert_msg(strstr((text), (part)) != NULL, "message \"%s\" lacks \"%s\"", (text), \
		      (part))

static void setup_served(void)
{
	fake_init(&f, FAKE_RAM_SIZE, CACHET_MBOX_SLOTS);
	fake_start(&f);
	ck_assert_int_eq(cachet_open(f.path, &h), 0);
}

static void teardown_served(void)
{
	cachet_close(h);
	h = NULL;
	fake_stop_thread(&f);
	ck_assert_uint_eq(f.bad_requests, 0);
	fake_fini(&f);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- Opening: the header must describe a ready mailbox we can speak to. */

static void expect_open_fails(int code, const char *part)
{
	cachet_handle *x = (cachet_handle *)1;

	ck_assert_int_eq(cachet_open(f.path, &x), -code);
	ck_assert_ptr_null(x);
	ck_assert_msg_has(cachet_last_error(NULL), part);
}

START_TEST(test_open_checks_header)
{
	fake_init_file(&f, FAKE_RAM_SIZE);
	expect_open_fails(CACHET_LIB_ENOTREADY, "no Cachet mailbox in /proc/self/fd/");
	fake_write_header(&f, 4);
	f.mb->ready = 0;
	expect_open_fails(CACHET_LIB_ENOTREADY, "is not ready: the hypervisor has not finished "
			  "booting");
	fake_write_header(&f, 4);
	f.mb->abi_version = 0x00020000;
	expect_open_fails(CACHET_LIB_ENOTREADY, "hypervisor speaks ABI 2.0, this library ABI 1.5");
	fake_write_header(&f, 0);
	expect_open_fails(CACHET_LIB_ENOTREADY, "mailbox header has 0 slots (1..16 expected)");
	fake_write_header(&f, 17);
	expect_open_fails(CACHET_LIB_ENOTREADY, "mailbox header has 17 slots");
	fake_write_header(&f, 4);
	f.mb->slot_size = 4096;
	expect_open_fails(CACHET_LIB_ENOTREADY, "mailbox slot size is 4096 bytes, this library "
			  "expects 4072");
	/* A different minor version is compatible by definition. */
	fake_write_header(&f, 4);
	f.mb->abi_version = CACHET_ABI_VERSION + 7;
	ck_assert_int_eq(cachet_open(f.path, &h), 0);
	cachet_close(h);
	fake_fini(&f);
}
END_TEST

START_TEST(test_open_small_or_missing_file)
{
	fake_init_file(&f, 1u << 20);
	expect_open_fails(CACHET_LIB_ENOTREADY, "too small to hold the mailbox at offset "
			  "0x100000");
	fake_fini(&f);
	ck_assert_int_eq(cachet_open("/nonexistent/cachet-ram", &h), -CACHET_LIB_EIO);
	ck_assert_msg_has(cachet_last_error(NULL), "cannot open RAM file /nonexistent/cachet-ram");
	ck_assert_int_eq(cachet_open(NULL, &h), -CACHET_LIB_EINVAL);
}
END_TEST

/* ---- Round trips. */

START_TEST(test_version_round_trip)
{
	struct cachet_version_out v;
	struct cachet_req req;

	ck_assert_int_eq(cachet_version(h, &v), 0);
	ck_assert_uint_eq(v.abi_version, CACHET_ABI_VERSION);
	ck_assert_str_eq(v.hv_version, "fake-1");
	ck_assert(fake_find(&f, CACHET_OP_VERSION, 0, &req));
	ck_assert_uint_eq(req.abi_version, CACHET_ABI_VERSION);
	ck_assert_uint_eq(f.mb->served, 1);
}
END_TEST

START_TEST(test_every_operation_round_trip)
{
	struct cachet_physinfo_out pi;
	struct cachet_dominfo info;
	struct cachet_domain_stats_out st;
	struct cachet_vcpu_context ctx;
	struct cachet_req req;
	cachet_domid_t d;
	char text[64];
	uint64_t pos = 0, lost = 1;
	struct cachet_domain_create_in in = { 2, 0, 256, CACHET_CACHE_S2_FAULT, 0xdead };

	ck_assert_int_eq(cachet_physinfo(h, &pi), 0);
	ck_assert_uint_eq(pi.nr_cpus, 4);
	ck_assert_int_eq(cachet_domain_create(h, &in, &d), 0);
	ck_assert_uint_eq(d, 1);
	ck_assert(fake_find(&f, CACHET_OP_DOMAIN_CREATE, 0, &req));
	ck_assert_uint_eq(req.u.create.max_vcpus, 2);
	ck_assert_uint_eq(req.u.create.max_pages, 256);
	ck_assert_uint_eq(req.u.create.cache_policy, CACHET_CACHE_S2_FAULT);
	ck_assert_uint_eq(req.u.create.tag, 0xdead);
	ck_assert_int_eq(cachet_domain_getinfo(h, d, &info), 0);
	ck_assert_uint_eq(info.domid, d);
	ck_assert_int_eq(cachet_domain_pause(h, d), 0);
	ck_assert_int_eq(cachet_domain_unpause(h, d), 0);
	ck_assert_int_eq(cachet_domain_stats(h, d, &st), 0);
	ck_assert_uint_eq(st.nr_vcpus, 2);
	memset(&ctx, 0, sizeof(ctx));
	ctx.pc = 0x40080000;
	ck_assert_int_eq(cachet_vcpu_set_context(h, d, 1, CACHET_VCPU_ONLINE, &ctx), 0);
	ck_assert(fake_find(&f, CACHET_OP_VCPU_SET_CONTEXT, 0, &req));
	ck_assert_uint_eq(req.u.vcpu_ctx.vcpu, 1);
	ck_assert_uint_eq(req.u.vcpu_ctx.ctx.pc, 0x40080000);
	ck_assert_int_eq(cachet_console_read(h, d, &pos, text, 5, &lost), 5);
	ck_assert_int_eq(memcmp(text, "fake ", 5), 0);
	ck_assert_uint_eq(pos, 5);
	ck_assert_uint_eq(lost, 0);
	ck_assert_int_eq(cachet_log_read(h, &pos, text, sizeof(text), NULL), 15);
	ck_assert_int_eq(memcmp(text, "console output\n", 15), 0);
	ck_assert_int_eq(cachet_console_write(h, d, "ls\n", 3), 3);
	ck_assert(fake_find(&f, CACHET_OP_CONSOLE_WRITE, 0, &req));
	ck_assert_uint_eq(req.u.console_write.len, 3);
	ck_assert_int_eq(cachet_cache_flush(h, d, GFN0 + 3, 9), 0);
	ck_assert(fake_find(&f, CACHET_OP_CACHE_FLUSH, 0, &req));
	ck_assert_uint_eq(req.u.flush.gfn, GFN0 + 3);
	ck_assert_uint_eq(req.u.flush.nr_pages, 9);
	ck_assert_int_eq(cachet_domain_destroy(h, d), 0);
	ck_assert_uint_eq(fake_live_domains(&f), 0);
}
END_TEST

START_TEST(test_console_write_splits_and_stops_when_full)
{
	char big[3000];

	memset(big, 'x', sizeof(big));
	fake_force(&f, CACHET_OP_CONSOLE_WRITE, 0);
	f.dom_used[1] = true;
	/* The fake accepts at most 100 bytes per request: a short count ends the loop. */
	ck_assert_int_eq(cachet_console_write(h, 1, big, sizeof(big)), 100);
	ck_assert_uint_eq(fake_count(&f, CACHET_OP_CONSOLE_WRITE), 1);
}
END_TEST

START_TEST(test_event_read_takes_what_fits)
{
	struct cachet_event ev[40];
	uint64_t seq = 0, lost;

	ck_assert_int_eq(cachet_event_read(h, &seq, ev, 5, &lost), 5);
	ck_assert_uint_eq(seq, 5);
	ck_assert_uint_eq(ev[4].seq, 4);
	ck_assert_str_eq(ev[4].detail, "event 4");
	ck_assert_int_eq(cachet_event_read(h, &seq, ev, 40, NULL), CACHET_EVENT_MAX);
	ck_assert_uint_eq(ev[0].seq, 5);
	ck_assert_uint_eq(seq, 5 + CACHET_EVENT_MAX);
}
END_TEST

START_TEST(test_domain_list_chunks)
{
	struct cachet_dominfo out[100];
	struct cachet_req req;

	f.dom_used[1] = f.dom_used[2] = true;
	f.extra_doms = 40; /* ids 100..139 */
	ck_assert_int_eq(cachet_domain_list(h, 0, out, 100), 42);
	ck_assert_uint_eq(out[0].domid, 1);
	ck_assert_uint_eq(out[2].domid, 100);
	ck_assert_uint_eq(out[41].domid, 139);
	ck_assert_uint_eq(fake_count(&f, CACHET_OP_DOMAIN_LIST), 2);
	ck_assert(fake_find(&f, CACHET_OP_DOMAIN_LIST, 1, &req));
	ck_assert_uint_eq(req.u.list.first, 130);
	ck_assert_uint_eq(req.u.list.max, 32);
	ck_assert_int_eq(cachet_domain_list(h, 0, out, 3), 3);
}
END_TEST

START_TEST(test_translate_splits_requests)
{
	static uint64_t mfns[1000];
	struct cachet_req req;

	f.mode = FAKE_P2M_FORMULA;
	f.dom_used[1] = true;
	ck_assert_int_eq(cachet_translate(h, 1, GFN0 + 5, 1000, mfns), 0);
	for (unsigned int i = 0; i < 1000; i++)
		ck_assert_uint_eq(mfns[i], GFN0 + 5 + i + FAKE_FORMULA_DELTA);
	ck_assert_uint_eq(fake_count(&f, CACHET_OP_TRANSLATE), 3);
	ck_assert(fake_find(&f, CACHET_OP_TRANSLATE, 0, &req));
	ck_assert_uint_eq(req.u.translate.nr, CACHET_TRANSLATE_MAX);
	ck_assert(fake_find(&f, CACHET_OP_TRANSLATE, 2, &req));
	ck_assert_uint_eq(req.u.translate.gfn, GFN0 + 5 + 2 * CACHET_TRANSLATE_MAX);
	ck_assert_uint_eq(req.u.translate.nr, 1000 - 2 * CACHET_TRANSLATE_MAX);
}
END_TEST

/* Bytes waiting on the reading end of a doorbell socket: one per batch sent. */
static unsigned int doorbell_rings(int fd)
{
	unsigned int n = 0;
	char c;

	while (recv(fd, &c, 1, MSG_DONTWAIT) == 1)
		n++;
	return n;
}

/* A 32 MiB window's 19 translate requests go out 8 at a time, one doorbell each. */
START_TEST(test_translate_batches_requests)
{
	static uint64_t mfns[8192];
	int sv[2];

	f.mode = FAKE_P2M_FORMULA;
	f.dom_used[1] = true;
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	cachet_set_doorbell_fd(h, sv[0]);
	ck_assert_int_eq(cachet_translate(h, 1, GFN0, 8192, mfns), 0);
	for (unsigned int i = 0; i < 8192; i++)
		ck_assert_uint_eq(mfns[i], GFN0 + i + FAKE_FORMULA_DELTA);
	ck_assert_uint_eq(fake_count(&f, CACHET_OP_TRANSLATE), 19);
	ck_assert_uint_eq(doorbell_rings(sv[1]), 3);
	/* A hole ends the call with the hypervisor's error, as one request would. */
	ck_assert_int_eq(cachet_translate(h, 2, GFN0, 8192, mfns), -CACHET_ENOENT);
	cachet_set_doorbell_fd(h, -1);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

START_TEST(test_populate_splits_requests)
{
	struct cachet_req req;

	f.mode = FAKE_P2M_FORMULA;
	f.dom_used[1] = true;
	ck_assert_int_eq(cachet_populate(h, 1, GFN0, CACHET_POPULATE_MAX_PAGES + 512, 9), 0);
	ck_assert_uint_eq(fake_count(&f, CACHET_OP_POPULATE), 2);
	ck_assert(fake_find(&f, CACHET_OP_POPULATE, 0, &req));
	ck_assert_uint_eq(req.u.populate.nr_pages, CACHET_POPULATE_MAX_PAGES);
	ck_assert_uint_eq(req.u.populate.order, 9);
	ck_assert(fake_find(&f, CACHET_OP_POPULATE, 1, &req));
	ck_assert_uint_eq(req.u.populate.gfn, GFN0 + CACHET_POPULATE_MAX_PAGES);
	ck_assert_uint_eq(req.u.populate.nr_pages, 512);
}
END_TEST

/* ---- Statuses become the negative code, with a message naming the operation. */

START_TEST(test_status_mapping)
{
	struct cachet_version_out v;
	struct cachet_dominfo info;

	fake_force(&f, CACHET_OP_VERSION, -CACHET_EVERSION);
	ck_assert_int_eq(cachet_version(h, &v), -CACHET_EVERSION);
	ck_assert_str_eq(cachet_last_error(h), "version: the hypervisor rejected ABI version "
			 "0x00010005 (ABI version mismatch)");
	ck_assert_int_eq(cachet_domain_getinfo(h, 9, &info), -CACHET_ENOENT);
	ck_assert_str_eq(cachet_last_error(h), "domain_getinfo: no such domain or vCPU "
			 "(hypervisor status -2)");
	fake_force(&f, CACHET_OP_PHYSINFO, 5);
	ck_assert_int_eq(cachet_physinfo(h, &(struct cachet_physinfo_out){ 0 }),
			 -CACHET_LIB_EIO);
	ck_assert_str_eq(cachet_last_error(h), "physinfo: malformed answer status 5");
	/* A failure does not poison the handle. */
	fake_force(&f, CACHET_OP_VERSION, 0);
	ck_assert_int_eq(cachet_version(h, &v), 0);
}
END_TEST

/* ---- Bad arguments are refused before anything is sent. */

START_TEST(test_argument_validation)
{
	uint64_t mfn;
	struct cachet_domain_create_in in = { 0, 0, 256, 0, 0 };
	cachet_domid_t d;
	uint64_t pos = 0;
	char c;
	void *p;

	ck_assert_int_eq(cachet_populate(h, 1, GFN0 + 1, 512, 9), -CACHET_LIB_EINVAL);
	ck_assert_str_eq(cachet_last_error(h), "populate: gfn 0x40001 / 512 pages not aligned to "
			 "order 9");
	ck_assert_int_eq(cachet_populate(h, 1, GFN0, 512, 10), -CACHET_LIB_EINVAL);
	ck_assert_int_eq(cachet_populate(h, 1, 0x100, 1, 0), -CACHET_LIB_EINVAL);
	ck_assert_msg_has(cachet_last_error(h), "outside guest RAM");
	ck_assert_int_eq(cachet_populate(h, 1, GFN0, 0, 0), -CACHET_LIB_EINVAL);
	/* Ends one page past RAM0. */
	ck_assert_int_eq(cachet_translate(h, 1, (CACHET_GUEST_RAM0_BASE + CACHET_GUEST_RAM0_SIZE)
					  / 4096 - 1, 2, &mfn), -CACHET_LIB_EINVAL);
	ck_assert_int_eq(cachet_translate(h, 1, GFN0, 1, NULL), -CACHET_LIB_EINVAL);
	ck_assert_int_eq(cachet_domain_create(h, &in, &d), -CACHET_LIB_EINVAL);
	ck_assert_str_eq(cachet_last_error(h), "domain_create: max_vcpus 0 not in 1..16");
	in.max_vcpus = 1;
	in.cache_policy = CACHET_CACHE_POLICY_MAX;
	ck_assert_int_eq(cachet_domain_create(h, &in, &d), -CACHET_LIB_EINVAL);
	in.cache_policy = 0;
	in.flags = 0x80;
	ck_assert_int_eq(cachet_domain_create(h, &in, &d), -CACHET_LIB_EINVAL);
	ck_assert_int_eq(cachet_vcpu_set_context(h, 1, 0, 0, NULL), -CACHET_LIB_EINVAL);
	ck_assert_int_eq(cachet_console_read(h, 1, &pos, &c, 0, NULL), -CACHET_LIB_EINVAL);
	ck_assert_int_eq(cachet_console_write(h, 1, NULL, 1), -CACHET_LIB_EINVAL);
	ck_assert_int_eq(cachet_event_read(h, &pos, NULL, 1, NULL), -CACHET_LIB_EINVAL);
	ck_assert_int_eq(cachet_cache_flush(h, 1, GFN0, 0), -CACHET_LIB_EINVAL);
	ck_assert_int_eq(cachet_map_foreign(h, 1, GFN0, 0, &p), -CACHET_LIB_EINVAL);
	ck_assert_int_eq(cachet_domain_getinfo(h, 1, NULL), -CACHET_LIB_EINVAL);
	ck_assert_int_eq(cachet_version(NULL, NULL), -CACHET_LIB_EINVAL);
	ck_assert_str_eq(cachet_last_error(NULL), "version: NULL handle");
	ck_assert_uint_eq(fake_nlog(&f), 0);
}
END_TEST

/* ---- Timeouts. */

START_TEST(test_timeout_when_server_silent)
{
	struct cachet_version_out v;
	uint64_t t0;

	fake_set(&f.silent, 1);
	cachet_set_timeout_ms(h, 100);
	t0 = now_ms();
	ck_assert_int_eq(cachet_version(h, &v), -CACHET_LIB_ETIMEDOUT);
	ck_assert_uint_ge(now_ms() - t0, 100);
	ck_assert_uint_lt(now_ms() - t0, 1000);
	ck_assert_msg_has(cachet_last_error(h), "version: no answer from the hypervisor within "
			  "100 ms");
	ck_assert_msg_has(cachet_last_error(h), "its heartbeat advanced");
	/* The server wakes up: the late answer is discarded, later calls work. */
	fake_set(&f.silent, 0);
	ck_assert_int_eq(cachet_version(h, &v), 0);
}
END_TEST

START_TEST(test_timeout_without_server)
{
	struct cachet_version_out v;

	fake_stop_thread(&f);
	cachet_set_timeout_ms(h, 30);
	ck_assert_int_eq(cachet_version(h, &v), -CACHET_LIB_ETIMEDOUT);
	ck_assert_msg_has(cachet_last_error(h), "its heartbeat did not advance: is it running?");
}
END_TEST

/*
 * A timed-out slot may still be read by the hypervisor, so it must not be
 * handed to the next request until the hypervisor has marked it DONE.
 */
START_TEST(test_timed_out_slot_not_reused)
{
	struct cachet_version_out v;
	struct cachet_mbox_slot *s0;
	uint64_t seq0;

	cachet_close(h);
	fake_stop_thread(&f);
	fake_write_header(&f, 1);
	ck_assert_int_eq(cachet_open(f.path, &h), 0);
	s0 = &f.mb->slot[0];
	cachet_set_timeout_ms(h, 50);
	ck_assert_int_eq(cachet_version(h, &v), -CACHET_LIB_ETIMEDOUT);
	ck_assert_uint_eq(s0->state, CACHET_SLOT_REQUEST);
	seq0 = s0->seq;
	ck_assert_int_eq(cachet_physinfo(h, &(struct cachet_physinfo_out){ 0 }),
			 -CACHET_LIB_ETIMEDOUT);
	ck_assert_msg_has(cachet_last_error(h), "physinfo: no free mailbox slot within the timeout");
	ck_assert_uint_eq(s0->state, CACHET_SLOT_REQUEST);
	ck_assert_uint_eq(s0->seq, seq0);
	ck_assert_uint_eq(s0->u.req.op, CACHET_OP_VERSION);
	fake_start(&f);
	cachet_set_timeout_ms(h, 5000);
	ck_assert_int_eq(cachet_physinfo(h, &(struct cachet_physinfo_out){ 0 }), 0);
	ck_assert_uint_eq(fake_count(&f, CACHET_OP_VERSION), 1);
	ck_assert_uint_eq(fake_count(&f, CACHET_OP_PHYSINFO), 1);
	ck_assert_uint_ne(s0->seq, seq0);
}
END_TEST

/* Slots a previous process with our owner id left busy are not touched until they complete. */
START_TEST(test_open_adopts_busy_slots)
{
	struct cachet_version_out v;

	cachet_close(h);
	fake_stop_thread(&f);
	fake_write_header(&f, 2);
	for (unsigned int i = 0; i < 2; i++) {
		f.mb->slot[i].u.req.abi_version = CACHET_ABI_VERSION;
		f.mb->slot[i].u.req.op = CACHET_OP_VERSION;
		f.mb->slot[i].seq = 77 + i;
		f.mb->slot[i].owner = CACHET_MBOX_OWNER_PRIMARY;
		f.mb->slot[i].state = CACHET_SLOT_REQUEST;
	}
	ck_assert_int_eq(cachet_open(f.path, &h), 0);
	cachet_set_timeout_ms(h, 30);
	ck_assert_int_eq(cachet_version(h, &v), -CACHET_LIB_ETIMEDOUT);
	ck_assert_msg_has(cachet_last_error(h), "no free mailbox slot");
	ck_assert_uint_eq(f.mb->slot[0].seq, 77);
	ck_assert_uint_eq(f.mb->slot[1].seq, 78);
	fake_start(&f);
	cachet_set_timeout_ms(h, 5000);
	ck_assert_int_eq(cachet_version(h, &v), 0);
	ck_assert_uint_eq(fake_count(&f, CACHET_OP_VERSION), 3);
}
END_TEST

/* Slots another process claimed are skipped; ours carry our owner id. */
START_TEST(test_other_owners_slots_skipped)
{
	struct cachet_version_out v;

	cachet_close(h);
	fake_stop_thread(&f);
	fake_write_header(&f, 2);
	f.mb->slot[0].owner = 7;
	f.mb->slot[0].state = CACHET_SLOT_CLAIMED;
	fake_start(&f);
	ck_assert_int_eq(cachet_open(f.path, &h), 0);
	ck_assert_int_eq(cachet_version(h, &v), 0);
	ck_assert_uint_eq(f.mb->slot[0].state, CACHET_SLOT_CLAIMED);
	ck_assert_uint_eq(f.mb->slot[0].owner, 7);
	ck_assert_uint_eq(f.mb->slot[1].state, CACHET_SLOT_FREE);
	ck_assert_uint_eq(f.mb->slot[1].owner, CACHET_MBOX_OWNER_PRIMARY);
}
END_TEST

/*
 * The channel owner frees the finished or never-posted slots of clients
 * that are gone, never a live client's and never one the hypervisor may
 * still be reading.
 */
START_TEST(test_reclaim_slots_of_gone_owners)
{
	const uint32_t live[] = { 9 };

	cachet_close(h);
	fake_stop_thread(&f);
	fake_write_header(&f, 4);
	ck_assert_int_eq(cachet_open(f.path, &h), 0);
	f.mb->slot[0].owner = 9;
	f.mb->slot[0].state = CACHET_SLOT_DONE;
	f.mb->slot[1].owner = 8;
	f.mb->slot[1].state = CACHET_SLOT_REQUEST;
	f.mb->slot[2].owner = 8;
	f.mb->slot[2].state = CACHET_SLOT_CLAIMED;
	f.mb->slot[3].owner = CACHET_MBOX_OWNER_PRIMARY;
	f.mb->slot[3].state = CACHET_SLOT_CLAIMED;
	ck_assert_int_eq(cachet_reclaim_slots(h, live, 1), 1);
	ck_assert_uint_eq(f.mb->slot[0].state, CACHET_SLOT_DONE);
	ck_assert_uint_eq(f.mb->slot[1].state, CACHET_SLOT_REQUEST);
	ck_assert_uint_eq(f.mb->slot[2].state, CACHET_SLOT_FREE);
	ck_assert_uint_eq(f.mb->slot[3].state, CACHET_SLOT_CLAIMED);
	ck_assert_int_eq(cachet_reclaim_slots(h, NULL, 0), 1);
	ck_assert_uint_eq(f.mb->slot[0].state, CACHET_SLOT_FREE);
	ck_assert_uint_eq(f.mb->slot[1].state, CACHET_SLOT_REQUEST);
	f.mb->slot[1].state = CACHET_SLOT_DONE;
	ck_assert_int_eq(cachet_reclaim_slots(h, NULL, 0), 1);
	ck_assert_uint_eq(f.mb->slot[1].state, CACHET_SLOT_FREE);
	f.mb->slot[3].state = CACHET_SLOT_FREE;
	fake_start(&f);
}
END_TEST

/* A client handle from a descriptor posts under the owner id it was given. */
START_TEST(test_open_fd_uses_owner)
{
	struct cachet_version_out v;
	cachet_handle *c = NULL;

	ck_assert_int_eq(cachet_open_fd(dup(f.fd), CACHET_MBOX_OWNER_PRIMARY, &c),
			 -CACHET_LIB_EINVAL);
	ck_assert_int_eq(cachet_open_fd(dup(f.fd), 5, &c), 0);
	ck_assert_int_eq(cachet_version(c, &v), 0);
	ck_assert_uint_eq(f.mb->slot[0].owner, 5);
	ck_assert_int_eq(cachet_ram_fd(c) >= 0, 1);
	cachet_close(c);
}
END_TEST

START_TEST(test_reboot_kills_handle)
{
	struct cachet_version_out v;

	ck_assert_int_eq(cachet_version(h, &v), 0);
	f.mb->boot_id = 2;
	ck_assert_int_eq(cachet_version(h, &v), -CACHET_LIB_ENOTREADY);
	ck_assert_str_eq(cachet_last_error(h), "version: the hypervisor rebooted or reset its "
			 "mailbox (boot id was 1); reopen the handle");
	f.mb->boot_id = 1;
	ck_assert_int_eq(cachet_version(h, &v), -CACHET_LIB_ENOTREADY);
	ck_assert_uint_eq(fake_count(&f, CACHET_OP_VERSION), 1);
}
END_TEST

/* A reboot while a request waits ends the wait at once, not at the timeout. */
static void *reboot_later(void *p)
{
	struct fake *fk = p;

	usleep(50000);
	__atomic_store_n(&fk->mb->boot_id, 2, __ATOMIC_RELEASE);
	return NULL;
}

START_TEST(test_reboot_while_waiting)
{
	struct cachet_version_out v;
	pthread_t t;
	uint64_t t0;

	fake_set(&f.silent, 1);
	ck_assert_int_eq(pthread_create(&t, NULL, reboot_later, &f), 0);
	t0 = now_ms();
	ck_assert_int_eq(cachet_version(h, &v), -CACHET_LIB_ENOTREADY);
	ck_assert_uint_lt(now_ms() - t0, 2000);
	ck_assert_msg_has(cachet_last_error(h), "rebooted");
	pthread_join(t, NULL);
}
END_TEST

/* Whether a slot's last request said a doorbell follows (CACHET_SLOT_F_DOORBELL); clears them. */
static bool slots_flagged_doorbell(void)
{
	bool any = false;

	for (unsigned int i = 0; i < CACHET_MBOX_SLOTS; i++) {
		any |= (f.mb->slot[i].flags & CACHET_SLOT_F_DOORBELL) != 0;
		f.mb->slot[i].flags = 0;
	}
	return any;
}

START_TEST(test_doorbell)
{
	struct cachet_version_out v;
	int sv[2], pfd[2];
	char c;

	ck_assert_int_eq(cachet_version(h, &v), 0);
	ck_assert(!slots_flagged_doorbell());
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	cachet_set_doorbell_fd(h, sv[0]);
	ck_assert_int_eq(cachet_version(h, &v), 0);
	ck_assert(slots_flagged_doorbell());
	ck_assert_int_eq(recv(sv[1], &c, 1, MSG_DONTWAIT), 1);
	ck_assert_int_eq(recv(sv[1], &c, 1, MSG_DONTWAIT), -1);
	/* A pipe is not a socket: the library falls back to write(). */
	ck_assert_int_eq(pipe(pfd), 0);
	cachet_set_doorbell_fd(h, pfd[1]);
	ck_assert_int_eq(cachet_version(h, &v), 0);
	ck_assert_int_eq(read(pfd[0], &c, 1), 1);
	/* A closed peer must not kill the caller with SIGPIPE. */
	close(sv[1]);
	cachet_set_doorbell_fd(h, sv[0]);
	ck_assert_int_eq(cachet_version(h, &v), 0);
	close(sv[0]);
	close(pfd[0]);
	close(pfd[1]);
}
END_TEST

/* The event head (mbox.h, ABI 1.5) says without a request whether EVENT_READ has anything. */
START_TEST(test_event_head)
{
	ck_assert(!cachet_event_may_be_pending(h, 0));
	__atomic_store_n(&f.mb->event_next, 3, __ATOMIC_RELEASE);
	ck_assert(cachet_event_may_be_pending(h, 0));
	ck_assert(cachet_event_may_be_pending(h, 2));
	ck_assert(!cachet_event_may_be_pending(h, 3));
	ck_assert(cachet_event_may_be_pending(NULL, 3));
}
END_TEST

/* ---- Many threads, one handle, fewer slots than threads. */

#define CONC_THREADS 8
#define CONC_ROUNDS 150

struct conc_arg {
	unsigned int id;
	unsigned int failures;
};

static void *conc_main(void *p)
{
	struct conc_arg *a = p;
	static __thread uint64_t mfns[600];

	for (unsigned int r = 0; r < CONC_ROUNDS; r++) {
		uint64_t gfn = GFN0 + a->id * 100000u + r * 7u;
		unsigned int nr = 1 + (a->id * 131 + r * 17) % 600;
		struct cachet_version_out v;

		if (cachet_translate(h, 1, gfn, nr, mfns) != 0) {
			a->failures++;
			continue;
		}
		for (unsigned int i = 0; i < nr; i++)
			if (mfns[i] != gfn + i + FAKE_FORMULA_DELTA)
				a->failures++;
		if (r % 10 == 0 && cachet_version(h, &v) != 0)
			a->failures++;
	}
	return NULL;
}

START_TEST(test_concurrent_requests)
{
	pthread_t t[CONC_THREADS];
	struct conc_arg a[CONC_THREADS];

	cachet_close(h);
	fake_stop_thread(&f);
	fake_write_header(&f, 3);
	f.mode = FAKE_P2M_FORMULA;
	f.dom_used[1] = true;
	fake_start(&f);
	ck_assert_int_eq(cachet_open(f.path, &h), 0);
	for (unsigned int i = 0; i < CONC_THREADS; i++) {
		a[i] = (struct conc_arg){ i, 0 };
		ck_assert_int_eq(pthread_create(&t[i], NULL, conc_main, &a[i]), 0);
	}
	for (unsigned int i = 0; i < CONC_THREADS; i++) {
		pthread_join(t[i], NULL);
		ck_assert_msg(a[i].failures == 0, "thread %u: %u failures (%s)", i,
			      a[i].failures, cachet_last_error(h));
	}
	ck_assert_uint_eq(fake_count(&f, CACHET_OP_VERSION), CONC_THREADS * CONC_ROUNDS / 10);
	ck_assert_uint_eq(f.mb->served, fake_nlog(&f));
}
END_TEST

static Suite *transport_suite(void)
{
	Suite *s = suite_create("lib_transport");
	TCase *open = tcase_create("open");
	TCase *ops = tcase_create("ops");
	TCase *timing = tcase_create("timing");

	/* Generous: a timeout here means a hang, not slowness. */
	tcase_set_timeout(open, 60);
	tcase_set_timeout(ops, 60);
	tcase_add_test(open, test_open_checks_header);
	tcase_add_test(open, test_open_small_or_missing_file);
	suite_add_tcase(s, open);
	tcase_add_checked_fixture(ops, setup_served, teardown_served);
	tcase_add_test(ops, test_version_round_trip);
	tcase_add_test(ops, test_every_operation_round_trip);
	tcase_add_test(ops, test_console_write_splits_and_stops_when_full);
	tcase_add_test(ops, test_event_read_takes_what_fits);
	tcase_add_test(ops, test_domain_list_chunks);
	tcase_add_test(ops, test_translate_splits_requests);
	tcase_add_test(ops, test_translate_batches_requests);
	tcase_add_test(ops, test_populate_splits_requests);
	tcase_add_test(ops, test_status_mapping);
	tcase_add_test(ops, test_argument_validation);
	tcase_add_test(ops, test_doorbell);
	tcase_add_test(ops, test_event_head);
	suite_add_tcase(s, ops);
	tcase_add_checked_fixture(timing, setup_served, teardown_served);
	tcase_set_timeout(timing, 60);
	tcase_add_test(timing, test_timeout_when_server_silent);
	tcase_add_test(timing, test_timeout_without_server);
	tcase_add_test(timing, test_timed_out_slot_not_reused);
	tcase_add_test(timing, test_open_adopts_busy_slots);
	tcase_add_test(timing, test_other_owners_slots_skipped);
	tcase_add_test(timing, test_reclaim_slots_of_gone_owners);
	tcase_add_test(timing, test_open_fd_uses_owner);
	tcase_add_test(timing, test_reboot_kills_handle);
	tcase_add_test(timing, test_reboot_while_waiting);
	tcase_add_test(timing, test_concurrent_requests);
	suite_add_tcase(s, timing);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(transport_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
