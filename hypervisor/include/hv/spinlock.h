/*
 * Ticket spinlocks.  Built on compiler atomics so the same code runs in the
 * hypervisor (once the MMU is on: exclusives need Normal memory) and in host
 * unit tests.
 */
#ifndef HV_SPINLOCK_H
#define HV_SPINLOCK_H

#include "hv/arch.h"

typedef struct {
	uint16_t next;
	uint16_t owner;
} spinlock_t;

#define SPINLOCK_INIT ((spinlock_t){ 0, 0 })

static inline void spin_lock(spinlock_t *l)
{
	uint16_t ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
		;
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->owner, (uint16_t)(l->owner + 1), __ATOMIC_RELEASE);
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
