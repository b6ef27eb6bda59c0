/*
 * Tests of the arm64 Image, arm32 zImage and legacy uImage loaders: header
 * parsing and placement per Documentation/arch/arm64/booting.rst
 * (text_offset, image_size, flags) and arch/arm/booting.rst (first 128 MiB,
 * above 32 MiB, modules above 128 MiB), every rejection with its message, and whole builds of Images
 * against the fake mailbox server: what lands in guest memory, the bss,
 * where the DTB and the ramdisk go, and vCPU 0's registers.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "arena.h"
#include "cachet/cachet.h"
#include "cachet/public/guest_map.h"
#include "layout.h"
#include "loader.h"
#include "test_lib_elf.h"
#include "test_lib_fake.h"
#include "test_lib_kimg.h"

#define RAM0 CACHET_GUEST_RAM0_BASE
#define MiB (1ull << 20)

static struct arena arena;
static struct loader_image img;
static struct err_msg msg;
static uint8_t *buf;
static size_t buf_len;

static void setup(void)
{
	arena_init(&arena);
	memset(&msg, 0, sizeof(msg));
	buf = NULL;
}

static void teardown(void)
{
	arena_free(&arena);
	free(buf);
}

static void make(size_t len, uint64_t text_offset, uint64_t image_size, uint64_t flags)
{
	free(buf);
	buf_len = len;
	buf = kimg_new(len, text_offset, image_size, flags);
	ck_assert_ptr_nonnull(buf);
}

static int load_in(uint64_t ram_size)
{
	struct loader_in in = { buf, buf_len, RAM0, ram_size, &arena, false };

	return loader_load(&in, &img, &msg);
}

static void expect_fail(uint64_t ram_size, int code, const char *want)
{
	ck_assert_int_eq(load_in(ram_size), -code);
	ck_assert_str_eq(msg.text, want);
}

static void expect_fail_has(uint64_t ram_size, int code, const char *part)
{
	ck_assert_int_eq(load_in(ram_size), -code);
	ck_assert_msg(strstr(msg.text, part) != NULL, "'%s' lacks '%s'", msg.text, part);
}

/* ---- arm64 Image. */

START_TEST(test_image_text_offset_0)
{
	make(0x5000, 0, 0x9000, KIMG_FLAGS_DEBIAN);
	ck_assert(image_probe(buf, buf_len));
	ck_assert_int_eq(load_in(16 * MiB), 0);
	ck_assert_str_eq(img.format, "arm64 Image");
	ck_assert_uint_eq(img.nr_segs, 1);
	ck_assert_uint_eq(img.segs[0].gpa, RAM0);
	ck_assert_ptr_eq(img.segs[0].src, buf);
	ck_assert_ptr_null(img.segs[0].stream);
	ck_assert_uint_eq(img.segs[0].filesz, 0x5000);
	ck_assert_uint_eq(img.segs[0].memsz, 0x5000); /* the file: the bss is kept free, not written */
	ck_assert_uint_eq(img.entry, RAM0);
	ck_assert_uint_eq(img.start, RAM0);
	ck_assert_uint_eq(img.end, RAM0 + 0x9000);
}
END_TEST

START_TEST(test_image_text_offset_0x80000)
{
	make(0x3000, 0x80000, 0x10000, 0x2);
	ck_assert_int_eq(load_in(16 * MiB), 0);
	ck_assert_uint_eq(img.segs[0].gpa, RAM0 + 0x80000);
	ck_assert_uint_eq(img.entry, RAM0 + 0x80000);
	ck_assert_uint_eq(img.end, RAM0 + 0x90000);
}
END_TEST

/* Before v3.17: image_size 0, text_offset 0x80000 whatever the field says, 16 MiB assumed. */
START_TEST(test_image_size_0_is_a_pre_3_17_kernel)
{
	make(0x3000, 0x1000, 0, 0);
	ck_assert_int_eq(load_in(32 * MiB), 0);
	ck_assert_uint_eq(img.entry, RAM0 + 0x80000);
	ck_assert_uint_eq(img.segs[0].filesz, 0x3000);
	ck_assert_uint_eq(img.segs[0].memsz, 0x3000);
	ck_assert_uint_eq(img.end, RAM0 + 0x80000 + 16 * MiB);
	expect_fail(16 * MiB, CACHET_LIB_ELAYOUT, "arm64 Image needs 0x1000000 bytes (image_size "
		    "0: assumed 16 MiB) at 0x40080000, but the guest has only 0xf80000 bytes of "
		    "RAM there");
}
END_TEST

/* Bit 3 widens the choice; the lowest 2 MiB-aligned base suits both values. */
START_TEST(test_image_flags_bit3_both_placed_lowest)
{
	make(0x3000, 0x80000, 0x10000, 0);
	ck_assert_int_eq(load_in(16 * MiB), 0);
	ck_assert_uint_eq(img.entry, RAM0 + 0x80000);
	make(0x3000, 0x80000, 0x10000, KIMG_FLAG_ANYWHERE);
	ck_assert_int_eq(load_in(16 * MiB), 0);
	ck_assert_uint_eq(img.entry, RAM0 + 0x80000);
}
END_TEST

START_TEST(test_image_bad_text_offset_alignment)
{
	make(0x3000, 0x80010, 0x10000, 0);
	expect_fail(16 * MiB, CACHET_LIB_EIMAGE, "arm64 Image: text_offset 0x80010 not 4 KiB "
		    "aligned");
	make(0x3000, 0x800, 0x10000, 0);
	expect_fail(16 * MiB, CACHET_LIB_EIMAGE, "arm64 Image: text_offset 0x800 not 4 KiB "
		    "aligned");
}
END_TEST

START_TEST(test_image_larger_than_ram)
{
	/* Debian 12's image_size, in an 8 MiB guest. */
	make(0x3000, 0, 0x2010000, KIMG_FLAGS_DEBIAN);
	expect_fail(8 * MiB, CACHET_LIB_ELAYOUT, "arm64 Image needs 0x2010000 bytes (image_size) "
		    "at 0x40000000, but the guest has only 0x800000 bytes of RAM there");
	ck_assert_int_eq(load_in(0x2010000), 0); /* exactly enough */
	make(0x3000, 0x80000, 0x800000, 0);
	expect_fail(8 * MiB, CACHET_LIB_ELAYOUT, "arm64 Image needs 0x800000 bytes (image_size) "
		    "at 0x40080000, but the guest has only 0x780000 bytes of RAM there");
	make(0x3000, 16 * MiB, 0x1000, 0);
	expect_fail(8 * MiB, CACHET_LIB_ELAYOUT, "arm64 Image needs 0x3000 bytes (image_size) at "
		    "0x41000000, but the guest has only 0x0 bytes of RAM there");
}
END_TEST

/* A file longer than image_size (an appended signature, say) keeps all its bytes. */
START_TEST(test_image_file_longer_than_image_size)
{
	make(0x6000, 0, 0x4000, 0);
	ck_assert_int_eq(load_in(16 * MiB), 0);
	ck_assert_uint_eq(img.segs[0].filesz, 0x6000);
	ck_assert_uint_eq(img.segs[0].memsz, 0x6000);
}
END_TEST

START_TEST(test_image_truncated_header)
{
	make(64, 0, 0x1000, 0);
	buf_len = 0x3c; /* the magic is there, the header is not whole */
	expect_fail(16 * MiB, CACHET_LIB_EIMAGE, "arm64 Image: truncated header (60 bytes, need "
		    "64)");
	buf_len = 0x3b; /* no whole magic: not an Image at all, and not loaded as anything */
	ck_assert_int_eq(load_in(16 * MiB), -CACHET_LIB_EIMAGE);
}
END_TEST

/* flags bit 0: a big-endian kernel is refused, not booted as if little-endian. */
START_TEST(test_image_big_endian_refused)
{
	make(0x3000, 0, 0x4000, KIMG_FLAGS_DEBIAN | 1);
	expect_fail_has(16 * MiB, CACHET_LIB_EIMAGE, "arm64 Image: big-endian kernel (flags bit 0 set)");
	/* Before v3.17 (image_size 0) there are no flags to read. */
	make(0x3000, 0, 0, 1);
	ck_assert_int_eq(load_in(32 * MiB), 0);
}
END_TEST

/* An EFI-stub Image whose PE/COFF section says its data ends at @raw_end. */
static void make_pe(size_t len, uint32_t raw_end)
{
	make(len, 0, 0x400000, KIMG_FLAGS_DEBIAN);
	memset(buf + 0x40, 0, 0x100);
	kimg_put(buf + 0x3c, 0x40, 4);
	memcpy(buf + 0x40, "PE\0\0", 4);
	kimg_put(buf + 0x40 + 6, 1, 2);                 /* one section */
	kimg_put(buf + 0x40 + 20, 0, 2);                /* no optional header */
	kimg_put(buf + 0x40 + 24 + 16, raw_end - 0x1000, 4); /* SizeOfRawData */
	kimg_put(buf + 0x40 + 24 + 20, 0x1000, 4);      /* PointerToRawData */
}

/* The file must hold every section the PE/COFF header describes (image_size includes BSS). */
START_TEST(test_image_truncated_sections_refused)
{
	make_pe(0x8000, 0x8000);
	ck_assert_int_eq(load_in(16 * MiB), 0);
	make_pe(0x8000, 0x8001);
	expect_fail_has(16 * MiB, CACHET_LIB_EIMAGE, "arm64 Image: truncated: its PE/COFF sections end "
		    "at byte 32769, but the file has 32768 bytes");
	/* Cut inside the section table, and before the PE header. */
	make_pe(0x8000, 0x8000);
	buf_len = 0x40 + 24 + 8;
	expect_fail_has(16 * MiB, CACHET_LIB_EIMAGE, "truncated within its PE section table");
	buf_len = 64;
	expect_fail_has(16 * MiB, CACHET_LIB_EIMAGE, "its PE header at 0x40 lies beyond the end");
}
END_TEST

/* Debian's own kernel: whole it loads, cut anywhere it is refused. */
START_TEST(test_image_debian_truncations)
{
	const char *cache = getenv("CACHET_GUEST_CACHE");
	char path[4096];
	size_t full;
	FILE *f;

	if (cache)
		snprintf(path, sizeof(path), "%s/guest-arm64/Image", cache);
	else
		snprintf(path, sizeof(path), "%s/.cache/cachet/guest-arm64/Image",
			 getenv("HOME") ? getenv("HOME") : "");
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "SKIP test_image_debian_truncations: no %s "
			"(tests/linux/fetch-guest-assets fetches it)\n", path);
		return;
	}
	free(buf);
	buf = malloc(64 * MiB);
	ck_assert_ptr_nonnull(buf);
	full = fread(buf, 1, 64 * MiB, f);
	fclose(f);
	ck_assert_uint_gt(full, 16 * MiB);
	buf_len = full;
	ck_assert_int_eq(load_in(256 * MiB), 0);
	ck_assert_uint_eq(img.segs[0].filesz, full);
	{
		const size_t cuts[] = { 64, 1 * MiB, full / 2, full - 4096 };

		for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
			buf_len = cuts[i];
			ck_assert_int_eq(load_in(256 * MiB), -CACHET_LIB_EIMAGE);
			ck_assert_msg(strstr(msg.text, "truncated") != NULL, "cut at %zu: %s",
				      cuts[i], msg.text);
		}
	}
}
END_TEST

/* ---- Legacy uImage. */

#define UIMG_HDR 64u

/* A uImage of @payload, with valid CRCs unless the test breaks them after. */
static void make_uimage(const uint8_t *payload, size_t len, uint8_t type, uint8_t arch,
			uint8_t comp)
{
	uint8_t *u = malloc(UIMG_HDR + len);
	uint32_t crc;

	ck_assert_ptr_nonnull(u);
	memset(u, 0, UIMG_HDR);
	memcpy(u + UIMG_HDR, payload, len);
	u[0] = 0x27, u[1] = 0x05, u[2] = 0x19, u[3] = 0x56;
	for (int i = 0; i < 4; i++) {
		u[0x0c + i] = (uint8_t)(len >> (24 - 8 * i));
		u[0x10 + i] = (uint8_t)(0x40080000u >> (24 - 8 * i)); /* ih_load, unused */
		u[0x14 + i] = (uint8_t)(0x40080000u >> (24 - 8 * i)); /* ih_ep, unused */
	}
	crc = (uint32_t)crc32(0, payload, (uInt)len);
	for (int i = 0; i < 4; i++)
		u[0x18 + i] = (uint8_t)(crc >> (24 - 8 * i));
	u[0x1c] = 5; /* IH_OS_LINUX */
	u[0x1d] = arch;
	u[0x1e] = type;
	u[0x1f] = comp;
	memcpy(u + 0x20, "Linux", 5);
	crc = (uint32_t)crc32(0, u, UIMG_HDR);
	for (int i = 0; i < 4; i++)
		u[0x04 + i] = (uint8_t)(crc >> (24 - 8 * i));
	free(buf);
	buf = u;
	buf_len = UIMG_HDR + len;
}

/* A gzip file of @len bytes at @src, in the arena. */
static uint8_t *gzip_of(const uint8_t *src, size_t len, size_t *out_len)
{
	z_stream zs = { 0 };
	size_t cap = len + len / 100 + 1024;
	uint8_t *out = arena_alloc(&arena, cap);

	ck_assert_int_eq(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (Bytef *)(uintptr_t)src;
	zs.avail_in = (uInt)len;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	ck_assert_int_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
	*out_len = zs.total_out;
	deflateEnd(&zs);
	return out;
}

static uint8_t *image_copy(size_t len, uint64_t text_offset, uint64_t image_size)
{
	uint8_t *k = arena_alloc(&arena, len);

	kimg_write(k, len, text_offset, image_size, KIMG_FLAGS_DEBIAN);
	return k;
}

START_TEST(test_uimage_good_uncompressed)
{
	uint8_t *k = image_copy(0x4000, 0x80000, 0x10000);

	make_uimage(k, 0x4000, 2, 22, 0);
	ck_assert(uimage_probe(buf, buf_len));
	ck_assert_int_eq(load_in(16 * MiB), 0);
	ck_assert_str_eq(img.format, "arm64 Image");
	/* The Image header places it, not ih_load. */
	ck_assert_uint_eq(img.entry, RAM0 + 0x80000);
	ck_assert_ptr_eq(img.segs[0].src, buf + UIMG_HDR);
	ck_assert_uint_eq(img.segs[0].filesz, 0x4000);
	ck_assert_uint_eq(img.segs[0].memsz, 0x4000);
	ck_assert_uint_eq(img.end, RAM0 + 0x80000 + 0x10000);
	make_uimage(k, 0x4000, 14, 22, 0); /* IH_TYPE_KERNEL_NOLOAD */
	ck_assert_int_eq(load_in(16 * MiB), 0);
}
END_TEST

START_TEST(test_uimage_good_gzip)
{
	uint8_t *k = image_copy(0x20000, 0, 0x40000);
	size_t gz_len;
	uint8_t *gz = gzip_of(k, 0x20000, &gz_len);

	make_uimage(gz, gz_len, 2, 22, 1);
	ck_assert_int_eq(load_in(16 * MiB), 0);
	ck_assert_str_eq(img.format, "arm64 Image (gzip)");
	ck_assert_ptr_nonnull(img.segs[0].stream);
	ck_assert_ptr_eq(img.segs[0].stream->in, buf + UIMG_HDR);
	ck_assert_uint_eq(img.segs[0].stream->len, gz_len);
	ck_assert_uint_eq(img.segs[0].filesz, 0x20000);
	ck_assert_uint_eq(img.segs[0].memsz, 0x20000);
	ck_assert_uint_eq(img.end - img.start, 0x40000);
}
END_TEST

START_TEST(test_uimage_bad_header_crc)
{
	uint8_t *k = image_copy(0x4000, 0, 0x10000);

	make_uimage(k, 0x4000, 2, 22, 0);
	buf[0x20] ^= 1; /* ih_name */
	ck_assert_int_eq(load_in(16 * MiB), -CACHET_LIB_EIMAGE);
	ck_assert_msg(strncmp(msg.text, "uImage: header CRC mismatch (header says 0x", 43) == 0,
		      "%s", msg.text);
}
END_TEST

START_TEST(test_uimage_bad_data_crc)
{
	uint8_t *k = image_copy(0x4000, 0, 0x10000);

	make_uimage(k, 0x4000, 2, 22, 0);
	buf[UIMG_HDR + 0x1000] ^= 0x40;
	ck_assert_int_eq(load_in(16 * MiB), -CACHET_LIB_EIMAGE);
	ck_assert_msg(strncmp(msg.text, "uImage: data CRC mismatch (header says 0x", 41) == 0,
		      "%s", msg.text);
}
END_TEST

START_TEST(test_uimage_wrong_type_or_arch)
{
	uint8_t *k = image_copy(0x4000, 0, 0x10000);

	make_uimage(k, 0x4000, 3, 22, 0); /* IH_TYPE_RAMDISK */
	expect_fail(16 * MiB, CACHET_LIB_EIMAGE, "uImage: image type 3 is not a kernel (2, or 14 "
		    "for kernel_noload)");
	make_uimage(k, 0x4000, 4, 22, 0); /* IH_TYPE_MULTI */
	expect_fail(16 * MiB, CACHET_LIB_EIMAGE, "uImage: image type 4 is not a kernel (2, or 14 "
		    "for kernel_noload)");
	make_uimage(k, 0x4000, 2, 3, 0); /* IH_ARCH_I386 */
	expect_fail(16 * MiB, CACHET_LIB_EIMAGE, "uImage: architecture 3 is neither arm64 (22) "
		    "nor arm (2)");
	make_uimage(k, 0x4000, 2, 2, 0); /* IH_ARCH_ARM, but an arm64 Image inside */
	expect_fail(16 * MiB, CACHET_LIB_EIMAGE, "uImage: arm payload is not a zImage (no magic "
		    "0x016f2818 at 0x24)");
}
END_TEST

/* What Linux's `make uImage` makes for arm: an uncompressed zImage, placed by the zImage rules. */
START_TEST(test_uimage_arm_zimage)
{
	uint8_t *z = arena_alloc(&arena, 0x8000);

	zimg_write(z, 0x8000, 0, 0x8000);
	make_uimage(z, 0x8000, 2, 2, 0);
	ck_assert_int_eq(load_in(256 * MiB), 0);
	ck_assert_str_eq(img.format, "arm32 zImage");
	ck_assert(img.aarch32);
	ck_assert_uint_eq(img.segs[0].gpa, RAM0 + 32 * MiB);
	ck_assert_uint_eq(img.segs[0].filesz, 0x8000);
	ck_assert(memcmp(img.segs[0].src, z, 0x8000) == 0);
	make_uimage(z, 0x8000, 2, 2, 1);
	expect_fail(256 * MiB, CACHET_LIB_EIMAGE, "uImage: arm payload with compression 1; only "
		    "an uncompressed zImage (compression none) is supported");
}
END_TEST

/* ---- arm32 zImage. */

static void make_zimage(size_t len, uint32_t start, uint32_t end)
{
	free(buf);
	buf_len = len;
	buf = malloc(len);
	ck_assert_ptr_nonnull(buf);
	zimg_write(buf, len, start, end);
}

/* booting.rst: in the first 128 MiB, above 32 MiB when it fits; modules at 128 MiB. */
START_TEST(test_zimage_placed_above_32m)
{
	make_zimage(0x50000, 0, 0x4f000); /* 4 KiB more than end: an appended DTB, say */
	ck_assert(zimage_probe(buf, buf_len));
	ck_assert_int_eq(load_in(256 * MiB), 0);
	ck_assert_str_eq(img.format, "arm32 zImage");
	ck_assert(img.aarch32);
	ck_assert_uint_eq(img.nr_segs, 1);
	ck_assert_uint_eq(img.segs[0].gpa, RAM0 + 32 * MiB);
	ck_assert_uint_eq(img.segs[0].filesz, 0x50000);
	ck_assert_uint_eq(img.entry, RAM0 + 32 * MiB);
	/* The decompressor's bss, stack and heap follow it: 1 MiB kept. */
	ck_assert_uint_eq(img.end, RAM0 + 32 * MiB + 0x50000 + MiB);
	ck_assert_uint_eq(img.modules_at, RAM0 + 128 * MiB);
}
END_TEST

/* Too little RAM for 32 MiB of room: just off the start of RAM, as Xen's libxc does. */
START_TEST(test_zimage_small_ram)
{
	make_zimage(0x50000, 0, 0x50000);
	ck_assert_int_eq(load_in(16 * MiB), 0);
	ck_assert_uint_eq(img.segs[0].gpa, RAM0 + 0x8000);
	make_zimage(16 * MiB, 0, 16 * MiB);
	expect_fail(16 * MiB, CACHET_LIB_ELAYOUT, "zImage of 16777216 bytes (and 1 MiB for its "
		    "decompressor to work in) does not fit in the first 16 MiB of guest RAM, where "
		    "the decompressor must run");
	make_zimage(15 * MiB, 0, 15 * MiB); /* fits, but not with the decompressor's 1 MiB */
	expect_fail_has(16 * MiB, CACHET_LIB_ELAYOUT, "zImage of 15728640 bytes (and 1 MiB");
	make_zimage(0x50000, 0, 0x50000);
	ck_assert_int_eq(load_in(512 * MiB), 0);
	ck_assert_uint_eq(img.segs[0].gpa, RAM0 + 32 * MiB);
}
END_TEST

START_TEST(test_zimage_malformed)
{
	make_zimage(0x10000, 0, 0x20000);
	expect_fail(256 * MiB, CACHET_LIB_EIMAGE, "zImage: truncated (the header says 131072 "
		    "bytes, the file has 65536)");
	make_zimage(0x10000, 0x1000, 0x1000);
	expect_fail(256 * MiB, CACHET_LIB_EIMAGE, "zImage: end 0x00001000 is not above start "
		    "0x00001000");
	make_zimage(0x10000, 0, 0x10000);
	kimg_put(buf + 0x30, 0x01020304u, 4);
	expect_fail(256 * MiB, CACHET_LIB_EIMAGE, "zImage: big-endian kernel (0x01020304 at "
		    "0x30); only little-endian guests are supported");
	/* Shorter than the header: not a zImage at all. */
	make_zimage(0x34, 0, 0x34);
	buf_len = 0x2f;
	ck_assert(!zimage_probe(buf, buf_len));
}
END_TEST

/* A zImage linked for a fixed address goes there, if that is in the first 128 MiB. */
START_TEST(test_zimage_fixed_address)
{
	make_zimage(0x10000, (uint32_t)(RAM0 + 0x100000), (uint32_t)(RAM0 + 0x110000));
	ck_assert_int_eq(load_in(256 * MiB), 0);
	ck_assert_uint_eq(img.segs[0].gpa, RAM0 + 0x100000);
	ck_assert_uint_eq(img.entry, RAM0 + 0x100000);
	make_zimage(0x10000, (uint32_t)(RAM0 + 130 * MiB), (uint32_t)(RAM0 + 130 * MiB + 0x10000));
	expect_fail(256 * MiB, CACHET_LIB_ELAYOUT, "zImage linked at 0x48200000 (65536 bytes, and "
		    "1 MiB for its decompressor) is not inside the first 128 MiB of guest RAM at "
		    "0x40000000");
	make_zimage(0x10000, 0x8000, 0x18000);
	expect_fail_has(256 * MiB, CACHET_LIB_ELAYOUT, "zImage linked at 0x8000");
}
END_TEST

/* The modules go at 128 MiB when they fit there, else after the kernel. */
START_TEST(test_zimage_modules_layout)
{
	struct cachet_dom_layout l;

	memset(&l, 0, sizeof(l));
	layout_banks(256 * MiB, &l);
	l.kernel_end = RAM0 + 32 * MiB + 0x50000;
	ck_assert_int_eq(layout_modules(&l, 0x100000, RAM0 + 128 * MiB, &msg), 0);
	ck_assert_uint_eq(l.dtb_start, RAM0 + 128 * MiB);
	ck_assert_uint_eq(l.ramdisk_start, RAM0 + 130 * MiB);
	/* 129 MiB of RAM: no room for the DTB's 2 MiB there. */
	layout_banks(129 * MiB, &l);
	ck_assert_int_eq(layout_modules(&l, 0, RAM0 + 128 * MiB, &msg), 0);
	ck_assert_uint_eq(l.dtb_start, RAM0 + 34 * MiB);
	/* A ramdisk too big for the room above 128 MiB. */
	layout_banks(256 * MiB, &l);
	ck_assert_int_eq(layout_modules(&l, 127 * MiB, RAM0 + 128 * MiB, &msg), 0);
	ck_assert_uint_eq(l.dtb_start, RAM0 + 34 * MiB);
}
END_TEST

START_TEST(test_uimage_bad_sizes_and_compression)
{
	uint8_t *k = image_copy(0x4000, 0, 0x10000);

	make_uimage(k, 0x4000, 2, 22, 0);
	buf_len -= 1;
	expect_fail(16 * MiB, CACHET_LIB_EIMAGE, "uImage: payload of 16384 bytes runs past the "
		    "end of the file (16383 bytes after the header)");
	buf_len = 40;
	expect_fail(16 * MiB, CACHET_LIB_EIMAGE, "uImage: truncated header (40 bytes, need 64)");
	make_uimage(k, 0x4000, 2, 22, 4);
	expect_fail(16 * MiB, CACHET_LIB_EIMAGE, "uImage: LZO compression (4) is not supported");
	make_uimage(k, 0x4000, 2, 22, 9);
	expect_fail(16 * MiB, CACHET_LIB_EIMAGE, "uImage: unknown compression type 9");
	make_uimage(k, 0x4000, 2, 22, 1);
	expect_fail(16 * MiB, CACHET_LIB_EIMAGE, "uImage: the header says gzip compression, but "
		    "the payload is not gzip data");
	make_uimage(k + 64, 0x4000 - 64, 2, 22, 0);
	expect_fail(16 * MiB, CACHET_LIB_EIMAGE, "uImage payload is not an arm64 Image (no "
		    "ARM\\x64 magic at 0x38)");
}
END_TEST

/* An ELF test guest is accepted in a uImage too. */
START_TEST(test_uimage_holding_elf)
{
	struct telf e;
	uint8_t *elf = arena_alloc(&arena, TELF_FILE_SIZE);

	telf_default(&e);
	telf_write(&e, elf, TELF_FILE_SIZE);
	make_uimage(elf, TELF_FILE_SIZE, 2, 22, 0);
	ck_assert_int_eq(load_in(16 * MiB), 0);
	ck_assert_str_eq(img.format, "ELF");
	ck_assert_uint_eq(img.entry, 0x40080100);
}
END_TEST

/* ---- Whole builds. */

static struct fake f;
static cachet_handle *h;
static cachet_dom *d;

static void build_setup(void)
{
	setup();
	fake_init(&f, FAKE_RAM_SIZE, CACHET_MBOX_SLOTS);
	fake_start(&f);
	ck_assert_int_eq(cachet_open(f.path, &h), 0);
	d = cachet_dom_new(h);
	ck_assert_ptr_nonnull(d);
}

static void build_teardown(void)
{
	cachet_dom_free(d);
	cachet_close(h);
	fake_stop_thread(&f);
	ck_assert_uint_eq(f.bad_requests, 0);
	fake_fini(&f);
	teardown();
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

static void expect_flushed(uint64_t gpa, uint64_t len)
{
	for (uint64_t g = gpa >> 12; g <= (gpa + len - 1) >> 12; g++)
		ck_assert_msg(flushed(g), "guest page 0x%llx written but not flushed",
			      (unsigned long long)g);
}

START_TEST(test_build_image_layout_and_registers)
{
	static uint8_t rd[300000];
	uint8_t *k = image_copy(0x30000, 0x80000, 0x2a0000);
	uint8_t *fill = malloc(0x2a0000 - 0x30000);
	struct cachet_dom_layout l;
	struct cachet_req req;

	for (size_t i = 0; i < sizeof(rd); i++)
		rd[i] = (uint8_t)(i * 29 + 7);
	ck_assert_int_eq(cachet_dom_kernel_mem(d, k, 0x30000), 0);
	ck_assert_int_eq(cachet_dom_ramdisk_mem(d, rd, sizeof(rd)), 0);
	ck_assert_int_eq(cachet_dom_set_memory_mb(d, 32), 0);
	ck_assert_int_eq(cachet_dom_build(d, NULL), 0);
	ck_assert_int_eq(cachet_dom_get_layout(d, &l), 0);
	/* The kernel at text_offset, image_size kept; the DTB at the next 2 MiB; the ramdisk. */
	ck_assert_uint_eq(l.kernel_start, RAM0 + 0x80000);
	ck_assert_uint_eq(l.kernel_end, RAM0 + 0x80000 + 0x2a0000);
	ck_assert_uint_eq(l.entry, RAM0 + 0x80000);
	ck_assert_uint_eq(l.dtb_start, RAM0 + 4 * MiB);
	ck_assert_uint_eq(l.dtb_start % 8, 0);
	ck_assert_uint_eq(l.ramdisk_start, RAM0 + 6 * MiB);
	ck_assert_uint_eq(l.ramdisk_end, RAM0 + 6 * MiB + sizeof(rd));
	expect_guest(l.kernel_start, k, 0x30000);
	/* The rest of image_size is kept free, not written: the kernel clears its own bss. */
	memset(fill, FAKE_FILL, 0x2a0000 - 0x30000);
	expect_guest(l.kernel_start + 0x30000, fill, 0x2a0000 - 0x30000);
	expect_guest(l.ramdisk_start, rd, sizeof(rd));
	expect_flushed(l.kernel_start, 0x30000);
	expect_flushed(l.dtb_start, l.dtb_end - l.dtb_start);
	expect_flushed(l.ramdisk_start, sizeof(rd));
	ck_assert(fake_find(&f, CACHET_OP_VCPU_SET_CONTEXT, 0, &req));
	ck_assert_uint_eq(req.u.vcpu_ctx.ctx.pc, RAM0 + 0x80000);
	ck_assert_uint_eq(req.u.vcpu_ctx.ctx.x[0], l.dtb_start);
	ck_assert_uint_eq(req.u.vcpu_ctx.ctx.x[1], 0);
	ck_assert_uint_eq(req.u.vcpu_ctx.ctx.x[2], 0);
	ck_assert_uint_eq(req.u.vcpu_ctx.ctx.x[3], 0);
	ck_assert_uint_eq(req.u.vcpu_ctx.ctx.pstate, 0x3c5);
	free(fill);
}
END_TEST

/* A zImage makes an AArch32 domain entered per arch/arm/booting.rst. */
START_TEST(test_build_zimage_aarch32_registers)
{
	uint8_t *z = arena_alloc(&arena, 0x40000);
	struct cachet_dom_layout l;
	struct cachet_req req;

	zimg_write(z, 0x40000, 0, 0x40000);
	ck_assert_int_eq(cachet_dom_kernel_mem(d, z, 0x40000), 0);
	ck_assert_int_eq(cachet_dom_set_memory_mb(d, 32), 0);
	ck_assert_int_eq(cachet_dom_build(d, NULL), 0);
	ck_assert_int_eq(cachet_dom_get_layout(d, &l), 0);
	ck_assert(fake_find(&f, CACHET_OP_DOMAIN_CREATE, 0, &req));
	ck_assert_uint_eq(req.u.create.flags, CACHET_DOMF_AARCH32);
	ck_assert_uint_eq(l.kernel_start, RAM0 + 0x8000); /* 32 MiB: no room above 32 MiB */
	expect_guest(l.kernel_start, z, 0x40000);
	expect_flushed(l.kernel_start, 0x40000);
	ck_assert(fake_find(&f, CACHET_OP_VCPU_SET_CONTEXT, 0, &req));
	ck_assert_uint_eq(req.u.vcpu_ctx.ctx.pc, RAM0 + 0x8000);
	ck_assert_uint_eq(req.u.vcpu_ctx.ctx.x[0], 0);
	ck_assert_uint_eq(req.u.vcpu_ctx.ctx.x[1], 0xffffffffu);
	ck_assert_uint_eq(req.u.vcpu_ctx.ctx.x[2], l.dtb_start);
	ck_assert_uint_eq(req.u.vcpu_ctx.ctx.pstate, 0x1d3); /* SVC, A, I and F masked, ARM */
}
END_TEST

/* A domain its caller created 64-bit cannot take a zImage: refused before anything is written. */
START_TEST(test_build_zimage_into_adopted_64bit_domain)
{
	struct cachet_domain_create_in in = { .max_vcpus = 1, .max_pages = 8192 };
	uint8_t *z = arena_alloc(&arena, 0x40000);
	struct cachet_req req;
	cachet_domid_t domid;

	zimg_write(z, 0x40000, 0, 0x40000);
	ck_assert_int_eq(cachet_domain_create(h, &in, &domid), 0);
	ck_assert_int_eq(cachet_dom_kernel_mem(d, z, 0x40000), 0);
	ck_assert_int_eq(cachet_dom_set_memory_mb(d, 32), 0);
	ck_assert_int_eq(cachet_dom_adopt(d, domid), 0);
	ck_assert_int_eq(cachet_dom_build(d, NULL), -CACHET_LIB_EINVAL);
	ck_assert_str_eq(cachet_last_error(h), "the kernel is an arm32 zImage (a 32-bit guest), "
			 "but domain 1 was created 64-bit (without CACHET_DOMF_AARCH32)");
	ck_assert(!fake_find(&f, CACHET_OP_POPULATE, 0, &req));
}
END_TEST

/* Linux arm keeps 1023 bytes of command line (COMMAND_LINE_SIZE 1024) and cuts the rest silently. */
START_TEST(test_build_zimage_cmdline_limit)
{
	uint8_t *z = arena_alloc(&arena, 0x40000);
	char *line = arena_alloc(&arena, 1025);

	zimg_write(z, 0x40000, 0, 0x40000);
	memset(line, 'x', 1024);
	line[1024] = '\0';
	ck_assert_int_eq(cachet_dom_kernel_mem(d, z, 0x40000), 0);
	ck_assert_int_eq(cachet_dom_set_cmdline(d, line), 0); /* fine for arm64 */
	ck_assert_int_eq(cachet_dom_plan(d, NULL, NULL, NULL), -CACHET_LIB_EINVAL);
	ck_assert_str_eq(cachet_last_error(h), "command line of 1024 bytes is longer than the "
			 "1023 an arm32 kernel keeps");
	line[1023] = '\0';
	ck_assert_int_eq(cachet_dom_set_cmdline(d, line), 0);
	ck_assert_int_eq(cachet_dom_plan(d, NULL, NULL, NULL), 0);
}
END_TEST

START_TEST(test_build_image_too_big_creates_nothing)
{
	uint8_t *k = image_copy(0x3000, 0, 0x2010000);

	ck_assert_int_eq(cachet_dom_kernel_mem(d, k, 0x3000), 0);
	ck_assert_int_eq(cachet_dom_set_memory_mb(d, 16), 0);
	ck_assert_int_eq(cachet_dom_build(d, NULL), -CACHET_LIB_ELAYOUT);
	ck_assert_str_eq(cachet_last_error(h), "kernel: arm64 Image needs 0x2010000 bytes "
			 "(image_size) at 0x40000000, but the guest has only 0x1000000 bytes of "
			 "RAM there");
	ck_assert_uint_eq(fake_nlog(&f), 0);
}
END_TEST

/* Only 2 MiB after the kernel's end: room for the DTB, none for a ramdisk. */
START_TEST(test_build_modules_that_do_not_fit)
{
	uint8_t *k = image_copy(0x3000, 0, 14 * MiB);
	static uint8_t rd[4096];

	ck_assert_int_eq(cachet_dom_kernel_mem(d, k, 0x3000), 0);
	ck_assert_int_eq(cachet_dom_set_memory_mb(d, 16), 0);
	ck_assert_int_eq(cachet_dom_ramdisk_mem(d, rd, sizeof(rd)), 0);
	ck_assert_int_eq(cachet_dom_build(d, NULL), -CACHET_LIB_ELAYOUT);
	ck_assert_str_eq(cachet_last_error(h), "ramdisk of 4096 bytes does not fit in guest RAM: "
			 "it would go at 0x41000000 (after the kernel, which ends at 0x40e00000, "
			 "and 2 MiB for the device tree), but RAM ends at 0x41000000");
	ck_assert_uint_eq(fake_nlog(&f), 0);
	cachet_dom_free(d);
	d = cachet_dom_new(h);
	k = image_copy(0x3000, 0, 16 * MiB - 0x1000);
	ck_assert_int_eq(cachet_dom_kernel_mem(d, k, 0x3000), 0);
	ck_assert_int_eq(cachet_dom_set_memory_mb(d, 16), 0);
	ck_assert_int_eq(cachet_dom_build(d, NULL), -CACHET_LIB_ELAYOUT);
	ck_assert_msg(strncmp(cachet_last_error(h), "device tree of ", 15) == 0, "%s",
		      cachet_last_error(h));
	ck_assert_msg(strstr(cachet_last_error(h), "bytes does not fit in guest RAM: it would go "
			     "at 0x41000000 (after the kernel, which ends at 0x40fff000), but "
			     "RAM ends at 0x41000000") != NULL, "%s", cachet_last_error(h));
}
END_TEST

static Suite *image_suite(void)
{
	Suite *s = suite_create("lib_image");
	TCase *image = tcase_create("image");
	TCase *uimage = tcase_create("uimage");
	TCase *zimage = tcase_create("zimage");
	TCase *build = tcase_create("build");

	tcase_add_checked_fixture(image, setup, teardown);
	tcase_add_test(image, test_image_text_offset_0);
	tcase_add_test(image, test_image_text_offset_0x80000);
	tcase_add_test(image, test_image_size_0_is_a_pre_3_17_kernel);
	tcase_add_test(image, test_image_flags_bit3_both_placed_lowest);
	tcase_add_test(image, test_image_bad_text_offset_alignment);
	tcase_add_test(image, test_image_larger_than_ram);
	tcase_add_test(image, test_image_file_longer_than_image_size);
	tcase_add_test(image, test_image_truncated_header);
	tcase_add_test(image, test_image_big_endian_refused);
	tcase_add_test(image, test_image_truncated_sections_refused);
	tcase_add_test(image, test_image_debian_truncations);
	suite_add_tcase(s, image);
	tcase_add_checked_fixture(uimage, setup, teardown);
	tcase_add_test(uimage, test_uimage_good_uncompressed);
	tcase_add_test(uimage, test_uimage_good_gzip);
	tcase_add_test(uimage, test_uimage_bad_header_crc);
	tcase_add_test(uimage, test_uimage_bad_data_crc);
	tcase_add_test(uimage, test_uimage_wrong_type_or_arch);
	tcase_add_test(uimage, test_uimage_bad_sizes_and_compression);
	tcase_add_test(uimage, test_uimage_holding_elf);
	tcase_add_test(uimage, test_uimage_arm_zimage);
	suite_add_tcase(s, uimage);
	tcase_add_checked_fixture(zimage, setup, teardown);
	tcase_add_test(zimage, test_zimage_placed_above_32m);
	tcase_add_test(zimage, test_zimage_small_ram);
	tcase_add_test(zimage, test_zimage_malformed);
	tcase_add_test(zimage, test_zimage_fixed_address);
	tcase_add_test(zimage, test_zimage_modules_layout);
	suite_add_tcase(s, zimage);
	tcase_add_checked_fixture(build, build_setup, build_teardown);
	tcase_set_timeout(build, 60);
	tcase_add_test(build, test_build_image_layout_and_registers);
	tcase_add_test(build, test_build_zimage_aarch32_registers);
	tcase_add_test(build, test_build_zimage_into_adopted_64bit_domain);
	tcase_add_test(build, test_build_zimage_cmdline_limit);
	tcase_add_test(build, test_build_image_too_big_creates_nothing);
	tcase_add_test(build, test_build_modules_that_do_not_fit);
	suite_add_tcase(s, build);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(image_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
