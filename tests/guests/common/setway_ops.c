/* Cache maintenance by set/way (see setway_ops.h). */
#include "setway_ops.h"

#include <stdbool.h>

#include "arm64.h"
#include "console.h"

/* CLIDR_EL1 and CCSIDR_EL1 fields (Arm ARM D19.2). */
#define CLIDR_CTYPE_BITS 3
#define CLIDR_CTYPE_MASK 0x7UL
#define CLIDR_CTYPE_DATA 2 /* 2 data, 3 separate I and D, 4 unified */
#define CLIDR_LOC_SHIFT 24
#define CLIDR_LOC_MASK 0x7UL
#define CCSIDR_LINESIZE_MASK 0x7UL
#define CCSIDR_ASSOC_SHIFT 3
#define CCSIDR_ASSOC_MASK 0x3ffUL
#define CCSIDR_NUMSETS_SHIFT 13
#define CCSIDR_NUMSETS_MASK 0x7fffUL
/* With FEAT_CCIDX, CCSIDR_EL1 is 64 bits wide with wider fields. */
#define CCSIDR_CCIDX_ASSOC_MASK 0x1fffffUL
#define CCSIDR_CCIDX_NUMSETS_SHIFT 32
#define CCSIDR_CCIDX_NUMSETS_MASK 0xffffffUL

/* DC CISW over every set and way of one cache level; returns the op count. */
static uint64_t setway_level(unsigned int level, bool ccidx)
{
	uint64_t ccsidr;
	uint64_t ways;
	uint64_t sets;
	unsigned int line_shift;
	unsigned int way_shift;
	uint64_t ops = 0;

	/* CSSELR_EL1 is not a VM register: TVM does not trap it. */
	write_sysreg(csselr_el1, (uint64_t)level << 1);
	isb();
	ccsidr = read_sysreg(ccsidr_el1);
	line_shift = (unsigned int)(ccsidr & CCSIDR_LINESIZE_MASK) + 4;
	if (ccidx) {
		ways = ((ccsidr >> CCSIDR_ASSOC_SHIFT) & CCSIDR_CCIDX_ASSOC_MASK) + 1;
		sets = ((ccsidr >> CCSIDR_CCIDX_NUMSETS_SHIFT) & CCSIDR_CCIDX_NUMSETS_MASK) + 1;
	} else {
		ways = ((ccsidr >> CCSIDR_ASSOC_SHIFT) & CCSIDR_ASSOC_MASK) + 1;
		sets = ((ccsidr >> CCSIDR_NUMSETS_SHIFT) & CCSIDR_NUMSETS_MASK) + 1;
	}
	/* The way number sits in the top bits of the operand (Arm ARM D7.4). */
	way_shift = ways > 1 ? (unsigned int)__builtin_clz((uint32_t)(ways - 1)) : 0;
	console_printf("setway: L%u data cache: %llu sets x %llu ways, %u-byte lines\n", level + 1,
		       (unsigned long long)sets, (unsigned long long)ways, 1u << line_shift);

	for (uint64_t way = 0; way < ways; way++) {
		for (uint64_t set = 0; set < sets; set++) {
			uint64_t sw = (way << way_shift) | (set << line_shift) |
				      ((uint64_t)level << 1);

			__asm__ volatile("dc cisw, %0" : : "r"(sw) : "memory");
			ops++;
		}
	}
	return ops;
}

/* DC CISW over every data or unified cache up to the Level of Coherence. */
uint64_t setway_clean_inval_all(void)
{
	uint64_t clidr = read_sysreg(clidr_el1);
	unsigned int loc = (unsigned int)((clidr >> CLIDR_LOC_SHIFT) & CLIDR_LOC_MASK);
	bool ccidx = ((read_sysreg(ID_AA64MMFR2_EL1_ENC) >> ID_AA64MMFR2_CCIDX_SHIFT) &
		      ID_AA64MMFR2_CCIDX_MASK) != 0;
	uint64_t ops = 0;

	console_printf("setway: CLIDR_EL1=0x%llx, %u level(s) to the PoC\n",
		       (unsigned long long)clidr, loc);
	dsb(sy);
	for (unsigned int level = 0; level < loc; level++) {
		uint64_t ctype = (clidr >> (CLIDR_CTYPE_BITS * level)) & CLIDR_CTYPE_MASK;

		if (ctype >= CLIDR_CTYPE_DATA)
			ops += setway_level(level, ccidx);
	}
	dsb(sy);
	isb();
	return ops;
}

