/*
 * randread: random reads of one block size from a file or block device with
 * O_DIRECT (so the page cache does not answer them), one at a time, for a
 * given time; prints the reads per second.  Busybox has no such tool; the
 * disk benchmark runs this in the guest (built static by fetch-guest-assets).
 *
 * Usage: randread [-b BYTES] [-t SECONDS] [-s SEED] PATH
 * Output: RANDREAD iops=N reads=N seconds=S bytes=B size=DEVICE-BYTES
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct rr_opts {
	size_t block;
	double seconds;
	uint64_t seed;
	const char *path;
};

static double rr_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* xorshift64*: enough spread for offsets, and reproducible from a seed. */
static uint64_t rr_next(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static int rr_usage(void)
{
	fprintf(stderr, "usage: randread [-b BYTES] [-t SECONDS] [-s SEED] PATH\n");
	return 2;
}

static int rr_parse(int argc, char **argv, struct rr_opts *o)
{
	int c;

	o->block = 4096;
	o->seconds = 5.0;
	o->seed = 0x9E3779B97F4A7C15ULL;
	while ((c = getopt(argc, argv, "b:t:s:")) != -1) {
		switch (c) {
		case 'b':
			o->block = strtoul(optarg, NULL, 0);
			break;
		case 't':
			o->seconds = strtod(optarg, NULL);
			break;
		case 's':
			o->seed = strtoull(optarg, NULL, 0) | 1;
			break;
		default:
			return -1;
		}
	}
	if (optind != argc - 1 || o->block == 0 || o->block % 512 != 0 ||
	    !(o->seconds > 0))
		return -1;
	o->path = argv[optind];
	return 0;
}

/* The size in bytes of a block device or regular file. */
static int rr_size(int fd, uint64_t *size)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -1;
	if (S_ISBLK(st.st_mode))
		return ioctl(fd, BLKGETSIZE64, size);
	*size = (uint64_t)st.st_size;
	return 0;
}

static int rr_run(int fd, const struct rr_opts *o, uint64_t size)
{
	uint64_t blocks = size / o->block, state = o->seed, reads = 0;
	double start, elapsed;
	void *buf;

	if (blocks == 0) {
		fprintf(stderr, "randread: %s is smaller than one block\n", o->path);
		return 1;
	}
	if (posix_memalign(&buf, 4096, o->block) != 0) {
		fprintf(stderr, "randread: out of memory\n");
		return 1;
	}
	start = rr_now();
	do {
		off_t off = (off_t)((rr_next(&state) % blocks) * o->block);

		if (pread(fd, buf, o->block, off) != (ssize_t)o->block) {
			fprintf(stderr, "randread: read at %lld: %s\n",
				(long long)off, strerror(errno));
			free(buf);
			return 1;
		}
		reads++;
		elapsed = rr_now() - start;
	} while (elapsed < o->seconds);
	printf("RANDREAD iops=%.0f reads=%llu seconds=%.3f bytes=%zu size=%llu\n",
	       (double)reads / elapsed, (unsigned long long)reads, elapsed,
	       o->block, (unsigned long long)size);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	struct rr_opts o;
	uint64_t size;
	int fd, rc;

	if (rr_parse(argc, argv, &o) < 0)
		return rr_usage();
	fd = open(o.path, O_RDONLY | O_DIRECT);
	if (fd < 0) {
		fprintf(stderr, "randread: %s: %s\n", o.path, strerror(errno));
		return 1;
	}
	if (rr_size(fd, &size) < 0) {
		fprintf(stderr, "randread: size of %s: %s\n", o.path, strerror(errno));
		close(fd);
		return 1;
	}
	rc = rr_run(fd, &o, size);
	close(fd);
	return rc;
}
