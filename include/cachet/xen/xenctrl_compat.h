/*
 * Cachet's libxc compatibility layer: Xen 4.17's deprecated foreign-mapping
 * calls, declared only under XC_WANT_COMPAT_MAP_FOREIGN_API as in Xen.
 */
#ifndef XENCTRL_COMPAT_H
#define XENCTRL_COMPAT_H

#ifndef XENCTRL_H
#error "include xenctrl.h, not xenctrl_compat.h"
#endif

#ifdef XC_WANT_COMPAT_MAP_FOREIGN_API
/* @mfn is a guest frame number on Arm (the domain is auto-translated). */
void *xc_map_foreign_range(xc_interface *xch, uint32_t dom, int size, int prot,
			   unsigned long mfn);
void *xc_map_foreign_pages(xc_interface *xch, uint32_t dom, int prot, const xen_pfn_t *arr,
			   int num);
void *xc_map_foreign_bulk(xc_interface *xch, uint32_t dom, int prot, const xen_pfn_t *arr,
			  int *err, unsigned int num);
#endif

#endif
