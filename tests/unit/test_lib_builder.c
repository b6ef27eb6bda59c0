/*
 * End-to-end tests of libcachet's domain builder against the fake mailbox
 * server: the hypercalls a build makes and their arguments, what lands in
 * guest memory (segments, zeroed bss, ramdisk), vCPU 0's registers, the
 * layout, and that a failed build destroys its domain (or never creates it).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cachet/cachet.h"
#include "cachet/public/guest_map.h"
#include "test_lib_elf.h"
#include "test_lib_fake.h"
#include "test_lib_kimg.h"

#define RAM0 CACHET_GUEST_RAM0_BASE
#define GFN0 (RAM0 >> 12)

static struct fake f;
static cachet_handle *h;
static cachet_dom *d;
static uint8_t kernel[TELF_FILE_SIZE];
static uint8_t ramdisk[100 * 1024 + 123];

#define ck_assert_msg_has(text, part)                                                     \
	ck_assert_msg(strstr((text), (part)) != NULL, "message \"%s\" lacks \"%s\"", (text), \
		      (part))

static void setup(void)
{
	struct telf e;

	fake_init(&f, FAKE_RAM_SIZE, CACHET_MBOX_SLOTS);
	fake_start(&f);
	ck_assert_int_eq(cachet_open(f.path, &h), 0);
	d = cachet_dom_new(h);
	ck_assert_ptr_nonnull(d);
	telf_default(&e);
	telf_write(&e, kernel, sizeof(kernel));
	for (size_t i = 0; i < sizeof(ramdisk); i++)
		ramdisk[i] = (uint8_t)(i * 13 + 1);
}

static void teardown(void)
{
	cachet_dom_free(d);
	cachet_close(h);
	fake_stop_thread(&f);
	ck_assert_uint_eq(f.bad_requests, 0);
	fake_fini(&f);
}

static void expect_guest(uint64_t gpa, const void *want, size_t len)
{
	uint8_t *got = malloc(len);

	fake_read_guest(&f, gpa, got, len);
	ck_assert_msg(memcmp(got, want, len) == 0, "guest memory at 0x%llx differs",
		      (unsigned long long)gpa);
	free(got);
}

static void expect_guest_zero(uint64_t gpa, size_t len)
{
	uint8_t *zero = calloc(1, len);

	expect_guest(gpa, zero, len);
	free(zero);
}

/* True if some CACHE_FLUSH request covered guest page @gfn. */
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

START_TEST(test_build_elf_with_ramdisk)
{
	struct cachet_dom_layout l;
	struct cachet_req req;
	cachet_domid_t domid = 0;
	/* The kernel ends at 0x40205000: the DTB at the next 2 MiB, the ramdisk 2 MiB on. */
	const uint64_t dtb_start = 0x40400000, rd_start = 0x40600000;
	uint8_t dtb_magic[4];

	ck_assert_int_eq(cachet_dom_kernel_mem(d, kernel, sizeof(kernel)), 0);
	ck_assert_int_eq(cachet_dom_ramdisk_mem(d, ramdisk, sizeof(ramdisk)), 0);
	ck_assert_int_eq(cachet_dom_set_memory_mb(d, 16), 0);
	ck_assert_int_eq(cachet_dom_set_vcpus(d, 2), 0);
	ck_assert_int_eq(cachet_dom_set_cache_policy(d, CACHET_CACHE_S2_FAULT), 0);
	ck_assert_int_eq(cachet_dom_set_cmdline(d, "console=ttyAMA0"), 0);
	ck_assert_int_eq(cachet_dom_build(d, &domid), 0);
	ck_assert_uint_eq(domid, 1);

	/* The first call creates the domain, with the settings. */
	ck_assert_uint_eq(fake_call_at(&f, 0).op, CACHET_OP_DOMAIN_CREATE);
	req = fake_call_at(&f, 0).req;
	ck_assert_uint_eq(req.u.create.max_vcpus, 2);
	ck_assert_uint_eq(req.u.create.max_pages, 4096);
	ck_assert_uint_eq(req.u.create.cache_policy, CACHET_CACHE_S2_FAULT);
	ck_assert_uint_eq(req.u.create.flags, 0);
	/* Then all of RAM in 2 MiB blocks, before anything is written. */
	ck_assert_uint_eq(fake_call_at(&f, 1).op, CACHET_OP_POPULATE);
	ck_assert_uint_eq(fake_count(&f, CACHET_OP_POPULATE), 1);
	req = fake_call_at(&f, 1).req;
	ck_assert_uint_eq(req.u.populate.domid, 1);
	ck_assert_uint_eq(req.u.populate.gfn, GFN0);
	ck_assert_uint_eq(req.u.populate.nr_pages, 4096);
	ck_assert_uint_eq(req.u.populate.order, 9);

	/* Segments, zeroed bss (the fake's RAM is not scrubbed), ramdisk. */
	expect_guest(0x40080000, kernel + 0x1000, 0x2000);
	expect_guest(0x40200000, kernel + 0x3000, 0x800);
	expect_guest_zero(0x40200800, 0x5000 - 0x800);
	expect_guest(rd_start, ramdisk, sizeof(ramdisk));
	fake_read_guest(&f, dtb_start, dtb_magic, sizeof(dtb_magic));
	ck_assert_mem_eq(dtb_magic, "\xd0\x0d\xfe\xed", 4);
	expect_flushed(0x40080000, 0x2000);
	expect_flushed(0x40200000, 0x5000);
	expect_flushed(rd_start, sizeof(ramdisk));

	/* vCPU 0 only, per the arm64 boot protocol; the domain stays paused. */
	ck_assert_uint_eq(fake_count(&f, CACHET_OP_VCPU_SET_CONTEXT), 1);
	ck_assert(fake_find(&f, CACHET_OP_VCPU_SET_CONTEXT, 0, &req));
	ck_assert_uint_eq(req.u.vcpu_ctx.domid, 1);
	ck_assert_uint_eq(req.u.vcpu_ctx.vcpu, 0);
	ck_assert_uint_eq(req.u.vcpu_ctx.flags, CACHET_VCPU_ONLINE);
	ck_assert_uint_eq(req.u.vcpu_ctx.ctx.pc, 0x40080100);
	ck_assert_uint_eq(req.u.vcpu_ctx.ctx.x[0], dtb_start);
	for (unsigned int i = 1; i < 31; i++)
		ck_assert_uint_eq(req.u.vcpu_ctx.ctx.x[i], 0);
	ck_assert_uint_eq(req.u.vcpu_ctx.ctx.pstate, 0x3c5);
	ck_assert_uint_eq(req.u.vcpu_ctx.ctx.sctlr_el1, 0);
	ck_assert_uint_eq(fake_count(&f, CACHET_OP_DOMAIN_UNPAUSE), 0);
	ck_assert_uint_eq(fake_count(&f, CACHET_OP_DOMAIN_DESTROY), 0);

	ck_assert_int_eq(cachet_dom_get_layout(d, &l), 0);
	ck_assert_uint_eq(l.kernel_start, 0x40080000);
	ck_assert_uint_eq(l.kernel_end, 0x40205000);
	ck_assert_uint_eq(l.entry, 0x40080100);
	ck_assert_uint_eq(l.ramdisk_start, rd_start);
	ck_assert_uint_eq(l.ramdisk_end, rd_start + sizeof(ramdisk));
	ck_assert_uint_eq(l.dtb_start, dtb_start);
	ck_assert_uint_gt(l.dtb_end, dtb_start);
	ck_assert_uint_lt(l.dtb_end, dtb_start + 4096);
	expect_flushed(dtb_start, l.dtb_end - dtb_start);
	ck_assert_uint_eq(l.ram_base, RAM0);
	ck_assert_uint_eq(l.ram_size, 16ull << 20);
	ck_assert_uint_eq(l.ram1_base, 0);
	ck_assert_uint_eq(l.ram1_size, 0);

	ck_assert_int_eq(cachet_dom_boot(d), 0);
	ck_assert(fake_find(&f, CACHET_OP_DOMAIN_UNPAUSE, 0, &req));
	ck_assert_uint_eq(req.u.dom.domid, 1);
	ck_assert_int_eq(cachet_dom_boot(d), -CACHET_LIB_EINVAL);
	ck_assert_str_eq(cachet_last_error(h), "dom_boot: the domain is already booted");
}
END_TEST

/* A size that is not a whole number of 2 MiB blocks ends with 4 KiB pages. */
START_TEST(test_populate_tail_in_small_pages)
{
	struct cachet_req req;

	ck_assert_int_eq(cachet_dom_kernel_mem(d, kernel, sizeof(kernel)), 0);
	ck_assert_int_eq(cachet_dom_set_memory_mb(d, 17), 0);
	ck_assert_int_eq(cachet_dom_build(d, NULL), 0);
	ck_assert_uint_eq(fake_count(&f, CACHET_OP_POPULATE), 2);
	ck_assert(fake_find(&f, CACHET_OP_POPULATE, 0, &req));
	ck_assert_uint_eq(req.u.populate.nr_pages, 4096);
	ck_assert_uint_eq(req.u.populate.order, 9);
	ck_assert(fake_find(&f, CACHET_OP_POPULATE, 1, &req));
	ck_assert_uint_eq(req.u.populate.gfn, GFN0 + 4096);
	ck_assert_uint_eq(req.u.populate.nr_pages, 256);
	ck_assert_uint_eq(req.u.populate.order, 0);
}
END_TEST

START_TEST(test_build_raw_image_from_file)
{
	char path[64];
	uint8_t raw[5000];
	struct cachet_dom_layout l;
	struct cachet_req req;
	FILE *tmp = tmpfile();

	for (size_t i = 0; i < sizeof(raw); i++)
		raw[i] = (uint8_t)(i ^ 0x5c);
	raw[0] = 0x14; /* "b" instruction bytes, no known magic */
	ck_assert_ptr_nonnull(tmp);
	ck_assert_uint_eq(fwrite(raw, 1, sizeof(raw), tmp), sizeof(raw));
	fflush(tmp);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fileno(tmp));
	ck_assert_int_eq(cachet_dom_kernel_file(d, path), 0);
	fclose(tmp);
	ck_assert_int_eq(cachet_dom_set_kernel_format(d, CACHET_KERNEL_RAW), 0);
	ck_assert_int_eq(cachet_dom_set_memory_mb(d, 8), 0);
	ck_assert_int_eq(cachet_dom_build(d, NULL), 0);
	expect_guest(RAM0 + 0x80000, raw, sizeof(raw));
	ck_assert_int_eq(cachet_dom_get_layout(d, &l), 0);
	ck_assert_uint_eq(l.entry, RAM0 + 0x80000);
	ck_assert_uint_eq(l.ramdisk_start, 0);
	ck_assert(fake_find(&f, CACHET_OP_VCPU_SET_CONTEXT, 0, &req));
	ck_assert_uint_eq(req.u.vcpu_ctx.ctx.pc, RAM0 + 0x80000);
}
END_TEST

#define KIMG_LEN (3u << 20)
#define KIMG_SIZE (KIMG_LEN + (1u << 20)) /* image_size: bss and early page tables */

/*
 * Gives the builder (16 MiB of RAM) an arm64 Image as a file: an unlinked
 * temporary file, named through /proc/self/fd.
 */
static FILE *kimg_given_as_file(uint8_t **img)
{
	FILE *tmp = tmpfile();
	char path[64];

	*img = kimg_new(KIMG_LEN, 0, KIMG_SIZE, KIMG_FLAGS_DEBIAN);
	ck_assert_ptr_nonnull(tmp);
	ck_assert_ptr_nonnull(*img);
	ck_assert_uint_eq(fwrite(*img, 1, KIMG_LEN, tmp), KIMG_LEN);
	fflush(tmp);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fileno(tmp));
	ck_assert_int_eq(cachet_dom_kernel_file(d, path), 0);
	ck_assert_int_eq(cachet_dom_set_memory_mb(d, 16), 0);
	return tmp;
}

/*
 * An Image file goes from the file into guest memory whole; the rest of
 * image_size is kept free but not written (the kernel clears its bss).
 */
START_TEST(test_build_image_from_file)
{
	uint8_t *img, *fill = malloc(KIMG_SIZE - KIMG_LEN);
	struct cachet_dom_layout l;

	fclose(kimg_given_as_file(&img));
	ck_assert_int_eq(cachet_dom_build(d, NULL), 0);
	ck_assert_int_eq(cachet_dom_get_layout(d, &l), 0);
	ck_assert_uint_eq(l.entry, RAM0);
	ck_assert_uint_eq(l.kernel_end, RAM0 + KIMG_SIZE);
	expect_guest(RAM0, img, KIMG_LEN);
	memset(fill, FAKE_FILL, KIMG_SIZE - KIMG_LEN);
	expect_guest(RAM0 + KIMG_LEN, fill, KIMG_SIZE - KIMG_LEN);
	expect_flushed(RAM0, KIMG_LEN);
	free(fill);
	free(img);
}
END_TEST

/* Asked for as a flat binary, the same file is loaded whole at the raw offset. */
START_TEST(test_image_file_loaded_raw)
{
	uint8_t *img;

	fclose(kimg_given_as_file(&img));
	ck_assert_int_eq(cachet_dom_set_kernel_format(d, CACHET_KERNEL_RAW), 0);
	ck_assert_int_eq(cachet_dom_build(d, NULL), 0);
	expect_guest(RAM0 + 0x80000, img, KIMG_LEN);
	free(img);
}
END_TEST

/* A kernel file cut short before the build: a clear error, and no domain left. */
START_TEST(test_image_file_shrunk_before_build)
{
	uint8_t *img;
	FILE *tmp = kimg_given_as_file(&img);

	ck_assert_int_eq(ftruncate(fileno(tmp), 1u << 20), 0);
	ck_assert_int_eq(cachet_dom_build(d, NULL), -CACHET_LIB_EIO);
	ck_assert_msg_has(cachet_last_error(h), "shrank");
	ck_assert_uint_eq(fake_live_domains(&f), 0);
	fclose(tmp);
	free(img);
}
END_TEST

/* A failure after DOMAIN_CREATE destroys the domain and keeps the cause. */
static void expect_failure_destroys(enum cachet_op op, int32_t status, const char *part)
{
	struct cachet_req req;

	fake_force(&f, op, status);
	ck_assert_int_eq(cachet_dom_kernel_mem(d, kernel, sizeof(kernel)), 0);
	ck_assert_int_eq(cachet_dom_set_memory_mb(d, 16), 0);
	ck_assert_int_eq(cachet_dom_build(d, NULL), status);
	ck_assert_msg_has(cachet_last_error(h), part);
	ck_assert_uint_eq(fake_count(&f, CACHET_OP_DOMAIN_CREATE), 1);
	ck_assert(fake_find(&f, CACHET_OP_DOMAIN_DESTROY, 0, &req));
	ck_assert_uint_eq(req.u.dom.domid, 1);
	ck_assert_uint_eq(fake_live_domains(&f), 0);
}

START_TEST(test_failed_vcpu_context_destroys_domain)
{
	expect_failure_destroys(CACHET_OP_VCPU_SET_CONTEXT, -CACHET_EINVAL,
				"vcpu_set_context: invalid request field");
}
END_TEST

START_TEST(test_failed_populate_destroys_domain)
{
	expect_failure_destroys(CACHET_OP_POPULATE, -CACHET_ENOMEM,
				"populate: hypervisor out of memory");
	ck_assert_uint_eq(fake_count(&f, CACHET_OP_TRANSLATE), 0);
}
END_TEST

START_TEST(test_failed_flush_destroys_domain)
{
	expect_failure_destroys(CACHET_OP_CACHE_FLUSH, -CACHET_ERANGE, "cache_flush: address");
	ck_assert_uint_eq(fake_count(&f, CACHET_OP_VCPU_SET_CONTEXT), 0);
}
END_TEST

START_TEST(test_bad_frame_destroys_domain)
{
	fake_set(&f.bad_mfn, 1);
	ck_assert_int_eq(cachet_dom_kernel_mem(d, kernel, sizeof(kernel)), 0);
	ck_assert_int_eq(cachet_dom_set_memory_mb(d, 16), 0);
	ck_assert_int_eq(cachet_dom_build(d, NULL), -CACHET_LIB_EIO);
	ck_assert_msg_has(cachet_last_error(h), "outside the RAM file");
	ck_assert_uint_eq(fake_count(&f, CACHET_OP_DOMAIN_DESTROY), 1);
	ck_assert_uint_eq(fake_live_domains(&f), 0);
}
END_TEST

START_TEST(test_failed_destroy_is_reported)
{
	fake_force(&f, CACHET_OP_DOMAIN_DESTROY, -CACHET_EBUSY);
	fake_force(&f, CACHET_OP_VCPU_SET_CONTEXT, -CACHET_EINVAL);
	ck_assert_int_eq(cachet_dom_kernel_mem(d, kernel, sizeof(kernel)), 0);
	ck_assert_int_eq(cachet_dom_set_memory_mb(d, 16), 0);
	ck_assert_int_eq(cachet_dom_build(d, NULL), -CACHET_EINVAL);
	ck_assert_str_eq(cachet_last_error(h), "vcpu_set_context: invalid request field "
			 "(hypervisor status -22) (and destroying the half-built domain 1 "
			 "failed: domain_destroy: object in use (hypervisor status -16))");
	ck_assert_uint_eq(fake_count(&f, CACHET_OP_DOMAIN_DESTROY), 1);
}
END_TEST

/* Image and layout errors come before DOMAIN_CREATE: nothing to undo. */
START_TEST(test_bad_image_creates_nothing)
{
	struct telf e;

	telf_default(&e);
	e.seg[1].paddr = RAM0 + (16ull << 20) - 0x1000;
	telf_write(&e, kernel, sizeof(kernel));
	ck_assert_int_eq(cachet_dom_kernel_mem(d, kernel, sizeof(kernel)), 0);
	ck_assert_int_eq(cachet_dom_set_memory_mb(d, 16), 0);
	ck_assert_int_eq(cachet_dom_build(d, NULL), -CACHET_LIB_EIMAGE);
	ck_assert_str_eq(cachet_last_error(h), "kernel: ELF segment 1 ends past guest RAM "
			 "(0x41004000 > 0x41000000)");
	ck_assert_uint_eq(fake_nlog(&f), 0);
}
END_TEST

START_TEST(test_ramdisk_that_does_not_fit_creates_nothing)
{
	static uint8_t big[15u << 20];

	ck_assert_int_eq(cachet_dom_kernel_mem(d, kernel, sizeof(kernel)), 0);
	ck_assert_int_eq(cachet_dom_ramdisk_mem(d, big, sizeof(big)), 0);
	ck_assert_int_eq(cachet_dom_set_memory_mb(d, 16), 0);
	ck_assert_int_eq(cachet_dom_build(d, NULL), -CACHET_LIB_ELAYOUT);
	ck_assert_str_eq(cachet_last_error(h), "ramdisk of 15728640 bytes does not fit in guest "
			 "RAM: it would go at 0x40600000 (after the kernel, which ends at "
			 "0x40205000, and 2 MiB for the device tree), but RAM ends at 0x41000000");
	ck_assert_uint_eq(fake_nlog(&f), 0);
}
END_TEST

/* A FIFO, socket or character device is refused at once: opening must not wait for a writer. */
START_TEST(test_special_files_are_refused_without_blocking)
{
	char dir[] = "/tmp/cachet-fifo-XXXXXX", fifo[64];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/kernel", dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	ck_assert_int_eq(cachet_dom_kernel_file(d, fifo), -CACHET_LIB_EIO);
	ck_assert_msg_has(cachet_last_error(h), "is a FIFO; give a regular file or a block device");
	ck_assert_int_eq(cachet_dom_ramdisk_file(d, "/dev/null"), -CACHET_LIB_EIO);
	ck_assert_msg_has(cachet_last_error(h), "/dev/null is a character device");
	ck_assert_int_eq(cachet_dom_devicetree_file(d, dir), -CACHET_LIB_EIO);
	ck_assert_msg_has(cachet_last_error(h), "is a directory");
	unlink(fifo);
	rmdir(dir);
}
END_TEST

START_TEST(test_pipeline_stages_and_inputs)
{
	struct cachet_dom_layout l;
	char longline[2100];

	ck_assert_int_eq(cachet_dom_build(d, NULL), -CACHET_LIB_EINVAL);
	ck_assert_str_eq(cachet_last_error(h), "dom_build: no kernel given");
	ck_assert_int_eq(cachet_dom_boot(d), -CACHET_LIB_EINVAL);
	ck_assert_int_eq(cachet_dom_get_layout(d, &l), -CACHET_LIB_EINVAL);
	ck_assert_int_eq(cachet_dom_kernel_file(d, "/nonexistent/vmlinux"), -CACHET_LIB_EIO);
	ck_assert_msg_has(cachet_last_error(h), "cannot open /nonexistent/vmlinux");
	ck_assert_int_eq(cachet_dom_kernel_mem(d, kernel, 0), -CACHET_LIB_EINVAL);
	ck_assert_int_eq(cachet_dom_set_memory_mb(d, 0), -CACHET_LIB_EINVAL);
	ck_assert_int_eq(cachet_dom_set_memory_mb(d, 1043457), -CACHET_LIB_EINVAL);
	ck_assert_str_eq(cachet_last_error(h), "dom_set_memory_mb: 1043457 MiB not in 1..1043456");
	ck_assert_int_eq(cachet_dom_set_vcpus(d, 0), -CACHET_LIB_EINVAL);
	ck_assert_int_eq(cachet_dom_set_vcpus(d, CACHET_MAX_VCPUS + 1), -CACHET_LIB_EINVAL);
	ck_assert_int_eq(cachet_dom_set_cache_policy(d, CACHET_CACHE_POLICY_MAX),
			 -CACHET_LIB_EINVAL);
	memset(longline, 'a', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = '\0';
	ck_assert_int_eq(cachet_dom_set_cmdline(d, longline), -CACHET_LIB_EINVAL);
	ck_assert_int_eq(cachet_dom_kernel_mem(d, kernel, sizeof(kernel)), 0);
	ck_assert_int_eq(cachet_dom_set_memory_mb(d, 8), 0);
	ck_assert_int_eq(cachet_dom_build(d, NULL), 0);
	ck_assert_int_eq(cachet_dom_build(d, NULL), -CACHET_LIB_EINVAL);
	ck_assert_int_eq(cachet_dom_set_vcpus(d, 2), -CACHET_LIB_EINVAL);
	ck_assert_str_eq(cachet_last_error(h), "dom_set_vcpus: the domain is already built");
	ck_assert_int_eq(cachet_dom_kernel_mem(d, kernel, sizeof(kernel)), -CACHET_LIB_EINVAL);
	ck_assert_ptr_null(cachet_dom_new(NULL));
	ck_assert_str_eq(cachet_last_error(NULL), "dom_new: NULL handle");
	/* The defaults: 1 vCPU, the DC+TVM policy. */
	ck_assert_uint_eq(fake_call_at(&f, 0).req.u.create.max_vcpus, 1);
	ck_assert_uint_eq(fake_call_at(&f, 0).req.u.create.cache_policy, CACHET_CACHE_DC_TVM);
}
END_TEST

static Suite *builder_suite(void)
{
	Suite *s = suite_create("lib_builder");
	TCase *tc = tcase_create("builder");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_build_elf_with_ramdisk);
	tcase_add_test(tc, test_populate_tail_in_small_pages);
	tcase_add_test(tc, test_build_raw_image_from_file);
	tcase_add_test(tc, test_build_image_from_file);
	tcase_add_test(tc, test_image_file_loaded_raw);
	tcase_add_test(tc, test_image_file_shrunk_before_build);
	tcase_add_test(tc, test_failed_vcpu_context_destroys_domain);
	tcase_add_test(tc, test_failed_populate_destroys_domain);
	tcase_add_test(tc, test_failed_flush_destroys_domain);
	tcase_add_test(tc, test_bad_frame_destroys_domain);
	tcase_add_test(tc, test_failed_destroy_is_reported);
	tcase_add_test(tc, test_bad_image_creates_nothing);
	tcase_add_test(tc, test_ramdisk_that_does_not_fit_creates_nothing);
	tcase_add_test(tc, test_pipeline_stages_and_inputs);
	tcase_add_test(tc, test_special_files_are_refused_without_blocking);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(builder_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
