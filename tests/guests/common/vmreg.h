/*
 * Writes to the EL1 "VM registers": the registers that HCR_EL2.TVM traps
 * to EL2 when EL1 writes them (Arm ARM D19.2 "HCR_EL2", field TVM).  Every
 * write a guest makes to one of them goes through vmreg_write(), which
 * counts it, so that the guest can report exactly how many writes it made
 * and the integration tests can compare that with the hypervisor's trap
 * counters.  Reads are not trapped (the guests run with TRVM clear) and are
 * not counted.
 */
#ifndef GUEST_VMREG_H
#define GUEST_VMREG_H

#include <stdbool.h>
#include <stdint.h>

enum vmreg {
	VMREG_SCTLR,
	VMREG_TTBR0,
	VMREG_TTBR1,
	VMREG_TCR,
	VMREG_ESR,
	VMREG_FAR,
	VMREG_AFSR0,
	VMREG_AFSR1,
	VMREG_MAIR,
	VMREG_AMAIR,
	VMREG_CONTEXTIDR,
	VMREG_COUNT
};

/* The short name used in the VMREGS line: "sctlr", "ttbr0", ... */
const char *vmreg_name(enum vmreg reg);

/* Writes val to reg's _EL1 register and counts the write. */
void vmreg_write(enum vmreg reg, uint64_t val);

/* Reads reg's _EL1 register (not counted: reads do not trap). */
uint64_t vmreg_read(enum vmreg reg);

/* How many times reg was written, and the value last written. */
unsigned int vmreg_writes(enum vmreg reg);
uint64_t vmreg_last(enum vmreg reg);

/*
 * Reads reg back and compares it with the value last written to it;
 * prints a line naming both values on a mismatch.  True if they match or
 * reg was never written.
 */
bool vmreg_check(enum vmreg reg);

/* vmreg_check() on every register; true if all of them match. */
bool vmreg_check_all(void);

/*
 * Prints the machine-readable count line:
 *   VMREGS: sctlr=N ttbr0=N tcr=N mair=N [other=N ...] total=N
 * sctlr, ttbr0, tcr and mair are always present, in that order; any other
 * register written at least once follows in enum order; total is the sum.
 * A register not on the line was not written.
 */
void vmreg_print_counts(void);

#endif
