/* The hypervisor's physical GICv3 driver (arch-internal). */
#ifndef ARCH_ARM64_GICV3_H
#define ARCH_ARM64_GICV3_H

#include <stdbool.h>

#include "hv/config.h"

/* SGI the panic path sends to stop the other CPUs. */
#define GIC_SGI_STOP 15
/* SGI that makes a pCPU leave its guest and reschedule. */
#define GIC_SGI_KICK 1

void gicv3_init_dist(void);
bool gicv3_init_cpu(unsigned int cpu);
void gicv3_enable_private(unsigned int intid);
void gicv3_set_private_enabled(unsigned int intid, bool on);
unsigned int gicv3_ack(void);
void gicv3_eoi(unsigned int intid);
void gicv3_send_sgi_others(unsigned int sgi);
void gicv3_send_sgi(unsigned int cpu, unsigned int sgi);
/* Routes SPI @intid to CPU 0 and enables it. */
void gicv3_enable_spi(unsigned int intid);
/* Sends SPI @intid to CPU @cpu (GICD_IROUTER, Aff3.Aff2.Aff1.Aff0; IRM = 0). */
void gicv3_route_spi(unsigned int intid, unsigned int cpu);

#endif
