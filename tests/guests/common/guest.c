/* Result lines, power-off and exception reports shared by the guests. */
#include "guest.h"

#include <stdarg.h>

#include "arm64.h"
#include "console.h"
#include "psci.h"

static const char *const vector_names[16] = {
	"sync (EL1t)",	  "irq (EL1t)",	   "fiq (EL1t)",    "serror (EL1t)",
	"sync (EL1h)",	  "irq (EL1h)",	   "fiq (EL1h)",    "serror (EL1h)",
	"sync (EL0/64)",  "irq (EL0/64)",  "fiq (EL0/64)",  "serror (EL0/64)",
	"sync (EL0/32)",  "irq (EL0/32)",  "fiq (EL0/32)",  "serror (EL0/32)",
};

void guest_power_off(void)
{
	int64_t ret = psci_system_off();

	/* Reaching this line is a bug in whatever implements PSCI. */
	console_printf("psci: SYSTEM_OFF returned %lld\n", (long long)ret);
	for (;;)
		wfi();
}

void guest_pass(void)
{
	console_printf("RESULT: PASS %s\n", guest_name);
	guest_power_off();
}

void guest_fail(const char *fmt, ...)
{
	va_list ap;

	console_printf("RESULT: FAIL %s ", guest_name);
	va_start(ap, fmt);
	console_vprintf(fmt, ap);
	va_end(ap);
	console_putc('\n');
	guest_power_off();
}

void guest_main_returned(void)
{
	guest_fail("main returned without a result");
}

void guest_exception(uint64_t vector, uint64_t esr, uint64_t elr, uint64_t far)
{
	console_printf("unexpected exception ESR=0x%llx (EC 0x%llx) ELR=0x%llx FAR=0x%llx "
		       "vector=%s\n",
		       (unsigned long long)esr,
		       (unsigned long long)((esr >> ESR_EC_SHIFT) & ESR_EC_MASK),
		       (unsigned long long)elr, (unsigned long long)far,
		       vector < 16 ? vector_names[vector] : "?");
	guest_fail("unexpected exception ESR=0x%llx", (unsigned long long)esr);
}
