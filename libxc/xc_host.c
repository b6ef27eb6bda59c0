/*
 * The interface handle and the host-wide calls: open/close, xc_version,
 * xc_physinfo, xc_readconsolering (the hypervisor's log, as `xl dmesg`
 * reads it) and the cpumap helpers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xc_private.h"

static int xc_open_logger(xc_interface *xch, xentoollog_logger *logger,
			  xentoollog_logger *dombuild_logger)
{
	if (!logger) {
		xch->own_logger = (xentoollog_logger *)xtl_createlogger_stdiostream(stderr,
										   XTL_PROGRESS, 0);
		if (!xch->own_logger)
			return -1;
		logger = xch->own_logger;
	}
	xch->logger = logger;
	xch->dombuild_logger = dombuild_logger ? dombuild_logger : logger;
	return 0;
}

static int xc_open_physinfo(xc_interface *xch)
{
	struct cachet_physinfo_out pi;
	int rc = cachet_physinfo(xch->h, &pi);

	if (rc < 0)
		return xc_fail_lib(xch, rc, "xc_interface_open");
	xch->nr_cpus = pi.nr_cpus ? pi.nr_cpus : 1;
	return 0;
}

xc_interface *xc_interface_open(xentoollog_logger *logger, xentoollog_logger *dombuild_logger,
				unsigned open_flags)
{
	xc_interface *xch = calloc(1, sizeof(*xch));
	int err;

	if (!xch)
		return NULL;
	xch->sock = xch->doorbell = -1;
	pthread_mutex_init(&xch->err_lock, NULL);
	if (xc_open_logger(xch, logger, dombuild_logger) < 0) {
		free(xch);
		errno = ENOMEM;
		return NULL;
	}
	/* A dummy interface only carries the loggers, as in Xen. */
	if ((open_flags & XC_OPENFLAG_DUMMY) ||
	    (xc_channel_open(xch) == 0 && xc_open_physinfo(xch) == 0))
		return xch;
	err = errno;
	xc_interface_close(xch);
	errno = err;
	return NULL;
}

int xc_interface_close(xc_interface *xch)
{
	if (!xch)
		return 0;
	xc_channel_close(xch);
	xtl_logger_destroy(xch->own_logger);
	pthread_mutex_destroy(&xch->err_lock);
	free(xch);
	return 0;
}

/* "major.minor" of the hypervisor's version string; the rest is the extraversion. */
static int xc_version_number(const char *s, const char **rest)
{
	char *end;
	long major = strtol(s, &end, 10), minor = 0;

	if (*end == '.')
		minor = strtol(end + 1, &end, 10);
	*rest = end;
	return (int)((major & 0xffff) << 16 | (minor & 0xffff));
}

int xc_version(xc_interface *xch, int cmd, void *arg)
{
	struct cachet_version_out v;
	const char *rest;
	int rc = cachet_version(xch->h, &v), number;

	if (rc < 0)
		return xc_fail_lib(xch, rc, "xc_version");
	v.hv_version[sizeof(v.hv_version) - 1] = '\0';
	number = xc_version_number(v.hv_version, &rest);
	switch (cmd) {
	case XENVER_version:
		return number;
	case XENVER_extraversion:
		snprintf(arg, sizeof(xen_extraversion_t), "%s", rest);
		return 0;
	case XENVER_capabilities:
		snprintf(arg, sizeof(xen_capabilities_info_t), "xen-3.0-aarch64%s",
			 (v.features & CACHET_FEAT_AARCH32) ? " xen-3.0-armv7l" : "");
		return 0;
	case XENVER_pagesize:
		return (int)XC_PAGE_SIZE;
	}
	return xc_fail(xch, XC_INVALID_PARAM, ENOSYS, "xc_version: command %d is not "
		       "supported by Cachet", cmd);
}

int xc_physinfo(xc_interface *xch, xc_physinfo_t *info)
{
	struct cachet_physinfo_out pi;
	int rc = cachet_physinfo(xch->h, &pi);

	if (rc < 0)
		return xc_fail_lib(xch, rc, "xc_physinfo");
	memset(info, 0, sizeof(*info));
	info->threads_per_core = 1;
	info->cores_per_socket = pi.nr_cpus;
	info->nr_cpus = pi.nr_cpus;
	info->max_cpu_id = pi.nr_cpus ? pi.nr_cpus - 1 : 0;
	info->nr_nodes = 1;
	/* As Xen on Arm: the generic timer's frequency stands in for the CPU's. */
	info->cpu_khz = (uint32_t)(pi.counter_hz / 1000);
	info->capabilities = XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap;
	info->total_pages = pi.total_pages;
	info->free_pages = pi.free_pages;
	return 0;
}

/* Reads the log from *pos into buffer until it is full or the log ends. */
static int xc_console_fill(xc_interface *xch, char *buffer, unsigned int size, uint64_t *pos,
			   unsigned int *got)
{
	*got = 0;
	while (*got < size) {
		int n = cachet_log_read(xch->h, pos, buffer + *got, size - *got, NULL);

		if (n < 0)
			return xc_fail_lib(xch, n, "xc_readconsolering");
		if (n == 0)
			break;
		*got += (unsigned int)n;
	}
	return 0;
}

/*
 * incremental: from *pindex on, else from the oldest byte kept (or, after
 * a clearing read on this interface, from where that read ended: the
 * hypervisor's ring itself is never cleared).
 */
int xc_readconsolering(xc_interface *xch, char *buffer, unsigned int *pnr_chars, int clear,
		       int incremental, uint32_t *pindex)
{
	uint64_t pos;
	unsigned int got;

	if (!buffer || !pnr_chars || (incremental && !pindex))
		return xc_fail(xch, XC_INVALID_PARAM, EINVAL, "xc_readconsolering: NULL argument");
	pos = incremental ? *pindex : xch->console_cleared;
	if (xc_console_fill(xch, buffer, *pnr_chars, &pos, &got) < 0)
		return -1;
	*pnr_chars = got;
	if (pindex)
		*pindex = (uint32_t)pos;
	if (clear)
		xch->console_cleared = pos;
	return 0;
}

int xc_get_max_cpus(xc_interface *xch)
{
	return (int)xch->nr_cpus;
}

int xc_get_online_cpus(xc_interface *xch)
{
	return (int)xch->nr_cpus;
}

int xc_get_cpumap_size(xc_interface *xch)
{
	return (int)(xch->nr_cpus + 7) / 8;
}

xc_cpumap_t xc_cpumap_alloc(xc_interface *xch)
{
	int size = xc_get_cpumap_size(xch);

	return size > 0 ? calloc(1, (size_t)size) : NULL;
}

void xc_cpumap_clearcpu(int cpu, xc_cpumap_t map)
{
	map[cpu / 8] &= (uint8_t)~(1u << (cpu % 8));
}

void xc_cpumap_setcpu(int cpu, xc_cpumap_t map)
{
	map[cpu / 8] |= (uint8_t)(1u << (cpu % 8));
}

int xc_cpumap_testcpu(int cpu, xc_cpumap_t map)
{
	return (map[cpu / 8] >> (cpu % 8)) & 1;
}
