/*
 * gzip (RFC 1952) and zlib (RFC 1950) streams, through zlib's inflate with
 * header auto-detection (windowBits 15 + 32).  Linux's Image.gz is gzip;
 * zlib streams have no magic number, so their probe also inflates a
 * little of the data before claiming a file.
 */
#include <stdlib.h>
#include <zlib.h>

#include "decomp.h"
#include "util.h"

#define GZIP_WINDOW_AUTO (15 + 32) /* inflateInit2: 32 KiB window, gzip or zlib header */
#define ZLIB_TRIAL_OUT 64u

static bool gzip_probe(const uint8_t *buf, size_t len)
{
	/* RFC 1952 2.3.1: ID1 ID2, then CM = 8 (deflate). */
	return len >= 3 && buf[0] == 0x1f && buf[1] == 0x8b && buf[2] == 8;
}

/*
 * RFC 1952: ISIZE, the last four bytes, is the input size modulo 2^32 —
 * if the file is one whole member; the builder checks it when it is done.
 */
static bool gzip_size(const uint8_t *buf, size_t len, uint64_t *out)
{
	if (len < 18 || lib_le32(buf + len - 4) == 0)
		return false;
	*out = lib_le32(buf + len - 4);
	return true;
}

/* Inflates the first bytes: true if the data starts like a valid stream. */
static bool zlib_trial(const uint8_t *buf, size_t len)
{
	uint8_t out[ZLIB_TRIAL_OUT];
	z_stream zs = { 0 };
	int ret;

	if (inflateInit2(&zs, GZIP_WINDOW_AUTO) != Z_OK)
		return false;
	zs.next_in = (Bytef *)(uintptr_t)buf;
	zs.avail_in = (uInt)LIB_MIN(len, (size_t)UINT32_MAX);
	zs.next_out = out;
	zs.avail_out = sizeof(out);
	ret = inflate(&zs, Z_NO_FLUSH);
	inflateEnd(&zs);
	return (ret == Z_OK || ret == Z_STREAM_END) && zs.total_out > 0;
}

static bool zlib_probe(const uint8_t *buf, size_t len)
{
	/* RFC 1950 2.2: CM 8, CINFO <= 7, FCHECK, and no preset dictionary. */
	if (len < 6 || (buf[0] & 0x0f) != 8 || (buf[0] >> 4) > 7 || (buf[1] & 0x20))
		return false;
	return ((unsigned int)buf[0] << 8 | buf[1]) % 31 == 0 && zlib_trial(buf, len);
}

static bool zlib_size(const uint8_t *buf, size_t len, uint64_t *out)
{
	(void)buf;
	(void)len;
	(void)out;
	return false;
}

static int gzip_init(struct decomp *z, struct err_msg *m)
{
	z_stream *zs = calloc(1, sizeof(*zs));

	if (!zs || inflateInit2(zs, GZIP_WINDOW_AUTO) != Z_OK) {
		free(zs);
		return decomp_nomem(z, m);
	}
	z->state = zs;
	return 0;
}

static int gzip_step(struct decomp *z, uint8_t *out, size_t avail, size_t *written,
		     struct err_msg *m)
{
	z_stream *zs = z->state;
	uInt in_n = (uInt)LIB_MIN(z->in_len - z->in_pos, (size_t)UINT32_MAX);
	uInt out_n = (uInt)LIB_MIN(avail, (size_t)UINT32_MAX);
	int ret;

	zs->next_in = (Bytef *)(uintptr_t)(z->in + z->in_pos);
	zs->avail_in = in_n;
	zs->next_out = out;
	zs->avail_out = out_n;
	ret = inflate(zs, Z_NO_FLUSH);
	z->in_pos += in_n - zs->avail_in;
	*written = out_n - zs->avail_out;
	if (ret == Z_STREAM_END) {
		z->stream_end = true;
		return 0;
	}
	if (ret == Z_MEM_ERROR)
		return decomp_nomem(z, m);
	if (ret == Z_NEED_DICT)
		return decomp_corrupt(z, "the stream needs a preset dictionary", m);
	if (ret == Z_DATA_ERROR || ret == Z_STREAM_ERROR)
		return decomp_corrupt(z, zs->msg ? zs->msg : "invalid data", m);
	if (z->in_pos == z->in_len && zs->avail_out > 0)
		return decomp_truncated(z, m);
	return 0;
}

static void gzip_fini(struct decomp *z)
{
	inflateEnd(z->state);
	free(z->state);
}

const struct decomp_codec decomp_gzip = {
	"gzip", gzip_probe, gzip_size, true, gzip_init, gzip_step, gzip_fini,
};

const struct decomp_codec decomp_zlib = {
	"zlib", zlib_probe, zlib_size, false, gzip_init, gzip_step, gzip_fini,
};
