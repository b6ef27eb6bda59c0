/*
 * Fuzzes every kernel loader of libcachet through its probe chain
 * (libbuild/loader*.c: ELF, arm64 Image, arm32 zImage, uImage, compressed
 * Images with every decompressor, and the flat binary when asked for).  The first
 * input byte picks the guest's RAM size (1 to 16 MiB) and whether a flat
 * binary was asked for; the rest is the kernel file.  Beyond "no crash", an
 * accepted plan must lie in guest RAM, copy no more than a segment holds,
 * and, for a kernel decompressed while it is written, decompress to exactly
 * the size planned or fail with a message, as the builder does.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "decomp.h"
#include "loader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_RAM_BASE 0x40000000ull
#define FUZZ_MiB (1ull << 20)

static void fuzz_check_seg(const struct loader_seg *s, uint64_t ram_end)
{
	if (s->gpa < FUZZ_RAM_BASE || s->memsz > ram_end - s->gpa || s->filesz > s->memsz)
		abort();
}

/* What the builder does with a streamed segment: all of it, and nothing more. */
static void fuzz_stream(const struct loader_seg *s)
{
	struct decomp z;
	struct err_msg m = { 0 };
	uint8_t *out = malloc(s->filesz ? s->filesz : 1);
	size_t got = 0;
	int rc;

	if (!out)
		abort();
	rc = decomp_open(&z, s->stream->codec, s->stream->in, s->stream->len, &m);
	if (rc == 0) {
		rc = decomp_read(&z, out, s->filesz, &got, &m);
		if (rc == 0 && got == s->filesz)
			rc = decomp_expect_end(&z, "the file records", &m);
		decomp_close(&z);
	}
	if (rc < 0 && m.text[0] == '\0')
		abort();
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena arena;
	struct loader_image img;
	struct err_msg m = { 0 };
	struct loader_in in;
	uint64_t ram;
	int rc;

	if (size < 1)
		return 0;
	ram = (1 + (data[0] & 15)) * FUZZ_MiB;
	arena_init(&arena);
	in = (struct loader_in){ data + 1, size - 1, FUZZ_RAM_BASE, ram, &arena, data[0] & 0x80 };
	rc = loader_load(&in, &img, &m);
	if (rc < 0 && m.text[0] == '\0')
		abort(); /* every refusal says why */
	for (unsigned int i = 0; rc == 0 && i < img.nr_segs; i++) {
		fuzz_check_seg(&img.segs[i], FUZZ_RAM_BASE + ram);
		if (img.segs[i].stream)
			fuzz_stream(&img.segs[i]);
	}
	arena_free(&arena);
	return 0;
}
