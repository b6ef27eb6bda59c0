/*
 * The management mailbox (cachet/public/mbox.h) on the hypervisor side:
 * published at boot, served on CPU 0 between guest runs.
 */
#ifndef HV_MBOX_H
#define HV_MBOX_H

#include "cachet/public/abi.h"

/* Writes a fresh mailbox and marks it ready. */
void mbox_init(void);
/* Answers every request waiting in the mailbox. */
void mbox_poll(void);
/* Handles one request (hv/mgmt.c); the answer overwrites @rsp. */
void mgmt_handle(const struct cachet_req *req, struct cachet_rsp *rsp);

#endif
