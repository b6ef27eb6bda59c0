/*
 * Foreign mapping as libxc offers it: any list of a domain's guest frames
 * mapped into one contiguous area of this process, each run of adjacent
 * frames backed by the domain's own memory (cachet_map_foreign_at), never
 * a copy.  Shared by xenforeignmemory_map and the compat xc_map_foreign_*.
 */
#include <errno.h>
#include <sys/mman.h>

#include "xc_private.h"

static size_t xc_foreign_run(const xen_pfn_t *arr, size_t n)
{
	size_t len = 1;

	while (len < n && arr[len] == arr[len - 1] + 1)
		len++;
	return len;
}

/* A run that failed as a whole, page by page: the caller gets an errno for each. */
static void xc_foreign_map_pages(xc_interface *xch, uint32_t dom, int prot, uint8_t *at,
				 const xen_pfn_t *arr, size_t n, int *err)
{
	for (size_t i = 0; i < n; i++) {
		int rc = cachet_map_foreign_at(xch->h, dom, arr[i], 1, prot, at + i * XC_PAGE_SIZE);

		err[i] = rc < 0 ? xc_errno_of(rc) : 0;
	}
}

static int xc_foreign_map_runs(xc_interface *xch, uint32_t dom, int prot, uint8_t *base,
			       const xen_pfn_t *arr, size_t pages, int *err)
{
	for (size_t i = 0; i < pages;) {
		size_t run = xc_foreign_run(arr + i, pages - i);
		uint8_t *at = base + i * XC_PAGE_SIZE;
		int rc = cachet_map_foreign_at(xch->h, dom, arr[i], run, prot, at);

		if (rc < 0 && !err)
			return xc_fail_lib(xch, rc, "foreign map");
		if (rc < 0)
			xc_foreign_map_pages(xch, dom, prot, at, arr + i, run, err + i);
		for (size_t j = 0; rc == 0 && err && j < run; j++)
			err[i + j] = 0;
		i += run;
	}
	return 0;
}

void *xc_foreign_map(xc_interface *xch, uint32_t dom, int prot, size_t pages,
		     const xen_pfn_t *arr, int *err)
{
	void *base;

	if (!pages || !arr || (prot & ~(PROT_READ | PROT_WRITE)) || pages > SIZE_MAX / XC_PAGE_SIZE) {
		xc_fail(xch, XC_INVALID_PARAM, EINVAL, "foreign map: no frames, NULL list or "
			"protection 0x%x", (unsigned int)prot);
		return NULL;
	}
	if (!xc_domid_ok(xch, dom, "foreign map"))
		return NULL;
	base = mmap(NULL, pages * XC_PAGE_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED) {
		xc_fail(xch, XC_OUT_OF_MEMORY, ENOMEM, "foreign map: no address space for %zu "
			"pages", pages);
		return NULL;
	}
	if (xc_foreign_map_runs(xch, dom, prot, base, arr, pages, err) < 0) {
		int saved = errno;

		munmap(base, pages * XC_PAGE_SIZE);
		errno = saved;
		return NULL;
	}
	return base;
}
