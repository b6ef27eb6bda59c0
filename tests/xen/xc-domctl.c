/*
 * The domain-control calls of the libxc layer doing what Xen's do, on a
 * domain this program creates: vCPU count, memory limit and population,
 * getinfo/getinfolist fields, vCPU information and hard affinity (with the
 * cpumap helpers), cache flush, shutdown with a reason, and the
 * hypervisor's console ring.  Prints one line per check; exits non-zero on
 * the first mismatch.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenctrl.h>

#define CHECK(cond, ...)                                   \
	do {                                               \
		if (!(cond)) {                             \
			printf("FAIL: " __VA_ARGS__);      \
			printf(" (errno %d)\n", errno);    \
			exit(1);                           \
		}                                          \
	} while (0)

static uint32_t create(xc_interface *xch, unsigned int vcpus)
{
	struct xen_domctl_createdomain c;
	uint32_t domid = 0;

	memset(&c, 0, sizeof(c));
	c.flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
	c.max_vcpus = vcpus;
	c.arch.gic_version = XEN_DOMCTL_CONFIG_GIC_NATIVE;
	CHECK(xc_domain_create(xch, &domid, &c) == 0, "xc_domain_create");
	CHECK(c.arch.gic_version == XEN_DOMCTL_CONFIG_GIC_V3, "gic_version not reported as V3");
	return domid;
}

static void check_memory(xc_interface *xch, uint32_t domid)
{
	xen_pfn_t extents[2] = { GUEST_RAM_BASE >> XC_PAGE_SHIFT,
				 (GUEST_RAM_BASE >> XC_PAGE_SHIFT) + 512 };
	xc_dominfo_t info;

	CHECK(xc_domain_max_vcpus(xch, domid, 2) == 0, "max_vcpus with the created count");
	CHECK(xc_domain_max_vcpus(xch, domid, 3) == -1 && errno == EINVAL, "max_vcpus change");
	CHECK(xc_domain_setmaxmem(xch, domid, 2048) == 0, "setmaxmem 2 MiB");
	CHECK(xc_domain_populate_physmap_exact(xch, domid, 2, 9, 0, extents) == -1 &&
	      errno == ENOMEM, "populating 4 MiB above a 2 MiB limit");
	CHECK(xc_domain_setmaxmem(xch, domid, 4096) == 0, "setmaxmem 4 MiB");
	CHECK(xc_domain_populate_physmap_exact(xch, domid, 2, 9, 0, extents) == 0,
	      "populate two 2 MiB extents");
	CHECK(xc_domain_cacheflush(xch, domid, extents[0], 1024) == 0, "cacheflush");
	CHECK(xc_domain_getinfo(xch, domid, 1, &info) == 1 && info.domid == domid,
	      "xc_domain_getinfo");
	CHECK(info.nr_pages == 1024 && info.max_memkb == 4096 && info.paused && !info.running &&
	      info.hvm && info.hap && info.max_vcpu_id == 1, "getinfo fields");
	printf("ok: vCPU count, memory limit, population, cache flush, getinfo\n");
}

static void check_vcpus(xc_interface *xch, uint32_t domid)
{
	xc_cpumap_t hard = xc_cpumap_alloc(xch), soft = xc_cpumap_alloc(xch);
	int cpus = xc_get_max_cpus(xch);
	xc_vcpuinfo_t vi;

	CHECK(hard && soft && cpus > 0 && xc_get_cpumap_size(xch) == (cpus + 7) / 8, "cpumaps");
	xc_cpumap_setcpu(cpus - 1, hard);
	CHECK(xc_vcpu_setaffinity(xch, domid, 1, hard, NULL, XEN_VCPUAFFINITY_HARD) == 0,
	      "setaffinity");
	memset(hard, 0xff, (size_t)xc_get_cpumap_size(xch));
	CHECK(xc_vcpu_getaffinity(xch, domid, 1, hard, soft,
				  XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT) == 0, "getaffinity");
	for (int cpu = 0; cpu < cpus; cpu++)
		CHECK(xc_cpumap_testcpu(cpu, hard) == (cpu == cpus - 1) &&
		      xc_cpumap_testcpu(cpu, soft), "affinity of CPU %d", cpu);
	xc_cpumap_clearcpu(0, soft);
	CHECK(cpus == 1 || (xc_vcpu_setaffinity(xch, domid, 1, NULL, soft, XEN_VCPUAFFINITY_SOFT) ==
			   -1 && errno == EOPNOTSUPP), "a real soft affinity is refused");
	CHECK(xc_vcpu_getinfo(xch, domid, 1, &vi) == 0 && !vi.online && vi.vcpu == 1,
	      "vcpu_getinfo");
	CHECK(xc_vcpu_getinfo(xch, domid, 2, &vi) == -1 && errno == EINVAL, "vCPU 2 of 2");
	free(hard);
	free(soft);
	printf("ok: cpumaps, hard affinity, vCPU information\n");
}

static void check_shutdown(xc_interface *xch, uint32_t domid)
{
	xc_domaininfo_t info;

	CHECK(xc_domain_shutdown(xch, domid, SHUTDOWN_suspend) == -1 && errno == EINVAL,
	      "suspend is not a reason Cachet has");
	CHECK(xc_domain_shutdown(xch, domid, SHUTDOWN_reboot) == 0, "shutdown");
	CHECK(xc_domain_getinfolist(xch, domid, 1, &info) == 1, "getinfolist");
	CHECK((info.flags & XEN_DOMINF_shutdown) &&
	      ((info.flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask) ==
		      SHUTDOWN_reboot, "shut down with reason reboot (flags 0x%x)", info.flags);
	printf("ok: shutdown with a reason\n");
}

static void check_host(xc_interface *xch)
{
	char buf[256];
	unsigned int n = sizeof(buf) - 1;
	uint32_t index = 0;
	xen_capabilities_info_t caps;

	CHECK(xc_version(xch, XENVER_capabilities, &caps) == 0 && strstr(caps, "xen-3.0-aarch64"),
	      "capabilities");
	CHECK(xc_version(xch, XENVER_pagesize, NULL) == 4096, "page size");
	CHECK(xc_readconsolering(xch, buf, &n, 0, 1, &index) == 0 && n > 0 && index == n,
	      "readconsolering");
	buf[n] = '\0';
	CHECK(strstr(buf, "Cachet hypervisor") != NULL, "the ring holds the boot banner");
	printf("ok: version, console ring\n");
}

int main(void)
{
	xc_interface *xch = xc_interface_open(NULL, NULL, 0);
	uint32_t domid;

	if (!xch)
		return 2;
	domid = create(xch, 2);
	check_memory(xch, domid);
	check_vcpus(xch, domid);
	check_shutdown(xch, domid);
	check_host(xch);
	CHECK(xc_domain_destroy(xch, domid) == 0, "destroy");
	xc_interface_close(xch);
	printf("RESULT: PASS\n");
	return 0;
}
