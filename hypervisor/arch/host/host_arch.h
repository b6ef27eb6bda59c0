/*
 * The host "architecture": lets the hypervisor core run inside unit tests on
 * the build machine.  Machine memory is a buffer the test provides; TLB and
 * cache maintenance and barriers are recorded as events so tests can check
 * the order in which the core issues them (break-before-make).
 */
#ifndef HOST_ARCH_H
#define HOST_ARCH_H

#include "hv/arch.h"

enum host_event_kind {
	HOST_EV_BARRIER,
	HOST_EV_TLBI_VA,
	HOST_EV_TLBI_ALL,
	HOST_EV_DC_CLEAN,
	HOST_EV_DC_CLEAN_INVAL,
	HOST_EV_PTE_WRITE,
};

struct host_event {
	enum host_event_kind kind;
	uint64_t addr;   /* VA for TLBI, start for cache ops, entry address for PTE writes */
	uint64_t value;  /* length for cache ops, new entry for PTE writes */
};

/* Makes [base, base + size) of machine memory live at @mem in this process. */
void host_set_machine_memory(maddr_t base, void *mem, size_t size);
/* Moves the system counter (nanoseconds, arch_counter_now) @ns ahead of the host's clock. */
void host_advance_counter(uint64_t ns);

/* Event log: cleared by host_events_reset(), read back with host_events(). */
void host_events_reset(void);
const struct host_event *host_events(size_t *count);
/* Sets up mm_ram over [free_start, base + npages pages) (host_mm.c). */
int host_mm_init(maddr_t base, uint64_t npages, maddr_t free_start);

/* Makes the calling code run "on" pCPU @cpu (arch_cpu_index); 0 at start. */
void host_set_cpu(unsigned int cpu);

/* Where the core last sent the doorbell's interrupt (arch_doorbell_route). */
unsigned int host_doorbell_cpu(void);

/* How often the core asked to interrupt pCPU @cpu (arch_kick_cpu), since the reset. */
unsigned int host_kick_count(unsigned int cpu);
void host_kicks_reset(void);

/* The CPU features arch_probe_features() reports (none until a test sets some). */
void host_set_features(const struct arch_features *f);

/* Lets core code that writes table entries report them (see pt.c). */
void host_record(enum host_event_kind kind, uint64_t addr, uint64_t value);

#endif
