/*
 * The virtio-mmio register file of the real hypervisor core, run on the
 * host: what the driver sees (identity, features, queue set-up, config
 * space, interrupt status), what reaches the host (notification words in
 * the mailbox, VDEV_STATE) and what the host may do (VDEV_SIGNAL), and that
 * bad accesses (wrong width, unknown offsets, read-only registers, windows
 * without a device) read as zero and change nothing; and where the
 * doorbell goes while a vCPU waits for its device (hv/doorbell.h).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cachet/public/guest_map.h"
#include "cachet/public/mbox.h"
#include "host_arch.h"
#include "hv/doorbell.h"
#include "hv/domain.h"
#include "hv/errno.h"
#include "hv/mbox.h"
#include "hv/mm.h"
#include "hv/smp.h"
#include "hv/vdev.h"
#include "hv/vgic.h"

#define MEM_BASE 0x40000000ULL
#define MEM_SIZE (16ULL << 20)
#define FREE_START 0x40200000ULL

#define WIN(i) (CACHET_GUEST_VIRTIO_MMIO_BASE + (i) * CACHET_GUEST_VIRTIO_MMIO_STRIDE)
#define DEV WIN(2)
#define SPI (CACHET_GUEST_VIRTIO_MMIO_SPI_FIRST + 2)

/* Register offsets (virtio 1.2, 4.2.2), as a driver uses them. */
#define R_MAGIC 0x000
#define R_VERSION 0x004
#define R_DEVICE_ID 0x008
#define R_DEV_FEAT 0x010
#define R_DEV_FEAT_SEL 0x014
#define R_DRV_FEAT 0x020
#define R_DRV_FEAT_SEL 0x024
#define R_QUEUE_SEL 0x030
#define R_QUEUE_NUM_MAX 0x034
#define R_QUEUE_NUM 0x038
#define R_QUEUE_READY 0x044
#define R_QUEUE_NOTIFY 0x050
#define R_ISR 0x060
#define R_ACK 0x064
#define R_STATUS 0x070
#define R_DESC_LO 0x080
#define R_DESC_HI 0x084
#define R_DRIVER_LO 0x090
#define R_DEVICE_LO 0x0a0
#define R_CONFIG 0x100

static uint8_t *mem;
static struct domain *dom;
static struct cachet_mbox *mb;

static struct cachet_vdev_create_in blk_desc(void)
{
	struct cachet_vdev_create_in in = { .index = 2, .device_id = 2, .nr_queues = 2,
					    .queue_num_max = 256, .config_len = 8,
					    .features = CACHET_VDEV_F_VERSION_1 | (1u << 5) };

	for (unsigned int i = 0; i < 8; i++)
		in.config[i] = (uint8_t)(0x10 + i);
	return in;
}

static void setup(void)
{
	struct cachet_domain_create_in in = { .max_vcpus = 1, .max_pages = 16 };
	struct cachet_vdev_create_in vd = blk_desc();

	mem = aligned_alloc(1 << 21, MEM_SIZE);
	ck_assert_ptr_nonnull(mem);
	host_set_machine_memory(ma_init(MEM_BASE), mem, MEM_SIZE);
	ck_assert_int_eq(host_mm_init(ma_init(MEM_BASE), MEM_SIZE >> 12, ma_init(FREE_START)), 0);
	memset(percpu, 0, sizeof(percpu));
	percpu[0].online = true;
	mbox_init();
	mb = (struct cachet_mbox *)(mem + (CACHET_MBOX_ADDR - MEM_BASE));
	ck_assert_int_eq(domain_create(&in, &dom), 0);
	ck_assert_int_eq(vvirtio_create(dom, &vd), 0);
	dom->state = CACHET_DOM_RUNNING;
}

static void teardown(void)
{
	dom->state = CACHET_DOM_PAUSED;
	ck_assert_int_eq(domain_destroy(dom), 0);
	free(mem);
}

static uint64_t rd(uint64_t ipa, unsigned int size)
{
	uint64_t val = 0xdeadbeefdeadbeefULL;

	ck_assert(vdev_mmio_access(&dom->vcpus[0], ipa, size, &val, false));
	return val;
}

static void wr(uint64_t ipa, unsigned int size, uint64_t val)
{
	ck_assert(vdev_mmio_access(&dom->vcpus[0], ipa, size, &val, true));
}

static uint64_t notify_word(void)
{
	return mb->vdev_notify[CACHET_MBOX_VDEV_WORD(dom->domid, 2)];
}

static bool spi_level(void)
{
	return vgic_irq(dom, NULL, SPI)->level;
}

/* The driver's handshake up to FEATURES_OK with @features accepted. */
static uint32_t negotiate(uint64_t features)
{
	wr(DEV + R_STATUS, 4, 0x3); /* ACKNOWLEDGE | DRIVER */
	wr(DEV + R_DRV_FEAT_SEL, 4, 0);
	wr(DEV + R_DRV_FEAT, 4, (uint32_t)features);
	wr(DEV + R_DRV_FEAT_SEL, 4, 1);
	wr(DEV + R_DRV_FEAT, 4, (uint32_t)(features >> 32));
	wr(DEV + R_STATUS, 4, 0xb);
	return (uint32_t)rd(DEV + R_STATUS, 4);
}

START_TEST(test_identity_registers)
{
	ck_assert_uint_eq(rd(DEV + R_MAGIC, 4), 0x74726976);
	ck_assert_uint_eq(rd(DEV + R_VERSION, 4), 2);
	ck_assert_uint_eq(rd(DEV + R_DEVICE_ID, 4), 2);
	/* Only 32-bit accesses reach registers; a window without a device reads zero. */
	ck_assert_uint_eq(rd(DEV + R_MAGIC, 1), 0);
	ck_assert_uint_eq(rd(DEV + R_MAGIC, 8), 0);
	ck_assert_uint_eq(rd(WIN(0) + R_MAGIC, 4), 0);
	ck_assert_uint_eq(rd(WIN(10) + R_MAGIC, 4), 0);
	ck_assert_uint_eq(rd(DEV + 0x0f0, 4), 0); /* reserved */
}
END_TEST

START_TEST(test_device_features_by_half)
{
	wr(DEV + R_DEV_FEAT_SEL, 4, 0);
	ck_assert_uint_eq(rd(DEV + R_DEV_FEAT, 4), 1u << 5);
	wr(DEV + R_DEV_FEAT_SEL, 4, 1);
	ck_assert_uint_eq(rd(DEV + R_DEV_FEAT, 4), 1);
	wr(DEV + R_DEV_FEAT_SEL, 4, 2);
	ck_assert_uint_eq(rd(DEV + R_DEV_FEAT, 4), 0);
	/* Read-only: a write changes nothing. */
	wr(DEV + R_DEV_FEAT_SEL, 4, 0);
	wr(DEV + R_DEV_FEAT, 4, 0xffffffff);
	ck_assert_uint_eq(rd(DEV + R_DEV_FEAT, 4), 1u << 5);
}
END_TEST

START_TEST(test_features_ok_refused_for_unoffered_feature)
{
	struct cachet_vdev_state st;

	ck_assert_uint_eq(negotiate(CACHET_VDEV_F_VERSION_1 | (1u << 6)) & 0x8, 0);
	wr(DEV + R_STATUS, 4, 0);
	ck_assert_uint_eq(negotiate(1u << 5) & 0x8, 0); /* legacy: no VERSION_1 */
	wr(DEV + R_STATUS, 4, 0);
	ck_assert_uint_eq(negotiate(CACHET_VDEV_F_VERSION_1 | (1u << 5)), 0xb);
	/* After FEATURES_OK the accepted set is fixed. */
	wr(DEV + R_DRV_FEAT_SEL, 4, 0);
	wr(DEV + R_DRV_FEAT, 4, 0);
	ck_assert_int_eq(vvirtio_state(dom, 2, &st), 0);
	ck_assert_uint_eq(st.driver_features, CACHET_VDEV_F_VERSION_1 | (1u << 5));
	ck_assert_uint_eq(st.status, 0xb);
}
END_TEST

START_TEST(test_queue_setup_reaches_the_host)
{
	struct cachet_vdev_state st;
	uint64_t seq = mb->vdev_seq;

	wr(DEV + R_QUEUE_SEL, 4, 1);
	ck_assert_uint_eq(rd(DEV + R_QUEUE_NUM_MAX, 4), 256);
	wr(DEV + R_QUEUE_NUM, 4, 128);
	wr(DEV + R_DESC_LO, 4, 0x40001000);
	wr(DEV + R_DESC_HI, 4, 0x2);
	wr(DEV + R_DRIVER_LO, 4, 0x40002000);
	wr(DEV + R_DEVICE_LO, 4, 0x40003000);
	wr(DEV + R_QUEUE_READY, 4, 1);
	ck_assert_uint_eq(rd(DEV + R_QUEUE_READY, 4), 1);
	/* A ready queue's set-up is frozen. */
	wr(DEV + R_QUEUE_NUM, 4, 4);
	ck_assert_int_eq(vvirtio_state(dom, 2, &st), 0);
	ck_assert_uint_eq(st.queue[1].num, 128);
	ck_assert_uint_eq(st.queue[1].desc, 0x240001000ULL);
	ck_assert_uint_eq(st.queue[1].driver, 0x40002000);
	ck_assert_uint_eq(st.queue[1].device, 0x40003000);
	ck_assert_uint_eq(st.queue[1].ready, 1);
	ck_assert_uint_eq(st.queue[0].ready, 0);
	ck_assert_uint_gt(mb->vdev_seq, seq);
	ck_assert_uint_eq(notify_word(), (uint64_t)dom->domid << 48 | CACHET_MBOX_VDEV_EV_STATE);
	/* A queue the device does not have: no size, no effect. */
	wr(DEV + R_QUEUE_SEL, 4, 5);
	ck_assert_uint_eq(rd(DEV + R_QUEUE_NUM_MAX, 4), 0);
	wr(DEV + R_QUEUE_READY, 4, 1);
	ck_assert_uint_eq(rd(DEV + R_QUEUE_READY, 4), 0);
}
END_TEST

START_TEST(test_notify_posts_the_queue_bit)
{
	uint64_t seq = mb->vdev_seq;

	wr(DEV + R_QUEUE_NOTIFY, 4, 1);
	ck_assert_uint_eq(notify_word(), (uint64_t)dom->domid << 48 | 2);
	wr(DEV + R_QUEUE_NOTIFY, 4, 0);
	ck_assert_uint_eq(notify_word(), (uint64_t)dom->domid << 48 | 3);
	ck_assert_uint_eq(mb->vdev_seq, seq + 2);
	/* Queue 9 does not exist; a 16-bit write is not a register access. */
	wr(DEV + R_QUEUE_NOTIFY, 4, 9);
	wr(DEV + R_QUEUE_NOTIFY, 2, 1);
	ck_assert_uint_eq(mb->vdev_seq, seq + 2);
	/* A word naming another domain (ids 128 apart) is taken over. */
	mb->vdev_notify[CACHET_MBOX_VDEV_WORD(dom->domid, 2)] = (uint64_t)(dom->domid + 128) << 48 | 1;
	wr(DEV + R_QUEUE_NOTIFY, 4, 1);
	ck_assert_uint_eq(notify_word(), (uint64_t)dom->domid << 48 | 2);
}
END_TEST

/* Queue bits the host has not taken when the driver resets were for the discarded queues. */
START_TEST(test_reset_drops_queue_bits_not_yet_taken)
{
	negotiate(CACHET_VDEV_F_VERSION_1);
	wr(DEV + R_QUEUE_NOTIFY, 4, 1);
	ck_assert_uint_eq(notify_word(), (uint64_t)dom->domid << 48 | 2 | CACHET_MBOX_VDEV_EV_STATE);
	wr(DEV + R_STATUS, 4, 0);
	ck_assert_uint_eq(notify_word(), (uint64_t)dom->domid << 48 | CACHET_MBOX_VDEV_EV_STATE);
	/* A notification after the reset is kept: the host must see it (before DRIVER_OK). */
	wr(DEV + R_QUEUE_NOTIFY, 4, 0);
	ck_assert_uint_eq(notify_word(), (uint64_t)dom->domid << 48 | 1 | CACHET_MBOX_VDEV_EV_STATE);
}
END_TEST

START_TEST(test_signal_raises_a_level_until_acknowledged)
{
	struct cachet_vdev_signal_in sig = { .domid = dom->domid, .index = 2,
					     .isr = CACHET_VDEV_ISR_VRING };

	ck_assert(!spi_level());
	ck_assert_int_eq(vvirtio_signal(dom, &sig), 0);
	ck_assert(spi_level());
	ck_assert_uint_eq(rd(DEV + R_ISR, 4), 1);
	wr(DEV + R_ISR, 4, 0); /* read-only */
	ck_assert_uint_eq(rd(DEV + R_ISR, 4), 1);
	wr(DEV + R_ACK, 4, 1);
	ck_assert_uint_eq(rd(DEV + R_ISR, 4), 0);
	ck_assert(!spi_level());
	sig.isr = 4;
	ck_assert_int_eq(vvirtio_signal(dom, &sig), -EINVAL);
	sig.index = 3;
	ck_assert_int_eq(vvirtio_signal(dom, &sig), -ENOENT);
}
END_TEST

START_TEST(test_needs_reset_until_the_driver_resets)
{
	struct cachet_vdev_signal_in sig = { .domid = dom->domid, .index = 2,
					     .flags = CACHET_VDEV_SIG_NEEDS_RESET };
	struct cachet_vdev_state st;

	negotiate(CACHET_VDEV_F_VERSION_1);
	wr(DEV + R_QUEUE_READY, 4, 1);
	ck_assert_int_eq(vvirtio_signal(dom, &sig), 0);
	ck_assert_uint_eq(rd(DEV + R_STATUS, 4), 0x4b);
	ck_assert_uint_eq(rd(DEV + R_ISR, 4), CACHET_VDEV_ISR_CONFIG);
	ck_assert(spi_level());
	/* The driver cannot clear the bit except by a reset. */
	wr(DEV + R_STATUS, 4, 0xf);
	ck_assert_uint_eq(rd(DEV + R_STATUS, 4), 0x4f);
	wr(DEV + R_STATUS, 4, 0);
	ck_assert_uint_eq(rd(DEV + R_STATUS, 4), 0);
	ck_assert_uint_eq(rd(DEV + R_ISR, 4), 0);
	ck_assert(!spi_level());
	ck_assert_int_eq(vvirtio_state(dom, 2, &st), 0);
	ck_assert_uint_eq(st.resets, 1);
	ck_assert_uint_eq(st.queue[0].ready, 0);
	ck_assert_uint_eq(st.driver_features, 0);
	/* A signal meant for the device before the reset is dropped. */
	sig = (struct cachet_vdev_signal_in){ .domid = dom->domid, .index = 2,
					      .isr = CACHET_VDEV_ISR_VRING, .resets = 0 };
	ck_assert_int_eq(vvirtio_signal(dom, &sig), -ESTALE);
	ck_assert(!spi_level());
}
END_TEST

/* What the host does after writing request words: flag every domain slot, bump the count. */
static void post_doms(void)
{
	mb->vdev_irq_doms[0] = mb->vdev_irq_doms[1] = ~UINT64_C(0);
	mb->vdev_irq_seq++;
}

/* The host's posted requests (mbox.h, vdev_irq) act as VDEV_SIGNAL, checked the same way. */
START_TEST(test_posted_interrupt_requests)
{
	unsigned int w = CACHET_MBOX_VDEV_WORD(dom->domid, 2);

	mb->vdev_irq[w] = CACHET_MBOX_VDEV_IRQ(dom->domid, 0, CACHET_VDEV_ISR_VRING);
	mbox_poll();
	ck_assert(!spi_level()); /* nothing looked at until the count moves */
	post_doms();
	mbox_poll();
	ck_assert(spi_level());
	ck_assert_uint_eq(rd(DEV + R_ISR, 4), 1);
	ck_assert_uint_eq(mb->vdev_irq[w], 0);
	wr(DEV + R_ACK, 4, 1);
	/* An old reset count, a word naming no device, bits VDEV_SIGNAL refuses: dropped. */
	mb->vdev_irq[w] = CACHET_MBOX_VDEV_IRQ(dom->domid, 1, CACHET_VDEV_ISR_VRING);
	mb->vdev_irq[w + 1] = CACHET_MBOX_VDEV_IRQ(dom->domid, 0, CACHET_VDEV_ISR_VRING);
	mb->vdev_irq[CACHET_MBOX_VDEV_WORD(dom->domid + 1, 2)] =
		CACHET_MBOX_VDEV_IRQ(dom->domid, 0, CACHET_VDEV_ISR_VRING);
	post_doms();
	mbox_poll();
	ck_assert(!spi_level());
	mb->vdev_irq[w] = CACHET_MBOX_VDEV_IRQ(dom->domid, 0, 0x80);
	post_doms();
	mbox_poll();
	ck_assert(!spi_level());
	ck_assert_uint_eq(rd(DEV + R_ISR, 4), 0);
}
END_TEST

/* The guest's vCPU, on pCPU 1, notifies queue 0 and waits in WFI. */
static void wait_on_pcpu1(void)
{
	percpu[1].online = true;
	dom->vcpus[0].pcpu = dom->vcpus[0].pcpu_next = 1;
	wr(DEV + R_QUEUE_NOTIFY, 4, 0);
	dom->vcpus[0].state = VCPU_BLOCKED;
}

/* Longer than the doorbell stays on a pCPU after its last wait (doorbell.c). */
static void linger(void)
{
	usleep(6000);
}

/* The doorbell rings on pCPU 1 (hv/doorbell.h). */
static void ring_on_pcpu1(void)
{
	host_kicks_reset();
	host_set_cpu(1);
	percpu[1].doorbell = true;
	doorbell_serve();
	host_set_cpu(0);
	ck_assert(!percpu[1].doorbell);
}

START_TEST(test_doorbell_follows_a_vcpu_waiting_on_its_device)
{
	percpu[1].online = true;
	dom->vcpus[0].pcpu = dom->vcpus[0].pcpu_next = 1;
	dom->vcpus[0].state = VCPU_BLOCKED;
	doorbell_steer(1);
	ck_assert_uint_eq(host_doorbell_cpu(), 0); /* idle, waiting for nothing */
	wait_on_pcpu1();
	doorbell_steer(0);
	ck_assert_uint_eq(host_doorbell_cpu(), 0);
	doorbell_steer(1);
	ck_assert_uint_eq(host_doorbell_cpu(), 1);
	/* pCPU 1 delivers the posted interrupt itself; CPU 0 is left asleep. */
	mb->vdev_irq[CACHET_MBOX_VDEV_WORD(dom->domid, 2)] =
		CACHET_MBOX_VDEV_IRQ(dom->domid, 0, CACHET_VDEV_ISR_VRING);
	post_doms();
	ring_on_pcpu1();
	ck_assert(spi_level());
	ck_assert_uint_eq(host_kick_count(0), 0);
	/* Answered: the doorbell stays a while for the next request, then goes back. */
	doorbell_steer(1);
	ck_assert_uint_eq(host_doorbell_cpu(), 1);
	linger();
	doorbell_steer(1);
	ck_assert_uint_eq(host_doorbell_cpu(), 0);
}
END_TEST

START_TEST(test_doorbell_elsewhere_hands_requests_to_cpu0)
{
	wait_on_pcpu1();
	doorbell_steer(1);
	ring_on_pcpu1();
	ck_assert_uint_eq(host_kick_count(0), 0);
	mb->slot[3].state = CACHET_SLOT_REQUEST;
	ring_on_pcpu1();
	ck_assert_uint_eq(host_kick_count(0), 1);
	mb->slot[3].state = CACHET_SLOT_FREE;
}
END_TEST

START_TEST(test_doorbell_stays_with_cpu0_unless_a_vcpu_waits)
{
	struct cachet_vdev_signal_in sig = { .domid = dom->domid, .index = 2,
					     .isr = CACHET_VDEV_ISR_VRING };

	wait_on_pcpu1();
	dom->state = CACHET_DOM_PAUSED;
	doorbell_steer(1);
	ck_assert_uint_eq(host_doorbell_cpu(), 0);
	dom->state = CACHET_DOM_RUNNING;
	dom->vcpus[0].state = VCPU_RUNNABLE;
	doorbell_steer(1);
	ck_assert_uint_eq(host_doorbell_cpu(), 0);
	dom->vcpus[0].state = VCPU_BLOCKED;
	doorbell_steer(1);
	ck_assert_uint_eq(host_doorbell_cpu(), 1);
	/* Answered by a VDEV_SIGNAL from CPU 0 just as well. */
	ck_assert_int_eq(vvirtio_signal(dom, &sig), 0);
	linger();
	doorbell_steer(1);
	ck_assert_uint_eq(host_doorbell_cpu(), 0);
}
END_TEST

START_TEST(test_config_space_is_read_only_bytes)
{
	ck_assert_uint_eq(rd(DEV + R_CONFIG, 1), 0x10);
	ck_assert_uint_eq(rd(DEV + R_CONFIG + 2, 2), 0x1312);
	ck_assert_uint_eq(rd(DEV + R_CONFIG + 4, 4), 0x17161514);
	ck_assert_uint_eq(rd(DEV + R_CONFIG + 6, 4), 0); /* misaligned */
	ck_assert_uint_eq(rd(DEV + R_CONFIG + 8, 4), 0); /* past the device's config */
	ck_assert_uint_eq(rd(DEV + R_CONFIG, 8), 0);
	wr(DEV + R_CONFIG, 4, 0);
	ck_assert_uint_eq(rd(DEV + R_CONFIG, 4), 0x13121110);
}
END_TEST

START_TEST(test_create_checks_the_description)
{
	struct cachet_vdev_create_in in = blk_desc();

	dom->state = CACHET_DOM_PAUSED;
	ck_assert_int_eq(vvirtio_create(dom, &in), -EEXIST);
	in.index = CACHET_GUEST_VIRTIO_MAX;
	ck_assert_int_eq(vvirtio_create(dom, &in), -ERANGE);
	in = blk_desc();
	in.index = 3;
	in.queue_num_max = 100;
	ck_assert_int_eq(vvirtio_create(dom, &in), -EINVAL);
	in.queue_num_max = 64;
	in.features = 0;
	ck_assert_int_eq(vvirtio_create(dom, &in), -EINVAL);
	in.features = CACHET_VDEV_F_VERSION_1;
	in.config_len = CACHET_VDEV_CONFIG_MAX + 1;
	ck_assert_int_eq(vvirtio_create(dom, &in), -EINVAL);
	in.config_len = 0;
	in.nr_queues = CACHET_VDEV_MAX_QUEUES + 1;
	ck_assert_int_eq(vvirtio_create(dom, &in), -EINVAL);
	in.nr_queues = 1;
	dom->state = CACHET_DOM_RUNNING;
	ck_assert_int_eq(vvirtio_create(dom, &in), -EPERM);
	dom->state = CACHET_DOM_PAUSED;
	ck_assert_int_eq(vvirtio_create(dom, &in), 0);
	ck_assert_uint_eq(rd(WIN(3) + R_DEVICE_ID, 4), 2);
	dom->state = CACHET_DOM_RUNNING;
}
END_TEST

static Suite *vvirtio_suite(void)
{
	Suite *s = suite_create("vvirtio");
	TCase *tc = tcase_create("registers");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_identity_registers);
	tcase_add_test(tc, test_device_features_by_half);
	tcase_add_test(tc, test_features_ok_refused_for_unoffered_feature);
	tcase_add_test(tc, test_queue_setup_reaches_the_host);
	tcase_add_test(tc, test_notify_posts_the_queue_bit);
	tcase_add_test(tc, test_reset_drops_queue_bits_not_yet_taken);
	tcase_add_test(tc, test_signal_raises_a_level_until_acknowledged);
	tcase_add_test(tc, test_needs_reset_until_the_driver_resets);
	tcase_add_test(tc, test_posted_interrupt_requests);
	tcase_add_test(tc, test_doorbell_follows_a_vcpu_waiting_on_its_device);
	tcase_add_test(tc, test_doorbell_elsewhere_hands_requests_to_cpu0);
	tcase_add_test(tc, test_doorbell_stays_with_cpu0_unless_a_vcpu_waits);
	tcase_add_test(tc, test_config_space_is_read_only_bytes);
	tcase_add_test(tc, test_create_checks_the_description);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(vvirtio_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
