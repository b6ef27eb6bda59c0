/*
 * Times the xc_dom build of a 256 MiB guest in one process, so that only
 * the build is measured (no process start, the kernel file already read):
 * from xc_domain_create to xc_domain_unpause, and xc_dom_build_image alone
 * (populate, load through foreign mappings, clean to the PoC, vCPU 0).
 * Prints the median and range of each over ROUNDS runs; asserts nothing.
 *   bench_xcdom KERNEL ROUNDS
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xenctrl.h>
#include <xenguest.h>

#include "bench_stats.h"

#define BENCH_MEM_MB 256u
#define BENCH_MAX_ROUNDS 64

static double bench_now_ms(void)
{
	return bench_now_us() / 1e3;
}

static void bench_print(const char *what, double *v, int n)
{
	double median = bench_quantile(v, (size_t)n, 0.5); /* sorts v */

	printf("  %-38s %7.1f ms  [%.1f .. %.1f]\n", what, median, v[0], v[n - 1]);
}

/* One build; fills the two times; returns the domain id or -1. */
static long bench_round(xc_interface *xch, const void *kernel, size_t len, double *total,
			double *build)
{
	struct xen_domctl_createdomain c;
	struct xc_dom_image *dom;
	uint32_t domid = 0;
	double t0 = bench_now_ms(), t1;
	int rc;

	memset(&c, 0, sizeof(c));
	c.flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
	c.max_vcpus = 1;
	if (xc_domain_create(xch, &domid, &c) != 0)
		return -1;
	dom = xc_dom_allocate(xch, "console=ttyAMA0", NULL);
	rc = dom ? xc_domain_setmaxmem(xch, domid, BENCH_MEM_MB * 1024) : -1;
	if (rc == 0)
		rc = xc_dom_kernel_mem(dom, kernel, len);
	if (rc == 0)
		rc = xc_dom_boot_xen_init(dom, xch, domid);
	if (rc == 0)
		rc = xc_dom_rambase_init(dom, GUEST_RAM_BASE);
	if (rc == 0)
		rc = xc_dom_parse_image(dom);
	if (rc == 0)
		rc = xc_dom_mem_init(dom, BENCH_MEM_MB);
	if (rc == 0)
		rc = xc_dom_boot_mem_init(dom);
	t1 = bench_now_ms();
	if (rc == 0)
		rc = xc_dom_build_image(dom);
	*build = bench_now_ms() - t1;
	if (rc == 0)
		rc = xc_dom_boot_image(dom);
	if (rc == 0)
		rc = xc_domain_unpause(xch, domid);
	*total = bench_now_ms() - t0;
	xc_dom_release(dom);
	return rc == 0 ? (long)domid : -1;
}

static void *bench_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	void *buf = NULL;
	long n;

	if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n)) && fread(buf, 1, (size_t)n, f) == (size_t)n)
		*len = (size_t)n;
	else {
		free(buf);
		buf = NULL;
	}
	if (f)
		fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	double total[BENCH_MAX_ROUNDS], build[BENCH_MAX_ROUNDS];
	int rounds = argc == 3 ? atoi(argv[2]) : 0;
	xc_interface *xch;
	size_t len = 0;
	void *kernel;

	if (rounds < 1 || rounds > BENCH_MAX_ROUNDS) {
		fprintf(stderr, "usage: %s KERNEL ROUNDS (1..%d)\n", argv[0], BENCH_MAX_ROUNDS);
		return 2;
	}
	kernel = bench_read(argv[1], &len);
	xch = kernel ? xc_interface_open(NULL, NULL, 0) : NULL;
	if (!xch)
		return 1;
	for (int i = 0; i < rounds; i++) {
		long domid = bench_round(xch, kernel, len, &total[i], &build[i]);

		if (domid < 0 || xc_domain_destroy(xch, (uint32_t)domid) != 0)
			return 1;
	}
	printf("xc_dom in one process, %u MiB guest, %zu-byte kernel, %d runs (median, range):\n",
	       BENCH_MEM_MB, len, rounds);
	bench_print("create .. unpause", total, rounds);
	bench_print("xc_dom_build_image (target < 100 ms)", build, rounds);
	xc_interface_close(xch);
	free(kernel);
	return 0;
}
