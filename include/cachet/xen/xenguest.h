/*
 * Cachet's libxc compatibility layer: the Arm path of Xen 4.17's xc_dom
 * builder API (xenguest.h), as libxl drives it, implemented by
 * libcachet-xenguest on libcachet's domain builder.  Fields of struct
 * xc_dom_image not listed are absent: only what Cachet fills or reads.
 *
 * Differences from Xen (libcachet-xen(7)): RAM is populated by
 * xc_dom_build_image rather than xc_dom_boot_mem_init, vCPU 0's registers
 * are set there too, and with a caller's device tree xc_dom_build_image
 * itself writes /chosen linux,initrd-start/-end, bootargs and the
 * memory@ nodes for the layout it chose (on Xen, libxl does that).
 */
#ifndef XENGUEST_H
#define XENGUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xenctrl.h>

#define XG_MAX_MODULES 2
#define XC_DOM_DECOMPRESS_MAX (1024 * 1024 * 1024)

typedef uint64_t xen_vaddr_t;
typedef uint64_t xen_paddr_t;

struct xc_dom_seg {
	xen_vaddr_t vstart;
	xen_vaddr_t vend;
	xen_pfn_t pfn;
	xen_pfn_t pages;
};

struct xc_dom_module {
	void *blob;
	size_t size;
	void *cmdline;
	struct xc_dom_seg seg;
};

struct xc_dom_image {
	void *kernel_blob;            /* xc_dom_kernel_mem's buffer; NULL for a file */
	size_t kernel_size;
	unsigned int num_modules;
	struct xc_dom_module modules[XG_MAX_MODULES];
	void *devicetree_blob;
	size_t devicetree_size;

	size_t max_kernel_size;
	size_t max_module_size;
	size_t max_devicetree_size;

	char *cmdline;
	const char *guest_type;       /* "xen-3.0-aarch64" after xc_dom_parse_image */

	struct xc_dom_seg kernel_seg;
	struct xc_dom_seg devicetree_seg;

	xen_pfn_t rambase_pfn;
	xen_pfn_t total_pages;
	xen_pfn_t rambank_size[GUEST_RAM_BANKS];

	unsigned int console_evtchn;  /* kept for libxl's sake; Cachet has no event channels */
	unsigned int xenstore_evtchn;
	uint32_t console_domid;
	uint32_t xenstore_domid;

	xc_interface *xch;
	uint32_t guest_domid;
	int claim_enabled;

	enum {
		XC_DOM_PV_CONTAINER,
		XC_DOM_HVM_CONTAINER,
	} container_type;

	unsigned int max_vcpus;

	struct cachet_dom *cachet;    /* Cachet's builder behind this image */
};

struct xc_dom_image *xc_dom_allocate(xc_interface *xch, const char *cmdline,
				     const char *features);
void xc_dom_release(struct xc_dom_image *dom);
int xc_dom_rambase_init(struct xc_dom_image *dom, uint64_t rambase);
int xc_dom_mem_init(struct xc_dom_image *dom, unsigned int mem_mb);

int xc_dom_kernel_max_size(struct xc_dom_image *dom, size_t sz);
int xc_dom_module_max_size(struct xc_dom_image *dom, size_t sz);
int xc_dom_devicetree_max_size(struct xc_dom_image *dom, size_t sz);

int xc_dom_kernel_file(struct xc_dom_image *dom, const char *filename);
int xc_dom_module_file(struct xc_dom_image *dom, const char *filename, const char *cmdline);
int xc_dom_devicetree_file(struct xc_dom_image *dom, const char *filename);
int xc_dom_kernel_mem(struct xc_dom_image *dom, const void *mem, size_t memsize);
int xc_dom_module_mem(struct xc_dom_image *dom, const void *mem, size_t memsize,
		      const char *cmdline);
int xc_dom_devicetree_mem(struct xc_dom_image *dom, const void *mem, size_t memsize);

int xc_dom_parse_image(struct xc_dom_image *dom);
int xc_dom_build_image(struct xc_dom_image *dom);

int xc_dom_boot_xen_init(struct xc_dom_image *dom, xc_interface *xch, uint32_t domid);
int xc_dom_boot_mem_init(struct xc_dom_image *dom);
int xc_dom_boot_image(struct xc_dom_image *dom);
/*
 * Cachet guests have no grant table and no PV console or xenstore pages,
 * so there is nothing to seed: succeeds once the image is built.
 */
int xc_dom_gnttab_init(struct xc_dom_image *dom);
/* Always true on Arm: guests are auto-translated. */
bool xc_dom_translated(const struct xc_dom_image *dom);
/* The builder logs through the interface's dombuild logger; nothing to set up. */
int xc_dom_loginit(xc_interface *xch);

#endif
