/*
 * The host fake of arm64's system register accessors, so arch code that
 * only reads and writes registers (the emulation tables of trapped
 * accesses) runs in host tests and fuzz harnesses.  Registers are named as
 * in the arm64 header; the host keeps their values (host_sysreg.c).
 */
#ifndef ARCH_SYSREG_H
#define ARCH_SYSREG_H

#include <stdint.h>

#define read_sysreg(reg) host_sysreg_read(#reg)
#define write_sysreg(reg, val) host_sysreg_write(#reg, (uint64_t)(val))
#define isb() ((void)0)

uint64_t host_sysreg_read(const char *name);
void host_sysreg_write(const char *name, uint64_t val);
/* What every register reads before it is written: one value for all. */
void host_sysreg_reset(uint64_t initial);

#endif
