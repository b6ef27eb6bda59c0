/*
 * Cachet's libxc compatibility layer: Xen 4.17's public arch-arm.h names
 * for the Arm guest memory map and domain configuration.  The values are
 * those of Cachet's guest map (cachet/public/guest_map.h), which follows
 * Xen's layout; devices Cachet does not emulate (GICv2, vPCI, the grant
 * table window) are not declared.
 */
#ifndef __XEN_PUBLIC_ARCH_ARM_H__
#define __XEN_PUBLIC_ARCH_ARM_H__

#include <stdint.h>

#define uint64_aligned_t uint64_t __attribute__((aligned(8)))

typedef uint64_t xen_pfn_t;
#define PRI_xen_pfn PRIx64
#define PRIu_xen_pfn PRIu64
typedef uint64_t xen_ulong_t;
#define PRI_xen_ulong PRIx64

#define XEN_DOMCTL_CONFIG_GIC_NATIVE 0
#define XEN_DOMCTL_CONFIG_GIC_V2 1
#define XEN_DOMCTL_CONFIG_GIC_V3 2

#define XEN_DOMCTL_CONFIG_TEE_NONE 0
#define XEN_DOMCTL_CONFIG_TEE_OPTEE 1

struct xen_arch_domainconfig {
	uint8_t gic_version;      /* IN/OUT: Cachet answers XEN_DOMCTL_CONFIG_GIC_V3 */
	uint16_t tee_type;        /* IN: only XEN_DOMCTL_CONFIG_TEE_NONE */
	uint32_t nr_spis;         /* IN */
	uint32_t clock_frequency; /* OUT: 0, the guest reads CNTFRQ_EL0 */
};

#define GUEST_GICV3_GICD_BASE 0x03001000ULL
#define GUEST_GICV3_GICD_SIZE 0x00010000ULL
#define GUEST_GICV3_RDIST_REGIONS 1
#define GUEST_GICV3_GICR0_BASE 0x03020000ULL
#define GUEST_GICV3_GICR0_SIZE 0x01000000ULL

#define GUEST_PL011_BASE 0x22000000ULL
#define GUEST_PL011_SIZE 0x00001000ULL
#define GUEST_VPL011_SPI 32

#define GUEST_RAM_BANKS 2
#define GUEST_RAM0_BASE 0x40000000ULL
#define GUEST_RAM0_SIZE 0xc0000000ULL
#define GUEST_RAM1_BASE 0x0200000000ULL
#define GUEST_RAM1_SIZE 0xfe00000000ULL
#define GUEST_RAM_BASE GUEST_RAM0_BASE
#define GUEST_RAM_MAX (GUEST_RAM0_SIZE + GUEST_RAM1_SIZE)
#define GUEST_RAM_BANK_BASES { GUEST_RAM0_BASE, GUEST_RAM1_BASE }
#define GUEST_RAM_BANK_SIZES { GUEST_RAM0_SIZE, GUEST_RAM1_SIZE }

#define GUEST_MAX_VCPUS 128

#define GUEST_TIMER_VIRT_PPI 27
#define GUEST_TIMER_PHYS_S_PPI 29
#define GUEST_TIMER_PHYS_NS_PPI 30

#endif
