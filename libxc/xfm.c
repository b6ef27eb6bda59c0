/*
 * xenforeignmemory (its own library, as in Xen): a handle is an interface
 * to cachetd's channel, and mappings are xc_foreign_map's.  Unmapping is
 * munmap(): the pages stay the domain's, nothing is copied back.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "xc_private.h"
#include "xenforeignmemory.h"

struct xenforeignmemory_handle {
	xc_interface *xch;
};

xenforeignmemory_handle *xenforeignmemory_open(struct xentoollog_logger *logger,
					       unsigned open_flags)
{
	xenforeignmemory_handle *fmem = calloc(1, sizeof(*fmem));

	if (!fmem)
		return NULL;
	if (open_flags) {
		free(fmem);
		errno = EINVAL;
		return NULL;
	}
	fmem->xch = xc_interface_open(logger, logger, 0);
	if (!fmem->xch) {
		free(fmem);
		return NULL;
	}
	return fmem;
}

int xenforeignmemory_close(xenforeignmemory_handle *fmem)
{
	if (!fmem)
		return 0;
	xc_interface_close(fmem->xch);
	free(fmem);
	return 0;
}

void *xenforeignmemory_map(xenforeignmemory_handle *fmem, uint32_t dom, int prot, size_t pages,
			   const xen_pfn_t arr[], int err[])
{
	return xc_foreign_map(fmem->xch, dom, prot, pages, arr, err);
}

int xenforeignmemory_unmap(xenforeignmemory_handle *fmem, void *addr, size_t pages)
{
	(void)fmem;
	return munmap(addr, pages * XC_PAGE_SIZE);
}
