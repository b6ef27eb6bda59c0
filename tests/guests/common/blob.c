/* Checking the builder-loaded blob (see blob.h). */
#include "blob.h"

#include <stddef.h>

#include "blob_stream.h"
#include "blob_sum.h" /* generated: BLOB_FNV1A64 */
#include "console.h"

uint64_t blob_hash(void)
{
	uint64_t h = FNV1A64_OFFSET;

	for (const uint64_t *p = blob_start; p < blob_end; p++)
		h = blob_stream_hash_word(h, *p);
	return h;
}

/* Regenerates the stream to say which words are wrong. */
static void blob_report_mismatch(void)
{
	uint64_t state = BLOB_STREAM_SEED;
	size_t words = BLOB_STREAM_SIZE / 8;
	size_t bad = 0;

	for (size_t i = 0; i < words; i++) {
		uint64_t want = blob_stream_next(&state);

		if (blob_start[i] == want)
			continue;
		if (bad == 0)
			console_printf("blob: first bad word at offset 0x%zx (IPA %p): "
				       "read 0x%016llx, want 0x%016llx\n",
				       i * 8, (const void *)&blob_start[i],
				       (unsigned long long)blob_start[i], (unsigned long long)want);
		bad++;
	}
	console_printf("blob: %zu of %zu words differ\n", bad, words);
}

bool blob_verify(const char *stage)
{
	size_t size = (size_t)((const char *)blob_end - (const char *)blob_start);
	uint64_t h;
	bool ok;

	if (size != BLOB_STREAM_SIZE) {
		console_printf("%s: blob is %zu bytes, expected %u\n", stage, size,
			       BLOB_STREAM_SIZE);
		return false;
	}
	h = blob_hash();
	ok = h == BLOB_FNV1A64;
	console_printf("%s: blob fnv1a64=0x%016llx expected=0x%016llx %s\n", stage,
		       (unsigned long long)h, (unsigned long long)BLOB_FNV1A64,
		       ok ? "ok" : "MISMATCH");
	if (!ok)
		blob_report_mismatch();
	return ok;
}
