/*
 * Cachet's libxc compatibility layer: Xen 4.17's xenforeignmemory.h
 * (open, map, unmap).  A mapping is the domain's own memory, never a copy.
 */
#ifndef XENFOREIGNMEMORY_H
#define XENFOREIGNMEMORY_H

#include <stddef.h>
#include <stdint.h>

#include <xen/xen.h>

struct xentoollog_logger;

typedef struct xenforeignmemory_handle xenforeignmemory_handle;

xenforeignmemory_handle *xenforeignmemory_open(struct xentoollog_logger *logger,
					       unsigned open_flags);
int xenforeignmemory_close(xenforeignmemory_handle *fmem);
/*
 * Maps guest frames arr[0..pages) of @dom contiguously.  With @err, a frame
 * that cannot be mapped gets its errno there (and the call succeeds for
 * the others); without it the whole call fails.
 */
void *xenforeignmemory_map(xenforeignmemory_handle *fmem, uint32_t dom, int prot, size_t pages,
			   const xen_pfn_t arr[/*pages*/], int err[/*pages*/]);
int xenforeignmemory_unmap(xenforeignmemory_handle *fmem, void *addr, size_t pages);

#endif
