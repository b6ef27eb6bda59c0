/*
 * zstd frames (RFC 8878) through libzstd's streaming decoder, one frame per
 * stream so the driver sees what follows each frame.  The size is known
 * when every frame records its content size (the zstd tool does when it
 * compresses a file, not a pipe).
 */
#include <zstd.h>

#include "decomp.h"
#include "util.h"

#define ZSTD_MAGIC_LE 0xfd2fb528u

static bool zstd_probe(const uint8_t *buf, size_t len)
{
	return len >= 4 && lib_le32(buf) == ZSTD_MAGIC_LE;
}

/* Sums the frames' content sizes; false if one is missing or a frame is damaged. */
static bool zstd_size(const uint8_t *buf, size_t len, uint64_t *out)
{
	uint64_t total = 0;
	size_t pos = 0;

	while (pos < len && zstd_probe(buf + pos, len - pos)) {
		unsigned long long n = ZSTD_getFrameContentSize(buf + pos, len - pos);
		size_t c = ZSTD_findFrameCompressedSize(buf + pos, len - pos);

		if (n == ZSTD_CONTENTSIZE_UNKNOWN || n == ZSTD_CONTENTSIZE_ERROR ||
		    ZSTD_isError(c) || total + n < total)
			return false;
		total += n;
		pos += c;
	}
	*out = total;
	return pos > 0;
}

static int zstd_init(struct decomp *z, struct err_msg *m)
{
	z->state = ZSTD_createDCtx();
	return z->state ? 0 : decomp_nomem(z, m);
}

static int zstd_step(struct decomp *z, uint8_t *out, size_t avail, size_t *written,
		     struct err_msg *m)
{
	ZSTD_inBuffer in = { z->in + z->in_pos, z->in_len - z->in_pos, 0 };
	ZSTD_outBuffer ob = { out, avail, 0 };
	size_t ret = ZSTD_decompressStream(z->state, &ob, &in);

	z->in_pos += in.pos;
	*written = ob.pos;
	if (ZSTD_isError(ret))
		return decomp_corrupt(z, ZSTD_getErrorName(ret), m);
	/* 0: the frame is complete and all its output flushed. */
	if (ret == 0) {
		z->stream_end = true;
		return 0;
	}
	if (z->in_pos == z->in_len && ob.pos < ob.size)
		return decomp_truncated(z, m);
	return 0;
}

static void zstd_fini(struct decomp *z)
{
	ZSTD_freeDCtx(z->state);
}

const struct decomp_codec decomp_zstd = {
	"zstd", zstd_probe, zstd_size, false, zstd_init, zstd_step, zstd_fini,
};
