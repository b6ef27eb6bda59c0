/*
 * vCPU calls: information and affinity.  Cachet has hard affinity only; a
 * soft affinity is accepted when it names every CPU (no preference, Xen's
 * default) and refused otherwise.
 */
#include <errno.h>
#include <string.h>

#include "xc_private.h"

static int xc_vcpus_get(xc_interface *xch, uint32_t domid, int vcpu,
			struct cachet_vcpu_info_out *out, const char *what)
{
	int rc;

	if (!xc_domid_ok(xch, domid, what))
		return -1;
	rc = cachet_vcpu_info(xch->h, domid, out);
	if (rc < 0)
		return xc_fail_lib(xch, rc, what);
	if (vcpu < 0 || (unsigned int)vcpu >= out->nr_vcpus)
		return xc_fail(xch, XC_INVALID_PARAM, EINVAL, "%s: domain %u has no vCPU %d", what,
			       domid, vcpu);
	return 0;
}

static uint64_t xc_cpumap_to_mask(xc_interface *xch, const uint8_t *map)
{
	uint64_t mask = 0;

	for (unsigned int cpu = 0; cpu < xch->nr_cpus && cpu < 64; cpu++)
		if ((map[cpu / 8] >> (cpu % 8)) & 1)
			mask |= UINT64_C(1) << cpu;
	return mask;
}

static void xc_mask_to_cpumap(xc_interface *xch, uint64_t mask, uint8_t *map)
{
	memset(map, 0, (size_t)xc_get_cpumap_size(xch));
	for (unsigned int cpu = 0; cpu < xch->nr_cpus && cpu < 64; cpu++)
		if (mask & (UINT64_C(1) << cpu))
			map[cpu / 8] |= (uint8_t)(1u << (cpu % 8));
}

static uint64_t xc_all_cpus(const xc_interface *xch)
{
	return xch->nr_cpus >= 64 ? UINT64_MAX : (UINT64_C(1) << xch->nr_cpus) - 1;
}

static int xc_soft_check(xc_interface *xch, const uint8_t *soft, uint32_t flags)
{
	if (!(flags & XEN_VCPUAFFINITY_SOFT))
		return 0;
	if (!soft || xc_cpumap_to_mask(xch, soft) != xc_all_cpus(xch))
		return xc_fail(xch, XC_INVALID_PARAM, EOPNOTSUPP, "xc_vcpu_setaffinity: Cachet "
			       "has no soft affinity (only one naming every CPU is accepted)");
	return 0;
}

int xc_vcpu_setaffinity(xc_interface *xch, uint32_t domid, int vcpu,
			xc_cpumap_t cpumap_hard_inout, xc_cpumap_t cpumap_soft_inout,
			uint32_t flags)
{
	struct cachet_vcpu_info_out info;
	int rc;

	if (flags & ~(XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT | XEN_VCPUAFFINITY_FORCE) ||
	    ((flags & XEN_VCPUAFFINITY_HARD) && !cpumap_hard_inout))
		return xc_fail(xch, XC_INVALID_PARAM, EINVAL, "xc_vcpu_setaffinity: bad flags "
			       "0x%x or NULL hard map", flags);
	if (xc_soft_check(xch, cpumap_soft_inout, flags) < 0 ||
	    xc_vcpus_get(xch, domid, vcpu, &info, "xc_vcpu_setaffinity") < 0)
		return -1;
	if (flags & XEN_VCPUAFFINITY_HARD) {
		rc = cachet_vcpu_set_affinity(xch->h, domid, (unsigned int)vcpu,
					      xc_cpumap_to_mask(xch, cpumap_hard_inout));
		if (rc < 0)
			return xc_fail_lib(xch, rc, "xc_vcpu_setaffinity");
		xc_mask_to_cpumap(xch, xc_cpumap_to_mask(xch, cpumap_hard_inout),
				  cpumap_hard_inout);
	}
	return 0;
}

int xc_vcpu_getaffinity(xc_interface *xch, uint32_t domid, int vcpu, xc_cpumap_t cpumap_hard,
			xc_cpumap_t cpumap_soft, uint32_t flags)
{
	struct cachet_vcpu_info_out info;

	if ((flags & XEN_VCPUAFFINITY_HARD && !cpumap_hard) ||
	    (flags & XEN_VCPUAFFINITY_SOFT && !cpumap_soft))
		return xc_fail(xch, XC_INVALID_PARAM, EINVAL, "xc_vcpu_getaffinity: NULL map");
	if (xc_vcpus_get(xch, domid, vcpu, &info, "xc_vcpu_getaffinity") < 0)
		return -1;
	if (flags & XEN_VCPUAFFINITY_HARD)
		xc_mask_to_cpumap(xch, info.vcpu[vcpu].affinity, cpumap_hard);
	if (flags & XEN_VCPUAFFINITY_SOFT)
		xc_mask_to_cpumap(xch, xc_all_cpus(xch), cpumap_soft);
	return 0;
}

int xc_vcpu_getinfo(xc_interface *xch, uint32_t domid, uint32_t vcpu, xc_vcpuinfo_t *info)
{
	struct cachet_vcpu_info_out all;
	const struct cachet_vcpu_info *v;

	if (!info)
		return xc_fail(xch, XC_INVALID_PARAM, EINVAL, "xc_vcpu_getinfo: NULL info");
	if (vcpu > INT32_MAX || xc_vcpus_get(xch, domid, (int)vcpu, &all, "xc_vcpu_getinfo") < 0)
		return -1;
	v = &all.vcpu[vcpu];
	memset(info, 0, sizeof(*info));
	info->vcpu = vcpu;
	info->online = v->state != CACHET_VCPU_STATE_OFFLINE;
	info->blocked = v->state == CACHET_VCPU_STATE_BLOCKED;
	info->running = v->state == CACHET_VCPU_STATE_RUNNABLE;
	info->cpu_time = v->cpu_time_ns;
	info->cpu = v->pcpu;
	return 0;
}
