/* Build-time limits of the hypervisor. */
#ifndef HV_CONFIG_H
#define HV_CONFIG_H

#include "cachet/public/abi.h"

#define CONFIG_MAX_CPUS 8
#define CONFIG_STACK_SIZE (16 * 1024)
/* Hypervisor stage-1 virtual address size (identity map of RAM and devices). */
#define CONFIG_HYP_VA_BITS 39
/* Timer tick per CPU. */
#define CONFIG_TICK_HZ 100
/* Domains and their vCPUs. */
#define CONFIG_MAX_DOMAINS 128
#define CONFIG_MAX_VCPUS CACHET_MAX_VCPUS /* the ABI's limit */
#define CONFIG_MAX_MMIO 8
/* Guest physical address space (stage-2 input size). */
#define CONFIG_GUEST_IPA_BITS 39

#endif
