/*
 * Domain control: each call checks what libxc callers may pass, makes its
 * libcachet call and turns the answer into Xen's structures.  On Arm Xen
 * requires HVM with HAP; Cachet offers exactly that (stage-2 translation)
 * and refuses what it cannot honour instead of ignoring it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cachet/public/guest_map.h"
#include "xc_private.h"

/* Cachet's vGIC has SPIs 32..63 (INTID 32 is the UART's). */
#define XC_NR_SPIS_MAX 32u
#define XC_POPULATE_ORDER_MAX 9u /* libcachet's largest block: 2 MiB */
#define XC_GPADDR_BITS 40        /* the guest map's top: RAM bank 1 ends at 1 TiB */

static const uint32_t xc_cdf_unsupported = XEN_DOMCTL_CDF_s3_integrity |
	XEN_DOMCTL_CDF_oos_off | XEN_DOMCTL_CDF_xs_domain | XEN_DOMCTL_CDF_iommu |
	XEN_DOMCTL_CDF_nested_virt | XEN_DOMCTL_CDF_vpmu;

static int xc_create_check_flags(xc_interface *xch, const struct xen_domctl_createdomain *c)
{
	const uint32_t required = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;

	if (c->flags & ~(XEN_DOMCTL_CDF_MAX | (XEN_DOMCTL_CDF_MAX - 1)))
		return xc_fail(xch, XC_INVALID_PARAM, EINVAL, "xc_domain_create: unknown flags "
			       "0x%x", c->flags);
	if ((c->flags & required) != required)
		return xc_fail(xch, XC_INVALID_PARAM, EINVAL, "xc_domain_create: Arm domains "
			       "must be XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap");
	if (c->flags & xc_cdf_unsupported)
		return xc_fail(xch, XC_INVALID_PARAM, EOPNOTSUPP, "xc_domain_create: flags 0x%x "
			       "are not supported by Cachet", c->flags & xc_cdf_unsupported);
	if (c->iommu_opts || c->vmtrace_size || c->cpupool_id)
		return xc_fail(xch, XC_INVALID_PARAM, EOPNOTSUPP, "xc_domain_create: IOMMU "
			       "options, vmtrace and CPU pools are not supported by Cachet");
	return 0;
}

static int xc_create_check_arch(xc_interface *xch, const struct xen_arch_domainconfig *a)
{
	if (a->gic_version == XEN_DOMCTL_CONFIG_GIC_V2)
		return xc_fail(xch, XC_INVALID_PARAM, EOPNOTSUPP, "xc_domain_create: Cachet "
			       "emulates GICv3 only (gic_version V2 asked)");
	if (a->gic_version != XEN_DOMCTL_CONFIG_GIC_NATIVE &&
	    a->gic_version != XEN_DOMCTL_CONFIG_GIC_V3)
		return xc_fail(xch, XC_INVALID_PARAM, EINVAL, "xc_domain_create: unknown "
			       "gic_version %u", a->gic_version);
	if (a->tee_type != XEN_DOMCTL_CONFIG_TEE_NONE)
		return xc_fail(xch, XC_INVALID_PARAM, EOPNOTSUPP, "xc_domain_create: no TEE "
			       "mediator in Cachet (tee_type %u)", a->tee_type);
	if (a->nr_spis > XC_NR_SPIS_MAX)
		return xc_fail(xch, XC_INVALID_PARAM, EINVAL, "xc_domain_create: nr_spis %u "
			       "above Cachet's %u", a->nr_spis, XC_NR_SPIS_MAX);
	return 0;
}

static int xc_create_check(xc_interface *xch, uint32_t *pdomid,
			   const struct xen_domctl_createdomain *c)
{
	if (!pdomid || !c)
		return xc_fail(xch, XC_INVALID_PARAM, EINVAL, "xc_domain_create: NULL argument");
	/* 0 and the reserved ids ask for any free id; Cachet always chooses. */
	if (*pdomid != 0 && *pdomid < DOMID_FIRST_RESERVED)
		return xc_fail(xch, XC_INVALID_PARAM, EOPNOTSUPP, "xc_domain_create: Cachet "
			       "chooses domain ids (%u asked)", *pdomid);
	if (c->max_vcpus == 0 || c->max_vcpus > CACHET_GUEST_MAX_VCPUS)
		return xc_fail(xch, XC_INVALID_PARAM, EINVAL, "xc_domain_create: max_vcpus %u "
			       "is not 1..%u", c->max_vcpus, CACHET_GUEST_MAX_VCPUS);
	if (xc_create_check_flags(xch, c) < 0)
		return -1;
	return xc_create_check_arch(xch, &c->arch);
}

/* Until xc_domain_setmaxmem, as in Xen, the domain may take what the machine has. */
int xc_domain_create(xc_interface *xch, uint32_t *pdomid, struct xen_domctl_createdomain *config)
{
	struct cachet_domain_create_in in;
	struct cachet_physinfo_out pi;
	cachet_domid_t domid;
	int rc;

	if (xc_create_check(xch, pdomid, config) < 0)
		return -1;
	rc = cachet_physinfo(xch->h, &pi);
	if (rc < 0)
		return xc_fail_lib(xch, rc, "xc_domain_create");
	memset(&in, 0, sizeof(in));
	in.max_vcpus = config->max_vcpus;
	in.max_pages = pi.total_pages;
	in.cache_policy = CACHET_CACHE_DC_TVM;
	rc = cachet_domain_create(xch->h, &in, &domid);
	if (rc < 0)
		return xc_fail_lib(xch, rc, "xc_domain_create");
	config->arch.gic_version = XEN_DOMCTL_CONFIG_GIC_V3;
	config->arch.clock_frequency = 0;
	*pdomid = domid;
	return 0;
}

static int xc_dominfo_get(xc_interface *xch, uint32_t domid, struct cachet_dominfo *info,
			  const char *what)
{
	if (!xc_domid_ok(xch, domid, what))
		return -1;
	return xc_result(xch, cachet_domain_getinfo(xch->h, domid, info), what);
}

/* The vCPU count is fixed at creation; Xen also refuses any other value. */
int xc_domain_max_vcpus(xc_interface *xch, uint32_t domid, unsigned int max)
{
	struct cachet_dominfo info;

	if (xc_dominfo_get(xch, domid, &info, "xc_domain_max_vcpus") < 0)
		return -1;
	if (max != info.max_vcpus)
		return xc_fail(xch, XC_INVALID_PARAM, EINVAL, "xc_domain_max_vcpus: domain %u "
			       "was created with %u vCPUs, not %u", domid, info.max_vcpus, max);
	return 0;
}

int xc_domain_setmaxmem(xc_interface *xch, uint32_t domid, uint64_t max_memkb)
{
	uint64_t pages = (max_memkb + 3) / 4;

	if (!xc_domid_ok(xch, domid, "xc_domain_setmaxmem"))
		return -1;
	return xc_result(xch, cachet_domain_set_max_pages(xch->h, domid, pages ? pages : 1),
			 "xc_domain_setmaxmem");
}

/* Runs of adjacent extents become one request, split into 2 MiB blocks at most. */
int xc_domain_populate_physmap_exact(xc_interface *xch, uint32_t domid,
				     unsigned long nr_extents, unsigned int extent_order,
				     unsigned int mem_flags, xen_pfn_t *extent_start)
{
	uint64_t per = 0;
	unsigned long i = 0;

	if (!xc_domid_ok(xch, domid, "xc_domain_populate_physmap_exact"))
		return -1;
	if (extent_order > 30 || (nr_extents && !extent_start))
		return xc_fail(xch, XC_INVALID_PARAM, EINVAL, "xc_domain_populate_physmap_exact: "
			       "bad extent order %u or NULL extent list", extent_order);
	if (mem_flags)
		return xc_fail(xch, XC_INVALID_PARAM, EOPNOTSUPP, "xc_domain_populate_physmap_"
			       "exact: memory flags 0x%x are not supported", mem_flags);
	per = UINT64_C(1) << extent_order;
	while (i < nr_extents) {
		unsigned long run = 1;
		int rc;

		while (i + run < nr_extents && extent_start[i + run] == extent_start[i] + run * per)
			run++;
		rc = cachet_populate(xch->h, domid, extent_start[i], run * per,
				     extent_order < XC_POPULATE_ORDER_MAX ? extent_order
									   : XC_POPULATE_ORDER_MAX);
		if (rc < 0)
			return xc_fail_lib(xch, rc, "xc_domain_populate_physmap_exact");
		i += run;
	}
	return 0;
}

int xc_domain_cacheflush(xc_interface *xch, uint32_t domid, xen_pfn_t start_pfn,
			 xen_pfn_t nr_pfns)
{
	if (!xc_domid_ok(xch, domid, "xc_domain_cacheflush"))
		return -1;
	return xc_result(xch, cachet_cache_flush(xch->h, domid, start_pfn, nr_pfns),
			 "xc_domain_cacheflush");
}

int xc_domain_pause(xc_interface *xch, uint32_t domid)
{
	if (!xc_domid_ok(xch, domid, "xc_domain_pause"))
		return -1;
	return xc_result(xch, cachet_domain_pause(xch->h, domid), "xc_domain_pause");
}

int xc_domain_unpause(xc_interface *xch, uint32_t domid)
{
	if (!xc_domid_ok(xch, domid, "xc_domain_unpause"))
		return -1;
	return xc_result(xch, cachet_domain_unpause(xch->h, domid), "xc_domain_unpause");
}

int xc_domain_destroy(xc_interface *xch, uint32_t domid)
{
	if (!xc_domid_ok(xch, domid, "xc_domain_destroy"))
		return -1;
	return xc_result(xch, cachet_domain_destroy(xch->h, domid), "xc_domain_destroy");
}

/* Xen's SHUTDOWN_* and Cachet's reasons, side by side. */
static const struct {
	int xen;
	uint32_t cachet;
} xc_reasons[] = {
	{ SHUTDOWN_poweroff, CACHET_SHUTDOWN_POWEROFF },
	{ SHUTDOWN_reboot, CACHET_SHUTDOWN_REBOOT },
	{ SHUTDOWN_crash, CACHET_SHUTDOWN_CRASH },
};

int xc_domain_shutdown(xc_interface *xch, uint32_t domid, int reason)
{
	if (!xc_domid_ok(xch, domid, "xc_domain_shutdown"))
		return -1;
	for (size_t i = 0; i < sizeof(xc_reasons) / sizeof(xc_reasons[0]); i++)
		if (xc_reasons[i].xen == reason)
			return xc_result(xch, cachet_domain_shutdown(xch->h, domid,
								     xc_reasons[i].cachet),
					 "xc_domain_shutdown");
	return xc_fail(xch, XC_INVALID_PARAM, EINVAL, "xc_domain_shutdown: reason %d is not "
		       "poweroff, reboot or crash (the only ones Cachet has)", reason);
}

static uint32_t xc_reason_to_xen(uint32_t cachet)
{
	for (size_t i = 0; i < sizeof(xc_reasons) / sizeof(xc_reasons[0]); i++)
		if (xc_reasons[i].cachet == cachet)
			return (uint32_t)xc_reasons[i].xen;
	return SHUTDOWN_poweroff;
}

static uint32_t xc_dominf_flags(const struct cachet_dominfo *in)
{
	uint32_t f = XEN_DOMINF_hvm_guest | XEN_DOMINF_hap;

	switch (in->state) {
	case CACHET_DOM_PAUSED:
		return f | XEN_DOMINF_paused;
	case CACHET_DOM_RUNNING:
		return f | XEN_DOMINF_running;
	case CACHET_DOM_SHUTDOWN:
		return f | XEN_DOMINF_shutdown |
		       xc_reason_to_xen(in->shutdown_reason) << XEN_DOMINF_shutdownshift;
	case CACHET_DOM_CRASHED:
		return f | XEN_DOMINF_shutdown |
		       (uint32_t)SHUTDOWN_crash << XEN_DOMINF_shutdownshift;
	}
	return f;
}

static void xc_domaininfo_from(const struct cachet_dominfo *in, xc_domaininfo_t *out)
{
	memset(out, 0, sizeof(*out));
	out->domain = (domid_t)in->domid;
	out->flags = xc_dominf_flags(in);
	out->tot_pages = in->tot_pages;
	out->max_pages = in->max_pages;
	out->cpu_time = in->cpu_time_ns;
	out->nr_online_vcpus = in->online_vcpus;
	out->max_vcpu_id = in->max_vcpus ? in->max_vcpus - 1 : XEN_INVALID_MAX_VCPU_ID;
	out->gpaddr_bits = XC_GPADDR_BITS;
	out->arch_config.gic_version = XEN_DOMCTL_CONFIG_GIC_V3;
	out->arch_config.nr_spis = XC_NR_SPIS_MAX;
}

int xc_domain_getinfolist(xc_interface *xch, uint32_t first_domain, unsigned int max_domains,
			  xc_domaininfo_t *info)
{
	struct cachet_dominfo batch[CACHET_LIST_MAX];
	unsigned int got = 0;

	if (max_domains && !info)
		return xc_fail(xch, XC_INVALID_PARAM, EINVAL, "xc_domain_getinfolist: NULL info");
	while (got < max_domains) {
		unsigned int want = max_domains - got < CACHET_LIST_MAX ? max_domains - got
									: CACHET_LIST_MAX;
		int n = cachet_domain_list(xch->h, first_domain, batch, want);

		if (n < 0)
			return xc_fail_lib(xch, n, "xc_domain_getinfolist");
		for (int i = 0; i < n; i++)
			xc_domaininfo_from(&batch[i], &info[got++]);
		if ((unsigned int)n < want)
			break;
		first_domain = batch[n - 1].domid + 1;
	}
	return (int)got;
}

static void xc_dominfo_from(const xc_domaininfo_t *in, xc_dominfo_t *out)
{
	unsigned int reason = (in->flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask;

	memset(out, 0, sizeof(*out));
	out->domid = in->domain;
	out->shutdown = !!(in->flags & XEN_DOMINF_shutdown);
	out->crashed = out->shutdown && reason == SHUTDOWN_crash;
	out->paused = !!(in->flags & XEN_DOMINF_paused);
	out->running = !!(in->flags & XEN_DOMINF_running);
	out->hvm = 1;
	out->hap = 1;
	out->shutdown_reason = out->shutdown ? reason : 0;
	out->nr_pages = (unsigned long)in->tot_pages;
	out->cpu_time = in->cpu_time;
	out->max_memkb = (unsigned long)(in->max_pages * (XC_PAGE_SIZE / 1024));
	out->nr_online_vcpus = in->nr_online_vcpus;
	out->max_vcpu_id = in->max_vcpu_id;
	out->gpaddr_bits = in->gpaddr_bits;
	out->arch_config = in->arch_config;
}

int xc_domain_getinfo(xc_interface *xch, uint32_t first_domid, unsigned int max_doms,
		      xc_dominfo_t *info)
{
	xc_domaininfo_t *list;
	int n;

	if (max_doms == 0)
		return 0;
	if (!info)
		return xc_fail(xch, XC_INVALID_PARAM, EINVAL, "xc_domain_getinfo: NULL info");
	list = calloc(max_doms, sizeof(*list));
	if (!list)
		return xc_fail(xch, XC_OUT_OF_MEMORY, ENOMEM, "xc_domain_getinfo: out of memory");
	n = xc_domain_getinfolist(xch, first_domid, max_doms, list);
	for (int i = 0; i < n; i++)
		xc_dominfo_from(&list[i], &info[i]);
	free(list);
	return n;
}
