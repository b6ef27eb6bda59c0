/*
 * Unit tests of libcachet's kernel loaders (probe chain, ELF64, raw
 * fallback), its arena and its error names.  Images are crafted in memory;
 * every rejection is checked to name what is wrong.
 */
#include <check.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cachet/cachet.h"
#include "loader.h"
#include "test_lib_elf.h"

#define RAM_BASE 0x40000000ull
#define RAM_SIZE (16ull << 20)

static struct arena arena;
static uint8_t *buf;
static size_t buf_len;
static struct loader_image img;
static struct err_msg msg;

static void setup(void)
{
	arena_init(&arena);
	buf = NULL;
	memset(&msg, 0, sizeof(msg));
}

static void teardown(void)
{
	arena_free(&arena);
	free(buf);
}

/* Builds the image of @e into buf; @len 0 means TELF_FILE_SIZE. */
static void make(const struct telf *e, size_t len)
{
	buf_len = len ? len : TELF_FILE_SIZE;
	free(buf);
	buf = malloc(buf_len);
	ck_assert(buf != NULL);
	telf_write(e, buf, buf_len);
}

static int load_with(int (*fn)(const struct loader_in *, struct loader_image *,
			       struct err_msg *))
{
	struct loader_in in = { buf, buf_len, RAM_BASE, RAM_SIZE, &arena, false };

	return fn(&in, &img, &msg);
}

static int load(void)
{
	return load_with(loader_load);
}

/* As a caller that asked for a flat binary (CACHET_KERNEL_RAW). */
static int load_raw(void)
{
	struct loader_in in = { buf, buf_len, RAM_BASE, RAM_SIZE, &arena, true };

	return loader_load(&in, &img, &msg);
}

/* Loads @e and expects -CACHET_LIB_EIMAGE with exactly @want as the message. */
static void expect_reject(const struct telf *e, size_t len, const char *want)
{
	make(e, len);
	ck_assert_int_eq(load(), -CACHET_LIB_EIMAGE);
	ck_assert_str_eq(msg.text, want);
}

START_TEST(test_elf_valid)
{
	struct telf e;

	telf_default(&e);
	make(&e, 0);
	ck_assert(elf_probe(buf, buf_len));
	ck_assert_int_eq(load(), 0);
	ck_assert_str_eq(img.format, "ELF");
	ck_assert_uint_eq(img.entry, 0x40080100);
	ck_assert_uint_eq(img.nr_segs, 2); /* PT_GNU_STACK is not loaded */
	ck_assert_uint_eq(img.segs[0].gpa, 0x40080000);
	ck_assert_ptr_eq(img.segs[0].src, buf + 0x1000);
	ck_assert_uint_eq(img.segs[0].filesz, 0x2000);
	ck_assert_uint_eq(img.segs[1].gpa, 0x40200000);
	ck_assert_ptr_eq(img.segs[1].src, buf + 0x3000);
	ck_assert_uint_eq(img.segs[1].filesz, 0x800);
	ck_assert_uint_eq(img.segs[1].memsz, 0x5000);
	ck_assert_uint_eq(img.start, 0x40080000);
	ck_assert_uint_eq(img.end, 0x40205000);
}
END_TEST

/* A linked-high kernel: the entry is virtual, the guest starts at its physical twin. */
START_TEST(test_elf_entry_translated_to_physical)
{
	struct telf e;

	telf_default(&e);
	e.seg[0].vaddr = 0xffff000010000000ull;
	e.seg[1].vaddr = 0xffff000010180000ull;
	e.entry = 0xffff000010000040ull;
	make(&e, 0);
	ck_assert_int_eq(load(), 0);
	ck_assert_uint_eq(img.entry, 0x40080040);
}
END_TEST

START_TEST(test_elf_truncated_header)
{
	struct telf e;

	telf_default(&e);
	expect_reject(&e, 40, "truncated ELF header (40 bytes, need 64)");
}
END_TEST

START_TEST(test_elf_bad_magic)
{
	struct telf e;

	telf_default(&e);
	make(&e, 0);
	buf[3] = 'G';
	ck_assert(!elf_probe(buf, buf_len));
	ck_assert_int_eq(load_with(elf_load), -CACHET_LIB_EIMAGE);
	ck_assert_str_eq(msg.text, "not an ELF file (bad magic 7f 45 4c 47)");
	/* Not ELF and no known magic: refused, never guessed to be a flat binary. */
	ck_assert_int_eq(load(), -CACHET_LIB_EIMAGE);
	ck_assert_msg(strstr(msg.text, "kernel format not recognised") != NULL, "%s", msg.text);
}
END_TEST

START_TEST(test_elf_wrong_class_and_endianness)
{
	struct telf e;

	telf_default(&e);
	e.cls = ELFCLASS32;
	expect_reject(&e, 0, "ELF class 1 is not ELFCLASS64 (only 64-bit ELF kernels are "
		      "supported)");
	telf_default(&e);
	e.data = ELFDATA2MSB;
	expect_reject(&e, 0, "ELF data encoding 2 is not little-endian");
	telf_default(&e);
	e.version = 0;
	expect_reject(&e, 0, "ELF version 0 is not EV_CURRENT");
}
END_TEST

START_TEST(test_elf_wrong_machine)
{
	struct telf e;

	telf_default(&e);
	e.machine = EM_X86_64;
	expect_reject(&e, 0, "ELF machine 62 is not AArch64 (EM_AARCH64 = 183)");
}
END_TEST

START_TEST(test_elf_wrong_type)
{
	struct telf e;

	telf_default(&e);
	e.type = ET_DYN;
	expect_reject(&e, 0, "ELF type 3 is not ET_EXEC (2): only statically linked "
		      "executables can be loaded");
}
END_TEST

START_TEST(test_elf_bad_program_header_table)
{
	struct telf e;

	telf_default(&e);
	e.phoff = TELF_FILE_SIZE - 100; /* 3 entries need 168 bytes */
	e.nr_segs = 0;
	expect_reject(&e, 0, "truncated ELF program header table (3 entries at offset 0x379c, "
		      "file is 14336 bytes)");
	telf_default(&e);
	e.phoff = UINT64_MAX - 8; /* offset itself past the file */
	e.nr_segs = 0;
	expect_reject(&e, 0, "truncated ELF program header table (3 entries at offset "
		      "0xfffffffffffffff7, file is 14336 bytes)");
	telf_default(&e);
	e.phentsize = 32;
	expect_reject(&e, 0, "ELF program header size 32 is not 56");
	telf_default(&e);
	e.phnum = 0;
	expect_reject(&e, 0, "ELF has no program header table");
	telf_default(&e);
	e.phnum = PN_XNUM;
	expect_reject(&e, 0, "ELF has an extended (PN_XNUM) program header table");
}
END_TEST

START_TEST(test_elf_segment_outside_ram)
{
	struct telf e;

	telf_default(&e);
	e.seg[1].paddr = RAM_BASE + RAM_SIZE - 0x1000; /* memsz 0x5000 */
	expect_reject(&e, 0, "ELF segment 1 ends past guest RAM (0x41004000 > 0x41000000)");
	telf_default(&e);
	e.seg[0].paddr = 0x3ffff000;
	expect_reject(&e, 0, "ELF segment 0 starts below guest RAM (0x3ffff000 < 0x40000000)");
}
END_TEST

START_TEST(test_elf_filesz_above_memsz)
{
	struct telf e;

	telf_default(&e);
	e.seg[1].filesz = 0x5001;
	expect_reject(&e, 0, "ELF segment 1: file size 0x5001 exceeds memory size 0x5000");
}
END_TEST

START_TEST(test_elf_file_data_out_of_bounds)
{
	struct telf e;

	telf_default(&e);
	e.seg[1].filesz = 0x801; /* one byte past the end of the file */
	expect_reject(&e, 0, "ELF segment 1: file data [0x3000, 0x3801) runs past the end of "
		      "the file (14336 bytes)");
	telf_default(&e);
	e.seg[0].offset = UINT64_MAX - 0x10;
	expect_reject(&e, 0, "ELF segment 0: file offset 0xffffffffffffffef + size 0x2000 "
		      "overflows");
}
END_TEST

START_TEST(test_elf_address_overflow)
{
	struct telf e;

	telf_default(&e);
	e.seg[1].paddr = UINT64_MAX - 0xfff;
	expect_reject(&e, 0, "ELF segment 1: address 0xfffffffffffff000 + size 0x5000 "
		      "overflows");
}
END_TEST

START_TEST(test_elf_overlapping_segments)
{
	struct telf e;

	telf_default(&e);
	e.seg[1].paddr = 0x40081000; /* inside segment 0's [0x40080000, 0x40082000) */
	expect_reject(&e, 0, "ELF segments 0 and 1 overlap in guest memory ([0x40080000, "
		      "0x40082000) and [0x40081000, 0x40086000))");
}
END_TEST

START_TEST(test_elf_entry_outside_segments)
{
	struct telf e;

	telf_default(&e);
	e.entry = 0x40082000; /* one past the end of segment 0 */
	expect_reject(&e, 0, "ELF entry point 0x40082000 is outside every loaded segment");
	/* The bss part is part of the segment: an entry there is accepted. */
	telf_default(&e);
	e.entry = 0x40204ffc;
	make(&e, 0);
	ck_assert_int_eq(load(), 0);
}
END_TEST

START_TEST(test_elf_no_loadable_segment)
{
	struct telf e;

	telf_default(&e);
	e.seg[0].type = PT_NOTE;
	e.seg[1].memsz = 0; /* empty PT_LOAD: nothing to load */
	e.seg[1].filesz = 0;
	expect_reject(&e, 0, "ELF has no loadable (PT_LOAD) segment");
}
END_TEST

START_TEST(test_elf_too_many_segments)
{
	struct telf e;

	telf_default(&e);
	e.nr_segs = 65;
	e.phnum = 65;
	for (unsigned int i = 0; i < 65; i++)
		e.seg[i] = (struct telf_seg){ PT_LOAD, 0x1000, 0x40080000 + i * 0x1000ull,
					      0x40080000 + i * 0x1000ull, 0, 0x100 };
	e.entry = 0x40080000;
	expect_reject(&e, 0, "ELF has more than 64 loadable segments");
	e.nr_segs = e.phnum = 64;
	make(&e, 0);
	ck_assert_int_eq(load(), 0);
	ck_assert_uint_eq(img.nr_segs, 64);
}
END_TEST

/* A flat binary only when asked for; then whatever the file holds. */
START_TEST(test_raw_only_when_asked)
{
	buf_len = 0x1234;
	buf = malloc(buf_len);
	memset(buf, 0x11, buf_len);
	ck_assert_int_eq(load(), -CACHET_LIB_EIMAGE);
	ck_assert_str_eq(msg.text, "kernel format not recognised (not an ELF, arm64 Image, arm32 "
			 "zImage, uImage or compressed Image); a flat binary is loaded only when asked for "
			 "(kernel_format = \"raw\")");
	ck_assert_int_eq(load_raw(), 0);
	ck_assert_str_eq(img.format, "raw");
	ck_assert_uint_eq(img.entry, RAM_BASE + 0x80000);
	ck_assert_uint_eq(img.nr_segs, 1);
	ck_assert_uint_eq(img.segs[0].gpa, RAM_BASE + 0x80000);
	ck_assert_uint_eq(img.segs[0].filesz, 0x1234);
	ck_assert_uint_eq(img.segs[0].memsz, 0x1234);
	ck_assert_ptr_eq(img.segs[0].src, buf);
	ck_assert_uint_eq(img.end, RAM_BASE + 0x81234);
}
END_TEST

START_TEST(test_raw_too_big_or_empty)
{
	buf_len = RAM_SIZE - 0x80000 + 1;
	buf = calloc(1, buf_len);
	ck_assert_int_eq(load_raw(), -CACHET_LIB_ELAYOUT);
	ck_assert_str_eq(msg.text, "raw kernel image of 16252929 bytes does not fit in guest "
			 "RAM above 0x40080000 (16777216 bytes of RAM)");
	buf_len = RAM_SIZE - 0x80000; /* exactly fits */
	ck_assert_int_eq(load_raw(), 0);
	buf_len = 0;
	ck_assert_int_eq(load_raw(), -CACHET_LIB_EIMAGE);
	ck_assert_str_eq(msg.text, "kernel image is empty");
}
END_TEST

/* A file with a known magic is never loaded raw: it loads or fails by its format's name. */
START_TEST(test_recognised_formats_never_raw)
{
	static const struct {
		size_t off;
		const char *magic;
		size_t len;
		const char *part; /* of the message */
	} known[] = {
		/* image_size 0: a pre-3.17 kernel, assumed to need 16 MiB, all of RAM here. */
		{ 0x38, "ARM\x64", 4, "arm64 Image needs 0x1000000 bytes (image_size 0: assumed "
		  "16 MiB) at 0x40080000" },
		{ 0, "\x1f\x8b\x08", 3, "gzip stream corrupt" },
		{ 0, "\x28\xb5\x2f\xfd", 4, "zstd stream truncated after 4096 bytes" },
		{ 0, "\xfd" "7zXZ\0", 6, "xz stream corrupt" },
		{ 0, "\x02\x21\x4c\x18", 4, "lz4 (legacy format) stream corrupt near input byte 4: block size out of range" },
		{ 0, "\x04\x22\x4d\x18", 4, "lz4 stream corrupt" },
		{ 0, "BZh9", 4, "bzip2 stream corrupt" },
		{ 0x24, "\x18\x28\x6f\x01", 4, "zImage: end 0x00000000 is not above start 0x00000000" },
		{ 0, "\x27\x05\x19\x56", 4, "uImage: header CRC mismatch" },
	};

	buf_len = 4096;
	buf = malloc(buf_len);
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		memset(buf, 0, buf_len);
		memcpy(buf + known[i].off, known[i].magic, known[i].len);
		ck_assert_int_eq(load(), i == 0 ? -CACHET_LIB_ELAYOUT : -CACHET_LIB_EIMAGE);
		ck_assert_msg(strstr(msg.text, known[i].part) != NULL, "message \"%s\" lacks "
			      "\"%s\"", msg.text, known[i].part);
	}
}
END_TEST

START_TEST(test_arena)
{
	struct arena a;
	uint8_t *small[1000];
	uint8_t *big;

	arena_init(&a);
	for (unsigned int i = 0; i < 1000; i++) {
		small[i] = arena_alloc(&a, 1 + i % 200);
		ck_assert(small[i] != NULL);
		ck_assert_uint_eq((uintptr_t)small[i] % alignof(max_align_t), 0);
		for (unsigned int k = 0; k < 1 + i % 200; k++)
			ck_assert_uint_eq(small[i][k], 0);
		memset(small[i], (int)i, 1 + i % 200);
	}
	big = arena_alloc(&a, 1u << 20);
	ck_assert(big != NULL);
	memset(big, 0x5a, 1u << 20);
	/* Earlier allocations are intact: blocks never move or overlap. */
	for (unsigned int i = 0; i < 1000; i++)
		ck_assert_uint_eq(small[i][0], (uint8_t)i);
	ck_assert_str_eq(arena_strdup(&a, "bootargs"), "bootargs");
	ck_assert(arena_alloc(&a, 0) != NULL);
	ck_assert(arena_alloc(&a, SIZE_MAX - 8) == NULL);
	arena_free(&a);
	ck_assert(a.head == NULL);
}
END_TEST

START_TEST(test_strerror_covers_every_code)
{
	static const int codes[] = {
		CACHET_EPERM, CACHET_ENOENT, CACHET_E2BIG, CACHET_ENOMEM, CACHET_EFAULT,
		CACHET_EBUSY, CACHET_EEXIST, CACHET_EINVAL, CACHET_ENOSPC, CACHET_ERANGE, CACHET_ESTALE,
		CACHET_ENOSYS, CACHET_EVERSION, CACHET_LIB_EIO, CACHET_LIB_ETIMEDOUT,
		CACHET_LIB_ENOTREADY, CACHET_LIB_EIMAGE, CACHET_LIB_ENOMEM, CACHET_LIB_EINVAL,
		CACHET_LIB_ELAYOUT,
	};
	const size_t n = sizeof(codes) / sizeof(codes[0]);

	for (size_t i = 0; i < n; i++) {
		const char *s = cachet_strerror(-codes[i]);

		ck_assert_str_ne(s, "unknown error");
		ck_assert_str_eq(cachet_strerror(codes[i]), s);
		for (size_t j = 0; j < i; j++)
			ck_assert_str_ne(cachet_strerror(-codes[j]), s);
	}
	ck_assert_str_eq(cachet_strerror(0), "success");
	ck_assert_str_eq(cachet_strerror(-999), "unknown error");
	ck_assert_str_eq(cachet_strerror(-CACHET_LIB_EIMAGE), "malformed kernel or ramdisk image");
}
END_TEST

static Suite *loader_suite(void)
{
	Suite *s = suite_create("lib_loader");
	TCase *elf = tcase_create("elf");
	TCase *chain = tcase_create("chain");
	TCase *misc = tcase_create("misc");

	tcase_set_timeout(elf, 60);
	tcase_set_timeout(chain, 60);
	tcase_set_timeout(misc, 60);
	tcase_add_checked_fixture(elf, setup, teardown);
	tcase_add_test(elf, test_elf_valid);
	tcase_add_test(elf, test_elf_entry_translated_to_physical);
	tcase_add_test(elf, test_elf_truncated_header);
	tcase_add_test(elf, test_elf_bad_magic);
	tcase_add_test(elf, test_elf_wrong_class_and_endianness);
	tcase_add_test(elf, test_elf_wrong_machine);
	tcase_add_test(elf, test_elf_wrong_type);
	tcase_add_test(elf, test_elf_bad_program_header_table);
	tcase_add_test(elf, test_elf_segment_outside_ram);
	tcase_add_test(elf, test_elf_filesz_above_memsz);
	tcase_add_test(elf, test_elf_file_data_out_of_bounds);
	tcase_add_test(elf, test_elf_address_overflow);
	tcase_add_test(elf, test_elf_overlapping_segments);
	tcase_add_test(elf, test_elf_entry_outside_segments);
	tcase_add_test(elf, test_elf_no_loadable_segment);
	tcase_add_test(elf, test_elf_too_many_segments);
	suite_add_tcase(s, elf);
	tcase_add_checked_fixture(chain, setup, teardown);
	tcase_add_test(chain, test_raw_only_when_asked);
	tcase_add_test(chain, test_raw_too_big_or_empty);
	tcase_add_test(chain, test_recognised_formats_never_raw);
	suite_add_tcase(s, chain);
	tcase_add_test(misc, test_arena);
	tcase_add_test(misc, test_strerror_covers_every_code);
	suite_add_tcase(s, misc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(loader_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
