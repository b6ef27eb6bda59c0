/*
 * The RAM size of the virt board, read from the device tree QEMU writes at
 * the base of RAM when it boots an ELF image linked above it.
 */
#ifndef QEMU_VIRT_DT_MEMORY_H
#define QEMU_VIRT_DT_MEMORY_H

#include <stdint.h>

/*
 * Size of the /memory bank that starts at @ram_base in the flattened tree at
 * @fdt (at most @limit bytes), or 0 if the tree is absent or malformed.
 */
uint64_t dt_memory_size(const void *fdt, uint64_t limit, uint64_t ram_base);

#endif
