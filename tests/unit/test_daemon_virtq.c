/*
 * cachetd's virtqueues (daemon/vdev/virtq.c) and device transport
 * (vdev.c) against rings a test lays out in a fake guest RAM: good chains
 * are taken and returned as the virtio spec says (interrupts and
 * notifications asked for with and without event indices), and every rule a hostile
 * driver can break (rings or buffers outside RAM, loops, heads past the
 * queue, index jumps, writable-then-readable buffers, indirect descriptors,
 * notifications before DRIVER_OK) marks the device broken through
 * VDEV_SIGNAL's NEEDS_RESET, touching nothing outside the guest's RAM.
 * The guest's service thread (vguest.c) is replaced by the accessors below.
 */
#include <check.h>
#include <linux/virtio_ring.h>
#include <stdlib.h>
#include <string.h>

#include "test_daemon_fakeguest.h"
#include "test_daemon_fakelib.h"

#define RAM_BASE 0x40000000ull
#define RAM_SIZE (1ull << 20)
#define QNUM 8u
#define DESC_GPA (RAM_BASE + 0x1000)
#define AVAIL_GPA (RAM_BASE + 0x2000)
#define USED_GPA (RAM_BASE + 0x3000)
#define BUF_GPA (RAM_BASE + 0x10000)

static struct vguest guest;
static uint8_t *ram;
static struct vdev dev;
static unsigned int notified;

static void count_notify(void *be, struct vdev *d, struct virtq *vq)
{
	(void)be;
	(void)d;
	(void)vq;
	notified++;
}

static const struct vdev_backend_ops test_ops = {
	.name = "test", .device_id = 2, .nr_queues = 1, .queue_max = QNUM,
	.queue_notify = count_notify,
};

static void *gpa(uint64_t a)
{
	return ram + (a - RAM_BASE);
}

static struct vring_desc *desc_at(unsigned int i)
{
	return (struct vring_desc *)gpa(DESC_GPA) + i;
}

static struct vring_avail *avail(void)
{
	return gpa(AVAIL_GPA);
}

static struct vring_used *used(void)
{
	return gpa(USED_GPA);
}

static void setup(void)
{
	fake_reset();
	ram = calloc(1, RAM_SIZE);
	ck_assert_ptr_nonnull(ram);
	guest = (struct vguest){ .mem = { { ram, NULL }, { RAM_BASE, 0 }, { RAM_SIZE, 0 } } };
	ck_assert_int_eq(cachet_open("/dev/null", &guest.h), 0);
	dev = (struct vdev){ .g = &guest, .ops = &test_ops };
	for (unsigned int q = 0; q < CACHET_VDEV_MAX_QUEUES; q++)
		dev.vq[q] = (struct virtq){ .dev = &dev, .index = q };
	notified = 0;
}

static void teardown(void)
{
	cachet_close(guest.h);
	free(ram);
}

static struct cachet_vdev_queue good_queue(void)
{
	return (struct cachet_vdev_queue){ .num = QNUM, .ready = 1, .desc = DESC_GPA,
					   .driver = AVAIL_GPA, .device = USED_GPA };
}

static void set_desc(unsigned int i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	*desc_at(i) = (struct vring_desc){ addr, len, flags, next };
}

static void offer(uint16_t head)
{
	avail()->ring[avail()->idx % QNUM] = head;
	avail()->idx++;
}

static bool broken(void)
{
	return dev.broken && fake.vdev_signals > 0 &&
	       (fake.vdev_last_flags & CACHET_VDEV_SIG_NEEDS_RESET);
}

START_TEST(test_setup_checks_the_rings)
{
	struct cachet_vdev_queue q = good_queue();

	ck_assert(virtq_setup(&dev.vq[0], &q, QNUM, false));
	ck_assert(!broken());
	q.num = 0;
	ck_assert(!virtq_setup(&dev.vq[0], &q, QNUM, false));
	ck_assert(broken());
}
END_TEST

START_TEST(test_setup_refuses_bad_sizes_and_places)
{
	const struct cachet_vdev_queue bad[] = {
		{ .num = 6, .desc = DESC_GPA, .driver = AVAIL_GPA, .device = USED_GPA },
		{ .num = 2 * QNUM, .desc = DESC_GPA, .driver = AVAIL_GPA, .device = USED_GPA },
		{ .num = QNUM, .desc = RAM_BASE + RAM_SIZE - 64, .driver = AVAIL_GPA,
		  .device = USED_GPA },
		{ .num = QNUM, .desc = 0x1000, .driver = AVAIL_GPA, .device = USED_GPA },
		{ .num = QNUM, .desc = DESC_GPA + 8, .driver = AVAIL_GPA, .device = USED_GPA },
		{ .num = QNUM, .desc = DESC_GPA, .driver = AVAIL_GPA + 1, .device = USED_GPA },
		{ .num = QNUM, .desc = DESC_GPA, .driver = AVAIL_GPA, .device = UINT64_MAX - 8 },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		dev.broken = false;
		fake.vdev_signals = 0;
		ck_assert_msg(!virtq_setup(&dev.vq[0], &bad[i], QNUM, false), "case %zu accepted", i);
		ck_assert_msg(broken(), "case %zu: no NEEDS_RESET", i);
	}
}
END_TEST

START_TEST(test_good_chain_round_trip)
{
	struct cachet_vdev_queue q = good_queue();
	struct virtq_chain c;
	struct iovec iov[4];
	uint8_t hdr[16] = { 1, 2, 3 };

	ck_assert(virtq_setup(&dev.vq[0], &q, QNUM, false));
	ck_assert_int_eq(virtq_pop(&dev.vq[0], &c), 0);
	memcpy(gpa(BUF_GPA), hdr, sizeof(hdr));
	set_desc(3, BUF_GPA, 16, VRING_DESC_F_NEXT, 5);
	set_desc(5, BUF_GPA + 0x100, 512, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 6);
	set_desc(6, BUF_GPA + 0x400, 1, VRING_DESC_F_WRITE, 0);
	offer(3);
	ck_assert_int_eq(virtq_pop(&dev.vq[0], &c), 1);
	ck_assert_uint_eq(c.head, 3);
	ck_assert_uint_eq(c.n, 3);
	ck_assert_uint_eq(c.readable, 16);
	ck_assert_uint_eq(c.writable, 513);
	ck_assert_ptr_eq(c.buf[1].p, gpa(BUF_GPA + 0x100));
	/* The writable bytes 510..512 span two buffers. */
	ck_assert_int_eq(virtq_chain_iov(&c, true, 510, 3, iov, 4), 2);
	ck_assert_uint_eq(iov[0].iov_len, 2);
	ck_assert_ptr_eq(iov[1].iov_base, gpa(BUF_GPA + 0x400));
	ck_assert_int_eq(virtq_chain_iov(&c, true, 510, 4, iov, 4), -1);
	ck_assert(virtq_chain_read(&c, 0, hdr, 3) && hdr[2] == 3);
	ck_assert(!virtq_chain_read(&c, 10, hdr, 7));
	virtq_push(&dev.vq[0], &c, 513);
	ck_assert_uint_eq(used()->idx, 1);
	ck_assert_uint_eq(used()->ring[0].id, 3);
	ck_assert_uint_eq(used()->ring[0].len, 513);
	virtq_kick(&dev.vq[0]);
	ck_assert_uint_eq(fake.vdev_signals, 1);
	ck_assert_uint_eq(fake.vdev_last_isr, CACHET_VDEV_ISR_VRING);
	/* The driver asked for no interrupt: none. */
	avail()->flags = VRING_AVAIL_F_NO_INTERRUPT;
	offer(6);
	ck_assert_int_eq(virtq_pop(&dev.vq[0], &c), 1);
	virtq_push(&dev.vq[0], &c, 0);
	virtq_kick(&dev.vq[0]);
	ck_assert_uint_eq(fake.vdev_signals, 1);
	ck_assert(!dev.broken);
}
END_TEST

/* The driver's used_event and the device's avail_event (virtio 1.2, 2.7.7, 2.7.10). */
static uint16_t *used_event(void)
{
	return &avail()->ring[QNUM];
}

#define AVAIL_EVENT_GPA (USED_GPA + 4 + 8 * QNUM)

static uint16_t avail_event(void)
{
	uint16_t v;

	memcpy(&v, gpa(AVAIL_EVENT_GPA), sizeof(v));
	return v;
}

static void set_avail_event(uint16_t v)
{
	memcpy(gpa(AVAIL_EVENT_GPA), &v, sizeof(v));
}

/* Offers a one-buffer chain at @head, takes it, returns it and kicks. */
static void serve_one(uint16_t head)
{
	struct virtq_chain c;

	set_desc(head, BUF_GPA, 16, VRING_DESC_F_WRITE, 0);
	offer(head);
	ck_assert_int_eq(virtq_pop(&dev.vq[0], &c), 1);
	virtq_push(&dev.vq[0], &c, 16);
	virtq_kick(&dev.vq[0]);
}

START_TEST(test_event_idx_used_event_suppresses_interrupts)
{
	struct cachet_vdev_queue q = good_queue();

	ck_assert(virtq_setup(&dev.vq[0], &q, QNUM, true));
	/* The first completion is always signalled. */
	serve_one(0);
	ck_assert_uint_eq(fake.vdev_signals, 1);
	/* Interrupt when entry 2 has been used (used->idx goes 2 -> 3), not before. */
	*used_event() = 2;
	serve_one(1);
	ck_assert_uint_eq(used()->idx, 2);
	ck_assert_uint_eq(fake.vdev_signals, 1);
	serve_one(2);
	ck_assert_uint_eq(fake.vdev_signals, 2);
	/* NO_INTERRUPT means nothing once event indices are negotiated. */
	avail()->flags = VRING_AVAIL_F_NO_INTERRUPT;
	*used_event() = 3;
	serve_one(3);
	ck_assert_uint_eq(fake.vdev_signals, 3);
	/* A used_event left behind (the driver is not waiting): no interrupt. */
	serve_one(4);
	ck_assert_uint_eq(fake.vdev_signals, 3);
	/* Several entries in one batch passing used_event: one interrupt. */
	*used_event() = 6;
	for (uint16_t h = 5; h < 8; h++) {
		struct virtq_chain c;

		set_desc(h, BUF_GPA, 16, VRING_DESC_F_WRITE, 0);
		offer(h);
		ck_assert_int_eq(virtq_pop(&dev.vq[0], &c), 1);
		virtq_push(&dev.vq[0], &c, 16);
	}
	virtq_kick(&dev.vq[0]);
	ck_assert_uint_eq(fake.vdev_signals, 4);
	ck_assert(!dev.broken);
}
END_TEST

START_TEST(test_event_idx_avail_event_set_when_found_empty)
{
	struct cachet_vdev_queue q = good_queue();
	struct virtq_chain c;

	set_avail_event(0xbeef);
	ck_assert(virtq_setup(&dev.vq[0], &q, QNUM, true));
	ck_assert_uint_eq(avail_event(), 0);
	set_desc(0, BUF_GPA, 16, 0, 0);
	set_desc(1, BUF_GPA, 16, 0, 0);
	offer(0);
	offer(1);
	/* While entries are taken, avail_event stays behind: no notification needed. */
	ck_assert_int_eq(virtq_pop(&dev.vq[0], &c), 1);
	ck_assert_int_eq(virtq_pop(&dev.vq[0], &c), 1);
	ck_assert_uint_eq(avail_event(), 0);
	/* Found empty: the driver is asked to notify at its next entry. */
	ck_assert_int_eq(virtq_pop(&dev.vq[0], &c), 0);
	ck_assert_uint_eq(avail_event(), 2);
	ck_assert(!dev.broken);
}
END_TEST

START_TEST(test_without_event_idx_avail_event_is_left_alone)
{
	struct cachet_vdev_queue q = good_queue();
	struct virtq_chain c;

	set_avail_event(0xbeef);
	ck_assert(virtq_setup(&dev.vq[0], &q, QNUM, false));
	ck_assert_int_eq(virtq_pop(&dev.vq[0], &c), 0);
	ck_assert_uint_eq(avail_event(), 0xbeef);
	/* used_event means nothing either: every kick interrupts. */
	*used_event() = 5;
	serve_one(0);
	serve_one(1);
	ck_assert_uint_eq(fake.vdev_signals, 2);
}
END_TEST

/* Lays out one bad chain at head 0, offers it, and expects the device broken. */
static void expect_pop_breaks(const char *what)
{
	struct cachet_vdev_queue q = good_queue();
	struct virtq_chain c;

	ck_assert(virtq_setup(&dev.vq[0], &q, QNUM, false));
	ck_assert_msg(virtq_pop(&dev.vq[0], &c) == -1, "%s: taken", what);
	ck_assert_msg(broken(), "%s: no NEEDS_RESET", what);
	ck_assert_int_eq(virtq_pop(&dev.vq[0], &c), 0); /* the queue has stopped */
}

START_TEST(test_loop_breaks_the_device)
{
	set_desc(0, BUF_GPA, 16, VRING_DESC_F_NEXT, 1);
	set_desc(1, BUF_GPA, 16, VRING_DESC_F_NEXT, 0);
	offer(0);
	expect_pop_breaks("loop");
}
END_TEST

START_TEST(test_buffer_outside_ram_breaks_the_device)
{
	set_desc(0, RAM_BASE + RAM_SIZE - 8, 16, 0, 0);
	offer(0);
	expect_pop_breaks("straddling the end of RAM");
}
END_TEST

START_TEST(test_buffer_wrapping_the_address_space_breaks_the_device)
{
	set_desc(0, UINT64_MAX - 4, 16, 0, 0);
	offer(0);
	expect_pop_breaks("wrapping");
}
END_TEST

START_TEST(test_head_past_the_queue_breaks_the_device)
{
	offer(QNUM);
	expect_pop_breaks("head");
}
END_TEST

START_TEST(test_next_past_the_queue_breaks_the_device)
{
	set_desc(0, BUF_GPA, 16, VRING_DESC_F_NEXT, 0xffff);
	offer(0);
	expect_pop_breaks("next");
}
END_TEST

START_TEST(test_index_jump_breaks_the_device)
{
	set_desc(0, BUF_GPA, 16, 0, 0);
	offer(0);
	avail()->idx = QNUM + 1;
	expect_pop_breaks("index jump");
}
END_TEST

START_TEST(test_readable_after_writable_breaks_the_device)
{
	set_desc(0, BUF_GPA, 16, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 1);
	set_desc(1, BUF_GPA, 16, 0, 0);
	offer(0);
	expect_pop_breaks("order");
}
END_TEST

START_TEST(test_indirect_breaks_the_device)
{
	set_desc(0, BUF_GPA, 16, VRING_DESC_F_INDIRECT, 0);
	offer(0);
	expect_pop_breaks("indirect");
}
END_TEST

START_TEST(test_notify_before_driver_ok_breaks_the_device)
{
	fake.dom[0].used = true;
	fake.dom[0].info.domid = 1;
	fake.vdev_state = (struct cachet_vdev_state){ .status = 0x0b, .nr_queues = 1,
						      .queue_num_max = QNUM };
	vdev_serve(&dev, 1, false);
	ck_assert(broken());
	ck_assert_uint_eq(notified, 0);
}
END_TEST

START_TEST(test_driver_ok_starts_and_reset_revives)
{
	fake.dom[0].used = true;
	fake.dom[0].info.domid = 1;
	fake.vdev_state = (struct cachet_vdev_state){ .status = 0x0f, .nr_queues = 1,
						      .queue_num_max = QNUM };
	fake.vdev_state.queue[0] = good_queue();
	vdev_serve(&dev, CACHET_MBOX_VDEV_EV_STATE | 1, false);
	ck_assert(dev.started);
	ck_assert_uint_eq(notified, 1);
	/* Broken, then reset by the driver (the count moves on): served again. */
	vdev_mark_broken(&dev, "test");
	vdev_serve(&dev, 1, false);
	ck_assert_uint_eq(notified, 1);
	fake.vdev_state.resets = 1;
	vdev_serve(&dev, CACHET_MBOX_VDEV_EV_STATE | 1, false);
	ck_assert(!dev.broken);
	ck_assert_uint_eq(dev.resets, 1);
	ck_assert_uint_eq(notified, 2);
}
END_TEST

static Suite *virtq_suite(void)
{
	Suite *s = suite_create("daemon_virtq");
	TCase *tc = tcase_create("virtq");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_setup_checks_the_rings);
	tcase_add_test(tc, test_setup_refuses_bad_sizes_and_places);
	tcase_add_test(tc, test_good_chain_round_trip);
	tcase_add_test(tc, test_event_idx_used_event_suppresses_interrupts);
	tcase_add_test(tc, test_event_idx_avail_event_set_when_found_empty);
	tcase_add_test(tc, test_without_event_idx_avail_event_is_left_alone);
	tcase_add_test(tc, test_loop_breaks_the_device);
	tcase_add_test(tc, test_buffer_outside_ram_breaks_the_device);
	tcase_add_test(tc, test_buffer_wrapping_the_address_space_breaks_the_device);
	tcase_add_test(tc, test_head_past_the_queue_breaks_the_device);
	tcase_add_test(tc, test_next_past_the_queue_breaks_the_device);
	tcase_add_test(tc, test_index_jump_breaks_the_device);
	tcase_add_test(tc, test_readable_after_writable_breaks_the_device);
	tcase_add_test(tc, test_indirect_breaks_the_device);
	tcase_add_test(tc, test_notify_before_driver_ok_breaks_the_device);
	tcase_add_test(tc, test_driver_ok_starts_and_reset_revives);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(virtq_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
