/* Generic timer control registers (Arm ARM D11 "The Generic Timer"). */
#ifndef ARCH_REGS_TIMER_H
#define ARCH_REGS_TIMER_H

#include "arch/bits.h"

#define CNT_CTL_ENABLE BIT(0)
#define CNT_CTL_IMASK BIT(1)
#define CNT_CTL_ISTATUS BIT(2)

#endif
