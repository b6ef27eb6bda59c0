/*
 * The decompression driver: streams over codecs (see decomp.h).
 *
 * What may follow a stream: another stream of the same format (gzip
 * members, zstd frames, xz streams, lz4 frames and legacy archives can be
 * concatenated), zero padding, or exactly four bytes holding the output
 * size modulo 2^32 — what Linux's size_append adds to its bzip2, lz4,
 * lzma, xz and zstd kernels (scripts/Makefile.lib).  Anything else is
 * refused: a loader that ignored it could not tell a damaged file from a
 * good one.
 */
#include <stdlib.h>
#include <string.h>

#include "decomp.h"
#include "util.h"

/* The first growth step of an output buffer of unknown size, in input sizes. */
#define DECOMP_GUESS_RATIO 4u
#define DECOMP_MIN_BUFFER (LIB_MiB + 1)

/* Formats recognised by magic, in the order they are tried. */
static const struct decomp_codec *const decomp_codecs[] = {
	&decomp_gzip, &decomp_zstd, &decomp_xz, &decomp_lz4, &decomp_lz4_legacy, &decomp_bzip2,
	&decomp_zlib, /* last: its probe is the weakest (two header bytes and a trial) */
};

const struct decomp_codec *decomp_find(const uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < LIB_ARRAY_SIZE(decomp_codecs); i++)
		if (decomp_codecs[i]->probe(buf, len))
			return decomp_codecs[i];
	return NULL;
}

int decomp_truncated(const struct decomp *z, struct err_msg *m)
{
	return err_fmt(m, CACHET_LIB_EIMAGE, "%s stream truncated after %zu bytes (%llu bytes "
		       "decompressed)", z->codec->name, z->in_len,
		       (unsigned long long)z->out_total);
}

int decomp_corrupt(const struct decomp *z, const char *why, struct err_msg *m)
{
	return err_fmt(m, CACHET_LIB_EIMAGE, "%s stream corrupt near input byte %zu: %s",
		       z->codec->name, z->in_pos, why);
}

int decomp_nomem(const struct decomp *z, struct err_msg *m)
{
	return err_fmt(m, CACHET_LIB_ENOMEM, "out of memory for the %s decompressor",
		       z->codec->name);
}

int decomp_open(struct decomp *z, const struct decomp_codec *c, const uint8_t *in, size_t len,
		struct err_msg *m)
{
	memset(z, 0, sizeof(*z));
	z->codec = c;
	z->in = in;
	z->in_len = len;
	return c->init(z, m);
}

void decomp_close(struct decomp *z)
{
	if (z->state)
		z->codec->fini(z);
	z->state = NULL;
}

static bool decomp_all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* A stream has ended: start the next one, or check what is left. */
static int decomp_next_stream(struct decomp *z, struct err_msg *m)
{
	const uint8_t *rest = z->in + z->in_pos;
	size_t n = z->in_len - z->in_pos;

	z->codec->fini(z);
	z->state = NULL;
	z->stream_end = false;
	if (n > 0 && z->codec->probe && z->codec->probe(rest, n))
		return z->codec->init(z, m);
	z->done = true;
	if (decomp_all_zero(rest, n))
		return 0;
	if (n == 4 && lib_le32(rest) == (uint32_t)z->out_total)
		return 0;
	if (n == 4)
		return err_fmt(m, CACHET_LIB_EIMAGE, "%s: the 4 bytes after the stream (the size "
			       "Linux appends) say %u bytes, but it decompressed to %llu",
			       z->codec->name, lib_le32(rest), (unsigned long long)z->out_total);
	return err_fmt(m, CACHET_LIB_EIMAGE, "%s: %zu bytes of unknown data after the end of the "
		       "stream at input byte %zu", z->codec->name, n, z->in_pos);
}

int decomp_read(struct decomp *z, uint8_t *out, size_t len, size_t *got, struct err_msg *m)
{
	int rc = 0;

	*got = 0;
	while (rc == 0 && *got < len && !z->done) {
		size_t before = z->in_pos, w = 0;

		if (z->stream_end) {
			rc = decomp_next_stream(z, m);
			continue;
		}
		rc = z->codec->step(z, out + *got, len - *got, &w, m);
		*got += w;
		z->out_total += w;
		/* A codec that neither reads nor writes would loop forever. */
		if (rc == 0 && w == 0 && z->in_pos == before && !z->stream_end)
			rc = decomp_corrupt(z, "the decompressor made no progress", m);
	}
	return rc;
}

int decomp_expect_end(struct decomp *z, const char *what, struct err_msg *m)
{
	uint8_t extra;
	size_t got;
	int rc = decomp_read(z, &extra, 1, &got, m);

	if (rc == 0 && got > 0)
		rc = err_fmt(m, CACHET_LIB_EIMAGE, "%s data is longer than the %llu bytes %s",
			     z->codec->name, (unsigned long long)(z->out_total - 1), what);
	return rc;
}

int decomp_prefix(const struct decomp_codec *c, const uint8_t *in, size_t len, uint8_t *out,
		  size_t want, size_t *got, struct err_msg *m)
{
	struct decomp z;
	int rc = decomp_open(&z, c, in, len, m);

	if (rc == 0)
		rc = decomp_read(&z, out, want, got, m);
	decomp_close(&z);
	return rc;
}

/* The next capacity of a growing buffer: doubled, at most limit + 1. */
static uint64_t decomp_grow(uint64_t cap, uint64_t limit)
{
	return cap > limit / 2 ? limit + 1 : cap * 2;
}

static int decomp_fill_arena(struct decomp *z, uint64_t limit, struct arena *a, uint8_t **out,
			     size_t *out_len, struct err_msg *m)
{
	uint64_t cap = LIB_MIN(LIB_MAX((uint64_t)z->in_len * DECOMP_GUESS_RATIO,
				       DECOMP_MIN_BUFFER), limit + 1);
	uint8_t *buf = arena_resize(a, NULL, (size_t)LIB_MAX(cap, ARENA_LARGE_MIN + 1));
	size_t have = 0, got;
	int rc = 0;

	cap = LIB_MAX(cap, ARENA_LARGE_MIN + 1);
	while (rc == 0 && buf && !z->done && have <= limit) {
		if (have < cap) {
			rc = decomp_read(z, buf + have, (size_t)cap - have, &got, m);
			have += got;
			continue;
		}
		cap = decomp_grow(cap, limit);
		buf = arena_resize(a, buf, (size_t)cap);
	}
	if (!buf)
		return err_fmt(m, CACHET_LIB_ENOMEM, "out of memory for %llu bytes of "
			       "decompressed kernel", (unsigned long long)cap);
	if (rc == 0 && have > limit)
		return err_fmt(m, CACHET_LIB_EIMAGE, "%s data decompresses to more than %llu "
			       "bytes, the limit (1 GiB or the guest's RAM)", z->codec->name,
			       (unsigned long long)limit);
	*out = buf;
	*out_len = have;
	return rc;
}

int decomp_to_arena(const struct decomp_codec *c, const uint8_t *in, size_t len, uint64_t limit,
		    struct arena *a, uint8_t **out, size_t *out_len, struct err_msg *m)
{
	struct decomp z;
	int rc = decomp_open(&z, c, in, len, m);

	if (rc == 0)
		rc = decomp_fill_arena(&z, limit, a, out, out_len, m);
	decomp_close(&z);
	return rc;
}
