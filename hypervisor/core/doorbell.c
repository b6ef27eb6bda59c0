/*
 * Doorbell steering (see hv/doorbell.h).  Under QEMU every hop of a posted
 * device interrupt wakes a thread of the emulator: the doorbell byte wakes
 * its main loop, the UART interrupt wakes CPU 0's thread, CPU 0's kick
 * wakes the vCPU's pCPU.  Sent straight to that pCPU, the doorbell skips
 * the middle one.  Polling the interrupt words instead (KVM's halt
 * polling) was measured and lost: on two host cores a spinning pCPU held
 * the core cachetd needed to serve the request (random reads 0.63 -> 0.32
 * of QEMU alone, 3 rounds each, the same hour).
 *
 * The doorbell's route changes only when a pCPU goes to sleep: to it when
 * it holds a vCPU blocked while its domain waits for a device (a queue
 * notified, no interrupt since), back to CPU 0 once none has for
 * DOORBELL_LINGER_US.  Moved back at once (a guest goes idle between two
 * requests too: two writes to the GIC's distributor per request), it
 * gained nothing (random reads 0.51 and 0.31 of QEMU alone against 0.51
 * and 0.54 unsteered; lingering, 0.73 and 0.66 against 0.47 and 0.46,
 * alternating runs of 3 rounds in the same hour).  A management request whose doorbell comes to
 * another pCPU is handed to CPU 0 with a kick (mbox.c): one hop more, only
 * while a guest there does I/O.
 */
#include "hv/doorbell.h"

#include "hv/arch.h"
#include "hv/domain.h"
#include "hv/mbox.h"
#include "hv/smp.h"
#include "hv/spinlock.h"
#include "hv/time.h"

extern struct domain domains[CONFIG_MAX_DOMAINS];

static spinlock_t doorbell_lock;
static unsigned int doorbell_cpu; /* where the doorbell goes; under doorbell_lock */
/*
 * The route goes back to CPU 0 only after this long without a wait: a
 * guest doing I/O goes idle between two requests too, and every change of
 * the route is a write to the GIC's distributor (QEMU's global lock and a
 * recomputation of every interrupt's state).
 */
#define DOORBELL_LINGER_US 5000
static uint64_t doorbell_waited_us[CONFIG_MAX_CPUS]; /* when a vCPU there last waited */

/* Armed domains: while there are none, an idle pCPU looks at no domain (bench-scale). */
static unsigned int doorbell_nr_armed;

void doorbell_arm(struct domain *d)
{
	if (!__atomic_exchange_n(&d->vdev_waiting, true, __ATOMIC_RELAXED))
		__atomic_fetch_add(&doorbell_nr_armed, 1, __ATOMIC_RELAXED);
}

void doorbell_disarm(struct domain *d)
{
	if (__atomic_exchange_n(&d->vdev_waiting, false, __ATOMIC_RELAXED))
		__atomic_fetch_sub(&doorbell_nr_armed, 1, __ATOMIC_RELAXED);
}

/* Whether @d is armed and has a vCPU blocked on pCPU @cpu. */
static bool doorbell_awaited_by(const struct domain *d, unsigned int cpu)
{
	if (!__atomic_load_n(&d->in_use, __ATOMIC_ACQUIRE) ||
	    !__atomic_load_n(&d->vdev_waiting, __ATOMIC_RELAXED) || !domain_runnable(d))
		return false;
	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		const struct vcpu *v = &d->vcpus[i];

		if (v->pcpu == cpu && __atomic_load_n(&v->state, __ATOMIC_ACQUIRE) == VCPU_BLOCKED)
			return true;
	}
	return false;
}

static bool doorbell_awaited(unsigned int cpu)
{
	for (unsigned int i = 0; i < CONFIG_MAX_DOMAINS; i++) {
		if (doorbell_awaited_by(&domains[i], cpu))
			return true;
	}
	return false;
}

/* Routes the doorbell to @to if it goes to @from now (the GIC is written only on a change). */
static void doorbell_move(unsigned int from, unsigned int to)
{
	unsigned long flags = spin_lock_irqsave(&doorbell_lock);

	if (doorbell_cpu == from && from != to) {
		__atomic_store_n(&doorbell_cpu, to, __ATOMIC_RELAXED);
		arch_doorbell_route(to);
	}
	spin_unlock_irqrestore(&doorbell_lock, flags);
}

void doorbell_steer(unsigned int cpu)
{
	unsigned int now = __atomic_load_n(&doorbell_cpu, __ATOMIC_RELAXED);

	if (cpu == 0)
		return;
	if (__atomic_load_n(&doorbell_nr_armed, __ATOMIC_RELAXED) != 0 && doorbell_awaited(cpu)) {
		doorbell_waited_us[cpu] = time_now_us();
		if (now != cpu)
			doorbell_move(now, cpu);
	} else if (now == cpu && time_now_us() - doorbell_waited_us[cpu] >= DOORBELL_LINGER_US) {
		doorbell_move(cpu, 0);
	}
}

void doorbell_serve(void)
{
	this_cpu()->doorbell = false;
	mbox_doorbell_elsewhere();
}
