/* Field helpers shared by every register and descriptor header. */
#ifndef ARCH_BITS_H
#define ARCH_BITS_H

#ifdef __ASSEMBLER__
#define BIT(n) (1 << (n))
#define GENMASK(hi, lo) (((1 << ((hi) - (lo) + 1)) - 1) << (lo))
#else
#include <stdint.h>
#define BIT(n) (UINT64_C(1) << (n))
/* Bits hi..lo set, as a 64-bit mask. */
#define GENMASK(hi, lo) ((~UINT64_C(0) >> (63 - (hi))) & (~UINT64_C(0) << (lo)))
/* Value of the field NAME (NAME_SHIFT, NAME_MASK) in v, and v's field set to x. */
#define FIELD_GET(name, v) (((uint64_t)(v) & name##_MASK) >> name##_SHIFT)
#define FIELD_PREP(name, x) (((uint64_t)(x) << name##_SHIFT) & name##_MASK)
#endif

#endif
