/*
 * The deprecated foreign-mapping calls of libxc (xenctrl_compat.h, under
 * XC_WANT_COMPAT_MAP_FOREIGN_API), onto the same mapping as
 * xenforeignmemory_map.  On Arm the "mfn" they take is a guest frame.
 */
#define XC_WANT_COMPAT_MAP_FOREIGN_API
#include <errno.h>
#include <stdlib.h>

#include "xc_private.h"

void *xc_map_foreign_range(xc_interface *xch, uint32_t dom, int size, int prot,
			   unsigned long mfn)
{
	size_t pages = size > 0 ? ((size_t)size + XC_PAGE_SIZE - 1) / XC_PAGE_SIZE : 0;
	xen_pfn_t *arr = pages ? calloc(pages, sizeof(*arr)) : NULL;
	void *p;

	if (!arr) {
		xc_fail(xch, XC_INVALID_PARAM, size > 0 ? ENOMEM : EINVAL, "xc_map_foreign_range: "
			"cannot map %d bytes", size);
		return NULL;
	}
	for (size_t i = 0; i < pages; i++)
		arr[i] = mfn + i;
	p = xc_foreign_map(xch, dom, prot, pages, arr, NULL);
	free(arr);
	return p;
}

void *xc_map_foreign_pages(xc_interface *xch, uint32_t dom, int prot, const xen_pfn_t *arr,
			   int num)
{
	if (num <= 0) {
		xc_fail(xch, XC_INVALID_PARAM, EINVAL, "xc_map_foreign_pages: %d pages", num);
		return NULL;
	}
	return xc_foreign_map(xch, dom, prot, (size_t)num, arr, NULL);
}

void *xc_map_foreign_bulk(xc_interface *xch, uint32_t dom, int prot, const xen_pfn_t *arr,
			  int *err, unsigned int num)
{
	if (!err) {
		xc_fail(xch, XC_INVALID_PARAM, EINVAL, "xc_map_foreign_bulk: NULL error array");
		return NULL;
	}
	return xc_foreign_map(xch, dom, prot, num, arr, err);
}
