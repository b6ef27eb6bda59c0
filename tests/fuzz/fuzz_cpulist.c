/*
 * Fuzzes the daemon's CPU list parser (xl's cpus= and vcpu-pin syntax).
 * The first input byte picks the machine's CPU count; the rest is the list.
 * Beyond "no crash", it checks what the parser promises: an accepted list
 * names at least one CPU, only CPUs the machine has, and survives being
 * printed and parsed again unchanged.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cpulist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_check_roundtrip(uint64_t mask, unsigned int nr_cpus)
{
	char text[CPULIST_FORMAT_MAX], msg[128];
	uint64_t again;

	cpulist_format(mask, nr_cpus, text, sizeof(text));
	if (cpulist_parse(text, nr_cpus, &again, msg, sizeof(msg)) != 0 || again != mask)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int nr_cpus;
	char *text, msg[128];
	uint64_t mask = 0;

	if (size == 0 || size > CPULIST_TEXT_MAX + 1)
		return 0;
	nr_cpus = 1 + data[0] % CPULIST_MAX_CPUS;
	text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	if (cpulist_parse(text, nr_cpus, &mask, msg, sizeof(msg)) == 0) {
		if (mask == 0 || (mask & ~cpulist_all(nr_cpus)) != 0)
			abort();
		fuzz_check_roundtrip(mask, nr_cpus);
	} else if (msg[0] == '\0') {
		abort(); /* every refusal must say why */
	}
	free(text);
	return 0;
}
