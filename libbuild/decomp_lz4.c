/*
 * lz4, in both of its container formats:
 *  - the frame format (lz4 tool's default; doc/lz4_Frame_format.md), through
 *    liblz4's LZ4F decoder, one frame per stream;
 *  - the legacy format that Linux builds its lz4 kernels with (`lz4 -l`):
 *    magic 0x184c2102, then blocks of "compressed size (le32), data", each
 *    decompressing to 8 MiB except the last, until the end of the file or
 *    the next legacy magic (lib/decompress_unlz4.c reads it the same way).
 *
 * A frame records its content size only if asked to (lz4 --content-size);
 * the size of a file of frames is known when every frame does.  The legacy
 * format never records it.
 */
#include <lz4.h>
#include <lz4frame.h>
#include <stdlib.h>
#include <string.h>

#include "decomp.h"
#include "util.h"

#define LZ4F_MAGIC 0x184d2204u
#define LZ4_LEGACY_MAGIC 0x184c2102u
#define LZ4_LEGACY_BLOCK (8u << 20) /* output of every block but the last */

/* Frame descriptor flags (FLG), lz4_Frame_format.md. */
#define LZ4F_FLG_VERSION_MASK 0xc0u
#define LZ4F_FLG_VERSION_01 0x40u
#define LZ4F_FLG_BLOCK_CHECKSUM 0x10u
#define LZ4F_FLG_CONTENT_SIZE 0x08u
#define LZ4F_FLG_CONTENT_CHECKSUM 0x04u
#define LZ4F_FLG_DICT_ID 0x01u
#define LZ4F_BLOCK_UNCOMPRESSED 0x80000000u

static bool lz4_probe(const uint8_t *buf, size_t len)
{
	return len >= 4 && lib_le32(buf) == LZ4F_MAGIC;
}

static bool lz4_legacy_probe(const uint8_t *buf, size_t len)
{
	return len >= 4 && lib_le32(buf) == LZ4_LEGACY_MAGIC;
}

/*
 * Walks one frame's blocks from @pos: its length in *clen and its content
 * size in *size; false if the frame does not record its size or is cut short.
 */
static bool lz4_frame_walk(const uint8_t *buf, size_t len, size_t pos, size_t *clen,
			   uint64_t *size)
{
	size_t p = pos + 4;
	uint8_t flg;

	if (len - pos < 7)
		return false;
	flg = buf[p];
	if ((flg & LZ4F_FLG_VERSION_MASK) != LZ4F_FLG_VERSION_01 ||
	    !(flg & LZ4F_FLG_CONTENT_SIZE) || len - p < 10)
		return false;
	*size = lib_le64(buf + p + 2);
	p += 2 + 8 + ((flg & LZ4F_FLG_DICT_ID) ? 4 : 0) + 1;
	for (;;) {
		uint32_t b;

		if (p > len || len - p < 4)
			return false;
		b = lib_le32(buf + p) & ~LZ4F_BLOCK_UNCOMPRESSED;
		p += 4;
		if (b == 0)
			break;
		if (b > len - p)
			return false;
		p += b + ((flg & LZ4F_FLG_BLOCK_CHECKSUM) ? 4 : 0);
	}
	p += (flg & LZ4F_FLG_CONTENT_CHECKSUM) ? 4 : 0;
	*clen = p - pos;
	return p <= len;
}

static bool lz4_size(const uint8_t *buf, size_t len, uint64_t *out)
{
	uint64_t total = 0, n;
	size_t pos = 0, clen;

	while (pos < len && lz4_probe(buf + pos, len - pos)) {
		if (!lz4_frame_walk(buf, len, pos, &clen, &n) || total + n < total)
			return false;
		total += n;
		pos += clen;
	}
	*out = total;
	return pos > 0;
}

static bool lz4_legacy_size(const uint8_t *buf, size_t len, uint64_t *out)
{
	(void)buf;
	(void)len;
	(void)out;
	return false;
}

static int lz4_init(struct decomp *z, struct err_msg *m)
{
	LZ4F_dctx *dctx;

	if (LZ4F_isError(LZ4F_createDecompressionContext(&dctx, LZ4F_VERSION)))
		return decomp_nomem(z, m);
	z->state = dctx;
	return 0;
}

static int lz4_step(struct decomp *z, uint8_t *out, size_t avail, size_t *written,
		    struct err_msg *m)
{
	size_t in_n = z->in_len - z->in_pos, out_n = avail;
	size_t ret = LZ4F_decompress(z->state, out, &out_n, z->in + z->in_pos, &in_n, NULL);

	z->in_pos += in_n;
	*written = out_n;
	if (LZ4F_isError(ret))
		return decomp_corrupt(z, LZ4F_getErrorName(ret), m);
	/* 0: the frame is fully decoded (and its checksum verified). */
	if (ret == 0) {
		z->stream_end = true;
		return 0;
	}
	if (z->in_pos == z->in_len && out_n < avail)
		return decomp_truncated(z, m);
	return 0;
}

static void lz4_fini(struct decomp *z)
{
	LZ4F_freeDecompressionContext(z->state);
}

/* ---- Legacy format. */

struct lz4_legacy {
	uint8_t *block;      /* output of a block that did not fit the caller's buffer */
	size_t have, taken;  /* bytes in block, bytes handed out */
};

static int lz4_legacy_init(struct decomp *z, struct err_msg *m)
{
	z->state = calloc(1, sizeof(struct lz4_legacy));
	if (!z->state)
		return decomp_nomem(z, m);
	z->in_pos += 4; /* the magic number */
	return 0;
}

/* Length of the next block's data, 0 at the end of this archive. */
static int lz4_legacy_block_len(struct decomp *z, uint32_t *clen, struct err_msg *m)
{
	size_t left = z->in_len - z->in_pos;

	*clen = 0;
	/* Exactly 4 bytes left: Linux's size_append, not a block (a block has data). */
	if (left <= 4 || lz4_legacy_probe(z->in + z->in_pos, left))
		return 0;
	*clen = lib_le32(z->in + z->in_pos);
	if (*clen == 0 || *clen > (uint32_t)LZ4_compressBound(LZ4_LEGACY_BLOCK))
		return decomp_corrupt(z, "block size out of range", m);
	if (*clen > left - 4)
		return decomp_truncated(z, m);
	return 0;
}

/* Decompresses the next block into @dst (room for a whole block); its size in *n. */
static int lz4_legacy_block(struct decomp *z, uint32_t clen, uint8_t *dst, size_t *n,
			    struct err_msg *m)
{
	int r = LZ4_decompress_safe((const char *)z->in + z->in_pos + 4, (char *)dst, (int)clen,
				    (int)LZ4_LEGACY_BLOCK);

	if (r < 0)
		return decomp_corrupt(z, "invalid block", m);
	z->in_pos += 4 + clen;
	*n = (size_t)r;
	return 0;
}

static size_t lz4_legacy_drain(struct lz4_legacy *s, uint8_t *out, size_t avail)
{
	size_t n = LIB_MIN(avail, s->have - s->taken);

	memcpy(out, s->block + s->taken, n);
	s->taken += n;
	return n;
}

static int lz4_legacy_step(struct decomp *z, uint8_t *out, size_t avail, size_t *written,
			   struct err_msg *m)
{
	struct lz4_legacy *s = z->state;
	uint32_t clen;
	int rc;

	if (s->taken < s->have) {
		*written = lz4_legacy_drain(s, out, avail);
		return 0;
	}
	rc = lz4_legacy_block_len(z, &clen, m);
	if (rc < 0 || clen == 0) {
		z->stream_end = rc == 0;
		return rc;
	}
	/* Straight into the caller's buffer when a whole block fits, else through ours. */
	if (avail >= LZ4_LEGACY_BLOCK)
		return lz4_legacy_block(z, clen, out, written, m);
	if (!s->block && !(s->block = malloc(LZ4_LEGACY_BLOCK)))
		return decomp_nomem(z, m);
	s->taken = 0;
	rc = lz4_legacy_block(z, clen, s->block, &s->have, m);
	if (rc == 0)
		*written = lz4_legacy_drain(s, out, avail);
	return rc;
}

static void lz4_legacy_fini(struct decomp *z)
{
	struct lz4_legacy *s = z->state;

	free(s->block);
	free(s);
}

const struct decomp_codec decomp_lz4 = {
	"lz4", lz4_probe, lz4_size, false, lz4_init, lz4_step, lz4_fini,
};

const struct decomp_codec decomp_lz4_legacy = {
	"lz4 (legacy format)", lz4_legacy_probe, lz4_legacy_size, false, lz4_legacy_init,
	lz4_legacy_step, lz4_legacy_fini,
};
