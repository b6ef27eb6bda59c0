/*
 * A libxc client written against Xen 4.17's documented API only: maps one
 * page of a running domain twice, with xenforeignmemory_map and with the
 * compat xc_map_foreign_range, and checks that both show the text the
 * guest wrote there and that a write through one is seen through the
 * other (both are the guest's memory, not copies).
 *   xc-map DOMID GFN TEXT
 */
#define XC_WANT_COMPAT_MAP_FOREIGN_API
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <xenctrl.h>
#include <xenforeignmemory.h>

#define PROBE_OFFSET 2048

int main(int argc, char **argv)
{
	xenforeignmemory_handle *fmem;
	xc_interface *xch;
	xen_pfn_t gfn;
	uint32_t domid;
	char *rw, *ro;
	int err = -1;

	if (argc != 4) {
		fprintf(stderr, "usage: %s DOMID GFN TEXT\n", argv[0]);
		return 2;
	}
	domid = (uint32_t)strtoul(argv[1], NULL, 0);
	gfn = strtoull(argv[2], NULL, 0);
	fmem = xenforeignmemory_open(NULL, 0);
	xch = xc_interface_open(NULL, NULL, 0);
	if (!fmem || !xch)
		return 1;
	rw = xenforeignmemory_map(fmem, domid, PROT_READ | PROT_WRITE, 1, &gfn, &err);
	ro = xc_map_foreign_range(xch, domid, XC_PAGE_SIZE, PROT_READ, gfn);
	if (!rw || err != 0 || !ro) {
		perror("map");
		return 1;
	}
	if (strncmp(rw, argv[3], strlen(argv[3])) != 0 || strncmp(ro, argv[3], strlen(argv[3])) != 0) {
		printf("FAIL: page holds '%.40s' / '%.40s'\n", rw, ro);
		return 1;
	}
	rw[PROBE_OFFSET] = (char)(ro[PROBE_OFFSET] + 1);
	if (ro[PROBE_OFFSET] != rw[PROBE_OFFSET]) {
		printf("FAIL: a write through one mapping is not seen through the other\n");
		return 1;
	}
	printf("PASS: both mappings show '%s'\n", argv[3]);
	xenforeignmemory_unmap(fmem, rw, 1);
	munmap(ro, XC_PAGE_SIZE);
	xenforeignmemory_close(fmem);
	xc_interface_close(xch);
	return 0;
}
