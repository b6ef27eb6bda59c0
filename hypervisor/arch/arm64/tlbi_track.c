/*
 * The per-domain count of local-only TLB maintenance (see tlbi_track.h).
 */
#include "tlbi_track.h"

/*
 * The explicit fences order the count against the in-guest marks whatever
 * the atomics compile to: QEMU's TCG puts a store-release's barrier before
 * the store, so a store-release and a later load-acquire can pass each
 * other on the host.
 */
uint64_t tlbi_track_begin_local(struct tlbi_track *t)
{
	uint64_t g = __atomic_add_fetch(&t->gen, 1, __ATOMIC_SEQ_CST);

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return g;
}

void tlbi_track_local_done(struct tlbi_track *t, unsigned int cpu, uint64_t g)
{
	if (t->seen[cpu] == g - 1)
		t->seen[cpu] = g;
}

bool tlbi_track_must_flush(struct tlbi_track *t, unsigned int cpu)
{
	uint64_t g;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	g = __atomic_load_n(&t->gen, __ATOMIC_SEQ_CST);
	if (t->seen[cpu] == g)
		return false;
	t->seen[cpu] = g;
	return true;
}
