/*
 * hello: the smallest guest.  It proves the domain boots at its entry
 * point, can print through the emulated UART, and can make PSCI calls:
 * VERSION (whose result it prints) and SYSTEM_OFF.
 */
#include <stdint.h>

#include "console.h"
#include "guest.h"
#include "psci.h"

const char guest_name[] = "hello";

int main(void)
{
	int64_t version;

	console_puts("Hello from a Cachet guest\n");
	version = psci_version();
	if (version < 0)
		console_printf("PSCI VERSION failed: %lld\n", (long long)version);
	else
		console_printf("PSCI version %lld.%lld\n", (long long)(version >> 16),
			       (long long)(version & 0xffff));
	guest_pass();
}
