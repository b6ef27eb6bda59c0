/*
 * The guest's device tree: generated from the domain's settings, or the
 * user's own with /chosen filled in.
 */
#ifndef LIBBUILD_DTB_H
#define LIBBUILD_DTB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "errors.h"

/* Generated trees start this small and double up to the maximum (as libxl). */
#define DTB_INITIAL_SIZE 4096u
#define DTB_GENERATED_MAX (1u << 20)
/* A user's tree, as given and once adapted: booting.rst's limit. */
#define DTB_USER_MAX (2u << 20)
#define DTB_MIN_VERSION 17u /* of a user's tree: what dtc writes */
/* The GIC's phandle: Xen's GUEST_PHANDLE_GIC, so trees look as Xen users know them. */
#define DTB_PHANDLE_GIC 65000u

struct dtb_params {
	unsigned int vcpus;
	const char *cmdline;           /* NULL: no bootargs */
	uint64_t initrd_start;         /* initrd_end == 0: no ramdisk */
	uint64_t initrd_end;
	uint64_t ram_base[2];          /* the RAM banks; a size of 0 is no bank */
	uint64_t ram_size[2];
	bool user_memory;              /* a user's tree gets memory@ nodes for the banks */
	unsigned int virtio_devices;   /* virtio-mmio windows 0..n-1 (generated trees) */
};

/*
 * The MPIDR affinity of vCPU @vcpu, as the cpu nodes' reg gives it: Aff0 =
 * vcpu % 16, Aff1 = vcpu / 16 (a GICv3 SGI reaches at most 16 CPUs of one
 * Aff1 cluster; Xen's vcpuid_to_vaffinity does the same).
 */
uint32_t dtb_vcpu_mpidr(unsigned int vcpu);

/* A user's tree as given: -CACHET_LIB_EIMAGE unless it is a sound FDT of at most 2 MiB. */
int dtb_check_user(const uint8_t *buf, size_t len, struct err_msg *m);
/* The generated tree, in the arena. */
int dtb_generate(const struct dtb_params *p, struct arena *a, uint8_t **out, size_t *out_len,
		 struct err_msg *m);
/*
 * The user's tree with /chosen bootargs and linux,initrd-start/-end set
 * when @p has a command line or a ramdisk (/chosen is created if missing),
 * and with user_memory, a memory@BASE node (reg) per RAM bank;
 * otherwise the tree itself, as is.
 */
int dtb_adapt_user(const uint8_t *user, size_t len, const struct dtb_params *p,
		   struct arena *a, const uint8_t **out, size_t *out_len, struct err_msg *m);

#endif
