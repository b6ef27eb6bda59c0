/*
 * Creates and destroys domains in a loop through libxc, checking every
 * answer belongs to its own request: the domain it gets back has the
 * vCPU count and memory this process gave it.  Several of these run at
 * once with cachetd doing the same, sharing the management mailbox.
 *   xc-stress ITERATIONS VCPUS
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenctrl.h>

#define STRESS_PAGES 512 /* one 2 MiB extent */

static int one_round(xc_interface *xch, unsigned int vcpus, unsigned int round)
{
	struct xen_domctl_createdomain c;
	xc_domaininfo_t info;
	xen_pfn_t gfn = GUEST_RAM_BASE >> XC_PAGE_SHIFT;
	uint32_t domid = 0;
	int rc;

	memset(&c, 0, sizeof(c));
	c.flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
	c.max_vcpus = vcpus;
	if (xc_domain_create(xch, &domid, &c) != 0)
		return fprintf(stderr, "round %u: create: %s\n", round, strerror(errno)), -1;
	rc = xc_domain_setmaxmem(xch, domid, STRESS_PAGES * 4);
	if (rc == 0)
		rc = xc_domain_populate_physmap_exact(xch, domid, 1, 9, 0, &gfn);
	if (rc == 0 && (xc_domain_getinfolist(xch, domid, 1, &info) != 1 || info.domain != domid ||
			info.max_vcpu_id + 1 != vcpus || info.tot_pages != STRESS_PAGES)) {
		fprintf(stderr, "round %u: domain %u shows vcpus %u pages %llu (crossed reply?)\n",
			round, domid, info.max_vcpu_id + 1, (unsigned long long)info.tot_pages);
		rc = -1;
	}
	if (xc_domain_destroy(xch, domid) != 0)
		return fprintf(stderr, "round %u: destroy: %s\n", round, strerror(errno)), -1;
	return rc;
}

int main(int argc, char **argv)
{
	xc_interface *xch = xc_interface_open(NULL, NULL, 0);
	unsigned int rounds, vcpus;

	if (argc != 3 || !xch)
		return 2;
	rounds = (unsigned int)strtoul(argv[1], NULL, 0);
	vcpus = (unsigned int)strtoul(argv[2], NULL, 0);
	for (unsigned int i = 0; i < rounds; i++)
		if (one_round(xch, vcpus, i) != 0)
			return 1;
	xc_interface_close(xch);
	printf("PASS: %u rounds with %u vCPUs\n", rounds, vcpus);
	return 0;
}
