/*
 * Foreign mapping: a domain's guest pages mapped into this process through
 * the machine frames that back them, so the builder writes kernels and
 * ramdisks in place (no copy through the hypervisor).  This is the host-side
 * half of what libxc's foreign mapping does; the hypervisor only tells us
 * which frames to map (TRANSLATE).
 *
 * The range is first reserved as one PROT_NONE area so that the caller gets
 * one contiguous pointer, then each run of machine-contiguous frames is
 * mapped over it with MAP_FIXED: a domain populated with 2 MiB blocks costs
 * one mmap() per block (or fewer when blocks happen to be adjacent).  The
 * runs are mapped with MAP_POPULATE: a mapping is made to be written whole
 * (a kernel, a ramdisk), so its page tables are filled in one call rather
 * than by a write fault per 4 KiB page (a few per cent of a kernel's load
 * time in bench_loader; more where faults are dear).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "foreign.h"
#include "transport.h"
#include "util.h"

size_t foreign_run_len(const uint64_t *mfns, size_t n)
{
	size_t len = 1;

	while (len < n && mfns[len] == mfns[len - 1] + 1)
		len++;
	return len;
}

static int foreign_check_frames(cachet_handle *h, const uint64_t *mfns, uint64_t nr,
				uint64_t gfn)
{
	for (uint64_t i = 0; i < nr; i++)
		if (!xport_frame_ok(h, mfns[i]))
			return err_set(h, CACHET_LIB_EIO, "map_foreign: gfn 0x%llx translates to "
				       "machine frame 0x%llx, outside the RAM file (%llu bytes) or "
				       "inside the mailbox", (unsigned long long)(gfn + i),
				       (unsigned long long)mfns[i], (unsigned long long)h->ram_size);
	return 0;
}

static int foreign_map_runs(cachet_handle *h, uint8_t *base, const uint64_t *mfns, size_t nr,
			    int prot)
{
	size_t i = 0;

	while (i < nr) {
		size_t run = foreign_run_len(mfns + i, nr - i);
		void *p = mmap(base + i * LIB_PAGE_SIZE, run * LIB_PAGE_SIZE,
			       prot, MAP_SHARED | MAP_FIXED | MAP_POPULATE, h->fd,
			       (off_t)xport_frame_offset(mfns[i]));

		if (p == MAP_FAILED)
			return err_set(h, CACHET_LIB_EIO, "map_foreign: mmap of %zu frames at "
				       "machine frame 0x%llx failed: %s", run,
				       (unsigned long long)mfns[i], strerror(errno));
		i += run;
	}
	return 0;
}

static int foreign_check_args(cachet_handle *h, uint64_t gfn, uint64_t nr_pages, void **out)
{
	if (!out)
		return err_set(h, CACHET_LIB_EINVAL, "map_foreign: NULL output");
	/* mmap() offsets are in host pages; the ABI's frames are 4 KiB. */
	if (sysconf(_SC_PAGESIZE) != (long)LIB_PAGE_SIZE)
		return err_set(h, CACHET_LIB_EINVAL, "map_foreign: host page size %ld is not "
			       "4 KiB", sysconf(_SC_PAGESIZE));
	if (!lib_gfn_range_in_ram(gfn, nr_pages))
		return err_set(h, CACHET_LIB_EINVAL, "map_foreign: gfn 0x%llx + %llu pages is "
			       "empty or outside guest RAM", (unsigned long long)gfn,
			       (unsigned long long)nr_pages);
	/* Guest RAM fits in the RAM file, so a larger request cannot be right. */
	if (nr_pages > h->ram_size >> LIB_PAGE_SHIFT || nr_pages > SIZE_MAX / LIB_PAGE_SIZE)
		return err_set(h, CACHET_LIB_EINVAL, "map_foreign: %llu pages exceed the machine's "
			       "RAM", (unsigned long long)nr_pages);
	return 0;
}

/* Translates and maps; *mfns_out is the caller's to free. */
static int foreign_map(cachet_handle *h, cachet_domid_t domid, uint64_t gfn, size_t nr,
		       uint8_t *base, int prot, uint64_t **mfns_out)
{
	uint64_t *mfns = malloc(nr * sizeof(*mfns));
	int rc;

	*mfns_out = mfns;
	if (!mfns)
		return err_set(h, CACHET_LIB_ENOMEM, "map_foreign: no memory for %zu frame "
			       "numbers", nr);
	rc = cachet_translate(h, domid, gfn, nr, mfns);
	if (rc == 0)
		rc = foreign_check_frames(h, mfns, nr, gfn);
	if (rc == 0)
		rc = foreign_map_runs(h, base, mfns, nr, prot);
	return rc;
}

int cachet_map_foreign(cachet_handle *h, cachet_domid_t domid, uint64_t gfn, uint64_t nr_pages,
		       void **out)
{
	uint64_t *mfns;
	size_t len;
	void *base;
	int rc;

	if (!h)
		return err_set(NULL, CACHET_LIB_EINVAL, "map_foreign: NULL handle");
	rc = foreign_check_args(h, gfn, nr_pages, out);
	if (rc < 0)
		return rc;
	len = (size_t)(nr_pages * LIB_PAGE_SIZE);
	base = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		return err_set(h, CACHET_LIB_ENOMEM, "map_foreign: cannot reserve %zu bytes of "
			       "address space: %s", len, strerror(errno));
	rc = foreign_map(h, domid, gfn, (size_t)nr_pages, base, PROT_READ | PROT_WRITE, &mfns);
	free(mfns);
	if (rc < 0) {
		munmap(base, len);
		return rc;
	}
	*out = base;
	return 0;
}

int cachet_map_foreign_at(cachet_handle *h, cachet_domid_t domid, uint64_t gfn,
			  uint64_t nr_pages, int prot, void *at)
{
	uint64_t *mfns;
	int rc;

	if (!h)
		return err_set(NULL, CACHET_LIB_EINVAL, "map_foreign_at: NULL handle");
	rc = foreign_check_args(h, gfn, nr_pages, &at);
	if (rc == 0 && (!at || ((uintptr_t)at & (LIB_PAGE_SIZE - 1))))
		rc = err_set(h, CACHET_LIB_EINVAL, "map_foreign_at: address %p is not page "
			     "aligned", at);
	if (rc == 0 && (prot & ~(PROT_READ | PROT_WRITE)))
		rc = err_set(h, CACHET_LIB_EINVAL, "map_foreign_at: protection 0x%x is not "
			     "PROT_READ and/or PROT_WRITE", (unsigned int)prot);
	if (rc < 0)
		return rc;
	rc = foreign_map(h, domid, gfn, (size_t)nr_pages, at, prot, &mfns);
	free(mfns);
	return rc;
}

int cachet_unmap_foreign(cachet_handle *h, cachet_domid_t domid, void *addr, uint64_t gfn,
			 uint64_t nr_pages)
{
	if (!h)
		return err_set(NULL, CACHET_LIB_EINVAL, "unmap_foreign: NULL handle");
	if (!addr || ((uintptr_t)addr & (LIB_PAGE_SIZE - 1)))
		return err_set(h, CACHET_LIB_EINVAL, "unmap_foreign: address %p is not a mapping",
			       addr);
	if (!lib_gfn_range_in_ram(gfn, nr_pages) || nr_pages > SIZE_MAX / LIB_PAGE_SIZE)
		return err_set(h, CACHET_LIB_EINVAL, "unmap_foreign: gfn 0x%llx + %llu pages is "
			       "empty or outside guest RAM", (unsigned long long)gfn,
			       (unsigned long long)nr_pages);
	if (munmap(addr, (size_t)(nr_pages * LIB_PAGE_SIZE)) != 0)
		return err_set(h, CACHET_LIB_EINVAL, "unmap_foreign: munmap failed: %s",
			       strerror(errno));
	/*
	 * Clean only after the mapping is gone, so no write of ours can dirty a
	 * line again behind the clean (DESIGN.md 1, "belt and braces").
	 */
	return cachet_cache_flush(h, domid, gfn, nr_pages);
}
