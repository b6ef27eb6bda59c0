/*
 * Tests of compressed kernels: a synthetic arm64 Image compressed here with
 * each format's own library, then built into a domain against the fake
 * mailbox server, and what lands in guest memory compared byte for byte.
 * Also: which files are decompressed straight into guest memory (size
 * recorded) and which through the arena, truncated and corrupt data in
 * every format, what may follow a stream (Linux's appended size, padding,
 * more streams), the size limits, and what a compressed file may hold.
 */
#include <bzlib.h>
#include <check.h>
#include <lz4.h>
#include <lz4frame.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "arena.h"
#include "cachet/cachet.h"
#include "cachet/public/guest_map.h"
#include "decomp.h"
#include "loader.h"
#include "test_lib_elf.h"
#include "test_lib_fake.h"
#include "test_lib_kimg.h"

#define RAM0 CACHET_GUEST_RAM0_BASE
#define MiB (1ull << 20)
/* Over 8 MiB, so the lz4 legacy format has two blocks; odd, so nothing lines up. */
#define KLEN (9 * MiB + 12345)
#define KSIZE (11 * MiB) /* image_size */
#define LZ4_LEGACY_BLOCK (8u << 20)

struct blob {
	uint8_t *buf;
	size_t len;
};

/* ---- Compressors (test side: each format's own library). */

static struct blob c_gzip(const uint8_t *src, size_t len)
{
	struct blob b = { malloc(len + len / 100 + 1024), 0 };
	z_stream zs = { 0 };

	ck_assert_int_eq(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (Bytef *)(uintptr_t)src;
	zs.avail_in = (uInt)len;
	zs.next_out = b.buf;
	zs.avail_out = (uInt)(len + len / 100 + 1024);
	ck_assert_int_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
	b.len = zs.total_out;
	deflateEnd(&zs);
	return b;
}

static struct blob c_zlib(const uint8_t *src, size_t len)
{
	uLongf n = compressBound((uLong)len);
	struct blob b = { malloc(n), 0 };

	ck_assert_int_eq(compress2(b.buf, &n, src, (uLong)len, 6), Z_OK);
	b.len = n;
	return b;
}

static struct blob zstd_with(const uint8_t *src, size_t len, int content_size)
{
	ZSTD_CCtx *c = ZSTD_createCCtx();
	struct blob b = { malloc(ZSTD_compressBound(len)), 0 };

	ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1);
	ZSTD_CCtx_setParameter(c, ZSTD_c_contentSizeFlag, content_size);
	b.len = ZSTD_compress2(c, b.buf, ZSTD_compressBound(len), src, len);
	ck_assert(!ZSTD_isError(b.len));
	ZSTD_freeCCtx(c);
	return b;
}

static struct blob c_zstd(const uint8_t *src, size_t len)
{
	return zstd_with(src, len, 1);
}

static struct blob c_zstd_nosize(const uint8_t *src, size_t len)
{
	return zstd_with(src, len, 0);
}

static struct blob c_xz(const uint8_t *src, size_t len)
{
	size_t cap = lzma_stream_buffer_bound(len);
	struct blob b = { malloc(cap), 0 };

	ck_assert_int_eq(lzma_easy_buffer_encode(1, LZMA_CHECK_CRC32, NULL, src, len, b.buf,
						 &b.len, cap), LZMA_OK);
	return b;
}

static struct blob c_lzma_alone(const uint8_t *src, size_t len)
{
	size_t cap = len + len / 2 + 4096;
	struct blob b = { malloc(cap), 0 };
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_options_lzma opt;

	lzma_lzma_preset(&opt, 1);
	ck_assert_int_eq(lzma_alone_encoder(&s, &opt), LZMA_OK);
	s.next_in = src;
	s.avail_in = len;
	s.next_out = b.buf;
	s.avail_out = cap;
	ck_assert_int_eq(lzma_code(&s, LZMA_FINISH), LZMA_STREAM_END);
	b.len = cap - s.avail_out;
	lzma_end(&s);
	return b;
}

static struct blob lz4_with(const uint8_t *src, size_t len, unsigned long long content_size)
{
	LZ4F_preferences_t p;
	struct blob b;

	memset(&p, 0, sizeof(p));
	p.frameInfo.contentSize = content_size;
	p.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
	b.buf = malloc(LZ4F_compressFrameBound(len, &p));
	b.len = LZ4F_compressFrame(b.buf, LZ4F_compressFrameBound(len, &p), src, len, &p);
	ck_assert(!LZ4F_isError(b.len));
	return b;
}

static struct blob c_lz4(const uint8_t *src, size_t len)
{
	return lz4_with(src, len, len);
}

static struct blob c_lz4_nosize(const uint8_t *src, size_t len)
{
	return lz4_with(src, len, 0);
}

/* What `lz4 -l` writes: the legacy magic, then (le32 size, block) per 8 MiB. */
static struct blob c_lz4_legacy(const uint8_t *src, size_t len)
{
	struct blob b = { malloc(4 + len + len / 100 + 1024), 4 };

	memcpy(b.buf, "\x02\x21\x4c\x18", 4);
	for (size_t pos = 0; pos < len; pos += LZ4_LEGACY_BLOCK) {
		int in = (int)(len - pos < LZ4_LEGACY_BLOCK ? len - pos : LZ4_LEGACY_BLOCK);
		int n = LZ4_compress_default((const char *)src + pos, (char *)b.buf + b.len + 4, in,
					     LZ4_compressBound(in));

		ck_assert_int_gt(n, 0);
		kimg_put(b.buf + b.len, (uint64_t)n, 4);
		b.len += 4 + (size_t)n;
	}
	return b;
}

static struct blob c_bzip2(const uint8_t *src, size_t len)
{
	unsigned int n = (unsigned int)(len + len / 100 + 600);
	struct blob b = { malloc(n), 0 };

	ck_assert_int_eq(BZ2_bzBuffToBuffCompress((char *)b.buf, &n, (char *)(uintptr_t)src,
						  (unsigned int)len, 1, 0, 0), BZ_OK);
	b.len = n;
	return b;
}

struct format {
	const char *name;             /* as the loader's messages name it */
	struct blob (*compress)(const uint8_t *, size_t);
	bool streamed;                /* size recorded: decompressed into guest memory */
};

static const struct format formats[] = {
	{ "gzip", c_gzip, true },
	{ "zlib", c_zlib, false },
	{ "zstd", c_zstd, true },
	{ "zstd", c_zstd_nosize, false },
	{ "xz", c_xz, true },
	{ "lz4", c_lz4, true },
	{ "lz4", c_lz4_nosize, false },
	{ "lz4 (legacy format)", c_lz4_legacy, false },
	{ "bzip2", c_bzip2, false },
};
#define NR_FORMATS ((int)(sizeof(formats) / sizeof(formats[0])))

/* ---- Fixture: the fake server, a builder, and one Image. */

static struct fake f;
static cachet_handle *h;
static cachet_dom *d;
static struct arena arena;
static uint8_t *kernel;

static void setup(void)
{
	fake_init(&f, FAKE_RAM_SIZE + 16 * MiB, CACHET_MBOX_SLOTS);
	fake_start(&f);
	ck_assert_int_eq(cachet_open(f.path, &h), 0);
	d = cachet_dom_new(h);
	ck_assert_ptr_nonnull(d);
	arena_init(&arena);
	kernel = kimg_new(KLEN, 0, KSIZE, KIMG_FLAGS_DEBIAN);
	ck_assert_ptr_nonnull(kernel);
}

static void teardown(void)
{
	cachet_dom_free(d);
	cachet_close(h);
	fake_stop_thread(&f);
	ck_assert_uint_eq(f.bad_requests, 0);
	fake_fini(&f);
	arena_free(&arena);
	free(kernel);
}

static void expect_guest(uint64_t gpa, const void *want, size_t len)
{
	uint8_t *got = malloc(len);

	fake_read_guest(&f, gpa, got, len);
	ck_assert_msg(memcmp(got, want, len) == 0, "guest memory at 0x%llx differs",
		      (unsigned long long)gpa);
	free(got);
}

static bool flushed(uint64_t gfn)
{
	struct cachet_req req;

	for (unsigned int i = 0; fake_find(&f, CACHET_OP_CACHE_FLUSH, i, &req); i++)
		if (gfn >= req.u.flush.gfn && gfn - req.u.flush.gfn < req.u.flush.nr_pages)
			return true;
	return false;
}

/* Plans @b with the loaders alone (no domain): 0 or the error. */
static int plan(const struct blob *b, uint64_t ram, struct loader_image *img,
		struct err_msg *m)
{
	struct loader_in in = { b->buf, b->len, RAM0, ram, &arena, false };

	return loader_load(&in, img, m);
}

/* Builds @b into a 16 MiB guest; the build's result. */
static int build(const struct blob *b)
{
	ck_assert_int_eq(cachet_dom_kernel_mem(d, b->buf, b->len), 0);
	ck_assert_int_eq(cachet_dom_set_memory_mb(d, 16), 0);
	return cachet_dom_build(d, NULL);
}

/* The kernel in guest memory, and the rest of image_size kept free but not written. */
static void expect_kernel_in_guest(void)
{
	uint8_t *fill = malloc(KSIZE - KLEN);

	memset(fill, FAKE_FILL, KSIZE - KLEN);
	expect_guest(RAM0, kernel, KLEN);
	expect_guest(RAM0 + KLEN, fill, KSIZE - KLEN);
	for (uint64_t g = RAM0 >> 12; g < (RAM0 + KLEN + 4095) >> 12; g++)
		ck_assert_msg(flushed(g), "page 0x%llx not flushed", (unsigned long long)g);
	free(fill);
}

static void expect_build_error(const struct blob *b, int code, const char *part)
{
	ck_assert_int_eq(build(b), -code);
	ck_assert_msg(strstr(cachet_last_error(h), part) != NULL, "message \"%s\" lacks \"%s\"",
		      cachet_last_error(h), part);
	ck_assert_uint_eq(fake_live_domains(&f), 0);
}

/* ---- Round trips. */

START_TEST(test_round_trip)
{
	const struct format *fmt = &formats[_i];
	struct blob b = fmt->compress(kernel, KLEN);
	struct loader_image img;
	struct err_msg m;
	char want[64];

	ck_assert_int_eq(plan(&b, 16 * MiB, &img, &m), 0);
	snprintf(want, sizeof(want), "arm64 Image (%s)", fmt->name);
	ck_assert_str_eq(img.format, want);
	ck_assert_uint_eq(img.entry, RAM0);
	ck_assert_uint_eq(img.end, RAM0 + KSIZE);
	ck_assert_uint_eq(img.segs[0].filesz, KLEN);
	ck_assert_uint_eq(img.segs[0].memsz, KLEN); /* image_size is kept free, not written */
	/* Recorded size: straight into guest memory; else through the arena. */
	ck_assert_msg((img.segs[0].stream != NULL) == fmt->streamed, "%s: streamed %d",
		      fmt->name, img.segs[0].stream != NULL);
	ck_assert_int_eq(build(&b), 0);
	expect_kernel_in_guest();
	free(b.buf);
}
END_TEST

/* What U-Boot calls lzma is the legacy .lzma format: only a uImage can name it. */
START_TEST(test_round_trip_lzma_alone_in_uimage)
{
	struct blob z = c_lzma_alone(kernel, KLEN);
	struct blob u = { malloc(64 + z.len), 64 + z.len };
	uint32_t crc = (uint32_t)crc32(0, z.buf, (uInt)z.len);

	memset(u.buf, 0, 64);
	memcpy(u.buf + 64, z.buf, z.len);
	kimg_put(u.buf, 0x56190527, 4);
	for (int i = 0; i < 4; i++) {
		u.buf[0x0c + i] = (uint8_t)(z.len >> (24 - 8 * i));
		u.buf[0x18 + i] = (uint8_t)(crc >> (24 - 8 * i));
	}
	u.buf[0x1d] = 22, u.buf[0x1e] = 2, u.buf[0x1f] = 3;
	crc = (uint32_t)crc32(0, u.buf, 64);
	for (int i = 0; i < 4; i++)
		u.buf[0x04 + i] = (uint8_t)(crc >> (24 - 8 * i));
	ck_assert_int_eq(build(&u), 0);
	expect_kernel_in_guest();
	free(z.buf);
	free(u.buf);
}
END_TEST

/* ---- Damaged data: refused, and a domain created to stream into is destroyed. */

START_TEST(test_truncated)
{
	const struct format *fmt = &formats[_i];
	struct blob b = fmt->compress(kernel, KLEN);
	char part[80];

	b.len = b.len * 6 / 10;
	snprintf(part, sizeof(part), "kernel: %s stream truncated after %zu bytes", fmt->name,
		 b.len);
	expect_build_error(&b, CACHET_LIB_EIMAGE, part);
	free(b.buf);
}
END_TEST

START_TEST(test_corrupt)
{
	const struct format *fmt = &formats[_i];
	struct blob b = fmt->compress(kernel, KLEN);
	char part[80];

	if (fmt->compress == c_lz4_legacy) /* no checksum: break a block size instead */
		kimg_put(b.buf + 4, 0x7fffffff, 4);
	else
		memset(b.buf + b.len / 2, 0x55, 64);
	snprintf(part, sizeof(part), "kernel: %s stream corrupt near input byte ", fmt->name);
	expect_build_error(&b, CACHET_LIB_EIMAGE, part);
	free(b.buf);
}
END_TEST

/* A gzip trailer that lies about the size is found while streaming, and undone. */
START_TEST(test_gzip_size_hint_wrong)
{
	struct blob b = c_gzip(kernel, KLEN);

	kimg_put(b.buf + b.len - 4, KLEN - 100, 4);
	expect_build_error(&b, CACHET_LIB_EIMAGE, "kernel: gzip data is longer than the 9449429 "
			   "bytes the file records");
	ck_assert_uint_eq(fake_count(&f, CACHET_OP_DOMAIN_DESTROY), 1);
	free(b.buf);
}
END_TEST

/* ---- What may follow a stream. */

static struct blob with_tail(struct blob b, const void *tail, size_t n)
{
	b.buf = realloc(b.buf, b.len + n);
	memcpy(b.buf + b.len, tail, n);
	b.len += n;
	return b;
}

/* Linux's size_append: the output size as 4 little-endian bytes, in each format. */
START_TEST(test_linux_size_append)
{
	const struct format *fmt = &formats[_i];
	uint8_t size[4];
	struct blob b;

	if (fmt->compress == c_gzip || fmt->compress == c_zlib)
		return; /* Linux does not append it to gzip files (and never uses zlib's) */
	kimg_put(size, KLEN, 4);
	b = with_tail(fmt->compress(kernel, KLEN), size, 4);
	ck_assert_int_eq(build(&b), 0);
	expect_kernel_in_guest();
	free(b.buf);
}
END_TEST

START_TEST(test_wrong_size_append_refused)
{
	uint8_t size[4];
	struct blob b;

	kimg_put(size, KLEN + 1, 4);
	b = with_tail(c_bzip2(kernel, KLEN), size, 4);
	expect_build_error(&b, CACHET_LIB_EIMAGE, "kernel: bzip2: the 4 bytes after the stream "
			   "(the size Linux appends) say 9449530 bytes, but it decompressed to "
			   "9449529");
	ck_assert_uint_eq(fake_nlog(&f), 0); /* found at plan time: nothing was created */
	free(b.buf);
}
END_TEST

START_TEST(test_padding_and_garbage_after_stream)
{
	static const uint8_t zeroes[512], junk[5] = "junk";
	struct blob b = with_tail(c_xz(kernel, KLEN), zeroes, sizeof(zeroes));
	size_t end = b.len - sizeof(zeroes);
	char part[128];

	ck_assert_int_eq(build(&b), 0);
	expect_kernel_in_guest();
	teardown();
	setup();
	b.len = end;
	b = with_tail(b, junk, sizeof(junk));
	snprintf(part, sizeof(part), "kernel: xz: 5 bytes of unknown data after the end of the "
		 "stream at input byte %zu", end);
	expect_build_error(&b, CACHET_LIB_EIMAGE, part);
	free(b.buf);
}
END_TEST

/* Several streams back to back make one kernel, whatever the format. */
START_TEST(test_concatenated_streams)
{
	static struct blob (*const fns[])(const uint8_t *, size_t) = {
		c_zstd, c_xz, c_bzip2, c_lz4, c_lz4_legacy,
	};

	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		struct blob a = fns[i](kernel, 3 * MiB);
		struct blob b = fns[i](kernel + 3 * MiB, KLEN - 3 * MiB);

		a = with_tail(a, b.buf, b.len);
		ck_assert_int_eq(build(&a), 0);
		expect_kernel_in_guest();
		free(a.buf);
		free(b.buf);
		/* A fresh machine: the fake gives frames out only once. */
		teardown();
		setup();
	}
}
END_TEST

/* gzip's ISIZE is that of the last member only: a multi-member file is refused. */
START_TEST(test_gzip_members_refused)
{
	struct blob a = c_gzip(kernel, 3 * MiB);
	struct blob b = c_gzip(kernel + 3 * MiB, KLEN - 3 * MiB);

	a = with_tail(a, b.buf, b.len);
	expect_build_error(&a, CACHET_LIB_EIMAGE, "kernel: gzip data is longer than the 6303801 "
			   "bytes the file records");
	free(a.buf);
	free(b.buf);
}
END_TEST

/* ---- Limits: 1 GiB or the guest's RAM, whichever is less. */

START_TEST(test_recorded_size_above_limit)
{
	struct blob b = c_zstd(kernel, KLEN);

	ck_assert_int_eq(cachet_dom_kernel_mem(d, b.buf, b.len), 0);
	ck_assert_int_eq(cachet_dom_set_memory_mb(d, 8), 0);
	ck_assert_int_eq(cachet_dom_build(d, NULL), -CACHET_LIB_EIMAGE);
	ck_assert_str_eq(cachet_last_error(h), "kernel: zstd data records 9449529 bytes "
			 "decompressed, above the limit of 8388608 (1 GiB or the guest's RAM)");
	ck_assert_uint_eq(fake_nlog(&f), 0);
	free(b.buf);
}
END_TEST

START_TEST(test_unrecorded_size_above_limit)
{
	struct blob b = c_lz4_legacy(kernel, KLEN);

	ck_assert_int_eq(cachet_dom_kernel_mem(d, b.buf, b.len), 0);
	ck_assert_int_eq(cachet_dom_set_memory_mb(d, 8), 0);
	ck_assert_int_eq(cachet_dom_build(d, NULL), -CACHET_LIB_EIMAGE);
	ck_assert_str_eq(cachet_last_error(h), "kernel: lz4 (legacy format) data decompresses "
			 "to more than 8388608 bytes, the limit (1 GiB or the guest's RAM)");
	ck_assert_uint_eq(fake_nlog(&f), 0);
	free(b.buf);
}
END_TEST

/* A kernel that compresses very well outgrows the first guess of the arena buffer. */
START_TEST(test_arena_buffer_grows)
{
	uint8_t *z = calloc(1, KLEN);
	struct blob b;
	uint8_t *out = NULL;
	size_t out_len = 0;
	struct err_msg m;

	kimg_write(z, 64, 0, KSIZE, 0);
	b = c_bzip2(z, KLEN);
	ck_assert_uint_lt(b.len * 4, KLEN / 8);
	ck_assert_int_eq(decomp_to_arena(&decomp_bzip2, b.buf, b.len, 64 * MiB, &arena, &out,
					 &out_len, &m), 0);
	ck_assert_uint_eq(out_len, KLEN);
	ck_assert_mem_eq(out, z, KLEN);
	ck_assert_int_eq(decomp_to_arena(&decomp_bzip2, b.buf, b.len, KLEN, &arena, &out,
					 &out_len, &m), 0);
	ck_assert_int_eq(decomp_to_arena(&decomp_bzip2, b.buf, b.len, KLEN - 1, &arena, &out,
					 &out_len, &m), -CACHET_LIB_EIMAGE);
	ck_assert_str_eq(m.text, "bzip2 data decompresses to more than 9449528 bytes, the limit "
			 "(1 GiB or the guest's RAM)");
	free(b.buf);
	free(z);
}
END_TEST

/* ---- What a compressed file may hold. */

START_TEST(test_content_not_an_image)
{
	static const char text[] = "This is not a kernel, just some text that compresses well "
				   "enough for anybody who would compress it.";
	struct blob b = c_gzip((const uint8_t *)text, sizeof(text));
	struct blob twice;

	expect_build_error(&b, CACHET_LIB_EIMAGE, "kernel: decompressed kernel is not an arm64 "
			   "Image (no ARM\\x64 magic at 0x38)");
	ck_assert_uint_eq(fake_nlog(&f), 0);
	free(b.buf);
	b = c_gzip(kernel, KLEN);
	twice = c_gzip(b.buf, b.len);
	expect_build_error(&twice, CACHET_LIB_EIMAGE, "kernel: decompressed kernel is not an "
			   "arm64 Image (no ARM\\x64 magic at 0x38)");
	free(b.buf);
	free(twice.buf);
}
END_TEST

START_TEST(test_content_bad_image_header)
{
	struct blob b;

	kimg_put(kernel + 8, 0x80200, 8); /* text_offset */
	b = c_zstd(kernel, KLEN);
	expect_build_error(&b, CACHET_LIB_EIMAGE, "kernel: arm64 Image: text_offset 0x80200 not 4 "
			   "KiB aligned");
	ck_assert_uint_eq(fake_nlog(&f), 0);
	free(b.buf);
}
END_TEST

START_TEST(test_content_elf)
{
	struct telf e;
	uint8_t elf[TELF_FILE_SIZE];
	struct blob b;

	telf_default(&e);
	telf_write(&e, elf, sizeof(elf));
	b = c_gzip(elf, sizeof(elf));
	ck_assert_int_eq(build(&b), 0);
	expect_guest(0x40080000, elf + 0x1000, 0x2000);
	expect_guest(0x40200000, elf + 0x3000, 0x800);
	free(b.buf);
}
END_TEST

static Suite *decomp_suite(void)
{
	Suite *s = suite_create("lib_decomp");
	TCase *trip = tcase_create("round_trip");
	TCase *bad = tcase_create("damaged");
	TCase *tail = tcase_create("tail");
	TCase *lim = tcase_create("limits_and_content");
	TCase *all[] = { trip, bad, tail, lim };

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		tcase_add_checked_fixture(all[i], setup, teardown);
		tcase_set_timeout(all[i], 120);
		suite_add_tcase(s, all[i]);
	}
	tcase_add_loop_test(trip, test_round_trip, 0, NR_FORMATS);
	tcase_add_test(trip, test_round_trip_lzma_alone_in_uimage);
	tcase_add_loop_test(bad, test_truncated, 0, NR_FORMATS);
	tcase_add_loop_test(bad, test_corrupt, 0, NR_FORMATS);
	tcase_add_test(bad, test_gzip_size_hint_wrong);
	tcase_add_loop_test(tail, test_linux_size_append, 0, NR_FORMATS);
	tcase_add_test(tail, test_wrong_size_append_refused);
	tcase_add_test(tail, test_padding_and_garbage_after_stream);
	tcase_add_test(tail, test_concatenated_streams);
	tcase_add_test(tail, test_gzip_members_refused);
	tcase_add_test(lim, test_recorded_size_above_limit);
	tcase_add_test(lim, test_unrecorded_size_above_limit);
	tcase_add_test(lim, test_arena_buffer_grows);
	tcase_add_test(lim, test_content_not_an_image);
	tcase_add_test(lim, test_content_bad_image_header);
	tcase_add_test(lim, test_content_elf);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(decomp_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
