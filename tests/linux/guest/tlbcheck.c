/*
 * tlbcheck: whether the kernel's TLB maintenance reaches every CPU.  Two
 * threads of one process share a page.  The writer, pinned to one CPU,
 * writes it, so that CPU caches a writable translation; the main thread,
 * pinned to another, makes the page read-only with mprotect (Linux then
 * invalidates the translation on every CPU with TLBI ...IS); the writer
 * writes again and must fault.  A write that lands means a stale entry
 * survived on the writer's CPU.  Every ordered pair of online CPUs is
 * tried, in two ways: the writer spinning in user space while the page is
 * protected (its CPU runs guest code), and the writer sleeping (its CPU
 * idles in WFI), since a hypervisor may treat the two differently.
 *
 * Usage: tlbcheck [ROUNDS]   (per pair and way; default 25)
 * Output: TLBCHECK ok pairs=P rounds=R, or TLBCHECK FAIL ... (exit 1)
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

enum tc_step { TC_IDLE, TC_WRITE, TC_WRITTEN, TC_PROTECTED, TC_DONE, TC_QUIT };

struct tc_shared {
	volatile unsigned char *page;
	int writer_cpu;
	int sleeping;     /* the writer sleeps, not spins, while protected */
	int step;         /* enum tc_step, handed back and forth */
	int faulted;      /* the writer's second write faulted */
};

static __thread sigjmp_buf tc_jump;

static void tc_on_segv(int sig)
{
	(void)sig;
	siglongjmp(tc_jump, 1);
}

static int tc_step_get(struct tc_shared *s)
{
	return __atomic_load_n(&s->step, __ATOMIC_ACQUIRE);
}

static void tc_step_set(struct tc_shared *s, int step)
{
	__atomic_store_n(&s->step, step, __ATOMIC_RELEASE);
}

static void tc_wait(struct tc_shared *s, int step, int sleeping)
{
	const struct timespec ms = { 0, 1000000 };

	while (tc_step_get(s) != step) {
		if (sleeping)
			nanosleep(&ms, NULL);
	}
}

static int tc_pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

/* Whether a write to @p faults. */
static int tc_write_faults(volatile unsigned char *p, unsigned char v)
{
	if (sigsetjmp(tc_jump, 1))
		return 1;
	*p = v;
	return 0;
}

static void *tc_writer(void *arg)
{
	struct tc_shared *s = arg;
	unsigned char v = 0;

	if (tc_pin(s->writer_cpu) != 0) {
		perror("tlbcheck: sched_setaffinity (writer)");
		exit(2);
	}
	for (;;) {
		while (tc_step_get(s) != TC_WRITE && tc_step_get(s) != TC_QUIT)
			;
		if (tc_step_get(s) == TC_QUIT)
			return NULL;
		s->page[0] = ++v; /* the translation is now cached, writable, here */
		tc_step_set(s, TC_WRITTEN);
		tc_wait(s, TC_PROTECTED, s->sleeping);
		s->faulted = tc_write_faults(s->page, ++v);
		tc_step_set(s, TC_DONE);
	}
}

/* One pair, one way, @rounds times; 0 if every second write faulted. */
static int tc_pair(struct tc_shared *s, int main_cpu, int rounds)
{
	const struct timespec settle = { 0, 3000000 };
	pthread_t t;

	s->step = TC_IDLE;
	if (pthread_create(&t, NULL, tc_writer, s) != 0) {
		fprintf(stderr, "tlbcheck: pthread_create failed\n");
		exit(2);
	}
	for (int r = 0; r < rounds; r++) {
		mprotect((void *)s->page, 4096, PROT_READ | PROT_WRITE);
		tc_step_set(s, TC_WRITE);
		tc_wait(s, TC_WRITTEN, 0);
		/* Let a sleeping writer's CPU go idle before the invalidation. */
		if (s->sleeping)
			nanosleep(&settle, NULL);
		mprotect((void *)s->page, 4096, PROT_READ);
		tc_step_set(s, TC_PROTECTED);
		tc_wait(s, TC_DONE, 0);
		if (!s->faulted) {
			printf("TLBCHECK FAIL main-cpu=%d writer-cpu=%d writer=%s round=%d: "
			       "a write to a read-only page landed\n",
			       main_cpu, s->writer_cpu, s->sleeping ? "sleeping" : "spinning", r);
			exit(1);
		}
	}
	tc_step_set(s, TC_QUIT);
	pthread_join(t, NULL);
	return 0;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 25;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	struct sigaction sa;
	struct tc_shared s;
	int pairs = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = tc_on_segv;
	sigaction(SIGSEGV, &sa, NULL);
	memset(&s, 0, sizeof(s));
	s.page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s.page == MAP_FAILED || rounds <= 0 || ncpu < 2) {
		printf("TLBCHECK FAIL setup: mmap, rounds %d or %ld CPUs\n", rounds, ncpu);
		return 1;
	}
	for (int m = 0; m < ncpu; m++) {
		if (tc_pin(m) != 0) {
			perror("tlbcheck: sched_setaffinity");
			return 2;
		}
		for (int w = 0; w < ncpu; w++) {
			if (w == m)
				continue;
			s.writer_cpu = w;
			for (s.sleeping = 0; s.sleeping < 2; s.sleeping++)
				tc_pair(&s, m, rounds);
			pairs++;
		}
	}
	printf("TLBCHECK ok pairs=%d rounds=%d\n", pairs, rounds * 2 * pairs);
	return 0;
}
