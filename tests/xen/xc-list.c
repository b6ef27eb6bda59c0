/*
 * A libxc client, written against Xen 4.17's documented API only: prints
 * the host's physinfo and version, then one line per domain as `xl list`
 * does (id, memory, vCPUs, state, CPU time).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <xenctrl.h>

#define MAX_DOMS 64

static void print_host(xc_interface *xch)
{
	xc_physinfo_t pi;
	xen_extraversion_t extra;
	int ver = xc_version(xch, XENVER_version, NULL);

	if (xc_physinfo(xch, &pi) != 0 || ver < 0 ||
	    xc_version(xch, XENVER_extraversion, &extra) != 0) {
		perror("xc_physinfo/xc_version");
		exit(1);
	}
	printf("version %d.%d%s\n", ver >> 16, ver & 0xffff, extra);
	printf("nr_cpus %u\ntotal_memory_kb %" PRIu64 "\nfree_memory_kb %" PRIu64 "\n",
	       pi.nr_cpus, (uint64_t)pi.total_pages * 4, (uint64_t)pi.free_pages * 4);
}

static char state_letter(uint32_t flags)
{
	if (flags & XEN_DOMINF_shutdown)
		return ((flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask) ==
		       SHUTDOWN_crash ? 'c' : 's';
	if (flags & XEN_DOMINF_paused)
		return 'p';
	return (flags & XEN_DOMINF_running) ? 'r' : 'b';
}

int main(void)
{
	xc_interface *xch = xc_interface_open(NULL, NULL, 0);
	xc_domaininfo_t info[MAX_DOMS];
	int n;

	if (!xch) {
		perror("xc_interface_open");
		return 1;
	}
	print_host(xch);
	n = xc_domain_getinfolist(xch, 0, MAX_DOMS, info);
	if (n < 0) {
		perror("xc_domain_getinfolist");
		return 1;
	}
	for (int i = 0; i < n; i++)
		printf("domain %u mem_kb %" PRIu64 " vcpus %u state %c cpu_ns %" PRIu64 "\n",
		       info[i].domain, (uint64_t)info[i].tot_pages * 4, info[i].nr_online_vcpus,
		       state_letter(info[i].flags), (uint64_t)info[i].cpu_time);
	xc_interface_close(xch);
	return 0;
}
