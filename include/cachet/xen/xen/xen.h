/*
 * Cachet's libxc compatibility layer: the parts of Xen 4.17's public
 * xen/xen.h that the declared libxc calls use.  The Arm flavour is
 * presented whatever the host is.
 */
#ifndef __XEN_PUBLIC_XEN_H__
#define __XEN_PUBLIC_XEN_H__

#include <stdint.h>

#include "arch-arm.h"

typedef uint16_t domid_t;

/* Ids from here on are not ordinary domains. */
#define DOMID_FIRST_RESERVED 0x7FF0U
#define DOMID_SELF 0x7FF0U
#define DOMID_INVALID 0x7FF4U

typedef uint8_t xen_domain_handle_t[16];

#endif
