/*
 * Guest memory layout.
 *
 * RAM: bank 0 (RAM0, 3 GiB at 1 GiB) is filled first and bank 1 (RAM1, at
 * 8 GiB) takes the rest, as Xen's xg_dom_arm.c does with its two banks.
 *
 * Modules, after the kernel's image_size end rounded up to 2 MiB: first
 * the DTB, in a 2 MiB region of its own, then the ramdisk at the next
 * 2 MiB boundary.  DTB first because booting.rst caps it at 2 MiB and
 * wants it alone in its 2 MiB region: reserving that whole region fixes
 * the ramdisk's address before the tree is generated, and the tree must
 * name that address (linux,initrd-start).  The other order would make the
 * DTB's address depend on the ramdisk's size only, which works as well;
 * this one also matches Xen's place_modules (xen/arch/arm/kernel.c).
 *
 * Both stay in RAM0: the initrd must lie in a 1 GiB-aligned window of at
 * most 32 GiB that also holds the whole kernel (booting.rst), and RAM0
 * (1 GiB .. 4 GiB) is inside the window starting at 1 GiB where the
 * kernel is.
 */
#include "layout.h"
#include "util.h"

void layout_banks(uint64_t mem_bytes, struct cachet_dom_layout *l)
{
	l->ram_base = CACHET_GUEST_RAM0_BASE;
	l->ram_size = LIB_MIN(mem_bytes, CACHET_GUEST_RAM0_SIZE);
	l->ram1_base = 0;
	l->ram1_size = mem_bytes - l->ram_size;
	if (l->ram1_size)
		l->ram1_base = CACHET_GUEST_RAM1_BASE;
}

/*
 * The modules' base: after the kernel, or at @at (an arm32 zImage's 128 MiB,
 * loader_zimage.c) when that is higher and the DTB's region and the ramdisk
 * fit there; otherwise after the kernel, as Xen's libxc falls back.
 */
static uint64_t layout_modules_base(const struct cachet_dom_layout *l, uint64_t ramdisk_len,
				    uint64_t at)
{
	uint64_t after = lib_align_up(l->kernel_end, LIB_2M);
	uint64_t ram_end = l->ram_base + l->ram_size;

	if (at <= after || at >= ram_end || ram_end - at < LAYOUT_DTB_MAX ||
	    ram_end - at - LAYOUT_DTB_MAX < ramdisk_len)
		return after;
	return lib_align_up(at, LIB_2M);
}

int layout_modules(struct cachet_dom_layout *l, uint64_t ramdisk_len, uint64_t at,
		   struct err_msg *m)
{
	uint64_t ram_end = l->ram_base + l->ram_size;

	l->dtb_start = layout_modules_base(l, ramdisk_len, at);
	l->dtb_end = l->dtb_start;
	l->ramdisk_start = 0;
	l->ramdisk_end = 0;
	if (ramdisk_len == 0)
		return 0;
	l->ramdisk_start = l->dtb_start + LAYOUT_DTB_MAX;
	if (l->ramdisk_start > ram_end || ramdisk_len > ram_end - l->ramdisk_start)
		return err_fmt(m, CACHET_LIB_ELAYOUT, "ramdisk of %llu bytes does not fit in "
			       "guest RAM: it would go at 0x%llx (after the kernel, which ends at "
			       "0x%llx, and 2 MiB for the device tree), but RAM ends at 0x%llx",
			       (unsigned long long)ramdisk_len,
			       (unsigned long long)l->ramdisk_start,
			       (unsigned long long)l->kernel_end, (unsigned long long)ram_end);
	l->ramdisk_end = l->ramdisk_start + ramdisk_len;
	return 0;
}

int layout_set_dtb(struct cachet_dom_layout *l, size_t dtb_len, struct err_msg *m)
{
	uint64_t ram_end = l->ram_base + l->ram_size;
	uint64_t room = l->dtb_start < ram_end ? ram_end - l->dtb_start : 0;

	if (dtb_len > LAYOUT_DTB_MAX)
		return err_fmt(m, CACHET_LIB_ELAYOUT, "device tree of %zu bytes is larger than "
			       "the 2 MiB the arm64 boot protocol allows", dtb_len);
	if (dtb_len > room)
		return err_fmt(m, CACHET_LIB_ELAYOUT, "device tree of %zu bytes does not fit in "
			       "guest RAM: it would go at 0x%llx (after the kernel, which ends at "
			       "0x%llx), but RAM ends at 0x%llx", dtb_len,
			       (unsigned long long)l->dtb_start, (unsigned long long)l->kernel_end,
			       (unsigned long long)ram_end);
	l->dtb_end = l->dtb_start + dtb_len;
	return 0;
}
