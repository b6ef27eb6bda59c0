/*
 * marker: writes a known string at a fixed guest-physical address (32 MiB
 * into RAM) with its MMU off, says so, and waits until it is destroyed.
 * A host program maps that page of the running domain (libxc's foreign
 * mapping, tests/xen/xc-map.c) and must read the same string: the mapping
 * is the guest's own memory, not a copy.
 */
#include <stdint.h>

#include "console.h"
#include "guest.h"

const char guest_name[] = "marker";

#define MARKER_GPA 0x42000000UL
static const char marker_text[] = "CACHET-MARKER 0123456789abcdef";

int main(void)
{
	volatile char *dst = (volatile char *)MARKER_GPA;

	for (unsigned int i = 0; i < sizeof(marker_text); i++)
		dst[i] = marker_text[i];
	__asm__ volatile("dsb sy" ::: "memory");
	console_printf("marker: written at 0x%lx\n", MARKER_GPA);
	for (;;)
		__asm__ volatile("wfi");
}
