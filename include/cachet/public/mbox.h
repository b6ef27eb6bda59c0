/*
 * The management mailbox: how ABI requests (abi.h) travel between host
 * software and the hypervisor on the QEMU platform.
 *
 * The hypervisor places the mailbox at a fixed machine address in RAM.  The
 * host maps the same RAM through QEMU's shared memory-backend file; machine
 * address A is at file offset A - CACHET_MBOX_RAM_BASE.
 *
 * The mailbox is an array of slots.  Each slot moves through
 *   FREE -(host)-> CLAIMED -(host)-> REQUEST -(hypervisor)-> DONE -(host)-> FREE
 * and each transition is made by one side only, with a release store after
 * writing the payload, and observed by the other side with an acquire load
 * before reading it.  The hypervisor serves REQUEST slots only and never
 * looks at owner, so CLAIMED is invisible to it.
 *
 * Several host processes share the slots (cachetd and the libxc clients it
 * admits, daemon/PROTOCOL.md "channel_open").  Each has an owner id (1 is
 * the process that opened the RAM file itself, i.e. cachetd; others get
 * theirs from cachetd).  A host takes a slot with one 64-bit compare-and-
 * swap of the first word (state, owner) from {FREE, any} to {CLAIMED, its
 * id}, so two processes can never take the same slot, and only then writes
 * the payload.  Only the slot's owner moves it on, except that cachetd
 * frees the CLAIMED and DONE slots of a client whose connection has closed
 * (again by compare-and-swap of the whole word); a slot in REQUEST is left
 * until the hypervisor has answered it.
 *
 * Until the hypervisor has set up the mailbox, ready is not CACHET_MBOX_READY;
 * it rewrites the whole mailbox (and bumps boot_id) at every boot.
 */
#ifndef CACHET_PUBLIC_MBOX_H
#define CACHET_PUBLIC_MBOX_H

#include <stdint.h>

#include "cachet/public/abi.h"

#define CACHET_MBOX_RAM_BASE 0x40000000ULL /* machine RAM base on qemu-virt */
#define CACHET_MBOX_ADDR 0x40100000ULL     /* 1 MiB into RAM, below the image */
#define CACHET_MBOX_SIZE 0x00080000ULL
#define CACHET_MBOX_MAGIC 0x584f424d54484343ULL /* "CCHTMBOX" */
#define CACHET_MBOX_READY 0x59444145520a0a0aULL
#define CACHET_MBOX_SLOTS 16
/*
 * Console heads: so that host software need not ask every domain for new
 * console output all the time, the hypervisor publishes, after each byte a
 * domain writes to its console, one word in console_heads[domid %
 * CACHET_MBOX_CONSOLE_HEADS]: the domain's id (low 16 bits) and the total
 * bytes it has ever written (CONSOLE_READ's positions, low 48 bits), stored
 * whole with release.  A word naming another domain says nothing (read the
 * console to know); ids 65536 apart share a word, so a reader still reads
 * every console once in a while.  Zero until the domain writes.
 */
#define CACHET_MBOX_CONSOLE_HEADS 128
#define CACHET_MBOX_HEAD_DOMID_SHIFT 48
#define CACHET_MBOX_HEAD_TOTAL_MASK ((1ULL << CACHET_MBOX_HEAD_DOMID_SHIFT) - 1)
#define CACHET_MBOX_CONSOLE_HEAD(domid, total)                                          \
	((uint64_t)((domid) & 0xffffu) << CACHET_MBOX_HEAD_DOMID_SHIFT |                 \
	 ((uint64_t)(total) & CACHET_MBOX_HEAD_TOTAL_MASK))

/*
 * Event head (since ABI 1.5): the sequence number EVENT_READ will give the
 * next lifecycle event, stored with release after each event is in the
 * ring, so that host software need not ask for events all the time: a
 * reader whose next sequence number equals it has read every event.
 */

/*
 * Device notifications (abi.h, "Virtual devices"): when a guest writes
 * QueueNotify, or a register that changes its device's state, the
 * hypervisor ORs a bit into vdev_notify[CACHET_MBOX_VDEV_WORD(domid,
 * index)] (bit q for queue q, CACHET_MBOX_VDEV_EV_STATE for a state change)
 * with the domain id in the top 16 bits, replacing a word that names
 * another domain, and then increments vdev_seq with release.  The host
 * watches vdev_seq, takes a word's bits with a compare-and-swap that keeps
 * the domain id, and serves them.  A reset of the device (Status written
 * with 0) drops the queue bits the host has not taken yet, since ABI 1.5:
 * they were meant for the queues the reset discards.  Domain ids 128 apart
 * share words, so a host also looks at its queues once in a while without
 * a notification.
 */
#define CACHET_MBOX_VDEV_DOMS 128
#define CACHET_MBOX_VDEV_PER_DOM 16
#define CACHET_MBOX_VDEV_WORD(domid, index)                                             \
	(((domid) % CACHET_MBOX_VDEV_DOMS) * CACHET_MBOX_VDEV_PER_DOM + (index))
#define CACHET_MBOX_VDEV_EV_STATE (1ull << 15)
#define CACHET_MBOX_VDEV_BITS_MASK 0xffffull
/*
 * Interrupt requests the other way, without waiting for an answer: the host
 * ORs InterruptStatus bits (CACHET_VDEV_ISR_*) into
 * vdev_irq[CACHET_MBOX_VDEV_WORD(domid, index)] together with the domain id
 * (bits 63..48) and the low 16 bits of the device's reset count as
 * VDEV_SIGNAL takes it (bits 47..32), sets bit (domid % 128) of
 * vdev_irq_doms, increments vdev_irq_seq with release and rings the
 * doorbell.  The hypervisor, serving the mailbox, takes the bits of
 * vdev_irq_doms, then every non-zero word of those domains' words, and
 * acts on each as on a VDEV_SIGNAL request (a word naming
 * no device, or an old reset count, is dropped).  A host finding a word
 * that holds a request for another device uses VDEV_SIGNAL instead.
 */
#define CACHET_MBOX_VDEV_IRQ(domid, resets, isr)                                        \
	((uint64_t)((domid) & 0xffffu) << 48 | (uint64_t)((resets) & 0xffffu) << 32 |      \
	 ((isr) & 0xffu))
#define CACHET_MBOX_VDEV_IRQ_TAG_MASK (~0xffffffffull)

enum cachet_slot_state {
	CACHET_SLOT_FREE = 0,
	CACHET_SLOT_REQUEST = 1,
	CACHET_SLOT_DONE = 2,
	CACHET_SLOT_CLAIMED = 3,  /* taken by owner, payload being written */
};

#define CACHET_MBOX_OWNER_PRIMARY 1u /* the process that opened the RAM file */

/*
 * Slot flags (since ABI 1.5).  DOORBELL: the poster rings the doorbell after
 * posting.  While requests come without it (an older library, a client
 * with no doorbell such as cachetd --attach), CPU 0 keeps a 10 ms tick that
 * finds them; otherwise it sleeps until a doorbell, a guest's timer, or
 * once a second as a backstop.
 */
#define CACHET_SLOT_F_DOORBELL 1ull

struct cachet_mbox_slot {
	uint32_t state;           /* enum cachet_slot_state */
	uint32_t owner;           /* host process holding the slot; host-only */
	uint64_t seq;             /* the host's tag, echoed back unchanged */
	uint64_t flags;           /* since ABI 1.5: CACHET_SLOT_F_*; 0 before */
	uint64_t reserved;
	union {
		struct cachet_req req;
		struct cachet_rsp rsp;
	} u;
};

struct cachet_mbox {
	uint64_t magic;
	uint64_t ready;           /* written last, with release */
	uint32_t abi_version;
	uint32_t nr_slots;
	uint32_t slot_size;
	uint32_t header_size;
	uint64_t boot_id;         /* changes at every hypervisor boot */
	uint64_t served;          /* requests answered since boot */
	uint64_t heartbeat;       /* hypervisor tick count, proves it is alive */
	uint64_t console_heads[CACHET_MBOX_CONSOLE_HEADS];
	uint64_t vdev_seq;        /* since ABI 1.3: device notifications posted */
	uint64_t vdev_irq_seq;    /* since ABI 1.3: interrupt requests posted by the host */
	uint64_t vdev_irq_doms[CACHET_MBOX_VDEV_DOMS / 64]; /* since ABI 1.3 */
	uint64_t event_next;      /* since ABI 1.5: see "Event head" above */
	uint8_t reserved[4096 - 96 - 8 * CACHET_MBOX_CONSOLE_HEADS];
	struct cachet_mbox_slot slot[CACHET_MBOX_SLOTS];
	/* since ABI 1.3; the domain id in bits 63..48 as console_heads */
	uint64_t vdev_notify[CACHET_MBOX_VDEV_DOMS * CACHET_MBOX_VDEV_PER_DOM];
	uint64_t vdev_irq[CACHET_MBOX_VDEV_DOMS * CACHET_MBOX_VDEV_PER_DOM]; /* since ABI 1.3 */
};

CACHET_ABI_ASSERT(sizeof(struct cachet_mbox_slot) == 32 + 8 + CACHET_PAYLOAD_SIZE, "slot");
CACHET_ABI_ASSERT(sizeof(struct cachet_mbox) <= CACHET_MBOX_SIZE, "mbox");

#endif
