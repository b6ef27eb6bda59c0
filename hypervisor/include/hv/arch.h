/*
 * The seam between the portable core and an architecture.
 *
 * Core code calls only these arch_* functions; each architecture
 * (arch/arm64 for the real hypervisor, arch/host for unit tests on the
 * build machine) provides one implementation of all of them.
 */
#ifndef HV_ARCH_H
#define HV_ARCH_H

#include "hv/types.h"

/* The hypervisor's pointer to the memory at machine address @ma. */
void *arch_ma_to_ptr(maddr_t ma);
/* The machine address of hypervisor memory at @p. */
maddr_t arch_ptr_to_ma(const void *p);

/* Index of the physical CPU this code runs on (0 .. CONFIG_MAX_CPUS-1). */
unsigned int arch_cpu_index(void);

/* Interrupt masking on the local CPU; save/restore nests. */
unsigned long arch_irq_save(void);
void arch_irq_restore(unsigned long flags);

/* Ordering: all earlier memory writes are visible to table walkers and other CPUs. */
void arch_barrier_writes(void);

/*
 * Cache maintenance by virtual address to the Point of Coherency.
 * Needed wherever a CPU or device with its MMU or caches off reads memory
 * that was written through cacheable mappings (and the reverse).
 */
void arch_dcache_clean_range(const void *p, size_t len);
void arch_dcache_clean_inval_range(const void *p, size_t len);

/* Invalidate the hypervisor's own TLB entries for @va on every CPU. */
void arch_tlbi_hyp_va(uint64_t va);
/* Invalidate all of the hypervisor's own TLB entries on every CPU. */
void arch_tlbi_hyp_all(void);
/* Remove every stage-2 TLB entry of @vmid (tables rooted at @root), on every CPU. */
void arch_tlbi_guest_all(uint16_t vmid, maddr_t root);
/* Remove stage-2 TLB entries for guest address @ipa of @vmid, on every CPU. */
void arch_tlbi_guest_ipa(uint16_t vmid, maddr_t root, uint64_t ipa);

/* Stop this CPU for good (panic path). */
void arch_cpu_halt(void) __attribute__((noreturn));

/* Let interrupts in and sleep until one arrives (the idle loop). */
void arch_wait_for_interrupt(void);
/*
 * The tick: an idle CPU stops it and asks instead for one timer interrupt
 * when the system counter reaches @counter (UINT64_MAX: none); the tick
 * starts again at that interrupt, or at arch_tick_restart() (cheap when it
 * runs already).
 */
void arch_tick_stop_until(uint64_t counter);
void arch_tick_restart(void);
/*
 * Sends the management doorbell's interrupt (the UART's receive interrupt)
 * to CPU @cpu from now on (hv/doorbell.h); CPU 0 at boot.
 */
void arch_doorbell_route(unsigned int cpu);
/* Whether an interrupt waits to be taken (ISR_EL1), for loops that poll. */
bool arch_irq_pending(void);
/* Let pending interrupts in and mask them again, without sleeping (idle work). */
void arch_take_pending_irqs(void);
void arch_irq_enable(void);

/* The system counter: ticks since the machine started, and ticks per second. */
uint64_t arch_counter_now(void);
uint64_t arch_counter_freq(void);

/*
 * CPU bring-up.  arch_mmu_prepare() records the translation registers every
 * CPU loads when it turns its MMU on with @root; arch_cpu_start() powers on
 * CPU @index (MPIDR @mpidr) at the secondary entry point.
 */
void arch_mmu_prepare(maddr_t root);
int arch_cpu_start(unsigned int index, uint64_t mpidr);
/* Interrupt controller and timer: once for the machine, then on each CPU. */
void arch_init_primary(void);
void arch_init_local(void);
/* Ask every other CPU to stop (panic). */
void arch_stop_other_cpus(void);
/* Power the machine off through firmware. */
void arch_system_off(void) __attribute__((noreturn));

/* CPU features worth reporting in the boot banner. */
struct arch_features {
	uint64_t midr;
	unsigned int pa_bits;
	unsigned int vmid_bits;
	unsigned int gic_list_regs;
	unsigned int gic_pri_bits;
	bool s2fwb;
	bool aarch32_el1;
};
void arch_probe_features(struct arch_features *f);

/* Whether this CPU's stage-1 MMU is on. */
bool arch_mmu_enabled(void);

/* Prints the frame-pointer chain starting at @fp (panic path). */
void arch_backtrace(uint64_t fp);

#endif
