/*
 * virtio-hostile: a guest that breaks the virtio rules on its first
 * virtio-mmio device (a disk; tests/integration/virtio-hostile.sh), case by
 * case, and expects the device to report DEVICE_NEEDS_RESET each time
 * (virtio 1.2, 2.1.2) while the daemon serving it goes on serving others:
 *
 *   notify-early  QueueNotify before DRIVER_OK
 *   size0         a queue of size 0 made ready
 *   ring-outside  a descriptor table outside guest RAM
 *   buf-outside   a descriptor whose buffer is outside guest RAM
 *   loop          a descriptor chain that loops
 *   index-jump    the available index moved by more than the queue holds
 *   bad-head      an available entry naming a descriptor past the queue
 *
 * After each case it resets the device.  Last it reads sector 0 through a
 * proper request and checks the bytes the host put there, proving the
 * device works again after a reset.  Prints "virtio-hostile: CASE ok"
 * per case, then RESULT: PASS.  Polls; no interrupts.
 */
#include <stdbool.h>
#include <stdint.h>

#include "arm64.h"
#include "cachet/public/guest_map.h"
#include "console.h"
#include "guest.h"

const char guest_name[] = "virtio-hostile";

/* Register offsets of the virtio-mmio transport (virtio 1.2, 4.2.2). */
#define VM_MAGIC 0x000
#define VM_VERSION 0x004
#define VM_DEVICE_ID 0x008
#define VM_DRV_FEAT 0x020
#define VM_DRV_FEAT_SEL 0x024
#define VM_QUEUE_SEL 0x030
#define VM_QUEUE_NUM 0x038
#define VM_QUEUE_READY 0x044
#define VM_QUEUE_NOTIFY 0x050
#define VM_STATUS 0x070
#define VM_DESC_LO 0x080
#define VM_DESC_HI 0x084
#define VM_DRIVER_LO 0x090
#define VM_DRIVER_HI 0x094
#define VM_DEVICE_LO 0x0a0
#define VM_DEVICE_HI 0x0a4

#define ST_ACK 0x01u
#define ST_DRIVER 0x02u
#define ST_DRIVER_OK 0x04u
#define ST_FEATURES_OK 0x08u
#define ST_NEEDS_RESET 0x40u

#define DESC_F_NEXT 1u
#define DESC_F_WRITE 2u

#define QNUM 8u
#define OUTSIDE_RAM 0x10000000ull /* below guest RAM, no device there */
#define WAIT_NS 10000000000ull    /* 10 s for the daemon to act */
#define SECTOR0_MAGIC "CACHET-VIRTIO-SECTOR0"

struct desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct ring {
	uint16_t flags;
	uint16_t idx;
	uint16_t entry[QNUM * 4]; /* avail: ids; used: {id, len} pairs as 4 halves */
};

static struct desc desc[QNUM] __attribute__((aligned(4096)));
static struct ring avail __attribute__((aligned(4096)));
static struct ring used __attribute__((aligned(4096)));
static struct {
	uint32_t type, ioprio;
	uint64_t sector;
} hdr;
static uint8_t data[512];
static volatile uint8_t status;

static volatile uint32_t *reg(uint32_t off)
{
	return (volatile uint32_t *)(uintptr_t)(CACHET_GUEST_VIRTIO_MMIO_BASE + off);
}

static uint32_t rd(uint32_t off)
{
	return *reg(off);
}

static void wr(uint32_t off, uint32_t v)
{
	dsb(sy);
	*reg(off) = v;
}

static uint64_t now_ns(void)
{
	return read_sysreg(cntvct_el0) * (1000000000ull / read_sysreg(cntfrq_el0));
}

static void reset(const char *why)
{
	wr(VM_STATUS, 0);
	if (rd(VM_STATUS) != 0)
		guest_fail("%s: status %#x after a reset", why, rd(VM_STATUS));
	for (unsigned int i = 0; i < sizeof(avail); i++)
		((volatile uint8_t *)&avail)[i] = 0;
	for (unsigned int i = 0; i < sizeof(used); i++)
		((volatile uint8_t *)&used)[i] = 0;
}

static void features(void)
{
	wr(VM_STATUS, ST_ACK);
	wr(VM_STATUS, ST_ACK | ST_DRIVER);
	wr(VM_DRV_FEAT_SEL, 0);
	wr(VM_DRV_FEAT, 0);
	wr(VM_DRV_FEAT_SEL, 1);
	wr(VM_DRV_FEAT, 1); /* VERSION_1 */
	wr(VM_STATUS, ST_ACK | ST_DRIVER | ST_FEATURES_OK);
	if (!(rd(VM_STATUS) & ST_FEATURES_OK))
		guest_fail("the device refused VERSION_1 alone");
}

static void queue(uint32_t num, uint64_t d, uint64_t a, uint64_t u)
{
	wr(VM_QUEUE_SEL, 0);
	wr(VM_QUEUE_NUM, num);
	wr(VM_DESC_LO, (uint32_t)d);
	wr(VM_DESC_HI, (uint32_t)(d >> 32));
	wr(VM_DRIVER_LO, (uint32_t)a);
	wr(VM_DRIVER_HI, (uint32_t)(a >> 32));
	wr(VM_DEVICE_LO, (uint32_t)u);
	wr(VM_DEVICE_HI, (uint32_t)(u >> 32));
	wr(VM_QUEUE_READY, 1);
	wr(VM_STATUS, ST_ACK | ST_DRIVER | ST_FEATURES_OK | ST_DRIVER_OK);
}

static void good_queue(void)
{
	features();
	queue(QNUM, (uintptr_t)desc, (uintptr_t)&avail, (uintptr_t)&used);
}

/* Makes descriptor @head available with the index moved by @step, and notifies. */
static void offer(uint16_t head, uint16_t step)
{
	avail.entry[avail.idx % QNUM] = head;
	dsb(sy);
	avail.idx = (uint16_t)(avail.idx + step);
	wr(VM_QUEUE_NOTIFY, 0);
}

static void expect_needs_reset(const char *name)
{
	uint64_t end = now_ns() + WAIT_NS;

	while (!(rd(VM_STATUS) & ST_NEEDS_RESET)) {
		if (now_ns() > end)
			guest_fail("%s: no DEVICE_NEEDS_RESET within 10 s (status %#x)", name,
				   rd(VM_STATUS));
	}
	console_printf("virtio-hostile: %s ok\n", name);
	reset(name);
}

static void set_desc(unsigned int i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	desc[i] = (struct desc){ addr, len, flags, next };
}

/* A read of sector 0: header, data, status. */
static void read_request(void)
{
	hdr.type = 0; /* VIRTIO_BLK_T_IN */
	hdr.sector = 0;
	status = 0xff;
	set_desc(0, (uintptr_t)&hdr, sizeof(hdr), DESC_F_NEXT, 1);
	set_desc(1, (uintptr_t)data, sizeof(data), DESC_F_NEXT | DESC_F_WRITE, 2);
	set_desc(2, (uintptr_t)&status, 1, DESC_F_WRITE, 0);
}

static void recover(void)
{
	uint64_t end = now_ns() + WAIT_NS;
	const char *magic = SECTOR0_MAGIC;

	good_queue();
	read_request();
	offer(0, 1);
	while (*(volatile uint16_t *)&used.idx != 1) {
		if (now_ns() > end)
			guest_fail("recover: the read was not answered (status %#x)", rd(VM_STATUS));
	}
	if (status != 0)
		guest_fail("recover: request status %u", status);
	for (unsigned int i = 0; magic[i]; i++)
		if (data[i] != (uint8_t)magic[i])
			guest_fail("recover: sector 0 byte %u is %#x", i, data[i]);
	console_printf("virtio-hostile: recover ok\n");
}

int main(void)
{
	if (rd(VM_MAGIC) != 0x74726976 || rd(VM_VERSION) != 2 || rd(VM_DEVICE_ID) != 2)
		guest_fail("no virtio-mmio disk at %#llx",
			   (unsigned long long)CACHET_GUEST_VIRTIO_MMIO_BASE);
	reset("start");

	features();
	wr(VM_QUEUE_NOTIFY, 0);
	expect_needs_reset("notify-early");

	features();
	queue(0, (uintptr_t)desc, (uintptr_t)&avail, (uintptr_t)&used);
	expect_needs_reset("size0");

	features();
	queue(QNUM, OUTSIDE_RAM, (uintptr_t)&avail, (uintptr_t)&used);
	expect_needs_reset("ring-outside");

	good_queue();
	read_request();
	set_desc(1, OUTSIDE_RAM, sizeof(data), DESC_F_NEXT | DESC_F_WRITE, 2);
	offer(0, 1);
	expect_needs_reset("buf-outside");

	good_queue();
	read_request();
	set_desc(1, (uintptr_t)data, sizeof(data), DESC_F_NEXT | DESC_F_WRITE, 0);
	offer(0, 1);
	expect_needs_reset("loop");

	good_queue();
	read_request();
	offer(0, 1000);
	expect_needs_reset("index-jump");

	good_queue();
	offer(QNUM + 1, 1);
	expect_needs_reset("bad-head");

	recover();
	guest_pass();
}
