/*
 * Decompression of kernel images: one codec per format (gzip and zlib,
 * zstd, xz, legacy lzma, lz4 frame and legacy, bzip2), each in its own
 * decomp_*.c file, behind one streaming interface.
 *
 * A decompressor is read like a file: decomp_read() fills a buffer with
 * the next bytes of output, so the builder can decompress straight into
 * guest memory window by window, and the loaders can read just the header
 * of a compressed kernel at plan time.  The driver (decomp.c) handles what
 * the formats share: several streams back to back, and what may follow the
 * last one (zero padding, or the 4-byte size Linux's build appends).
 *
 * Every fault in the data is -CACHET_LIB_EIMAGE with a message that names
 * the format and what is wrong.
 */
#ifndef LIBBUILD_DECOMP_H
#define LIBBUILD_DECOMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "errors.h"

/* The most a compressed kernel may expand to: xc_dom's XC_DOM_DECOMPRESS_MAX. */
#define DECOMP_MAX_OUTPUT (UINT64_C(1) << 30)

struct decomp;

struct decomp_codec {
	const char *name;
	/* Magic numbers; NULL for a format only a uImage header can name. */
	bool (*probe)(const uint8_t *buf, size_t len);
	/* The decompressed size if the container records it; false if not. */
	bool (*size)(const uint8_t *buf, size_t len, uint64_t *out);
	/*
	 * True if that size is only a hint: found where it would be if the
	 * file were whole (gzip's ISIZE trailer), so a damaged file gives a
	 * wrong one.  A hint above the limit is not an error by itself.
	 */
	bool size_is_hint;
	/* Starts a stream at z->in + z->in_pos; sets z->state. */
	int (*init)(struct decomp *z, struct err_msg *m);
	/*
	 * Decompresses into [out, out + avail) (avail > 0), advancing
	 * z->in_pos; sets z->stream_end when the stream ends.  Must make
	 * progress or fail: input that runs out before the end is a truncation.
	 */
	int (*step)(struct decomp *z, uint8_t *out, size_t avail, size_t *written,
		    struct err_msg *m);
	void (*fini)(struct decomp *z);
};

struct decomp {
	const struct decomp_codec *codec;
	const uint8_t *in;
	size_t in_len;
	size_t in_pos;         /* input consumed */
	uint64_t out_total;    /* output produced, over all streams */
	bool stream_end;       /* the codec saw the end of the current stream */
	bool done;             /* all input used up, what follows the streams checked */
	void *state;           /* the codec's */
};

/* The source of a segment decompressed while it is written to guest memory. */
struct decomp_src {
	const struct decomp_codec *codec;
	const uint8_t *in;
	size_t len;
};

extern const struct decomp_codec decomp_gzip;
extern const struct decomp_codec decomp_zlib;
extern const struct decomp_codec decomp_zstd;
extern const struct decomp_codec decomp_xz;
extern const struct decomp_codec decomp_lzma;
extern const struct decomp_codec decomp_lz4;
extern const struct decomp_codec decomp_lz4_legacy;
extern const struct decomp_codec decomp_bzip2;

/* The codec whose magic @buf starts with, or NULL. */
const struct decomp_codec *decomp_find(const uint8_t *buf, size_t len);

int decomp_open(struct decomp *z, const struct decomp_codec *c, const uint8_t *in, size_t len,
		struct err_msg *m);
/*
 * Fills @out with the next @len bytes of output, or fewer if the data ends
 * first (then z->done is set); *got is the count.
 */
int decomp_read(struct decomp *z, uint8_t *out, size_t len, size_t *got, struct err_msg *m);
/* Fails unless the data has ended: @what names the size it should have had. */
int decomp_expect_end(struct decomp *z, const char *what, struct err_msg *m);
void decomp_close(struct decomp *z);

/* The first up to @len bytes of output (fewer if the data is shorter). */
int decomp_prefix(const struct decomp_codec *c, const uint8_t *in, size_t len, uint8_t *out,
		  size_t want, size_t *got, struct err_msg *m);
/*
 * Everything, into an arena buffer that grows as needed up to @limit bytes
 * of output; more than that is -CACHET_LIB_EIMAGE.
 */
int decomp_to_arena(const struct decomp_codec *c, const uint8_t *in, size_t len, uint64_t limit,
		    struct arena *a, uint8_t **out, size_t *out_len, struct err_msg *m);

/* Helpers for the codecs. */
int decomp_truncated(const struct decomp *z, struct err_msg *m);
int decomp_corrupt(const struct decomp *z, const char *why, struct err_msg *m);
int decomp_nomem(const struct decomp *z, struct err_msg *m);

#endif
