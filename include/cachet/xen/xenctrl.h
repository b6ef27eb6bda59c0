/*
 * Cachet's libxc compatibility layer: the subset of Xen 4.17's xenctrl.h
 * (Arm flavour) that libcachet-xenctrl implements, with Xen's names, types
 * and prototypes, so that a libxc program compiles unchanged.  Only what
 * works is declared; see libcachet-xen(3) for what differs from Xen.
 *
 * Errors are reported as libxc does: -1 with errno set (EINVAL, ESRCH,
 * EPERM, ENOMEM, EBUSY, EOPNOTSUPP, ...), the last error kept per
 * interface (xc_get_last_error) and logged through the interface's logger.
 */
#ifndef XENCTRL_H
#define XENCTRL_H

#include <stddef.h>
#include <stdint.h>

#include <xen/domctl.h>
#include <xen/sched.h>
#include <xen/sysctl.h>
#include <xen/version.h>
#include <xen/xen.h>
#include <xentoollog.h>

#define XC_PAGE_SHIFT 12
#define XC_PAGE_SIZE (1UL << XC_PAGE_SHIFT)
#define XC_PAGE_MASK (~(XC_PAGE_SIZE - 1))

#define INVALID_MFN (~0UL)

typedef struct xc_interface_core xc_interface;

enum xc_error_code {
	XC_ERROR_NONE = 0,
	XC_INTERNAL_ERROR = 1,
	XC_INVALID_KERNEL = 2,
	XC_INVALID_PARAM = 3,
	XC_OUT_OF_MEMORY = 4,
};
typedef enum xc_error_code xc_error_code;

enum xc_open_flags {
	XC_OPENFLAG_DUMMY = 1 << 0,
	XC_OPENFLAG_NON_REENTRANT = 1 << 1,
};

/*
 * Connects to cachetd (its socket in $CACHET_STATE_DIR, else /var/lib/cachet
 * for root), which hands over the management channel.  @logger receives
 * errors (NULL: a stderr logger at XTL_PROGRESS); @dombuild_logger the
 * builder's messages (NULL: @logger).  NULL with errno set on failure.
 */
xc_interface *xc_interface_open(xentoollog_logger *logger, xentoollog_logger *dombuild_logger,
				unsigned open_flags);
int xc_interface_close(xc_interface *xch);

/* ---- cpumaps: one bit per physical CPU, CPU n in byte n / 8. */
typedef uint8_t *xc_cpumap_t;
int xc_get_max_cpus(xc_interface *xch);
int xc_get_online_cpus(xc_interface *xch);
int xc_get_cpumap_size(xc_interface *xch);
xc_cpumap_t xc_cpumap_alloc(xc_interface *xch);
void xc_cpumap_clearcpu(int cpu, xc_cpumap_t map);
void xc_cpumap_setcpu(int cpu, xc_cpumap_t map);
int xc_cpumap_testcpu(int cpu, xc_cpumap_t map);

/* ---- domains */
typedef struct xc_dominfo {
	uint32_t domid;
	uint32_t ssidref;
	unsigned int dying : 1, crashed : 1, shutdown : 1, paused : 1, blocked : 1, running : 1,
		hvm : 1, debugged : 1, xenstore : 1, hap : 1;
	unsigned int shutdown_reason;
	unsigned long nr_pages;
	unsigned long nr_outstanding_pages;
	unsigned long nr_shared_pages;
	unsigned long nr_paged_pages;
	unsigned long shared_info_frame;
	uint64_t cpu_time;
	unsigned long max_memkb;
	unsigned int nr_online_vcpus;
	unsigned int max_vcpu_id;
	xen_domain_handle_t handle;
	unsigned int cpupool;
	uint8_t gpaddr_bits;
	struct xen_arch_domainconfig arch_config;
} xc_dominfo_t;

typedef xen_domctl_getdomaininfo_t xc_domaininfo_t;
typedef struct xen_domctl_getvcpuinfo xc_vcpuinfo_t;
typedef struct xen_sysctl_physinfo xc_physinfo_t;

int xc_domain_create(xc_interface *xch, uint32_t *pdomid, struct xen_domctl_createdomain *config);
int xc_domain_max_vcpus(xc_interface *xch, uint32_t domid, unsigned int max);
int xc_domain_pause(xc_interface *xch, uint32_t domid);
int xc_domain_unpause(xc_interface *xch, uint32_t domid);
int xc_domain_destroy(xc_interface *xch, uint32_t domid);
int xc_domain_shutdown(xc_interface *xch, uint32_t domid, int reason);
int xc_vcpu_setaffinity(xc_interface *xch, uint32_t domid, int vcpu,
			xc_cpumap_t cpumap_hard_inout, xc_cpumap_t cpumap_soft_inout,
			uint32_t flags);
int xc_vcpu_getaffinity(xc_interface *xch, uint32_t domid, int vcpu, xc_cpumap_t cpumap_hard,
			xc_cpumap_t cpumap_soft, uint32_t flags);
int xc_domain_getinfo(xc_interface *xch, uint32_t first_domid, unsigned int max_doms,
		      xc_dominfo_t *info);
int xc_domain_getinfolist(xc_interface *xch, uint32_t first_domain, unsigned int max_domains,
			  xc_domaininfo_t *info);
int xc_vcpu_getinfo(xc_interface *xch, uint32_t domid, uint32_t vcpu, xc_vcpuinfo_t *info);
int xc_domain_setmaxmem(xc_interface *xch, uint32_t domid, uint64_t max_memkb);
int xc_domain_populate_physmap_exact(xc_interface *xch, uint32_t domid,
				     unsigned long nr_extents, unsigned int extent_order,
				     unsigned int mem_flags, xen_pfn_t *extent_start);
int xc_domain_cacheflush(xc_interface *xch, uint32_t domid, xen_pfn_t start_pfn,
			 xen_pfn_t nr_pfns);

/* ---- host */
int xc_readconsolering(xc_interface *xch, char *buffer, unsigned int *pnr_chars, int clear,
		       int incremental, uint32_t *pindex);
int xc_physinfo(xc_interface *xch, xc_physinfo_t *info);
int xc_version(xc_interface *xch, int cmd, void *arg);

/* ---- errors */
#define XC_MAX_ERROR_MSG_LEN 1024
typedef struct xc_error {
	enum xc_error_code code;
	char message[XC_MAX_ERROR_MSG_LEN];
} xc_error;

const char *xc_error_code_to_desc(int code);
const char *xc_strerror(xc_interface *xch, int errcode);
const xc_error *xc_get_last_error(xc_interface *handle);
void xc_clear_last_error(xc_interface *xch);

#include "xenctrl_compat.h"

#endif
