/* Interrupt dispatch (arch-internal). */
#ifndef ARCH_ARM64_IRQ_H
#define ARCH_ARM64_IRQ_H

#include "arch/regs_gicv3.h"

void irq_dispatch(void);

#endif
