/*
 * Data cache maintenance by set/way over the whole hierarchy, as firmware
 * and 32-bit Linux do it before turning their caches off: DC CISW on every
 * set and way of every data or unified cache up to the Level of Coherence.
 */
#ifndef GUEST_SETWAY_OPS_H
#define GUEST_SETWAY_OPS_H

#include <stdint.h>

/* Returns how many DC CISW it issued. */
uint64_t setway_clean_inval_all(void);

#endif
