/*
 * tcpsend: sends MIB MiB of zeros to HOST:PORT over one TCP connection with
 * 256 KiB writes.  busybox nc copies through a small buffer, so it measures
 * its own system calls more than the network; the network benchmark runs
 * this in the guest instead (built static by fetch-guest-assets).
 *
 * Usage: tcpsend IPV4-ADDRESS PORT MIB
 * Output: TCPSEND bytes=N seconds=S
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define TS_CHUNK (256u * 1024u)

static double ts_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int ts_connect(const char *addr, const char *port)
{
	struct sockaddr_in sin;
	int fd;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)strtoul(port, NULL, 10));
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		fprintf(stderr, "tcpsend: %s is not an IPv4 address\n", addr);
		return -1;
	}
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		fprintf(stderr, "tcpsend: connect to %s:%s: %s\n", addr, port,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Writes all of LEN bytes, across short writes. */
static int ts_write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static char buf[TS_CHUNK];
	unsigned long long total, sent = 0;
	double start;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: tcpsend IPV4-ADDRESS PORT MIB\n");
		return 2;
	}
	total = strtoull(argv[3], NULL, 10) << 20;
	fd = ts_connect(argv[1], argv[2]);
	if (fd < 0)
		return 1;
	start = ts_now();
	while (sent < total) {
		size_t n = total - sent < TS_CHUNK ? (size_t)(total - sent) : TS_CHUNK;

		if (ts_write_all(fd, buf, n) < 0) {
			fprintf(stderr, "tcpsend: write: %s\n", strerror(errno));
			close(fd);
			return 1;
		}
		sent += n;
	}
	close(fd);
	printf("TCPSEND bytes=%llu seconds=%.3f\n", sent, ts_now() - start);
	return 0;
}
