/* Counted writes to the TVM-trapped VM registers (see vmreg.h). */
#include "vmreg.h"

#include "arm64.h"
#include "console.h"

static const char *const vmreg_names[VMREG_COUNT] = {
	[VMREG_SCTLR] = "sctlr", [VMREG_TTBR0] = "ttbr0", [VMREG_TTBR1] = "ttbr1",
	[VMREG_TCR] = "tcr",	 [VMREG_ESR] = "esr",	  [VMREG_FAR] = "far",
	[VMREG_AFSR0] = "afsr0", [VMREG_AFSR1] = "afsr1", [VMREG_MAIR] = "mair",
	[VMREG_AMAIR] = "amair", [VMREG_CONTEXTIDR] = "contextidr",
};

/* Registers printed even when not written, so the common line is stable. */
static const enum vmreg vmreg_always_printed[] = {
	VMREG_SCTLR, VMREG_TTBR0, VMREG_TCR, VMREG_MAIR,
};

static unsigned int vmreg_write_count[VMREG_COUNT];
static uint64_t vmreg_last_value[VMREG_COUNT];

const char *vmreg_name(enum vmreg reg)
{
	return reg < VMREG_COUNT ? vmreg_names[reg] : "?";
}

void vmreg_write(enum vmreg reg, uint64_t val)
{
	if (reg >= VMREG_COUNT)
		return;
	/* Count first: the write may be the one that turns the MMU on. */
	vmreg_write_count[reg]++;
	vmreg_last_value[reg] = val;
	switch (reg) {
	case VMREG_SCTLR:
		write_sysreg(sctlr_el1, val);
		break;
	case VMREG_TTBR0:
		write_sysreg(ttbr0_el1, val);
		break;
	case VMREG_TTBR1:
		write_sysreg(ttbr1_el1, val);
		break;
	case VMREG_TCR:
		write_sysreg(tcr_el1, val);
		break;
	case VMREG_ESR:
		write_sysreg(esr_el1, val);
		break;
	case VMREG_FAR:
		write_sysreg(far_el1, val);
		break;
	case VMREG_AFSR0:
		write_sysreg(afsr0_el1, val);
		break;
	case VMREG_AFSR1:
		write_sysreg(afsr1_el1, val);
		break;
	case VMREG_MAIR:
		write_sysreg(mair_el1, val);
		break;
	case VMREG_AMAIR:
		write_sysreg(amair_el1, val);
		break;
	case VMREG_CONTEXTIDR:
		write_sysreg(contextidr_el1, val);
		break;
	case VMREG_COUNT:
		break;
	}
}

uint64_t vmreg_read(enum vmreg reg)
{
	switch (reg) {
	case VMREG_SCTLR:
		return read_sysreg(sctlr_el1);
	case VMREG_TTBR0:
		return read_sysreg(ttbr0_el1);
	case VMREG_TTBR1:
		return read_sysreg(ttbr1_el1);
	case VMREG_TCR:
		return read_sysreg(tcr_el1);
	case VMREG_ESR:
		return read_sysreg(esr_el1);
	case VMREG_FAR:
		return read_sysreg(far_el1);
	case VMREG_AFSR0:
		return read_sysreg(afsr0_el1);
	case VMREG_AFSR1:
		return read_sysreg(afsr1_el1);
	case VMREG_MAIR:
		return read_sysreg(mair_el1);
	case VMREG_AMAIR:
		return read_sysreg(amair_el1);
	case VMREG_CONTEXTIDR:
		return read_sysreg(contextidr_el1);
	case VMREG_COUNT:
		break;
	}
	return 0;
}

unsigned int vmreg_writes(enum vmreg reg)
{
	return reg < VMREG_COUNT ? vmreg_write_count[reg] : 0;
}

uint64_t vmreg_last(enum vmreg reg)
{
	return reg < VMREG_COUNT ? vmreg_last_value[reg] : 0;
}

bool vmreg_check(enum vmreg reg)
{
	uint64_t got;

	if (vmreg_writes(reg) == 0)
		return true;
	got = vmreg_read(reg);
	if (got == vmreg_last_value[reg])
		return true;
	console_printf("vmreg: %s reads 0x%016llx, last written 0x%016llx\n", vmreg_name(reg),
		       (unsigned long long)got, (unsigned long long)vmreg_last_value[reg]);
	return false;
}

bool vmreg_check_all(void)
{
	bool ok = true;

	for (unsigned int r = 0; r < VMREG_COUNT; r++)
		ok = vmreg_check((enum vmreg)r) && ok;
	return ok;
}

static bool vmreg_is_always_printed(enum vmreg reg)
{
	for (unsigned int i = 0; i < sizeof(vmreg_always_printed) / sizeof(vmreg_always_printed[0]);
	     i++) {
		if (vmreg_always_printed[i] == reg)
			return true;
	}
	return false;
}

void vmreg_print_counts(void)
{
	unsigned int total = 0;

	console_puts("VMREGS:");
	for (unsigned int i = 0; i < sizeof(vmreg_always_printed) / sizeof(vmreg_always_printed[0]);
	     i++) {
		enum vmreg reg = vmreg_always_printed[i];

		console_printf(" %s=%u", vmreg_names[reg], vmreg_write_count[reg]);
	}
	for (unsigned int r = 0; r < VMREG_COUNT; r++) {
		if (vmreg_write_count[r] != 0 && !vmreg_is_always_printed((enum vmreg)r))
			console_printf(" %s=%u", vmreg_names[r], vmreg_write_count[r]);
		total += vmreg_write_count[r];
	}
	console_printf(" total=%u\n", total);
}
