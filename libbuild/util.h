/*
 * Small definitions shared by the library's modules.
 */
#ifndef LIBBUILD_UTIL_H
#define LIBBUILD_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "cachet/public/guest_map.h"

/* The ABI counts memory in 4 KiB pages whatever the host's page size. */
#define LIB_PAGE_SHIFT 12
#define LIB_PAGE_SIZE (UINT64_C(1) << LIB_PAGE_SHIFT)
#define LIB_2M (UINT64_C(1) << 21)
#define LIB_MiB (UINT64_C(1) << 20)
#define LIB_GiB (UINT64_C(1) << 30)

#define LIB_MIN(a, b) ((a) < (b) ? (a) : (b))
#define LIB_MAX(a, b) ((a) > (b) ? (a) : (b))
#define LIB_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static inline uint64_t lib_align_down(uint64_t v, uint64_t align)
{
	return v & ~(align - 1);
}

/* @align is a power of two; the caller knows v + align - 1 does not overflow. */
static inline uint64_t lib_align_up(uint64_t v, uint64_t align)
{
	return (v + align - 1) & ~(align - 1);
}

static inline uint32_t lib_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t lib_le64(const uint8_t *p)
{
	return (uint64_t)lib_le32(p) | (uint64_t)lib_le32(p + 4) << 32;
}

static inline uint32_t lib_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* True if [gfn, gfn + nr) is non-empty and lies inside one guest RAM bank. */
static inline bool lib_gfn_range_in_ram(uint64_t gfn, uint64_t nr)
{
	static const uint64_t bank[2][2] = {
		{ CACHET_GUEST_RAM0_BASE, CACHET_GUEST_RAM0_SIZE },
		{ CACHET_GUEST_RAM1_BASE, CACHET_GUEST_RAM1_SIZE },
	};

	if (nr == 0)
		return false;
	for (unsigned int i = 0; i < 2; i++) {
		uint64_t first = bank[i][0] >> LIB_PAGE_SHIFT;
		uint64_t count = bank[i][1] >> LIB_PAGE_SHIFT;

		if (gfn >= first && gfn - first < count && nr <= count - (gfn - first))
			return true;
	}
	return false;
}

#endif
