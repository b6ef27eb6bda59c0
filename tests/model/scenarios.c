/*
 * The seed scenarios, as scripts.  Lines 0-3 hold the kernel the builder
 * writes, 4-11 the boot vCPU's data, 12-15 the other vCPU's.  Every guest
 * script is correct on bare metal, where nothing else fills the guest's
 * lines into a cache behind its back.
 */
#include <stddef.h>

#include "sim.h"

#define ST(l, v) { .kind = OP_STORE, .line = (l), .val = (v) }
#define LD(l) { .kind = OP_LOAD, .line = (l) }
#define SCTLR(mm, cc) { .kind = OP_SCTLR, .m = (mm), .c = (cc) }
#define SETWAY { .kind = OP_SETWAY }
#define SIGNAL(e) { .kind = OP_SIGNAL, .val = (e) }
#define WAIT(e) { .kind = OP_WAIT, .val = (e) }
#define END { .kind = OP_END }

enum { EV_BUILT };

/* The builder writes the kernel through its cacheable mapping, asks for a clean, unpauses. */
static const struct op builder[] = {
	ST(0, 0xb0), ST(1, 0xb1), ST(2, 0xb2), ST(3, 0xb3),
	{ .kind = OP_FLUSH, .line = 0, .val = 4 }, SIGNAL(EV_BUILT), END,
};

/* A VMM that writes the kernel and asks for no clean at all (KVM's VMMs). */
static const struct op builder_no_clean[] = {
	ST(0, 0xb0), ST(1, 0xb1), ST(2, 0xb2), ST(3, 0xb3), SIGNAL(EV_BUILT), END,
};

/* Linux: reads the kernel and writes with the MMU off, then M and C together. */
static const struct op boot_mmu_off[] = {
	WAIT(EV_BUILT), SCTLR(0, 0), LD(0), LD(1), LD(2), LD(3), ST(4, 0x40), ST(5, 0x50), LD(4),
	SCTLR(1, 1), LD(0), LD(4), LD(5), ST(6, 0x60), LD(6), END,
};

/* FreeBSD (seed 000): M first, data written before and between, C later. */
static const struct op m_before_c[] = {
	WAIT(EV_BUILT), LD(0), LD(1), ST(4, 0x41), ST(5, 0x51), SCTLR(1, 0), LD(4), LD(5), LD(2),
	ST(6, 0x61), SCTLR(1, 1), LD(6), LD(4), LD(3), END,
};

/* Caches on, data written, set/way clean (Linux arm32), caches off, written, on again. */
static const struct op off_then_on[] = {
	WAIT(EV_BUILT), SCTLR(1, 1), LD(0), LD(3), ST(4, 0x42), ST(5, 0x52), ST(6, 0x62),
	ST(7, 0x72), SETWAY, SCTLR(0, 0), LD(4), LD(5), LD(6), LD(7), ST(8, 0x82), ST(9, 0x92),
	SCTLR(1, 1), LD(8), LD(9), LD(4), END,
};

/* Another vCPU of the domain keeps running with its caches on. */
static const struct op busy_vcpu[] = {
	WAIT(EV_BUILT), SCTLR(1, 1), ST(12, 0xc0), ST(13, 0xd0), LD(12), ST(14, 0xe0), LD(13),
	ST(15, 0xf0), LD(14), LD(15), ST(12, 0xc1), LD(12), END,
};

const struct scenario scenarios[] = {
	{ "mmu-off-boot", "builder writes the kernel, the guest reads it with caches off",
	  builder, { boot_mmu_off, NULL }, false, false, 30 },
	{ "vmm-no-clean", "the VMM does not clean what it wrote; caches-off boot",
	  builder_no_clean, { boot_mmu_off, NULL }, false, false, 30 },
	{ "m-before-c", "the guest sets SCTLR.M before SCTLR.C (FreeBSD)",
	  builder, { m_before_c, NULL }, false, false, 30 },
	{ "off-then-on", "caches on, set/way clean, caches off, then on again",
	  builder, { off_then_on, NULL }, false, false, 30 },
	{ "setway-migrate", "a set/way loop with the vCPU migrated in the middle",
	  builder, { off_then_on, busy_vcpu }, false, true, 30 },
	{ "flush-race", "flushes racing speculative fills, another vCPU running",
	  builder, { m_before_c, busy_vcpu }, false, true, 60 },
	{ "system-cache", "a system cache that set/way operations do not reach",
	  builder, { off_then_on, NULL }, true, false, 30 },
	{ "system-cache-boot", "a system cache, boot with caches off",
	  builder, { boot_mmu_off, busy_vcpu }, true, true, 30 },
};

const unsigned int nr_scenarios = sizeof(scenarios) / sizeof(scenarios[0]);
