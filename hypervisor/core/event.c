/* Domain event ring (see hv/event.h). */
#include "hv/event.h"

#include "hv/mbox.h"
#include "hv/spinlock.h"

#define EVENT_RING 64

static struct cachet_event event_ring[EVENT_RING];
static uint64_t event_next_seq; /* sequence number of the next event */
static spinlock_t event_lock = SPINLOCK_INIT;

void event_post(cachet_domid_t domid, enum cachet_event_kind kind, uint32_t reason,
		const char *detail)
{
	unsigned long flags = spin_lock_irqsave(&event_lock);
	struct cachet_event *e = &event_ring[event_next_seq % EVENT_RING];
	unsigned int i = 0;

	*e = (struct cachet_event){ .seq = event_next_seq, .domid = domid, .kind = kind,
				    .reason = reason };
	for (; detail != NULL && detail[i] != '\0' && i < sizeof(e->detail) - 1; i++)
		e->detail[i] = detail[i];
	event_next_seq++;
	/* Published after the event is in the ring: a reader told of it finds it there. */
	mbox_events_posted(event_next_seq);
	spin_unlock_irqrestore(&event_lock, flags);
}

void event_read(uint64_t seq, struct cachet_event_read_out *out)
{
	unsigned long flags = spin_lock_irqsave(&event_lock);
	uint64_t oldest = event_next_seq > EVENT_RING ? event_next_seq - EVENT_RING : 0;
	uint64_t s = seq < oldest ? oldest : seq;

	out->lost = seq < oldest ? oldest - seq : 0;
	out->count = 0;
	for (; s < event_next_seq && out->count < CACHET_EVENT_MAX; s++)
		out->ev[out->count++] = event_ring[s % EVENT_RING];
	out->next = s;
	spin_unlock_irqrestore(&event_lock, flags);
}
