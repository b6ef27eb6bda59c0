/*
 * A libxc client written against Xen 4.17's documented API only: creates
 * an Arm domain and builds it with the xc_dom API in the order libxl uses,
 * then unpauses it and prints its domain id.  With a device tree, that one
 * is used (for instance from `cachet dtb`) instead of the generated one.
 *   xc-boot KERNEL RAMDISK|- MEMORY_MB "CMDLINE" [DTB]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenctrl.h>
#include <xenguest.h>

static int build(xc_interface *xch, uint32_t domid, int argc, char **argv)
{
	unsigned int mem_mb = (unsigned int)strtoul(argv[3], NULL, 0);
	struct xc_dom_image *dom;
	int rc = xc_dom_loginit(xch);

	dom = rc == 0 ? xc_dom_allocate(xch, argv[4], NULL) : NULL;
	rc = dom ? 0 : -1;

	if (rc == 0)
		rc = xc_dom_kernel_file(dom, argv[1]);
	if (rc == 0 && strcmp(argv[2], "-") != 0)
		rc = xc_dom_module_file(dom, argv[2], NULL);
	if (rc == 0 && argc > 5)
		rc = xc_dom_devicetree_file(dom, argv[5]);
	if (rc == 0)
		rc = xc_dom_boot_xen_init(dom, xch, domid);
	if (rc == 0)
		rc = xc_dom_rambase_init(dom, GUEST_RAM_BASE);
	if (rc == 0)
		rc = xc_dom_parse_image(dom);
	if (rc == 0)
		rc = xc_dom_mem_init(dom, mem_mb);
	if (rc == 0)
		rc = xc_dom_boot_mem_init(dom);
	if (rc == 0)
		rc = xc_dom_build_image(dom);
	if (rc == 0)
		rc = xc_dom_boot_image(dom);
	if (rc == 0)
		rc = xc_dom_gnttab_init(dom);
	xc_dom_release(dom);
	return rc;
}

int main(int argc, char **argv)
{
	struct xen_domctl_createdomain cfg;
	xc_interface *xch;
	uint32_t domid = 0;

	if (argc != 5 && argc != 6) {
		fprintf(stderr, "usage: %s KERNEL RAMDISK|- MEMORY_MB CMDLINE [DTB]\n", argv[0]);
		return 2;
	}
	xch = xc_interface_open(NULL, NULL, 0);
	if (!xch)
		return 1;
	memset(&cfg, 0, sizeof(cfg));
	cfg.flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
	cfg.max_vcpus = 1;
	cfg.arch.gic_version = XEN_DOMCTL_CONFIG_GIC_NATIVE;
	cfg.arch.nr_spis = 32;
	if (xc_domain_create(xch, &domid, &cfg) != 0)
		return 1;
	if (xc_domain_setmaxmem(xch, domid, strtoull(argv[3], NULL, 0) * 1024) != 0 ||
	    build(xch, domid, argc, argv) != 0 || xc_domain_unpause(xch, domid) != 0) {
		xc_domain_destroy(xch, domid);
		return 1;
	}
	printf("%u\n", domid);
	xc_interface_close(xch);
	return 0;
}
