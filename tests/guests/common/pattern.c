/* Test patterns (see pattern.h). */
#include "pattern.h"

#include "blob_stream.h"
#include "console.h"

void pattern_fill(uint64_t *buf, size_t words, uint64_t seed)
{
	uint64_t state = seed;

	for (size_t i = 0; i < words; i++)
		buf[i] = blob_stream_next(&state);
}

bool pattern_check(const uint64_t *buf, size_t words, uint64_t seed, const char *what)
{
	uint64_t state = seed;
	size_t bad = 0;
	size_t first = 0;

	for (size_t i = 0; i < words; i++) {
		if (buf[i] != blob_stream_next(&state) && bad++ == 0)
			first = i;
	}
	if (bad == 0) {
		console_printf("%s: pattern ok (%zu bytes at %p)\n", what, words * 8,
			       (const void *)buf);
		return true;
	}
	console_printf("%s: pattern MISMATCH: %zu of %zu words differ, first at %p\n", what, bad,
		       words, (const void *)&buf[first]);
	return false;
}
