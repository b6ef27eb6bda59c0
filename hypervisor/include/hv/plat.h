/*
 * The seam between the core and a board.  A board is mostly data (where
 * RAM, the UART, the GIC and its own firmware interface live); the few
 * plat_* functions read what only the running machine can say.
 */
#ifndef HV_PLAT_H
#define HV_PLAT_H

#include "hv/types.h"

struct plat_mmio {
	const char *name;
	uint64_t base;
	uint64_t size;
};

struct plat_board {
	const char *name;
	uint64_t ram_base;
	uint64_t uart_base;
	unsigned int uart_intid;      /* the UART's SPI: management doorbell */
	uint64_t gicd_base;
	uint64_t gicr_base;
	uint64_t gicr_size;
	unsigned int timer_hyp_intid; /* EL2 physical timer (CNTHP) PPI */
	unsigned int gic_maint_intid;
	const struct plat_mmio *mmio; /* device windows the hypervisor maps */
	unsigned int nr_mmio;
};

extern const struct plat_board plat_board;

/* Works with the MMU off: brings up the console. */
void plat_early_init(void);
void plat_console_write(const char *s, size_t n);
/* RAM size and CPU count as the machine reports them; 0 if it cannot. */
uint64_t plat_ram_size(void);
unsigned int plat_cpu_count(void);
/* The MPIDR affinity of CPU @index (as PSCI CPU_ON wants it). */
uint64_t plat_cpu_mpidr(unsigned int index);

#endif
