/*
 * cachetd's virtio-net device (daemon/vdev/vdev_net.c) with its libslirp
 * backend, against rings a test lays out in a fake guest RAM, without QEMU:
 * the device offers MAC, STATUS and MTU with the vif's MAC in its config
 * space; a DHCP DISCOVER the "guest" transmits is answered by slirp with an
 * OFFER of 10.0.2.15, delivered into the receive queue behind a
 * virtio_net_hdr with num_buffers 1; a transmit chain too short for the
 * header is counted as an error and returned, not fatal; a frame that
 * arrives while the guest has posted no receive buffer waits until it does.
 * The guest's service thread (vguest.c) is replaced by the accessors below.
 */
#include <check.h>
#include <linux/virtio_ring.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_daemon_fakeguest.h"
#include "test_daemon_fakelib.h"
#include "vdev/backends.h"

#define RAM_BASE 0x40000000ull
#define RAM_SIZE (1ull << 20)
#define QNUM 8u
#define RX 0u
#define TX 1u
/* Each queue's rings at BASE + q * 0x4000: descriptors, available, used. */
#define RING_GPA(q) (RAM_BASE + 0x1000 + (q) * 0x4000ull)
#define BUF_GPA (RAM_BASE + 0x20000)
#define BUF_SIZE 2048u
#define HDR 12u

static struct vguest guest;
static uint8_t *ram;
static struct vdev dev;
static void *vnet;
static const uint8_t mac[6] = { 0x00, 0x16, 0x3e, 0x12, 0x34, 0x56 };

static void *gpa(uint64_t a)
{
	return ram + (a - RAM_BASE);
}

static struct vring_desc *desc(unsigned int q)
{
	return gpa(RING_GPA(q));
}

static struct vring_avail *avail(unsigned int q)
{
	return gpa(RING_GPA(q) + 0x1000);
}

static struct vring_used *used(unsigned int q)
{
	return gpa(RING_GPA(q) + 0x2000);
}

/* Buffer @i of queue @q: its own 2 KiB in guest RAM. */
static uint64_t buf_gpa(unsigned int q, unsigned int i)
{
	return BUF_GPA + (q * QNUM + i) * (uint64_t)BUF_SIZE;
}

/* Makes one-descriptor chain @i of queue @q available: @len bytes, device-written or not. */
static void offer(unsigned int q, unsigned int i, uint32_t len, bool writable)
{
	desc(q)[i] = (struct vring_desc){ buf_gpa(q, i), len, writable ? VRING_DESC_F_WRITE : 0, 0 };
	avail(q)->ring[avail(q)->idx % QNUM] = (uint16_t)i;
	avail(q)->idx++;
}

static void setup(void)
{
	struct devcfg_dev d = { .kind = DEVCFG_NET, .vdev = "vif0" };
	char msg[256] = "";

	fake_reset();
	ram = calloc(1, RAM_SIZE);
	ck_assert_ptr_nonnull(ram);
	guest = (struct vguest){ .mem = { { ram, NULL }, { RAM_BASE, 0 }, { RAM_SIZE, 0 } } };
	ck_assert_int_eq(cachet_open("/dev/null", &guest.h), 0);
	snprintf(d.spec, sizeof(d.spec), "mac=00:16:3e:12:34:56");
	vnet = vnet_new(&d, 1, msg, sizeof(msg));
	ck_assert_msg(vnet != NULL, "vnet_new: %s", msg);
	dev = (struct vdev){ .g = &guest, .ops = &vnet_ops, .be = vnet };
	for (unsigned int q = 0; q < CACHET_VDEV_MAX_QUEUES; q++) {
		struct cachet_vdev_queue cq = { .num = QNUM, .ready = 1, .desc = RING_GPA(q),
						.driver = RING_GPA(q) + 0x1000,
						.device = RING_GPA(q) + 0x2000 };

		dev.vq[q] = (struct virtq){ .dev = &dev, .index = q };
		if (q < vnet_ops.nr_queues)
			ck_assert(virtq_setup(&dev.vq[q], &cq, QNUM, false));
	}
	dev.started = true;
	vnet_ops.start(vnet, &dev, vnet_ops.features(vnet));
}

static void teardown(void)
{
	vnet_ops.destroy(vnet);
	cachet_close(guest.h);
	free(ram);
}

/* Writes a DHCP DISCOVER from `mac` (RFC 2131) after a zeroed virtio_net_hdr; its length. */
static uint32_t dhcp_discover(uint8_t *p)
{
	static const uint8_t ip_udp[] = {
		0x45, 0, 0x02, 0x40, 0, 1, 0, 0, 64, 17, 0, 0, /* IPv4, 576 bytes, UDP */
		0, 0, 0, 0, 255, 255, 255, 255,                /* 0.0.0.0 -> broadcast */
		0, 68, 0, 67, 0x02, 0x2c, 0, 0,                /* 68 -> 67, 556 bytes, no checksum */
	};
	uint8_t *eth = p + HDR, *ip = eth + 14, *bootp = ip + 28;
	uint32_t sum = 0;

	memset(p, 0, HDR + 14 + 576);
	memset(eth, 0xff, 6);
	memcpy(eth + 6, mac, 6);
	eth[12] = 0x08;
	memcpy(ip, ip_udp, sizeof(ip_udp));
	for (int i = 0; i < 20; i += 2)
		sum += (uint32_t)(ip[i] << 8 | ip[i + 1]);
	sum = (sum & 0xffff) + (sum >> 16);
	ip[10] = (uint8_t)(~sum >> 8);
	ip[11] = (uint8_t)~sum;
	bootp[0] = 1;                          /* BOOTREQUEST */
	bootp[1] = 1;                          /* Ethernet */
	bootp[2] = 6;
	bootp[4] = 0x5a;                       /* xid */
	memcpy(bootp + 28, mac, 6);            /* chaddr */
	memcpy(bootp + 236, "\x63\x82\x53\x63\x35\x01\x01\xff", 8); /* cookie, DISCOVER, end */
	return HDR + 14 + 576;
}

/* The transmit queue gets the DISCOVER; the device is told. */
static void send_discover(void)
{
	uint32_t len = dhcp_discover(gpa(buf_gpa(TX, 0)));

	offer(TX, 0, len, false);
	vnet_ops.queue_notify(vnet, &dev, &dev.vq[TX]);
}

/* The value of DHCP option @code in the BOOTP message at @bootp, or -1. */
static int dhcp_option(const uint8_t *bootp, size_t len, uint8_t code)
{
	for (size_t i = 240; i + 1 < len && bootp[i] != 0xff; i += 2u + bootp[i + 1])
		if (bootp[i] == code)
			return bootp[i + 2];
	return -1;
}

/* Receive chain @i holds a DHCP OFFER of 10.0.2.15 for `mac`. */
static void expect_offer(unsigned int i)
{
	const uint8_t *p = gpa(buf_gpa(RX, i)), *eth = p + HDR, *ip = eth + 14, *bootp = ip + 28;
	uint32_t len = used(RX)->ring[i].len;

	ck_assert_uint_gt(len, HDR + 14 + 28 + 240);
	ck_assert_uint_eq(p[10], 1); /* num_buffers, little-endian */
	ck_assert_uint_eq(p[11], 0);
	ck_assert_uint_eq(eth[12], 0x08);
	ck_assert_uint_eq(eth[13], 0x00);
	ck_assert_uint_eq(ip[9], 17);
	ck_assert_uint_eq(ip[20] << 8 | ip[21], 67);
	ck_assert_uint_eq(bootp[0], 2); /* BOOTREPLY */
	ck_assert_int_eq(memcmp(bootp + 16, "\x0a\x00\x02\x0f", 4), 0); /* yiaddr 10.0.2.15 */
	ck_assert_int_eq(memcmp(bootp + 28, mac, 6), 0);
	ck_assert_int_eq(dhcp_option(bootp, len - HDR - 42, 53), 2); /* DHCPOFFER */
}

START_TEST(test_config_space_and_features)
{
	uint8_t cfg[CACHET_VDEV_CONFIG_MAX];
	size_t n = vnet_ops.config(vnet, cfg, sizeof(cfg));
	uint64_t f = vnet_ops.features(vnet);

	ck_assert_uint_eq(vnet_ops.device_id, 1);
	ck_assert_uint_eq(vnet_ops.nr_queues, 2);
	ck_assert(f & (1ull << 5));  /* MAC */
	ck_assert(f & (1ull << 16)); /* STATUS */
	ck_assert(f & (1ull << 3));  /* MTU */
	ck_assert_uint_eq(n, 12);
	ck_assert_int_eq(memcmp(cfg, mac, 6), 0);
	ck_assert_uint_eq(cfg[6] | cfg[7] << 8, 1);       /* VIRTIO_NET_S_LINK_UP */
	ck_assert_uint_eq(cfg[10] | cfg[11] << 8, 65520); /* mtu */
}
END_TEST

START_TEST(test_dhcp_discover_gets_an_offer)
{
	for (unsigned int i = 0; i < 4; i++)
		offer(RX, i, BUF_SIZE, true);
	vnet_ops.queue_notify(vnet, &dev, &dev.vq[RX]);
	send_discover();
	/* The transmit chain is back, with nothing written. */
	ck_assert_uint_eq(used(TX)->idx, 1);
	ck_assert_uint_eq(used(TX)->ring[0].id, 0);
	ck_assert_uint_eq(used(TX)->ring[0].len, 0);
	ck_assert_uint_eq(used(RX)->idx, 1);
	expect_offer(0);
	ck_assert_uint_eq(vdev_stats(&dev)->requests, 2);
	ck_assert_uint_eq(vdev_stats(&dev)->errors, 0);
	ck_assert(!dev.broken);
}
END_TEST

START_TEST(test_frame_waits_for_a_receive_buffer)
{
	/* The receive queue is known but empty when slirp answers. */
	vnet_ops.queue_notify(vnet, &dev, &dev.vq[RX]);
	send_discover();
	ck_assert_uint_eq(used(RX)->idx, 0);
	offer(RX, 0, BUF_SIZE, true);
	vnet_ops.queue_notify(vnet, &dev, &dev.vq[RX]);
	ck_assert_uint_eq(used(RX)->idx, 1);
	expect_offer(0);
}
END_TEST

START_TEST(test_short_transmit_chain_is_an_error_not_fatal)
{
	offer(TX, 0, HDR - 1, false);
	vnet_ops.queue_notify(vnet, &dev, &dev.vq[TX]);
	ck_assert_uint_eq(used(TX)->idx, 1);
	ck_assert_uint_eq(vdev_stats(&dev)->errors, 1);
	ck_assert(!dev.broken);
	/* The device still works. */
	offer(RX, 0, BUF_SIZE, true);
	vnet_ops.queue_notify(vnet, &dev, &dev.vq[RX]);
	send_discover();
	ck_assert_uint_eq(used(RX)->idx, 1);
	expect_offer(0);
}
END_TEST

static Suite *vnet_suite(void)
{
	Suite *s = suite_create("daemon_vnet");
	TCase *tc = tcase_create("vnet");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_config_space_and_features);
	tcase_add_test(tc, test_dhcp_discover_gets_an_offer);
	tcase_add_test(tc, test_frame_waits_for_a_receive_buffer);
	tcase_add_test(tc, test_short_transmit_chain_is_an_error_not_fatal);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(vnet_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
