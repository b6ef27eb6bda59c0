/*
 * Kernel loading benchmark: the real Debian arm64 kernel (Image and
 * Image.gz from tests/linux/fetch-guest-assets) built into a domain through
 * the whole builder path — create, populate, plan, decompress or copy into
 * guest memory through foreign mappings, DTB, cache clean requests, vCPU
 * registers — against the fake mailbox server of the unit tests (a RAM
 * file, no QEMU).  In the same run it times a plain memcpy() of the same
 * decompressed bytes into a fresh buffer of the same size (page faults
 * included, as the builder's fresh mappings have them) and into a buffer
 * already touched.  It prints MB/s of kernel bytes and the ratios; it
 * asserts nothing about speed.
 *
 * The fake answers by polling without sleeping here, so what is timed is
 * the library's work (its own latency, ~70 us a request when it sleeps
 * between scans, is a property of the test double; the hypervisor's is
 * measured by bench_mgmt).  Guest frames are touched before the build, as
 * on the real machine where they are backed and scrubbed.
 *
 * It runs as a one-test check suite (not
 * forked) because the fake server checks what it sees with ck_assert,
 * which works only inside a running test.
 *
 * Usage: bench_loader ASSET_DIR [ROUNDS]
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "cachet/cachet.h"
#include "test_lib_fake.h"

#define BENCH_RAM_FILE (160ull << 20)
#define BENCH_GUEST_MB 64u /* what the fake's p2m tracks (FAKE_GUEST_PAGES) */
#define BENCH_ROUNDS 9u
#define BENCH_MAX_ROUNDS 101u
#define BENCH_KERNEL_GPA 0x40000000ull /* text_offset 0 at the start of RAM */

struct bench_blob {
	uint8_t *buf;
	size_t len;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "bench_loader: %s: %s\n", what, detail);
	exit(1);
}

static struct bench_blob read_file(const char *dir, const char *name)
{
	struct bench_blob b = { NULL, 0 };
	char path[4096];
	FILE *fp;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "rb");
	if (!fp)
		die(path, "cannot open (run tests/linux/fetch-guest-assets)");
	if (fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) <= 0 || fseek(fp, 0, SEEK_SET) != 0)
		die(path, "cannot size");
	b.len = (size_t)n;
	b.buf = malloc(b.len);
	if (!b.buf || fread(b.buf, 1, b.len, fp) != b.len)
		die(path, "cannot read");
	fclose(fp);
	return b;
}

static unsigned int bench_requests; /* hypercalls of the last build */

struct bench_kernel {
	char path[4096];
	double input_s;   /* cachet_dom_kernel_file() of the last round */
};

/* One build of the kernel at @k->path into a fresh fake machine; the build's seconds. */
static double build_once(struct bench_kernel *k, const struct bench_blob *want)
{
	struct fake f;
	cachet_handle *h;
	cachet_dom *d;
	double t0, t1, t2;
	uint8_t *back;

	fake_init(&f, BENCH_RAM_FILE, CACHET_MBOX_SLOTS);
	/*
	 * As on the real machine, guest frames are backed RAM the hypervisor
	 * has already scrubbed: touch them here, untimed, and keep the fake
	 * from scribbling over them again inside the timed populate.
	 */
	memset(f.ram + FAKE_POOL_OFFSET, 0, BENCH_RAM_FILE - FAKE_POOL_OFFSET);
	f.no_fill = 1;
	f.busy_poll = 1;
	fake_start(&f);
	if (cachet_open(f.path, &h) != 0)
		die("cachet_open", cachet_last_error(NULL));
	d = cachet_dom_new(h);
	if (!d || cachet_dom_set_memory_mb(d, BENCH_GUEST_MB) != 0 ||
	    cachet_dom_set_cmdline(d, "console=ttyAMA0") != 0)
		die("builder settings", cachet_last_error(h));
	t0 = now_s();
	if (cachet_dom_kernel_file(d, k->path) != 0)
		die("cachet_dom_kernel_file", cachet_last_error(h));
	t1 = now_s();
	if (cachet_dom_build(d, NULL) != 0)
		die("cachet_dom_build", cachet_last_error(h));
	t2 = now_s();
	/* What the guest would read is the decompressed Image, byte for byte. */
	back = malloc(want->len);
	fake_read_guest(&f, BENCH_KERNEL_GPA, back, want->len);
	if (memcmp(back, want->buf, want->len) != 0)
		die("guest memory", "differs from the Image");
	free(back);
	bench_requests = fake_nlog(&f);
	cachet_dom_free(d);
	cachet_close(h);
	fake_fini(&f);
	k->input_s = t1 - t0;
	return t2 - t1;
}

/* memcpy into a fresh mapping (faults included) or into one already touched. */
static double memcpy_once(const struct bench_blob *src, bool warm)
{
	uint8_t *dst = mmap(NULL, src->len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			    -1, 0);
	double t0, t1;

	if (dst == MAP_FAILED)
		die("mmap", "no memory");
	if (warm)
		memset(dst, 1, src->len);
	t0 = now_s();
	memcpy(dst, src->buf, src->len);
	t1 = now_s();
	if (dst[src->len - 1] != src->buf[src->len - 1])
		die("memcpy", "copy differs");
	munmap(dst, src->len);
	return t1 - t0;
}

static double median_memcpy(unsigned int rounds, const struct bench_blob *src, bool warm)
{
	double t[BENCH_MAX_ROUNDS];

	for (unsigned int i = 0; i < rounds; i++)
		t[i] = memcpy_once(src, warm);
	return median(t, rounds);
}

/* Medians of the build and of the input stage before it. */
static double median_build(unsigned int rounds, struct bench_kernel *k,
			   const struct bench_blob *want, double *input_s)
{
	double t[BENCH_MAX_ROUNDS], in[BENCH_MAX_ROUNDS];

	for (unsigned int i = 0; i < rounds; i++) {
		t[i] = build_once(k, want);
		in[i] = k->input_s;
	}
	*input_s = median(in, rounds);
	return median(t, rounds);
}

static void report(const char *what, size_t bytes, double s, double fresh, double warm)
{
	double mbs = (double)bytes / s / 1e6;

	printf("  %-22s %8.2f ms %7.0f MB/s  %5.2fx memcpy(fresh) %5.2fx memcpy(warm)\n", what,
	       s * 1e3, mbs, s / fresh, s / warm);
}

static const char *bench_dir;
static unsigned int bench_rounds = BENCH_ROUNDS;

static void bench_one(const char *file, const struct bench_blob *image, double fresh,
		      double warm)
{
	struct bench_kernel k;
	double input, build;
	char what[64];

	snprintf(k.path, sizeof(k.path), "%s/%s", bench_dir, file);
	build = median_build(bench_rounds, &k, image, &input);
	snprintf(what, sizeof(what), "build from %s", file);
	report(what, image->len, build, fresh, warm);
	snprintf(what, sizeof(what), "  + reading %s", file);
	report(what, image->len, input, fresh, warm);
	printf("  (%u hypercalls a build)\n", bench_requests);
}

START_TEST(bench_kernel_loading)
{
	struct bench_blob image = read_file(bench_dir, "Image");
	double fresh = median_memcpy(bench_rounds, &image, false);
	double warm = median_memcpy(bench_rounds, &image, true);

	printf("bench_loader: %zu-byte Image, median of %u rounds; MB/s of decompressed "
	       "kernel\n", image.len, bench_rounds);
	report("memcpy, fresh buffer", image.len, fresh, fresh, warm);
	report("memcpy, warm buffer", image.len, warm, fresh, warm);
	bench_one("Image", &image, fresh, warm);
	bench_one("Image.gz", &image, fresh, warm);
	fflush(stdout);
	free(image.buf);
}
END_TEST

int main(int argc, char **argv)
{
	Suite *s = suite_create("bench_loader");
	TCase *tc = tcase_create("bench");
	SRunner *sr;
	int failed;

	if (argc > 2)
		bench_rounds = (unsigned int)atoi(argv[2]);
	if (argc < 2 || bench_rounds == 0 || bench_rounds > BENCH_MAX_ROUNDS) {
		fprintf(stderr, "usage: bench_loader ASSET_DIR [ROUNDS 1..%u]\n", BENCH_MAX_ROUNDS);
		return 2;
	}
	bench_dir = argv[1];
	tcase_add_test(tc, bench_kernel_loading);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_SILENT);
	failed = srunner_ntests_failed(sr);
	if (failed)
		srunner_print(sr, CK_NORMAL);
	srunner_free(sr);
	return failed ? 1 : 0;
}
