/*
 * Tests of the guest device tree: every node and property the builder
 * generates, read back with libfdt; /chosen holding bootargs and the initrd
 * range exactly when they were given; cpu nodes and GIC redistributors for
 * 1, 4 and 17 vCPUs; both RAM banks of a 4 GiB guest; and a user's tree,
 * given instead of the generated one, with /chosen filled in.  Trees are
 * read from the fake guest memory where the builder wrote them.
 */
#include <check.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cachet/cachet.h"
#include "cachet/public/guest_map.h"
#include "dtb.h"
#include "test_lib_fake.h"
#include "test_lib_kimg.h"

#define RAM0 CACHET_GUEST_RAM0_BASE
#define MiB (1ull << 20)

static struct arena arena;
static uint8_t *fdt;
static size_t fdt_len;

static void setup(void)
{
	arena_init(&arena);
	fdt = NULL;
}

static void teardown(void)
{
	arena_free(&arena);
}

static void generate(const struct dtb_params *p)
{
	struct err_msg m;

	ck_assert_int_eq(dtb_generate(p, &arena, &fdt, &fdt_len, &m), 0);
	ck_assert_int_eq(fdt_check_full(fdt, fdt_len), 0);
	ck_assert_uint_eq(fdt_totalsize(fdt), fdt_len);
}

static int node(const char *path)
{
	int off = fdt_path_offset(fdt, path);

	ck_assert_msg(off >= 0, "no node %s: %s", path, fdt_strerror(off));
	return off;
}

static const void *prop(const char *path, const char *name, int *len)
{
	const void *v = fdt_getprop(fdt, node(path), name, len);

	ck_assert_msg(v != NULL, "no property %s in %s", name, path);
	return v;
}

static bool has_prop(const char *path, const char *name)
{
	return fdt_getprop(fdt, node(path), name, NULL) != NULL;
}

static void expect_str(const char *path, const char *name, const char *want)
{
	int len;
	const char *v = prop(path, name, &len);

	ck_assert_int_eq(len, (int)strlen(want) + 1);
	ck_assert_str_eq(v, want);
}

static void expect_bytes(const char *path, const char *name, const void *want, int want_len)
{
	int len;
	const void *v = prop(path, name, &len);

	ck_assert_int_eq(len, want_len);
	ck_assert_mem_eq(v, want, (size_t)want_len);
}

/* A property of 32-bit cells, given in host order. */
static void expect_cells(const char *path, const char *name, const uint32_t *want, int n)
{
	int len;
	const fdt32_t *v = prop(path, name, &len);

	ck_assert_int_eq(len, n * 4);
	for (int i = 0; i < n; i++)
		ck_assert_msg(fdt32_to_cpu(v[i]) == want[i], "%s %s cell %d: 0x%x, want 0x%x", path,
			      name, i, fdt32_to_cpu(v[i]), want[i]);
}

static void expect_cell(const char *path, const char *name, uint32_t want)
{
	expect_cells(path, name, &want, 1);
}

/* Properties are only 4-byte aligned: a 64-bit value is copied out. */
static void expect_u64(const char *path, const char *name, uint64_t want)
{
	int len;
	const void *v = prop(path, name, &len);
	fdt64_t raw;

	ck_assert_int_eq(len, 8);
	memcpy(&raw, v, sizeof(raw));
	ck_assert_uint_eq(fdt64_to_cpu(raw), want);
}

static const struct dtb_params one_vcpu = {
	.vcpus = 1,
	.ram_base = { RAM0, 0 },
	.ram_size = { 16 * MiB, 0 },
};

START_TEST(test_generated_tree)
{
	static const char psci[] = "arm,psci-1.0\0arm,psci-0.2\0arm,psci";
	static const uint32_t mem[] = { 0, 0x40000000, 0, 0x1000000 };
	static const uint32_t gic[] = { 0, 0x3001000, 0, 0x10000, 0, 0x3020000, 0, 0x20000 };
	static const uint32_t timer[] = { 1, 13, 0x108, 1, 14, 0x108, 1, 11, 0x108, 1, 10, 0x108 };
	static const uint32_t uart_reg[] = { 0, 0x22000000, 0, 0x1000 };
	static const uint32_t uart_irq[] = { 0, 0, 4 };
	const char *gicn = "/interrupt-controller@3001000";

	generate(&one_vcpu);
	expect_cell("/", "#address-cells", 2);
	expect_cell("/", "#size-cells", 2);
	expect_str("/", "model", "Cachet virtual machine");
	expect_str("/", "compatible", "cachet,virt");
	expect_cell("/", "interrupt-parent", DTB_PHANDLE_GIC);
	ck_assert_int_eq(fdt_node_offset_by_phandle(fdt, DTB_PHANDLE_GIC), node(gicn));

	expect_str("/chosen", "stdout-path", "/sbsa-uart@22000000");
	ck_assert(!has_prop("/chosen", "bootargs"));
	ck_assert(!has_prop("/chosen", "linux,initrd-start"));
	ck_assert(!has_prop("/chosen", "linux,initrd-end"));

	expect_cell("/cpus", "#address-cells", 1);
	expect_cell("/cpus", "#size-cells", 0);
	expect_str("/cpus/cpu@0", "device_type", "cpu");
	expect_str("/cpus/cpu@0", "compatible", "arm,armv8");
	expect_str("/cpus/cpu@0", "enable-method", "psci");
	expect_cell("/cpus/cpu@0", "reg", 0);

	expect_bytes("/psci", "compatible", psci, sizeof(psci));
	expect_str("/psci", "method", "hvc");

	expect_str("/memory@40000000", "device_type", "memory");
	expect_cells("/memory@40000000", "reg", mem, 4);
	ck_assert_int_eq(fdt_path_offset(fdt, "/memory@200000000"), -FDT_ERR_NOTFOUND);

	expect_str(gicn, "compatible", "arm,gic-v3");
	expect_cell(gicn, "#interrupt-cells", 3);
	expect_cell(gicn, "#address-cells", 0);
	expect_bytes(gicn, "interrupt-controller", "", 0);
	expect_cells(gicn, "reg", gic, 8);
	expect_cell(gicn, "phandle", DTB_PHANDLE_GIC);

	expect_str("/timer", "compatible", "arm,armv8-timer");
	expect_cells("/timer", "interrupts", timer, 12);
	expect_bytes("/timer", "always-on", "", 0);

	expect_str("/sbsa-uart@22000000", "compatible", "arm,sbsa-uart");
	expect_cells("/sbsa-uart@22000000", "reg", uart_reg, 4);
	expect_cells("/sbsa-uart@22000000", "interrupts", uart_irq, 3);
	expect_cell("/sbsa-uart@22000000", "current-speed", 115200);
}
END_TEST

/* virtio-mmio transports: Xen's window and SPI numbering, a level the device holds. */
START_TEST(test_virtio_mmio_nodes)
{
	struct dtb_params p = one_vcpu;
	const uint32_t reg0[4] = { 0, 0x02000000, 0, 0x200 };
	const uint32_t reg2[4] = { 0, 0x02000400, 0, 0x200 };
	const uint32_t irq0[3] = { 0, 1, 4 }, irq2[3] = { 0, 3, 4 };

	generate(&p);
	ck_assert_int_eq(fdt_path_offset(fdt, "/virtio@2000000"), -FDT_ERR_NOTFOUND);
	p.virtio_devices = 3;
	generate(&p);
	expect_str("/virtio@2000000", "compatible", "virtio,mmio");
	expect_cells("/virtio@2000000", "reg", reg0, 4);
	expect_cells("/virtio@2000000", "interrupts", irq0, 3);
	expect_bytes("/virtio@2000000", "dma-coherent", "", 0);
	expect_cells("/virtio@2000400", "reg", reg2, 4);
	expect_cells("/virtio@2000400", "interrupts", irq2, 3);
	ck_assert_int_eq(fdt_path_offset(fdt, "/virtio@2000600"), -FDT_ERR_NOTFOUND);
	/* In window order, which is the order Linux names the disks in. */
	ck_assert_int_lt(node("/virtio@2000000"), node("/virtio@2000200"));
}
END_TEST

START_TEST(test_chosen_exactly_what_was_given)
{
	struct dtb_params p = one_vcpu;

	p.cmdline = "console=ttyAMA0 root=/dev/ram";
	p.initrd_start = 0x40600000;
	p.initrd_end = 0x40612345;
	generate(&p);
	expect_str("/chosen", "bootargs", "console=ttyAMA0 root=/dev/ram");
	expect_u64("/chosen", "linux,initrd-start", 0x40600000);
	expect_u64("/chosen", "linux,initrd-end", 0x40612345);

	p.initrd_start = p.initrd_end = 0;
	generate(&p);
	ck_assert(has_prop("/chosen", "bootargs"));
	ck_assert(!has_prop("/chosen", "linux,initrd-start"));
	ck_assert(!has_prop("/chosen", "linux,initrd-end"));

	p.cmdline = "";
	generate(&p);
	expect_str("/chosen", "bootargs", "");

	p.cmdline = NULL;
	p.initrd_start = 0x40600000;
	p.initrd_end = 0x40600001;
	generate(&p);
	ck_assert(!has_prop("/chosen", "bootargs"));
	expect_u64("/chosen", "linux,initrd-end", 0x40600001);
}
END_TEST

static const unsigned int vcpu_counts[] = { 1, 4, 17 };

START_TEST(test_cpus_and_redistributors)
{
	unsigned int n = vcpu_counts[_i];
	struct dtb_params p = one_vcpu;
	uint32_t gic[8] = { 0, 0x3001000, 0, 0x10000, 0, 0x3020000, 0, 0x20000 * n };
	uint32_t mask = (n >= 8 ? 0xffu : (1u << n) - 1) << 8 | 8;
	uint32_t timer[12] = { 1, 13, mask, 1, 14, mask, 1, 11, mask, 1, 10, mask };
	int cpus, count = 0, sub;

	p.vcpus = n;
	generate(&p);
	cpus = node("/cpus");
	fdt_for_each_subnode(sub, fdt, cpus) {
		/* Aff0 = N % 16, Aff1 = N / 16; the unit address is the reg value. */
		uint32_t want = (uint32_t)(count % 16) | (uint32_t)(count / 16) << 8;
		char path[32];

		snprintf(path, sizeof(path), "/cpus/cpu@%x", want);
		ck_assert_int_eq(node(path), sub);
		expect_cell(path, "reg", want);
		expect_str(path, "enable-method", "psci");
		count++;
	}
	ck_assert_int_eq(count, (int)n);
	expect_cells("/interrupt-controller@3001000", "reg", gic, 8);
	expect_cells("/timer", "interrupts", timer, 12);
	if (n == 17) {
		expect_cell("/cpus/cpu@f", "reg", 0xf);
		expect_cell("/cpus/cpu@100", "reg", 0x100);
		ck_assert_int_eq(fdt_path_offset(fdt, "/cpus/cpu@10"), -FDT_ERR_NOTFOUND);
	}
}
END_TEST

/* 128 vCPUs outgrow the first 4 KiB buffer: it doubles. */
/* A user tree older than version 17 is refused before libfdt's full check reads it. */
START_TEST(test_user_tree_version_checked)
{
	static uint8_t tree[256];
	struct err_msg m = { 0 };

	ck_assert_int_eq(fdt_create_empty_tree(tree, sizeof(tree)), 0);
	ck_assert_int_eq(dtb_check_user(tree, sizeof(tree), &m), 0);
	fdt_set_version(tree, 16);
	ck_assert_int_eq(dtb_check_user(tree, sizeof(tree), &m), -CACHET_LIB_EIMAGE);
	ck_assert_str_eq(m.text, "device tree version 16 is older than 17 (rebuild it with dtc)");
}
END_TEST

START_TEST(test_tree_grows)
{
	struct dtb_params p = one_vcpu;

	p.vcpus = CACHET_GUEST_MAX_VCPUS;
	generate(&p);
	ck_assert_uint_gt(fdt_len, DTB_INITIAL_SIZE);
	expect_cell("/cpus/cpu@70f", "reg", 0x70f);
	ck_assert_uint_eq(dtb_vcpu_mpidr(127), 0x70f);
}
END_TEST

START_TEST(test_two_memory_banks)
{
	static const uint32_t ram0[] = { 0, 0x40000000, 0, 0xc0000000 };
	static const uint32_t ram1[] = { 2, 0, 0, 0x40000000 };
	struct dtb_params p = one_vcpu;

	p.ram_size[0] = 3ull << 30;
	p.ram_base[1] = CACHET_GUEST_RAM1_BASE;
	p.ram_size[1] = 1ull << 30;
	generate(&p);
	expect_cells("/memory@40000000", "reg", ram0, 4);
	expect_str("/memory@200000000", "device_type", "memory");
	expect_cells("/memory@200000000", "reg", ram1, 4);
}
END_TEST

/* ---- Through the builder, read back from guest memory. */

static struct fake f;
static cachet_handle *h;
static cachet_dom *d;
static uint8_t kernel[0x4000];
static struct cachet_dom_layout lay;

static void build_setup(void)
{
	setup();
	fake_init(&f, FAKE_RAM_SIZE, CACHET_MBOX_SLOTS);
	fake_start(&f);
	ck_assert_int_eq(cachet_open(f.path, &h), 0);
	d = cachet_dom_new(h);
	ck_assert_ptr_nonnull(d);
	kimg_write(kernel, sizeof(kernel), 0, 0x10000, KIMG_FLAGS_DEBIAN);
	ck_assert_int_eq(cachet_dom_kernel_mem(d, kernel, sizeof(kernel)), 0);
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

/* Builds, then reads the tree vCPU 0 is given (x0) back from guest memory. */
static void build_and_read_tree(unsigned int mem_mb)
{
	struct cachet_req req;

	ck_assert_int_eq(cachet_dom_set_memory_mb(d, mem_mb), 0);
	ck_assert_int_eq(cachet_dom_build(d, NULL), 0);
	ck_assert_int_eq(cachet_dom_get_layout(d, &lay), 0);
	ck_assert(fake_find(&f, CACHET_OP_VCPU_SET_CONTEXT, 0, &req));
	ck_assert_uint_eq(req.u.vcpu_ctx.ctx.x[0], lay.dtb_start);
	ck_assert_uint_eq(lay.dtb_start % (2 * MiB), 0);
	fdt_len = lay.dtb_end - lay.dtb_start;
	fdt = arena_alloc(&arena, fdt_len);
	fake_read_guest(&f, lay.dtb_start, fdt, fdt_len);
	ck_assert_int_eq(fdt_check_full(fdt, fdt_len), 0);
}

START_TEST(test_build_gives_generated_tree)
{
	static uint8_t rd[5000];
	static const uint32_t mem[] = { 0, 0x40000000, 0, 0x2000000 };

	ck_assert_int_eq(cachet_dom_set_cmdline(d, "console=ttyAMA0 earlycon"), 0);
	ck_assert_int_eq(cachet_dom_ramdisk_mem(d, rd, sizeof(rd)), 0);
	ck_assert_int_eq(cachet_dom_set_vcpus(d, 4), 0);
	build_and_read_tree(32);
	ck_assert_uint_eq(lay.dtb_start, RAM0 + 2 * MiB);
	expect_str("/chosen", "bootargs", "console=ttyAMA0 earlycon");
	expect_u64("/chosen", "linux,initrd-start", lay.ramdisk_start);
	expect_u64("/chosen", "linux,initrd-end", lay.ramdisk_end);
	ck_assert_uint_eq(lay.ramdisk_end - lay.ramdisk_start, sizeof(rd));
	expect_cells("/memory@40000000", "reg", mem, 4);
	expect_cell("/cpus/cpu@3", "reg", 3);
}
END_TEST

START_TEST(test_build_without_cmdline_or_ramdisk)
{
	build_and_read_tree(16);
	ck_assert(!has_prop("/chosen", "bootargs"));
	ck_assert(!has_prop("/chosen", "linux,initrd-start"));
	ck_assert(has_prop("/chosen", "stdout-path"));
}
END_TEST

/* 4 GiB: RAM0's 3 GiB and 1 GiB of RAM1, each populated and described. */
START_TEST(test_build_4gib_guest_two_banks)
{
	static const uint32_t ram1[] = { 2, 0, 0, 0x40000000 };
	struct cachet_req req;
	unsigned int i;

	fake_stop_thread(&f);
	f.mode = FAKE_P2M_LAZY;
	fake_start(&f);
	build_and_read_tree(4096);
	ck_assert_uint_eq(lay.ram_base, RAM0);
	ck_assert_uint_eq(lay.ram_size, 3ull << 30);
	ck_assert_uint_eq(lay.ram1_base, CACHET_GUEST_RAM1_BASE);
	ck_assert_uint_eq(lay.ram1_size, 1ull << 30);
	expect_cells("/memory@200000000", "reg", ram1, 4);
	ck_assert(fake_find(&f, CACHET_OP_DOMAIN_CREATE, 0, &req));
	ck_assert_uint_eq(req.u.create.max_pages, 1ull << 20);
	/* 1 GiB a request: three for RAM0, one for RAM1, all 2 MiB blocks. */
	ck_assert_uint_eq(fake_count(&f, CACHET_OP_POPULATE), 4);
	for (i = 0; fake_find(&f, CACHET_OP_POPULATE, i, &req); i++) {
		ck_assert_uint_eq(req.u.populate.order, 9);
		ck_assert_uint_eq(req.u.populate.nr_pages, 1u << 18);
	}
	ck_assert(fake_find(&f, CACHET_OP_POPULATE, 3, &req));
	ck_assert_uint_eq(req.u.populate.gfn, CACHET_GUEST_RAM1_BASE >> 12);
}
END_TEST

/* A small board's tree, as a user might give one; with or without /chosen. */
static size_t make_user_tree(uint8_t *buf, size_t size, bool chosen)
{
	ck_assert_int_eq(fdt_create(buf, (int)size), 0);
	ck_assert_int_eq(fdt_finish_reservemap(buf), 0);
	ck_assert_int_eq(fdt_begin_node(buf, ""), 0);
	ck_assert_int_eq(fdt_property_string(buf, "model", "user board"), 0);
	if (chosen) {
		ck_assert_int_eq(fdt_begin_node(buf, "chosen"), 0);
		ck_assert_int_eq(fdt_property_string(buf, "bootargs", "old arguments"), 0);
		ck_assert_int_eq(fdt_end_node(buf), 0);
	}
	ck_assert_int_eq(fdt_end_node(buf), 0);
	ck_assert_int_eq(fdt_finish(buf), 0);
	return fdt_totalsize(buf);
}

START_TEST(test_user_tree_as_is)
{
	uint8_t user[1024];
	size_t len = make_user_tree(user, sizeof(user), false);

	ck_assert_int_eq(cachet_dom_devicetree_mem(d, user, len), 0);
	build_and_read_tree(16);
	ck_assert_uint_eq(fdt_len, len);
	ck_assert_mem_eq(fdt, user, len);
}
END_TEST

START_TEST(test_user_tree_gets_chosen)
{
	static uint8_t rd[3000];
	uint8_t user[1024];
	size_t len = make_user_tree(user, sizeof(user), true);

	ck_assert_int_eq(cachet_dom_devicetree_mem(d, user, len), 0);
	ck_assert_int_eq(cachet_dom_set_cmdline(d, "console=ttyAMA0"), 0);
	ck_assert_int_eq(cachet_dom_ramdisk_mem(d, rd, sizeof(rd)), 0);
	build_and_read_tree(16);
	expect_str("/", "model", "user board");
	ck_assert_int_eq(fdt_path_offset(fdt, "/psci"), -FDT_ERR_NOTFOUND); /* not generated */
	expect_str("/chosen", "bootargs", "console=ttyAMA0");
	expect_u64("/chosen", "linux,initrd-start", lay.ramdisk_start);
	expect_u64("/chosen", "linux,initrd-end", lay.ramdisk_start + sizeof(rd));
}
END_TEST

START_TEST(test_user_tree_without_chosen_gets_one)
{
	uint8_t user[1024];
	size_t len = make_user_tree(user, sizeof(user), false);
	char path[64];
	FILE *tmp = tmpfile();

	ck_assert_ptr_nonnull(tmp);
	ck_assert_uint_eq(fwrite(user, 1, len, tmp), len);
	fflush(tmp);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fileno(tmp));
	ck_assert_int_eq(cachet_dom_devicetree_file(d, path), 0);
	fclose(tmp);
	ck_assert_int_eq(cachet_dom_set_cmdline(d, "quiet"), 0);
	build_and_read_tree(16);
	expect_str("/chosen", "bootargs", "quiet");
	ck_assert(!has_prop("/chosen", "linux,initrd-start"));
}
END_TEST

START_TEST(test_user_tree_refused)
{
	uint8_t user[1024];
	size_t len = make_user_tree(user, sizeof(user), true);
	uint8_t *big;

	ck_assert_int_eq(cachet_dom_devicetree_mem(d, kernel, sizeof(kernel)), -CACHET_LIB_EIMAGE);
	ck_assert_str_eq(cachet_last_error(h), "dom_devicetree_mem: not a flattened device tree "
			 "(no magic 0xd00dfeed at 0)");
	ck_assert_int_eq(cachet_dom_devicetree_mem(d, user, len - 8), -CACHET_LIB_EIMAGE);
	ck_assert_msg(strncmp(cachet_last_error(h), "dom_devicetree_mem: malformed device tree: ",
			      43) == 0, "%s", cachet_last_error(h));
	big = calloc(1, (2u << 20) + 1);
	memcpy(big, user, len);
	ck_assert_int_eq(cachet_dom_devicetree_mem(d, big, (2u << 20) + 1), -CACHET_LIB_EIMAGE);
	ck_assert_str_eq(cachet_last_error(h), "dom_devicetree_mem: 2097153 bytes, larger than the "
			 "2 MiB the arm64 boot protocol allows");
	free(big);
	ck_assert_int_eq(cachet_dom_devicetree_file(d, "/nonexistent/guest.dtb"), -CACHET_LIB_EIO);
	/* Nothing refused was kept: the build makes its own tree. */
	build_and_read_tree(16);
	expect_str("/", "model", "Cachet virtual machine");
}
END_TEST

static Suite *dtb_suite(void)
{
	Suite *s = suite_create("lib_dtb");
	TCase *gen = tcase_create("generated");
	TCase *build = tcase_create("build");

	tcase_add_checked_fixture(gen, setup, teardown);
	tcase_add_test(gen, test_generated_tree);
	tcase_add_test(gen, test_chosen_exactly_what_was_given);
	tcase_add_test(gen, test_virtio_mmio_nodes);
	tcase_add_loop_test(gen, test_cpus_and_redistributors, 0,
			    (int)(sizeof(vcpu_counts) / sizeof(vcpu_counts[0])));
	tcase_add_test(gen, test_tree_grows);
	tcase_add_test(gen, test_user_tree_version_checked);
	tcase_add_test(gen, test_two_memory_banks);
	suite_add_tcase(s, gen);
	tcase_add_checked_fixture(build, build_setup, build_teardown);
	tcase_set_timeout(build, 60);
	tcase_add_test(build, test_build_gives_generated_tree);
	tcase_add_test(build, test_build_without_cmdline_or_ramdisk);
	tcase_add_test(build, test_build_4gib_guest_two_banks);
	tcase_add_test(build, test_user_tree_as_is);
	tcase_add_test(build, test_user_tree_gets_chosen);
	tcase_add_test(build, test_user_tree_without_chosen_gets_one);
	tcase_add_test(build, test_user_tree_refused);
	suite_add_tcase(s, build);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(dtb_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
