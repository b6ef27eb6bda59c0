/*
 * The management mailbox (cachet/public/mbox.h) on the hypervisor side:
 * published at boot, served on CPU 0 between guest runs.
 */
#ifndef HV_MBOX_H
#define HV_MBOX_H

#include <stdbool.h>

#include "cachet/public/abi.h"

/* Writes a fresh mailbox and marks it ready. */
void mbox_init(void);
/* Answers every request and posted interrupt waiting in the mailbox; true if there was one. */
bool mbox_poll(void);
/*
 * CPU 0 with nothing to run: polls the mailbox for a short while after the
 * last request, when it came in a burst.  Returns true if it served one or an interrupt is pending
 * (go round the scheduler again), false once the window has closed (sleep).
 */
bool mbox_spin(void);
/*
 * Whether idle CPU 0 must keep its tick to find requests: some came without
 * a doorbell lately (CACHET_SLOT_F_DOORBELL).  Otherwise it may sleep until
 * mbox_backstop(), a counter value, the next look in case a doorbell is lost.
 */
bool mbox_needs_tick(void);
uint64_t mbox_backstop(void);
/* Publishes a domain's console total in the mailbox (cachet/public/mbox.h). */
void mbox_console_written(cachet_domid_t domid, uint64_t total);
/* Publishes the sequence number the next event will get (cachet/public/mbox.h). */
void mbox_events_posted(uint64_t next);
/* Posts device notification @bits of device @index of @domid (mbox.h, vdev_notify). */
void mbox_vdev_notify(cachet_domid_t domid, unsigned int index, uint64_t bits);
/* Posts a reset of device @index of @domid: its queue bits not yet taken are dropped. */
void mbox_vdev_notify_reset(cachet_domid_t domid, unsigned int index);
/*
 * The doorbell rang on a pCPU other than CPU 0 (hv/doorbell.h): acts on
 * every posted interrupt request there, as CPU 0 would, and kicks CPU 0 if
 * a management request waits, since only CPU 0 serves those.  Called
 * inside a scheduler scan (the domains it looks up stay in place).
 */
void mbox_doorbell_elsewhere(void);
/* Handles one request (hv/mgmt.c); the answer overwrites @rsp. */
void mgmt_handle(const struct cachet_req *req, struct cachet_rsp *rsp);

#endif
