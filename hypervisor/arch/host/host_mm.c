/*
 * Host stand-in for core/mm.c, whose boot half needs the linker's view of
 * the image: the RAM allocator over test memory and its table allocator.
 */
#include <stdlib.h>

#include "host_arch.h"
#include "hv/mm.h"
#include "hv/scrub.h"

struct palloc mm_ram;
static void *host_mm_meta;

static int host_mm_alloc(void *ctx, maddr_t *out)
{
	(void)ctx;
	return scrub_alloc(0, out);
}

static void host_mm_free(void *ctx, maddr_t page)
{
	(void)ctx;
	scrub_free(page, 0);
}

static const struct pt_alloc_ops host_mm_ops = { host_mm_alloc, host_mm_free, NULL };

const struct pt_alloc_ops *mm_table_ops(void)
{
	return &host_mm_ops;
}

int host_mm_init(maddr_t base, uint64_t npages, maddr_t free_start)
{
	size_t meta = palloc_meta_size(npages);
	uint64_t skip = (ma_val(free_start) - ma_val(base)) / PAGE_SIZE;
	int rc;

	free(host_mm_meta);
	host_mm_meta = calloc(1, meta);
	rc = palloc_init(&mm_ram, base, npages, host_mm_meta, meta);
	if (rc == 0)
		rc = palloc_add_free(&mm_ram, free_start, npages - skip);
	/* As at boot: test memory holds whatever the test left in it. */
	if (rc == 0)
		scrub_adopt_free();
	return rc;
}
