/*
 * Management-path benchmark: starts QEMU with the Cachet hypervisor (its
 * serial port on a socket, which is also the doorbell), then measures with
 * libcachet, in one run:
 *   - the hypercall round trip (VERSION) back to back, where CPU 0 is still
 *     polling the mailbox from the request before; the first request after
 *     1 s idle, which wakes CPU 0 with the doorbell; and the same without
 *     the doorbell (the hypervisor then finds it on its timer tick): the
 *     baseline;
 *   - building a guest (create, populate, load, registers) and running it
 *     until it powers off, against starting the same guest under QEMU
 *     directly (no hypervisor), measured here too;
 *   - the QEMU process's CPU use while the platform sits idle.
 * It prints figures and ratios; it asserts nothing about speed.
 *
 * Usage: bench_mgmt QEMU HV_ELF GUEST_ELF DIRECT_GUEST_ELF [ROUNDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cachet/cachet.h"
#include "bench_stats.h"
#include "hvplat.h"

#define RAM_MB 512
#define RTT_ROUNDS 2000
#define IDLE_ROUNDS 5
#define IDLE_SECONDS 5

static void die(const char *what, cachet_handle *h)
{
	fprintf(stderr, "bench_mgmt: %s: %s\n", what, cachet_last_error(h));
	exit(1);
}

static pid_t spawn(char *const argv[])
{
	pid_t pid = fork();

	if (pid == 0) {
		setpgid(0, 0);
		freopen("/dev/null", "r", stdin);
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* Round trips of VERSION requests, each after @idle_us of silence. */
static void bench_rtt(cachet_handle *h, int doorbell, int rounds, useconds_t idle_us,
		      const char *label)
{
	double *t = calloc((size_t)rounds, sizeof(double));
	struct cachet_version_out v;

	cachet_set_doorbell_fd(h, doorbell);
	for (int i = 0; i < rounds; i++) {
		double t0;

		if (idle_us)
			usleep(idle_us);
		t0 = bench_now_us();
		if (cachet_version(h, &v) != 0)
			die("VERSION", h);
		t[i] = bench_now_us() - t0;
	}
	printf("round trip %-26s median %9.1f us   p99 %9.1f us   (%d requests)\n", label,
	       bench_quantile(t, (size_t)rounds, 0.5), bench_quantile(t, (size_t)rounds, 0.99), rounds);
	free(t);
}

/* Builds @elf, boots it, waits for it to power off; returns build and run times. */
static void guest_once(cachet_handle *h, const char *elf, double *build_us, double *run_us)
{
	cachet_dom *d = cachet_dom_new(h);
	struct cachet_dominfo info;
	cachet_domid_t domid;
	double t0 = bench_now_us(), t1;

	if (d == NULL || cachet_dom_kernel_file(d, elf) != 0 || cachet_dom_set_memory_mb(d, 64) != 0 ||
	    cachet_dom_build(d, &domid) != 0)
		die("build", h);
	t1 = bench_now_us();
	if (cachet_dom_boot(d) != 0)
		die("boot", h);
	do {
		if (cachet_domain_getinfo(h, domid, &info) != 0)
			die("getinfo", h);
	} while (info.state == CACHET_DOM_RUNNING);
	*build_us = t1 - t0;
	*run_us = bench_now_us() - t1;
	cachet_domain_destroy(h, domid);
	cachet_dom_free(d);
}

/* The same guest under QEMU alone: process start to power-off. */
static double direct_once(const char *qemu, const char *elf)
{
	char *argv[] = { (char *)qemu, "-M", "virt", "-cpu", "cortex-a57", "-m", "64", "-display",
			 "none", "-monitor", "none", "-nodefaults", "-serial", "null", "-no-reboot",
			 "-kernel", (char *)elf, NULL };
	double t0 = bench_now_us();
	pid_t pid = spawn(argv);

	waitpid(pid, NULL, 0);
	return bench_now_us() - t0;
}

static double qemu_cpu_seconds(pid_t pid)
{
	char path[64];
	unsigned long ut = 0, st = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (f == NULL ||
	    fscanf(f, "%*d %*s %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		ut = st = 0;
	if (f != NULL)
		fclose(f);
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

int main(int argc, char **argv)
{
	struct hvplat p;
	cachet_handle *h;
	int rounds = argc > 5 ? atoi(argv[5]) : 10;
	double *build, *run, *direct, c0;

	if (argc < 5) {
		fprintf(stderr, "usage: bench_mgmt QEMU HV_ELF GUEST_ELF DIRECT_GUEST_ELF [ROUNDS]\n");
		return 2;
	}
	build = calloc((size_t)rounds, sizeof(double));
	run = calloc((size_t)rounds, sizeof(double));
	direct = calloc((size_t)rounds, sizeof(double));
	hvplat_start(&p, argv[1], argv[2], RAM_MB, 2);
	/* Steady state: an idle CPU scrubs all RAM once after boot. */
	if (!hvplat_wait_for(&p, "scrub: all free memory clean", 60000))
		fprintf(stderr, "bench_mgmt: the boot scrub did not end within 60 s\n");
	h = hvplat_open(&p);
	bench_rtt(h, p.serial, RTT_ROUNDS, 0, "back to back");
	bench_rtt(h, p.serial, IDLE_ROUNDS, 1000000, "after 1 s idle (doorbell)");
	bench_rtt(h, -1, IDLE_ROUNDS, 1000000, "after 1 s idle (tick)");
	cachet_set_doorbell_fd(h, p.serial);
	for (int i = 0; i < rounds; i++) {
		guest_once(h, argv[3], &build[i], &run[i]);
		direct[i] = direct_once(argv[1], argv[4]);
		hvplat_drain(&p);
	}
	printf("guest build (64 MiB, ELF)  median %9.1f ms   (%d rounds)\n",
	       bench_quantile(build, (size_t)rounds, 0.5) / 1e3, rounds);
	printf("guest boot to power-off    median %9.1f ms\n", bench_quantile(run, (size_t)rounds, 0.5) / 1e3);
	printf("build + run under Cachet   median %9.1f ms\n",
	       (bench_quantile(build, (size_t)rounds, 0.5) + bench_quantile(run, (size_t)rounds, 0.5)) / 1e3);
	printf("same guest, QEMU alone     median %9.1f ms (process start to exit)\n",
	       bench_quantile(direct, (size_t)rounds, 0.5) / 1e3);
	printf("ratio Cachet / QEMU alone  %.2f\n",
	       (bench_quantile(build, (size_t)rounds, 0.5) + bench_quantile(run, (size_t)rounds, 0.5)) /
		       bench_quantile(direct, (size_t)rounds, 0.5));
	c0 = qemu_cpu_seconds(p.qemu);
	sleep(IDLE_SECONDS);
	hvplat_drain(&p);
	printf("idle QEMU CPU use          %.1f %% of one core over %d s\n",
	       100.0 * (qemu_cpu_seconds(p.qemu) - c0) / IDLE_SECONDS, IDLE_SECONDS);
	cachet_close(h);
	hvplat_stop(&p);
	return 0;
}
