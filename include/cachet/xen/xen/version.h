/* Cachet's libxc compatibility layer: the xc_version() commands Cachet answers. */
#ifndef __XEN_PUBLIC_VERSION_H__
#define __XEN_PUBLIC_VERSION_H__

/* Returns (major << 16) | minor. */
#define XENVER_version 0
/* arg: xen_extraversion_t */
#define XENVER_extraversion 1
typedef char xen_extraversion_t[16];
/* arg: xen_capabilities_info_t */
#define XENVER_capabilities 3
typedef char xen_capabilities_info_t[1024];
/* Returns the page size. */
#define XENVER_pagesize 7

#endif
