/*
 * The management mailbox (see cachet/public/mbox.h).  Host software writes a
 * request into a slot and marks it REQUEST with a release store; CPU 0 finds
 * it with an acquire load, answers in place and marks it DONE with a release
 * store.  The request is copied out first, so a host rewriting the slot
 * meanwhile cannot change what is being validated.
 */
#include "hv/mbox.h"

#include "cachet/public/mbox.h"
#include "hv/arch.h"
#include "hv/arch_vcpu.h"
#include "hv/domain.h"
#include "hv/smp.h"
#include "hv/string.h"
#include "hv/time.h"

/*
 * After serving a request that came less than MBOX_BURST_GAP_US after the
 * one before, CPU 0 keeps polling the mailbox MBOX_SPIN_US before it
 * sleeps: the next request of a burst (a build is dozens) then finds it
 * polling instead of paying for a doorbell interrupt and a wake-up.  A lone
 * request (a console read of an idle guest's heartbeat) opens no window:
 * under emulation the window costs its full length in host CPU, and 64 idle
 * guests made 64 of them a second (1.1 % of a host core); a burst's second
 * request pays the wake-up instead.  The gap allows for that wake-up (some
 * 250 us under QEMU) and the client's own back-off while it waits.
 */
#define MBOX_BURST_GAP_US 1000
/*
 * The window.  Posted device interrupts do not open it: they come one per disk
 * or network request, and a window after each kept a host core busy
 * running CPU 0's loop while the guest's vCPU and cachetd needed it (a
 * guest doing 4 KiB reads one at a time went four times slower).
 */
#define MBOX_SPIN_US 300
/*
 * Polls between two readings of the clock while spinning.  Under QEMU a
 * clock reading takes the emulator's global lock, which every other
 * emulated CPU needs for its own interrupts and system registers: reading
 * it in a tight loop slowed every vCPU of an SMP guest down.
 */
#define MBOX_SPIN_POLLS 64
/*
 * A request without a doorbell keeps CPU 0's 10 ms tick this long: its
 * client (cachetd --attach, an older library) may send more.  So does the
 * boot: with a 1 s backstop, the first requests of a freshly started
 * cachetd waited for it in one start of three, although they ring (why is
 * not understood yet).  Otherwise idle CPU 0 looks at the mailbox every
 * MBOX_BACKSTOP_US in case a doorbell is lost; the 10 ms tick cost 0.6 %
 * of a host core with 64 idle guests.
 */
#define MBOX_TICK_KEEP_US 10000000
#define MBOX_BACKSTOP_US 250000

static struct cachet_mbox *mbox;
static struct cachet_req mbox_req;  /* CPU 0 only */
static struct cachet_rsp mbox_rsp;
static uint64_t mbox_last_served_us; /* CPU 0 only */
static bool mbox_in_burst;           /* CPU 0 only: the last request followed another closely */
static uint64_t mbox_tick_until_us;  /* CPU 0 only: keep the tick until then (MBOX_TICK_KEEP_US) */
static uint64_t mbox_backstop_at;    /* CPU 0 only: counter value of the next backstop look */
static uint64_t mbox_irq_seen;       /* CPU 0 only: vdev_irq_seq when last looked */

void mbox_init(void)
{
	struct cachet_mbox *m = arch_ma_to_ptr(ma_init(CACHET_MBOX_ADDR));
	uint64_t boot_id = arch_counter_now();

	memset(m, 0, CACHET_MBOX_SIZE);
	m->magic = CACHET_MBOX_MAGIC;
	m->abi_version = CACHET_ABI_VERSION;
	m->nr_slots = CACHET_MBOX_SLOTS;
	m->slot_size = sizeof(struct cachet_mbox_slot);
	m->header_size = (uint32_t)offsetof(struct cachet_mbox, slot);
	m->boot_id = boot_id != 0 ? boot_id : 1;
	__atomic_store_n(&m->ready, CACHET_MBOX_READY, __ATOMIC_RELEASE);
	mbox = m;
	mbox_tick_until_us = time_now_us() + MBOX_TICK_KEEP_US;
}

static void mbox_serve_slot(struct cachet_mbox_slot *s)
{
	if (!(__atomic_load_n(&s->flags, __ATOMIC_RELAXED) & CACHET_SLOT_F_DOORBELL))
		mbox_tick_until_us = time_now_us() + MBOX_TICK_KEEP_US;
	memcpy(&mbox_req, &s->u.req, sizeof(mbox_req));
	memset(&mbox_rsp, 0, sizeof(mbox_rsp));
	mgmt_handle(&mbox_req, &mbox_rsp);
	memcpy(&s->u.rsp, &mbox_rsp, sizeof(mbox_rsp));
	__atomic_store_n(&s->state, CACHET_SLOT_DONE, __ATOMIC_RELEASE);
	mbox->served++;
}

/* One posted interrupt request, checked as a VDEV_SIGNAL request would be. */
static void mbox_vdev_irq_one(unsigned int word, uint64_t v)
{
	cachet_domid_t domid = (cachet_domid_t)(v >> 48);
	struct domain *d = domain_find(domid);
	struct cachet_vdev_signal_in in = {
		.domid = domid, .index = word % CACHET_MBOX_VDEV_PER_DOM, .isr = (uint32_t)(v & 0xffu),
	};
	struct cachet_vdev_state st;

	/* The count travels as 16 bits: compare it with the device's own low bits. */
	if (d == NULL || word / CACHET_MBOX_VDEV_PER_DOM != domid % CACHET_MBOX_VDEV_DOMS ||
	    vvirtio_state(d, in.index, &st) != 0 || ((st.resets ^ (uint32_t)(v >> 32)) & 0xffffu))
		return;
	in.resets = st.resets;
	vvirtio_signal(d, &in);
}

/*
 * Takes and acts on the posted interrupt requests of every domain slot the
 * host flagged.  CPU 0 and a pCPU the doorbell was steered to may race
 * here: each word goes to one of them.
 */
static void mbox_vdev_irq_all(void)
{
	for (unsigned int i = 0; i < CACHET_MBOX_VDEV_DOMS; i++) {
		uint64_t *doms = &mbox->vdev_irq_doms[i / 64], bit = UINT64_C(1) << (i % 64);

		if (!(__atomic_load_n(doms, __ATOMIC_RELAXED) & bit))
			continue;
		__atomic_fetch_and(doms, ~bit, __ATOMIC_ACQUIRE);
		for (unsigned int w = i * CACHET_MBOX_VDEV_PER_DOM;
		     w < (i + 1) * CACHET_MBOX_VDEV_PER_DOM; w++) {
			uint64_t v = __atomic_exchange_n(&mbox->vdev_irq[w], 0, __ATOMIC_ACQUIRE);

			if (v != 0)
				mbox_vdev_irq_one(w, v);
		}
	}
}

/* The host's posted interrupt requests (mbox.h, vdev_irq), when it has posted new ones. */
static bool mbox_vdev_irqs(void)
{
	uint64_t seq = __atomic_load_n(&mbox->vdev_irq_seq, __ATOMIC_ACQUIRE);

	if (seq == mbox_irq_seen)
		return false;
	mbox_irq_seen = seq;
	mbox_vdev_irq_all();
	return true;
}

void mbox_doorbell_elsewhere(void)
{
	if (mbox == NULL)
		return;
	mbox_vdev_irq_all();
	for (unsigned int i = 0; i < CACHET_MBOX_SLOTS; i++) {
		if (__atomic_load_n(&mbox->slot[i].state, __ATOMIC_ACQUIRE) == CACHET_SLOT_REQUEST) {
			arch_kick_cpu(0);
			return;
		}
	}
}

bool mbox_poll(void)
{
	bool served = false, irqs;

	if (mbox == NULL)
		return false;
	mbox->heartbeat = this_cpu()->ticks;
	irqs = mbox_vdev_irqs();
	for (unsigned int i = 0; i < CACHET_MBOX_SLOTS; i++) {
		struct cachet_mbox_slot *s = &mbox->slot[i];

		if (__atomic_load_n(&s->state, __ATOMIC_ACQUIRE) == CACHET_SLOT_REQUEST) {
			mbox_serve_slot(s);
			served = true;
		}
	}
	if (served) {
		uint64_t now = time_now_us();

		mbox_in_burst = now - mbox_last_served_us < MBOX_BURST_GAP_US;
		mbox_last_served_us = now;
	}
	return served || irqs;
}

bool mbox_needs_tick(void)
{
	return time_now_us() < mbox_tick_until_us;
}

uint64_t mbox_backstop(void)
{
	uint64_t now = arch_counter_now();

	/* The same value until it passes: an idle CPU 0 then sets its timer once. */
	if (now >= mbox_backstop_at)
		mbox_backstop_at = now + time_us_to_counter(MBOX_BACKSTOP_US);
	return mbox_backstop_at;
}

void mbox_console_written(cachet_domid_t domid, uint64_t total)
{
	if (mbox != NULL)
		__atomic_store_n(&mbox->console_heads[domid % CACHET_MBOX_CONSOLE_HEADS],
				 CACHET_MBOX_CONSOLE_HEAD(domid, total), __ATOMIC_RELEASE);
}

void mbox_events_posted(uint64_t next)
{
	if (mbox != NULL)
		__atomic_store_n(&mbox->event_next, next, __ATOMIC_RELEASE);
}

/*
 * Only the host clears bits, with a compare-and-swap; a host rewriting the
 * word all the time cannot hold a guest's vCPU here for long: after a few
 * tries the notification is dropped (the host rescans its queues anyway).
 */
#define MBOX_VDEV_TRIES 16

/* The bits of @domid's word for device @index become (its bits & @keep) | @bits. */
static void mbox_vdev_post(cachet_domid_t domid, unsigned int index, uint64_t keep, uint64_t bits)
{
	uint64_t *w, old, tag = (uint64_t)(domid & 0xffffu) << CACHET_MBOX_HEAD_DOMID_SHIFT;

	if (mbox == NULL || index >= CACHET_MBOX_VDEV_PER_DOM)
		return;
	w = &mbox->vdev_notify[CACHET_MBOX_VDEV_WORD(domid, index)];
	old = __atomic_load_n(w, __ATOMIC_RELAXED);
	for (unsigned int i = 0; i < MBOX_VDEV_TRIES; i++) {
		uint64_t mine = tag;

		if ((old & ~CACHET_MBOX_VDEV_BITS_MASK) == tag)
			mine |= old & keep;

		if (__atomic_compare_exchange_n(w, &old, mine | (bits & CACHET_MBOX_VDEV_BITS_MASK),
						false, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
			break;
	}
	__atomic_fetch_add(&mbox->vdev_seq, 1, __ATOMIC_RELEASE);
}

void mbox_vdev_notify(cachet_domid_t domid, unsigned int index, uint64_t bits)
{
	mbox_vdev_post(domid, index, CACHET_MBOX_VDEV_BITS_MASK, bits);
}

/*
 * A reset discards the queues: queue bits the host has not taken yet were
 * meant for them, and served after the reset they would look like a driver
 * notifying before DRIVER_OK.
 */
void mbox_vdev_notify_reset(cachet_domid_t domid, unsigned int index)
{
	mbox_vdev_post(domid, index, CACHET_MBOX_VDEV_EV_STATE, CACHET_MBOX_VDEV_EV_STATE);
}

bool mbox_spin(void)
{
	while (mbox_in_burst && time_now_us() - mbox_last_served_us < MBOX_SPIN_US) {
		for (unsigned int i = 0; i < MBOX_SPIN_POLLS; i++) {
			if (mbox_poll() || arch_irq_pending())
				return true;
		}
	}
	return false;
}
