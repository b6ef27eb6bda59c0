/*
 * The floor: a minimal EL2 shim for the Linux boot benchmark (not part of
 * Cachet).  It gives one guest the whole QEMU machine behind a stage-2
 * identity map made of 1 GiB blocks, with the GIC, timer and UART passed
 * through, and traps only what it must: SMC, to forward PSCI (CPU_ON must
 * bring a secondary CPU up through EL2 so it gets the same stage 2).  Its
 * boot time is the least any hypervisor nested in the same QEMU can take.
 */
#ifndef FLOOR_H
#define FLOOR_H

/* QEMU loads the floor 256 MiB into RAM; guest RAM ends where it starts. */
#define FLOOR_TEXT_OFFSET 0x10000000
/* The guest's kernel is loaded (by -device loader) 2 MiB into RAM. */
#define FLOOR_KERNEL_OFFSET 0x00200000
#define FLOOR_MAX_CPUS 8
#define FLOOR_STACK_SIZE 4096
#define FLOOR_FRAME_SIZE 256 /* x0..x30, 16-byte aligned */
#define FLOOR_SPSR_EL1H_MASKED 0x3c5 /* EL1h, D, A, I and F masked */

#define FLOOR_TRAP_CURRENT_EL 0
#define FLOOR_TRAP_LOWER_SYNC 1
#define FLOOR_TRAP_LOWER_OTHER 2

#ifndef __ASSEMBLER__
#include <stdint.h>

struct floor_frame {
	uint64_t x[31];
	uint64_t pad;
};

struct floor_smc_result {
	uint64_t a0, a1, a2, a3;
};

void floor_smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, struct floor_smc_result *res);
uint64_t floor_stack_top(uint64_t cpu);
uint64_t floor_boot_main(uint64_t dtb);
uint64_t floor_secondary_main(uint64_t cpu);
uint64_t floor_secondary_context(uint64_t cpu);
void floor_trap(struct floor_frame *f, uint64_t kind);
/* Shrinks /memory so that guest RAM ends at @end; returns 0 or -1. */
int floor_fdt_trim_memory(void *fdt, uint64_t end);
void floor_puts(const char *s);
void floor_put_hex(uint64_t v);
#endif

#endif
