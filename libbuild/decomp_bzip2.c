/*
 * bzip2 streams through libbz2.  A bzip2 file does not record its size;
 * files made by parallel compressors (pbzip2) are several streams back to
 * back, which the driver handles.
 */
#include <bzlib.h>
#include <stdlib.h>

#include "decomp.h"
#include "util.h"

static bool bzip2_probe(const uint8_t *buf, size_t len)
{
	/* "BZh" and the block size '1'..'9' (in 100 kB units). */
	return len >= 4 && buf[0] == 'B' && buf[1] == 'Z' && buf[2] == 'h' && buf[3] >= '1' &&
	       buf[3] <= '9';
}

static bool bzip2_size(const uint8_t *buf, size_t len, uint64_t *out)
{
	(void)buf;
	(void)len;
	(void)out;
	return false;
}

static int bzip2_init(struct decomp *z, struct err_msg *m)
{
	bz_stream *bz = calloc(1, sizeof(*bz));

	if (!bz || BZ2_bzDecompressInit(bz, 0, 0) != BZ_OK) {
		free(bz);
		return decomp_nomem(z, m);
	}
	z->state = bz;
	return 0;
}

static int bzip2_step(struct decomp *z, uint8_t *out, size_t avail, size_t *written,
		      struct err_msg *m)
{
	bz_stream *bz = z->state;
	unsigned int in_n = (unsigned int)LIB_MIN(z->in_len - z->in_pos, (size_t)UINT32_MAX);
	unsigned int out_n = (unsigned int)LIB_MIN(avail, (size_t)UINT32_MAX);
	int ret;

	bz->next_in = (char *)(uintptr_t)(z->in + z->in_pos);
	bz->avail_in = in_n;
	bz->next_out = (char *)out;
	bz->avail_out = out_n;
	ret = BZ2_bzDecompress(bz);
	z->in_pos += in_n - bz->avail_in;
	*written = out_n - bz->avail_out;
	if (ret == BZ_STREAM_END) {
		z->stream_end = true;
		return 0;
	}
	if (ret == BZ_MEM_ERROR)
		return decomp_nomem(z, m);
	if (ret == BZ_DATA_ERROR_MAGIC)
		return decomp_corrupt(z, "bad stream header", m);
	if (ret != BZ_OK)
		return decomp_corrupt(z, "invalid data or CRC mismatch", m);
	if (z->in_pos == z->in_len && bz->avail_out > 0)
		return decomp_truncated(z, m);
	return 0;
}

static void bzip2_fini(struct decomp *z)
{
	BZ2_bzDecompressEnd(z->state);
	free(z->state);
}

const struct decomp_codec decomp_bzip2 = {
	"bzip2", bzip2_probe, bzip2_size, false, bzip2_init, bzip2_step, bzip2_fini,
};
