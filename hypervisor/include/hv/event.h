/* The event ring the daemon reads: domain shutdowns, crashes, destruction. */
#ifndef HV_EVENT_H
#define HV_EVENT_H

#include "cachet/public/abi.h"

void event_post(cachet_domid_t domid, enum cachet_event_kind kind, uint32_t reason,
		const char *detail);
/* Fills @out from sequence number @seq on (see struct cachet_event_read_out). */
void event_read(uint64_t seq, struct cachet_event_read_out *out);

#endif
