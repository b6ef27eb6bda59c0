/*
 * Test-and-test-and-set spinlocks.  Built on compiler atomics so the same
 * code runs in the hypervisor (once the MMU is on: exclusives need Normal
 * memory) and in host unit tests.
 *
 * Not ticket locks: the pCPUs are threads of QEMU on a host that may have
 * fewer cores, and the host preempts a spinning waiter as readily as the
 * holder.  A ticket lock hands the lock to the next waiter in line even if
 * that waiter's thread is not running, and every later waiter spins until
 * the host runs it again: a Linux boot on 4 vCPUs spent several times its
 * own length spinning on its vGIC lock (8-12 ms a contended acquisition,
 * measured).  Here whichever waiter runs when the lock is free takes it.
 * Waiters spin on a plain load, so they do not write the line while held.
 */
#ifndef HV_SPINLOCK_H
#define HV_SPINLOCK_H

#include "hv/arch.h"

typedef struct {
	uint32_t locked;
} spinlock_t;

#define SPINLOCK_INIT ((spinlock_t){ 0 })

static inline void spin_lock(spinlock_t *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE) != 0) {
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED) != 0)
			;
	}
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

static inline unsigned long spin_lock_irqsave(spinlock_t *l)
{
	unsigned long flags = arch_irq_save();

	spin_lock(l);
	return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
	spin_unlock(l);
	arch_irq_restore(flags);
}

#endif
