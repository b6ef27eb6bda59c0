/* System registers of the host fake (arch/sysreg.h): a small table by name. */
#include <stdlib.h>
#include <string.h>

#include "arch/sysreg.h"

#define HOST_SYSREGS 64

static struct {
	const char *name;
	uint64_t val;
} host_regs[HOST_SYSREGS];
static unsigned int host_nregs;
static uint64_t host_initial;

void host_sysreg_reset(uint64_t initial)
{
	host_nregs = 0;
	host_initial = initial;
}

static int host_sysreg_find(const char *name)
{
	for (unsigned int i = 0; i < host_nregs; i++) {
		if (strcmp(host_regs[i].name, name) == 0)
			return (int)i;
	}
	return -1;
}

uint64_t host_sysreg_read(const char *name)
{
	int i = host_sysreg_find(name);

	return i < 0 ? host_initial : host_regs[i].val;
}

void host_sysreg_write(const char *name, uint64_t val)
{
	int i = host_sysreg_find(name);

	if (i < 0) {
		if (host_nregs == HOST_SYSREGS)
			abort();
		i = (int)host_nregs++;
		host_regs[i].name = name;
	}
	host_regs[i].val = val;
}
