/*
 * setway: cleans and invalidates the whole data cache hierarchy by set/way
 * with the caches on, the way firmware and 32-bit Linux do before turning
 * caches off, then turns the MMU and caches off.
 *
 * Set/way operations cannot be virtualised faithfully, so the hypervisor
 * traps them (HCR_EL2.TSW), turns them into maintenance by VA, and re-arms
 * VM-register trapping to see the SCTLR_EL1 write that follows.  The guest
 * reports how many DC CISW it issued (SETWAY: ops=N) for comparison with
 * the hypervisor's trap counters, and checks that data it wrote with the
 * caches on is intact once they are off.
 */
#include <stdbool.h>
#include <stdint.h>

#include "arm64.h"
#include "console.h"
#include "guest.h"
#include "mmu.h"
#include "pattern.h"
#include "vmreg.h"

const char guest_name[] = "setway";

#define BUF_WORDS (64u * 1024u / 8u)
#define SEED UINT64_C(0x2545f4914f6cdd1d)

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

static uint64_t buf[BUF_WORDS] __attribute__((aligned(4096)));

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
static uint64_t setway_clean_inval_all(void)
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

int main(void)
{
	uint64_t ops;
	bool data_ok;
	bool regs_ok;

	mmu_build_tables();
	mmu_write_mair();
	mmu_write_tcr();
	mmu_write_ttbr0();
	mmu_sctlr_update(SCTLR_EL1_M | SCTLR_EL1_C | SCTLR_EL1_I, SCTLR_EL1_A | SCTLR_EL1_WXN);

	pattern_fill(buf, BUF_WORDS, SEED);
	ops = setway_clean_inval_all();
	mmu_sctlr_update(0, SCTLR_EL1_M | SCTLR_EL1_C);

	data_ok = pattern_check(buf, BUF_WORDS, SEED, "caches-off: written with caches on");
	regs_ok = vmreg_check_all();
	console_printf("SETWAY: ops=%llu\n", (unsigned long long)ops);
	vmreg_print_counts();
	if (ops == 0)
		guest_fail("CLIDR_EL1 describes no data cache to clean");
	if (!data_ok)
		guest_fail("data written with the caches on was lost when they went off");
	if (!regs_ok)
		guest_fail("a VM register does not hold what was written");
	guest_pass();
}
