/*
 * The hypervisor's memory: its own stage-1 tables (an identity map of the
 * image, RAM and board devices) and the allocator for the rest of RAM.
 */
#ifndef HV_MM_H
#define HV_MM_H

#include "hv/palloc.h"
#include "hv/pt.h"

/* The allocator for all RAM the hypervisor does not occupy itself. */
extern struct palloc mm_ram;

/*
 * Builds the stage-1 tables with the MMU off (boot CPU only) and returns
 * the root; the image gets text RX, rodata R, data RW, the rest of RAM RW.
 */
maddr_t mm_boot_tables(void);
/* With the MMU on: hands the free RAM to mm_ram.  0 or negative errno. */
int mm_init_allocator(void);
/* RAM as the board reported it. */
uint64_t mm_ram_size(void);
/* Changes the attributes of hypervisor mappings of [va, va + size). */
int mm_remap(uint64_t va, uint64_t size, struct pt_attr attr);
const struct pt *mm_hyp_tables(void);
/* Table pages for other page tables (guest stage 2) come from mm_ram. */
const struct pt_alloc_ops *mm_table_ops(void);

#endif
