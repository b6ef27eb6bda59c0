/* EL2 physical timer (arch-internal). */
#ifndef ARCH_ARM64_TIMER_H
#define ARCH_ARM64_TIMER_H

void timer_init_cpu(void);
/* Re-arms the tick; the caller accounts it. */
void timer_handle_irq(void);

#endif
