/*
 * Hypervisor memory set-up (see hv/mm.h).
 *
 * The boot tables come from a static pool in .bss: they are written by the
 * boot CPU with its MMU off (straight to memory), and head.S invalidates
 * their lines before any CPU turns its MMU on, so no table walk can ever see
 * a stale cached copy.  Later table pages come from mm_ram.
 */
#include "hv/mm.h"

#include "hv/arch.h"
#include "hv/config.h"
#include "hv/errno.h"
#include "hv/log.h"
#include "hv/panic.h"
#include "hv/plat.h"
#include "hv/scrub.h"

#define MM_BOOT_POOL_PAGES 32

extern char __hv_start[], __text_end[], __rodata_end[], __hv_end[];

struct palloc mm_ram;
static struct pt mm_hyp_pt;
static uint64_t mm_ram_bytes;
static spinlock_t mm_pt_lock = SPINLOCK_INIT; /* serialises runtime table updates */

static uint8_t mm_boot_pool[MM_BOOT_POOL_PAGES][PAGE_SIZE]
	__attribute__((aligned(PAGE_SIZE), section(".bss.page_aligned")));
static maddr_t mm_boot_freed[MM_BOOT_POOL_PAGES];
static unsigned int mm_boot_next, mm_boot_nfreed;

static int mm_boot_alloc(void *ctx, maddr_t *out)
{
	(void)ctx;
	if (mm_boot_nfreed > 0) {
		*out = mm_boot_freed[--mm_boot_nfreed];
		return 0;
	}
	if (mm_boot_next == MM_BOOT_POOL_PAGES)
		return -ENOMEM;
	*out = arch_ptr_to_ma(mm_boot_pool[mm_boot_next++]);
	return 0;
}

static void mm_boot_free(void *ctx, maddr_t page)
{
	(void)ctx;
	mm_boot_freed[mm_boot_nfreed++] = page;
}

static const struct pt_alloc_ops mm_boot_ops = { mm_boot_alloc, mm_boot_free, NULL };

/* Table pages held hypervisor data: they are scrubbed before reuse like guest pages. */
static int mm_ram_alloc(void *ctx, maddr_t *out)
{
	(void)ctx;
	return scrub_alloc(0, out);
}

static void mm_ram_free(void *ctx, maddr_t page)
{
	(void)ctx;
	scrub_free(page, 0);
}

static const struct pt_alloc_ops mm_ram_ops = { mm_ram_alloc, mm_ram_free, NULL };

static uint64_t va_of(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static void mm_boot_map(uint64_t base, uint64_t size, enum pt_mem mem, unsigned int perm)
{
	struct pt_attr attr = { mem, perm };
	int rc = pt_map(&mm_hyp_pt, base, ma_init(base), size, attr);

	if (rc != 0)
		panic("mm: cannot map [%#llx, +%#llx): error %d", (unsigned long long)base,
		      (unsigned long long)size, rc);
}

maddr_t mm_boot_tables(void)
{
	uint64_t ram_limit = UINT64_C(1) << CONFIG_HYP_VA_BITS;

	mm_ram_bytes = ALIGN_DOWN(plat_ram_size(), PAGE_SIZE);
	if (mm_ram_bytes == 0)
		panic("mm: the board did not report its RAM size");
	if (plat_board.ram_base + mm_ram_bytes > ram_limit)
		mm_ram_bytes = ram_limit - plat_board.ram_base;
	if (pt_init(&mm_hyp_pt, PT_STAGE1_EL2, CONFIG_HYP_VA_BITS, &mm_boot_ops) != 0)
		panic("mm: no page for the root table");
	/* All RAM first, in the largest blocks; the image then gets its pages. */
	mm_boot_map(plat_board.ram_base, mm_ram_bytes, PT_MEM_NORMAL, PT_PERM_R | PT_PERM_W);
	mm_boot_map(va_of(__hv_start), va_of(__text_end) - va_of(__hv_start), PT_MEM_NORMAL,
		    PT_PERM_R | PT_PERM_X);
	mm_boot_map(va_of(__text_end), va_of(__rodata_end) - va_of(__text_end), PT_MEM_NORMAL,
		    PT_PERM_R);
	for (unsigned int i = 0; i < plat_board.nr_mmio; i++)
		mm_boot_map(plat_board.mmio[i].base, plat_board.mmio[i].size, PT_MEM_DEVICE,
			    PT_PERM_R | PT_PERM_W);
	arch_mmu_prepare(mm_hyp_pt.root);
	return mm_hyp_pt.root;
}

int mm_init_allocator(void)
{
	uint64_t npages = mm_ram_bytes / PAGE_SIZE;
	uint64_t meta = ALIGN_UP(va_of(__hv_end), PAGE_SIZE);
	uint64_t meta_size = ALIGN_UP(palloc_meta_size(npages), PAGE_SIZE);
	uint64_t free_start = meta + meta_size;
	uint64_t ram_end = plat_board.ram_base + mm_ram_bytes;
	int rc;

	if (free_start >= ram_end)
		return -ENOMEM;
	rc = palloc_init(&mm_ram, ma_init(plat_board.ram_base), npages, (void *)(uintptr_t)meta,
			 meta_size);
	/*
	 * RAM below the image (QEMU's DTB, and room for the management
	 * mailbox) and the image itself are never handed out.
	 */
	if (rc == 0)
		rc = palloc_add_free(&mm_ram, ma_init(free_start), (ram_end - free_start) / PAGE_SIZE);
	if (rc == 0)
		mm_hyp_pt.alloc = &mm_ram_ops;
	return rc;
}

uint64_t mm_ram_size(void)
{
	return mm_ram_bytes;
}

int mm_remap(uint64_t va, uint64_t size, struct pt_attr attr)
{
	unsigned long flags = spin_lock_irqsave(&mm_pt_lock);
	int rc = pt_map(&mm_hyp_pt, va, ma_init(va), size, attr);

	spin_unlock_irqrestore(&mm_pt_lock, flags);
	return rc;
}

const struct pt *mm_hyp_tables(void)
{
	return &mm_hyp_pt;
}

const struct pt_alloc_ops *mm_table_ops(void)
{
	return &mm_ram_ops;
}
