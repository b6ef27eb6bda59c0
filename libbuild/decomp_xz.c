/*
 * xz streams and legacy .lzma ("LZMA alone") files, through liblzma.
 *
 * An xz file records its size in the index at its end: the stream footer
 * says where the index starts.  Linux's xz kernels carry the 4-byte size
 * of size_append after the footer, so the footer is looked for at the end
 * and 4 bytes before it.  A file of several streams is decompressed without
 * knowing its size in advance.
 *
 * The legacy format has no magic number: it is used only when a uImage
 * header names IH_COMP_LZMA (U-Boot's "lzma" is this format).
 */
#include <lzma.h>
#include <stdlib.h>
#include <string.h>

#include "decomp.h"
#include "util.h"

/* Dictionaries up to this size: xz -9 uses 64 MiB, lzma -9 32 MiB. */
#define XZ_MEMLIMIT (UINT64_C(256) << 20)
#define XZ_MAGIC_LEN 6
#define XZ_SIZE_APPEND 4u
#define LZMA_ALONE_HEADER 13u

static bool xz_probe(const uint8_t *buf, size_t len)
{
	return len >= XZ_MAGIC_LEN && memcmp(buf, "\xfd" "7zXZ\0", XZ_MAGIC_LEN) == 0;
}

/* Decodes the index of the stream whose footer ends at @end; true if it spans the file. */
static bool xz_index_size(const uint8_t *buf, size_t end, uint64_t *out)
{
	lzma_stream_flags flags;
	lzma_index *idx = NULL;
	uint64_t memlimit = XZ_MEMLIMIT;
	size_t pos, index_at;
	bool ok;

	if (end < 2 * LZMA_STREAM_HEADER_SIZE ||
	    lzma_stream_footer_decode(&flags, buf + end - LZMA_STREAM_HEADER_SIZE) != LZMA_OK)
		return false;
	if (flags.backward_size > end - 2 * LZMA_STREAM_HEADER_SIZE)
		return false;
	index_at = end - LZMA_STREAM_HEADER_SIZE - (size_t)flags.backward_size;
	pos = index_at;
	if (lzma_index_buffer_decode(&idx, &memlimit, NULL, buf, &pos,
				     end - LZMA_STREAM_HEADER_SIZE) != LZMA_OK)
		return false;
	/* One stream from byte 0: header, blocks, index, footer. */
	ok = lzma_index_file_size(idx) == end;
	*out = lzma_index_uncompressed_size(idx);
	lzma_index_end(idx, NULL);
	return ok;
}

static bool xz_size(const uint8_t *buf, size_t len, uint64_t *out)
{
	if (xz_index_size(buf, len, out))
		return true;
	return len > XZ_SIZE_APPEND && xz_index_size(buf, len - XZ_SIZE_APPEND, out);
}

/* The header's 64-bit size field; all ones means "unknown, look for the end marker". */
static bool lzma_size(const uint8_t *buf, size_t len, uint64_t *out)
{
	if (len < LZMA_ALONE_HEADER || lib_le64(buf + 5) == UINT64_MAX)
		return false;
	*out = lib_le64(buf + 5);
	return true;
}

static int xz_start(struct decomp *z, bool alone, struct err_msg *m)
{
	lzma_stream init = LZMA_STREAM_INIT;
	lzma_stream *s = malloc(sizeof(*s));
	lzma_ret ret;

	if (!s)
		return decomp_nomem(z, m);
	*s = init;
	ret = alone ? lzma_alone_decoder(s, XZ_MEMLIMIT) : lzma_stream_decoder(s, XZ_MEMLIMIT, 0);
	if (ret != LZMA_OK) {
		free(s);
		return decomp_nomem(z, m);
	}
	z->state = s;
	return 0;
}

static int xz_init(struct decomp *z, struct err_msg *m)
{
	return xz_start(z, false, m);
}

static int lzma_init(struct decomp *z, struct err_msg *m)
{
	return xz_start(z, true, m);
}

static const char *xz_error(lzma_ret ret)
{
	switch (ret) {
	case LZMA_FORMAT_ERROR:
		return "not in the expected format";
	case LZMA_OPTIONS_ERROR:
		return "unsupported compression options";
	case LZMA_MEMLIMIT_ERROR:
		return "the dictionary is larger than 256 MiB";
	default:
		return "invalid or damaged data (or a check mismatch)";
	}
}

static int xz_step(struct decomp *z, uint8_t *out, size_t avail, size_t *written,
		   struct err_msg *m)
{
	lzma_stream *s = z->state;
	lzma_ret ret;

	s->next_in = z->in + z->in_pos;
	s->avail_in = z->in_len - z->in_pos;
	s->next_out = out;
	s->avail_out = avail;
	ret = lzma_code(s, LZMA_RUN);
	z->in_pos = z->in_len - s->avail_in;
	*written = avail - s->avail_out;
	if (ret == LZMA_STREAM_END) {
		z->stream_end = true;
		return 0;
	}
	if (ret == LZMA_MEM_ERROR)
		return decomp_nomem(z, m);
	if (ret != LZMA_OK && ret != LZMA_BUF_ERROR)
		return decomp_corrupt(z, xz_error(ret), m);
	if (z->in_pos == z->in_len && s->avail_out > 0)
		return decomp_truncated(z, m);
	return 0;
}

static void xz_fini(struct decomp *z)
{
	lzma_end(z->state);
	free(z->state);
}

const struct decomp_codec decomp_xz = {
	"xz", xz_probe, xz_size, false, xz_init, xz_step, xz_fini,
};

const struct decomp_codec decomp_lzma = {
	"lzma", NULL, lzma_size, false, lzma_init, xz_step, xz_fini,
};
