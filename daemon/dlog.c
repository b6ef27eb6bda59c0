/*
 * Daemon log.  Lines are written with one write(2) each, so lines from the
 * daemon never interleave mid-line even if the file is shared.
 */
#include "dlog.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int dlog_fd = -1;
static bool dlog_echo;
static char *dlog_path; /* owned: reopened by dlog_reopen() */

/* Never through a link: the log may sit in a directory others can write. */
static int dlog_open_fd(const char *path)
{
	return open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK,
		    0600);
}

int dlog_open(const char *path, bool echo)
{
	int fd = dlog_open_fd(path);
	char *copy = fd >= 0 ? strdup(path) : NULL;

	if (!copy) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	dlog_close();
	dlog_fd = fd;
	dlog_path = copy;
	dlog_echo = echo;
	return 0;
}

int dlog_reopen(void)
{
	int fd = dlog_path ? dlog_open_fd(dlog_path) : -1;

	if (fd < 0)
		return -1;
	if (dlog_fd >= 0)
		close(dlog_fd);
	dlog_fd = fd;
	return 0;
}

void dlog_close(void)
{
	if (dlog_fd >= 0)
		close(dlog_fd);
	dlog_fd = -1;
	free(dlog_path);
	dlog_path = NULL;
}

static size_t dlog_stamp(char *buf, size_t size)
{
	struct timeval tv;
	struct tm tm;
	size_t n;

	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	n = strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm);
	n += (size_t)snprintf(buf + n, size - n, ".%03ld ", (long)(tv.tv_usec / 1000));
	return n;
}

void dlog(const char *fmt, ...)
{
	char line[1024];
	size_t n = dlog_stamp(line, sizeof(line));
	bool written = false;
	va_list ap;
	int m;

	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		return;
	n += (size_t)m < sizeof(line) - n - 1 ? (size_t)m : sizeof(line) - n - 2;
	line[n++] = '\n';
	if (dlog_fd >= 0 && write(dlog_fd, line, n) == (ssize_t)n)
		written = true;
	/* A log that cannot be written falls back to stderr rather than losing the line. */
	if (dlog_echo || !written)
		fwrite(line, 1, n, stderr);
}
