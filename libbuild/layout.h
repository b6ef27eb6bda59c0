/*
 * The guest's memory layout: how its RAM is split over the banks of
 * guest_map.h, and where the device tree and the ramdisk go once the
 * kernel is placed.
 */
#ifndef LIBBUILD_LAYOUT_H
#define LIBBUILD_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "cachet/cachet.h"
#include "errors.h"

/* booting.rst: the DTB is at most 2 MiB, and gets a 2 MiB region to itself. */
#define LAYOUT_DTB_MAX (UINT64_C(2) << 20)
/* Guest RAM a builder can lay out: both banks. */
#define LAYOUT_MAX_MEMORY (CACHET_GUEST_RAM_MAX_MB << 20)

/* RAM0 first, up to 3 GiB, RAM1 for the rest; sets ram_* and ram1_*. */
void layout_banks(uint64_t mem_bytes, struct cachet_dom_layout *l);
/*
 * Places the DTB and the ramdisk (of @ramdisk_len bytes, 0 for none) after
 * the kernel, which l->kernel_end ends: -CACHET_LIB_ELAYOUT if they do not
 * fit in RAM0.  dtb_end is set by layout_set_dtb() once the tree exists.
 */
int layout_modules(struct cachet_dom_layout *l, uint64_t ramdisk_len, uint64_t at,
		   struct err_msg *m);
int layout_set_dtb(struct cachet_dom_layout *l, size_t dtb_len, struct err_msg *m);

#endif
