/*
 * The mailbox transport (cachet/public/mbox.h) and the handle that owns it.
 *
 * A handle maps the whole RAM file of the machine: the mailbox lives in it,
 * and foreign mappings are further mappings of the same file descriptor.
 * Slots are shared with other processes (mbox.h: a slot is claimed by a
 * compare-and-swap that writes our owner id) and among the threads using
 * the handle: a thread owns a slot
 * from the moment it takes it (busy bit) until it has copied the answer out.
 * A slot whose request timed out stays out of use (stuck bit) until the
 * hypervisor marks it DONE, because the hypervisor may still be reading it.
 */
#ifndef LIBBUILD_TRANSPORT_H
#define LIBBUILD_TRANSPORT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cachet/cachet.h"
#include "cachet/public/mbox.h"
#include "errors.h"

#define XPORT_DEFAULT_TIMEOUT_MS 5000u

struct cachet_handle {
	int fd;                     /* the RAM file, kept for foreign mappings */
	uint8_t *ram;               /* the whole file, MAP_SHARED */
	uint64_t ram_size;
	struct cachet_mbox *mbox;   /* inside ram */

	uint32_t owner;             /* our owner id in the slots (mbox.h) */

	pthread_mutex_t lock;       /* guards everything below */
	pthread_cond_t slot_freed;
	unsigned int nr_slots;
	uint32_t busy;              /* slots owned by a thread of this process */
	uint32_t stuck;             /* timed out: not reusable until DONE */
	uint64_t next_seq;
	uint64_t boot_id;           /* of the hypervisor boot we attached to */
	bool dead;                  /* the hypervisor rebooted under us */
	int doorbell_fd;
	unsigned int timeout_ms;

	pthread_mutex_t err_lock;   /* guards err */
	struct err_msg err;
};

/* Maps @path and checks the mailbox header; fills the transport part of @h. */
int xport_attach(cachet_handle *h, const char *path);
/* The same for the RAM file already open as h->fd (@path names it in messages). */
int xport_attach_fd(cachet_handle *h, const char *path);
void xport_detach(cachet_handle *h);
/* Frees the finished or never-posted slots of owners neither @h nor in @live. */
int xport_reclaim_others(cachet_handle *h, const uint32_t *live, size_t nr_live);
/*
 * Sends @req (op and payload filled, everything else zero) and copies the
 * answer into @rsp.  @what names the operation in error messages.  Returns 0,
 * the hypervisor's negative status, or -CACHET_LIB_ETIMEDOUT /
 * -CACHET_LIB_ENOTREADY / -CACHET_LIB_EIO.
 */
int xport_call(cachet_handle *h, const char *what, struct cachet_req *req,
	       struct cachet_rsp *rsp);
/*
 * The same for @n requests that do not depend on each other: posted several
 * at a time, each in its own slot, under one doorbell, and answered into
 * @rsps in order.  Stops at the first error, which it returns; requests
 * after it may not have been sent.
 */
int xport_call_batch(cachet_handle *h, const char *what, struct cachet_req *reqs,
		     struct cachet_rsp *rsps, unsigned int n);
/* The same as xport_call, sending @req exactly as given (abi_version included). */
int xport_call_as_is(cachet_handle *h, const char *what, struct cachet_req *req,
		     struct cachet_rsp *rsp);
/* True if machine frame @mfn is backed by the RAM file and is not the mailbox. */
bool xport_frame_ok(const cachet_handle *h, uint64_t mfn);
/* Tells the hypervisor to look at the mailbox (best effort; it also polls). */
void xport_doorbell(cachet_handle *h);
/* File offset of machine frame @mfn (only for frames xport_frame_ok accepts). */
uint64_t xport_frame_offset(uint64_t mfn);

#endif
