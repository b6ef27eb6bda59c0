/*
 * Basic types shared by every hypervisor module.
 *
 * Machine addresses get their own one-field struct so that the compiler
 * rejects mixing them with guest-physical addresses or pointers.
 */
#ifndef HV_TYPES_H
#define HV_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (UINT64_C(1) << PAGE_SHIFT)
#define PAGE_MASK (PAGE_SIZE - 1)

#define KIB(x) ((uint64_t)(x) << 10)
#define MIB(x) ((uint64_t)(x) << 20)
#define GIB(x) ((uint64_t)(x) << 30)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((uint64_t)(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((uint64_t)(a) - 1)) == 0)
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

/* A machine (host-physical) address. */
typedef struct {
	uint64_t ma;
} maddr_t;

static inline maddr_t ma_init(uint64_t a)
{
	return (maddr_t){ .ma = a };
}

static inline uint64_t ma_val(maddr_t a)
{
	return a.ma;
}

static inline maddr_t ma_add(maddr_t a, uint64_t off)
{
	return ma_init(a.ma + off);
}

#endif
