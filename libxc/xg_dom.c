/*
 * The xc_dom builder (xenguest.h) as adapters onto libcachet's builder:
 * the image keeps a cachet_dom, each xc_dom_* call feeds it or runs one of
 * its stages, and the segments libxl reads are filled from its layout.
 * The domain itself is the caller's (xc_domain_create), so the builder
 * adopts it and leaves it in place on failure, as Xen's does.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cachet/public/guest_map.h"
#include "xc_private.h"
#include "xenguest.h"

#define XG_GUEST_TYPE "xen-3.0-aarch64"
#define XG_DEFAULT_MAX_SIZE (1024 * 1024 * 1024) /* as XC_DOM_DECOMPRESS_MAX */
#define XG_DTB_MAX_SIZE (2 * 1024 * 1024)         /* the arm64 boot protocol's limit */

_Static_assert(GUEST_RAM0_BASE == CACHET_GUEST_RAM0_BASE &&
	       GUEST_RAM0_SIZE == CACHET_GUEST_RAM0_SIZE &&
	       GUEST_RAM1_BASE == CACHET_GUEST_RAM1_BASE &&
	       GUEST_RAM1_SIZE == CACHET_GUEST_RAM1_SIZE &&
	       GUEST_GICV3_GICD_BASE == CACHET_GUEST_GICD_BASE &&
	       GUEST_GICV3_GICR0_BASE == CACHET_GUEST_GICR_BASE &&
	       GUEST_PL011_BASE == CACHET_GUEST_UART_BASE &&
	       GUEST_MAX_VCPUS == CACHET_GUEST_MAX_VCPUS, "xen/arch-arm.h and guest_map.h agree");

static int xg_result(struct xc_dom_image *dom, int rc, const char *what)
{
	return xc_result(dom->xch, rc, what);
}

struct xc_dom_image *xc_dom_allocate(xc_interface *xch, const char *cmdline,
				     const char *features)
{
	struct xc_dom_image *dom = calloc(1, sizeof(*dom));

	(void)features; /* Xen's PV feature flags mean nothing to an Arm guest */
	if (!dom) {
		xc_fail(xch, XC_OUT_OF_MEMORY, ENOMEM, "xc_dom_allocate: out of memory");
		return NULL;
	}
	dom->xch = xch;
	dom->max_kernel_size = dom->max_module_size = XG_DEFAULT_MAX_SIZE;
	dom->max_devicetree_size = XG_DTB_MAX_SIZE;
	dom->container_type = XC_DOM_PV_CONTAINER;
	dom->cachet = cachet_dom_new(xch->h);
	if (cmdline)
		dom->cmdline = strdup(cmdline);
	if (!dom->cachet || (cmdline && !dom->cmdline)) {
		xc_fail_lib(xch, -CACHET_LIB_ENOMEM, "xc_dom_allocate");
		xc_dom_release(dom);
		return NULL;
	}
	/* An empty command line leaves a caller's device tree its own bootargs. */
	if (cmdline && *cmdline && xg_result(dom, cachet_dom_set_cmdline(dom->cachet, cmdline),
					      "xc_dom_allocate") < 0) {
		xc_dom_release(dom);
		return NULL;
	}
	return dom;
}

void xc_dom_release(struct xc_dom_image *dom)
{
	if (!dom)
		return;
	cachet_dom_free(dom->cachet);
	free(dom->cmdline);
	free(dom);
}

int xc_dom_kernel_max_size(struct xc_dom_image *dom, size_t sz)
{
	dom->max_kernel_size = sz;
	return 0;
}

int xc_dom_module_max_size(struct xc_dom_image *dom, size_t sz)
{
	dom->max_module_size = sz;
	return 0;
}

int xc_dom_devicetree_max_size(struct xc_dom_image *dom, size_t sz)
{
	dom->max_devicetree_size = sz;
	return 0;
}

/* An input above its limit is refused as Xen's loader refuses it. */
static int xg_check_size(struct xc_dom_image *dom, size_t size, size_t max, const char *what)
{
	if (size <= max)
		return 0;
	return xc_fail(dom->xch, XC_INVALID_KERNEL, EFBIG, "%s: %zu bytes, above the limit of "
		       "%zu", what, size, max);
}

static int xg_file_size(struct xc_dom_image *dom, const char *path, size_t max,
			const char *what, size_t *size)
{
	struct stat st;

	if (!path || stat(path, &st) != 0)
		return xc_fail(dom->xch, XC_INVALID_PARAM, path ? errno : EINVAL, "%s: cannot "
			       "read %s", what, path ? path : "(NULL)");
	*size = (size_t)st.st_size;
	return xg_check_size(dom, *size, max, what);
}

int xc_dom_kernel_file(struct xc_dom_image *dom, const char *filename)
{
	size_t size;

	if (xg_file_size(dom, filename, dom->max_kernel_size, "xc_dom_kernel_file", &size) < 0)
		return -1;
	dom->kernel_size = size;
	return xg_result(dom, cachet_dom_kernel_file(dom->cachet, filename), "xc_dom_kernel_file");
}

int xc_dom_kernel_mem(struct xc_dom_image *dom, const void *mem, size_t memsize)
{
	if (xg_check_size(dom, memsize, dom->max_kernel_size, "xc_dom_kernel_mem") < 0)
		return -1;
	dom->kernel_blob = (void *)(uintptr_t)mem;
	dom->kernel_size = memsize;
	return xg_result(dom, cachet_dom_kernel_mem(dom->cachet, mem, memsize), "xc_dom_kernel_mem");
}

/* Module 0 is the ramdisk; Cachet has no second module (Xen's is the ACPI tables). */
static int xg_module_slot(struct xc_dom_image *dom, const char *cmdline, const char *what)
{
	if (dom->num_modules >= 1)
		return xc_fail(dom->xch, XC_INVALID_PARAM, EOPNOTSUPP, "%s: Cachet takes one "
			       "module (the ramdisk)", what);
	if (cmdline && *cmdline)
		return xc_fail(dom->xch, XC_INVALID_PARAM, EOPNOTSUPP, "%s: module command lines "
			       "are not supported (the kernel's goes in /chosen)", what);
	return 0;
}

int xc_dom_module_file(struct xc_dom_image *dom, const char *filename, const char *cmdline)
{
	size_t size;
	int rc;

	if (xg_module_slot(dom, cmdline, "xc_dom_module_file") < 0 ||
	    xg_file_size(dom, filename, dom->max_module_size, "xc_dom_module_file", &size) < 0)
		return -1;
	rc = cachet_dom_ramdisk_file(dom->cachet, filename);
	if (rc == 0)
		dom->modules[dom->num_modules++].size = size;
	return xg_result(dom, rc, "xc_dom_module_file");
}

int xc_dom_module_mem(struct xc_dom_image *dom, const void *mem, size_t memsize,
		      const char *cmdline)
{
	int rc;

	if (xg_module_slot(dom, cmdline, "xc_dom_module_mem") < 0 ||
	    xg_check_size(dom, memsize, dom->max_module_size, "xc_dom_module_mem") < 0)
		return -1;
	rc = cachet_dom_ramdisk_mem(dom->cachet, mem, memsize);
	if (rc == 0) {
		dom->modules[dom->num_modules].blob = (void *)(uintptr_t)mem;
		dom->modules[dom->num_modules++].size = memsize;
	}
	return xg_result(dom, rc, "xc_dom_module_mem");
}

int xc_dom_devicetree_file(struct xc_dom_image *dom, const char *filename)
{
	size_t size;

	if (xg_file_size(dom, filename, dom->max_devicetree_size, "xc_dom_devicetree_file",
			 &size) < 0)
		return -1;
	dom->devicetree_size = size;
	return xg_result(dom, cachet_dom_devicetree_file(dom->cachet, filename),
			 "xc_dom_devicetree_file");
}

int xc_dom_devicetree_mem(struct xc_dom_image *dom, const void *mem, size_t memsize)
{
	if (xg_check_size(dom, memsize, dom->max_devicetree_size, "xc_dom_devicetree_mem") < 0)
		return -1;
	dom->devicetree_blob = (void *)(uintptr_t)mem;
	dom->devicetree_size = memsize;
	return xg_result(dom, cachet_dom_devicetree_mem(dom->cachet, mem, memsize),
			 "xc_dom_devicetree_mem");
}

/* The builder adopts the caller's domain, with the vCPU count it was created with. */
int xc_dom_boot_xen_init(struct xc_dom_image *dom, xc_interface *xch, uint32_t domid)
{
	struct cachet_dominfo info;
	int rc;

	dom->xch = xch;
	dom->guest_domid = domid;
	if (!xc_domid_ok(xch, domid, "xc_dom_boot_xen_init"))
		return -1;
	rc = cachet_domain_getinfo(xch->h, domid, &info);
	if (rc == 0)
		rc = cachet_dom_set_vcpus(dom->cachet, info.max_vcpus);
	if (rc == 0)
		rc = cachet_dom_adopt(dom->cachet, domid);
	if (rc == 0)
		dom->max_vcpus = info.max_vcpus;
	return xg_result(dom, rc, "xc_dom_boot_xen_init");
}

int xc_dom_rambase_init(struct xc_dom_image *dom, uint64_t rambase)
{
	if (rambase != GUEST_RAM_BASE)
		return xc_fail(dom->xch, XC_INVALID_PARAM, EINVAL, "xc_dom_rambase_init: guest "
			       "RAM starts at 0x%llx on Cachet, not 0x%llx",
			       (unsigned long long)GUEST_RAM_BASE, (unsigned long long)rambase);
	dom->rambase_pfn = rambase >> XC_PAGE_SHIFT;
	return 0;
}

static void xg_seg(struct xc_dom_seg *seg, uint64_t start, uint64_t end)
{
	seg->vstart = start;
	seg->vend = end;
	seg->pfn = start >> XC_PAGE_SHIFT;
	seg->pages = (end - start + XC_PAGE_SIZE - 1) >> XC_PAGE_SHIFT;
}

/* The segments libxl reads, from the builder's plan or build. */
static void xg_fill_layout(struct xc_dom_image *dom, const struct cachet_dom_layout *l)
{
	xg_seg(&dom->kernel_seg, l->kernel_start, l->kernel_end);
	xg_seg(&dom->devicetree_seg, l->dtb_start, l->dtb_end);
	if (dom->num_modules)
		xg_seg(&dom->modules[0].seg, l->ramdisk_start, l->ramdisk_end);
	dom->rambank_size[0] = l->ram_size >> XC_PAGE_SHIFT;
	dom->rambank_size[1] = l->ram1_size >> XC_PAGE_SHIFT;
}

static int xg_plan(struct xc_dom_image *dom, const char *what)
{
	struct cachet_dom_layout l;
	int rc = cachet_dom_plan(dom->cachet, &l, NULL, NULL);

	if (rc < 0)
		return xc_fail_lib(dom->xch, rc, what);
	xg_fill_layout(dom, &l);
	return 0;
}

int xc_dom_parse_image(struct xc_dom_image *dom)
{
	if (xg_plan(dom, "xc_dom_parse_image") < 0)
		return -1;
	dom->guest_type = XG_GUEST_TYPE;
	return 0;
}

int xc_dom_mem_init(struct xc_dom_image *dom, unsigned int mem_mb)
{
	int rc = cachet_dom_set_memory_mb(dom->cachet, mem_mb);

	if (rc < 0)
		return xc_fail_lib(dom->xch, rc, "xc_dom_mem_init");
	dom->total_pages = (xen_pfn_t)mem_mb << (20 - XC_PAGE_SHIFT);
	return 0;
}

/* Checks that everything fits the memory; populating happens at build. */
int xc_dom_boot_mem_init(struct xc_dom_image *dom)
{
	return xg_plan(dom, "xc_dom_boot_mem_init");
}

int xc_dom_build_image(struct xc_dom_image *dom)
{
	struct cachet_dom_layout l;
	int rc = cachet_dom_set_dtb_memory(dom->cachet, 1);

	if (rc == 0)
		rc = cachet_dom_build(dom->cachet, NULL);
	if (rc == 0)
		rc = cachet_dom_get_layout(dom->cachet, &l);
	if (rc < 0)
		return xc_fail_lib(dom->xch, rc, "xc_dom_build_image");
	xg_fill_layout(dom, &l);
	return 0;
}

int xc_dom_gnttab_init(struct xc_dom_image *dom)
{
	struct cachet_dom_layout l;

	if (cachet_dom_get_layout(dom->cachet, &l) < 0)
		return xc_fail(dom->xch, XC_INVALID_PARAM, EINVAL, "xc_dom_gnttab_init: "
			       "xc_dom_build_image has not succeeded");
	return 0;
}

bool xc_dom_translated(const struct xc_dom_image *dom)
{
	(void)dom;
	return true;
}

int xc_dom_loginit(xc_interface *xch)
{
	return xch ? 0 : -1;
}

/* vCPU 0 was set up by xc_dom_build_image; the domain stays paused for xc_domain_unpause. */
int xc_dom_boot_image(struct xc_dom_image *dom)
{
	struct cachet_dom_layout l;

	if (cachet_dom_get_layout(dom->cachet, &l) < 0)
		return xc_fail(dom->xch, XC_INVALID_PARAM, EINVAL, "xc_dom_boot_image: "
			       "xc_dom_build_image has not succeeded");
	return 0;
}
