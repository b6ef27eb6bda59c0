/*
 * Daemonisation (double fork, so the daemon is no session leader and can
 * never reacquire a terminal) with a report pipe back to the user's
 * process, and the single-instance lock.
 */
#include "detach.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "state.h"

#define DETACH_READY 'R'
#define DETACH_ERROR 'E'

/* In the user's process: relay the daemon's report and exit. */
static void detach_parent(int fd, pid_t child)
{
	char buf[1024];
	size_t len = 0;
	ssize_t n;

	waitpid(child, NULL, 0);
	while (len < sizeof(buf) - 1 && (n = read(fd, buf + len, sizeof(buf) - 1 - len)) != 0) {
		if (n < 0 && errno != EINTR)
			break;
		if (n > 0)
			len += (size_t)n;
	}
	buf[len] = '\0';
	if (len > 0 && buf[0] == DETACH_READY)
		exit(0);
	if (len > 1 && buf[0] == DETACH_ERROR)
		fprintf(stderr, "cachetd: %s\n", buf + 1);
	else
		fprintf(stderr, "cachetd: the daemon exited during startup (see its log)\n");
	exit(1);
}

static void detach_stdio(void)
{
	int fd = open("/dev/null", O_RDWR);

	if (fd < 0)
		return;
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
}

int detach_start(int *report, char *msg, size_t msglen)
{
	int fds[2];
	pid_t pid;

	if (pipe(fds) < 0) {
		snprintf(msg, msglen, "cannot create a pipe: %s", strerror(errno));
		return -1;
	}
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	pid = fork();
	if (pid < 0) {
		snprintf(msg, msglen, "cannot fork: %s", strerror(errno));
		return -1;
	}
	if (pid > 0) {
		close(fds[1]);
		detach_parent(fds[0], pid);
	}
	close(fds[0]);
	setsid();
	pid = fork();
	if (pid < 0) {
		detach_fail(fds[1], "cannot fork");
		_exit(1);
	}
	if (pid > 0)
		_exit(0);
	if (chdir("/") < 0)
		_exit(1);
	umask(077);
	detach_stdio();
	*report = fds[1];
	return 0;
}

static void detach_report(int fd, char kind, const char *msg)
{
	char buf[1024];
	int n = snprintf(buf, sizeof(buf), "%c%s", kind, msg);
	ssize_t w;

	if (n > (int)sizeof(buf) - 1)
		n = (int)sizeof(buf) - 1;
	/* If the user's process is gone there is nobody left to tell: the result does not matter. */
	w = write(fd, buf, (size_t)n);
	(void)w;
	close(fd);
}

void detach_ready(int fd)
{
	if (fd >= 0)
		detach_report(fd, DETACH_READY, "");
}

void detach_fail(int fd, const char *msg)
{
	if (fd >= 0)
		detach_report(fd, DETACH_ERROR, msg);
}

/* The pid in STATE/cachetd.pid, or 0; only used to word an error. */
static long detach_read_pid(const char *path)
{
	char buf[32], msg[64];
	int fd = state_open(path, O_RDONLY, msg, sizeof(msg));
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return strtol(buf, NULL, 10);
}

static int detach_write_pid(const char *path, char *msg, size_t msglen)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	int fd = state_open(path, O_WRONLY | O_CREAT | O_TRUNC, msg, msglen);

	if (fd < 0)
		return -1;
	if (write(fd, buf, (size_t)n) != n) {
		snprintf(msg, msglen, "cannot write %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return close(fd);
}

static int detach_flock(int fd, const char *lock, const char *pidf, const char *state_dir,
			char *msg, size_t msglen)
{
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	if (errno == EWOULDBLOCK)
		snprintf(msg, msglen, "another cachetd (pid %ld) is already running with state "
			 "directory %s", detach_read_pid(pidf), state_dir);
	else
		snprintf(msg, msglen, "cannot lock %s: %s", lock, strerror(errno));
	return -1;
}

int detach_lock(const char *state_dir, int *lock_fd, char *msg, size_t msglen)
{
	char *lock = state_path(state_dir, "", "cachetd.lock", "");
	char *pidf = state_path(state_dir, "", "cachetd.pid", "");
	int fd = lock && pidf ? state_open(lock, O_RDWR | O_CREAT, msg, msglen) : -1;
	int rc = -1;

	if (fd < 0 && (!lock || !pidf))
		snprintf(msg, msglen, "out of memory");
	else if (fd >= 0 && detach_flock(fd, lock, pidf, state_dir, msg, msglen) == 0)
		rc = detach_write_pid(pidf, msg, msglen);
	if (rc < 0 && fd >= 0)
		close(fd);
	*lock_fd = rc < 0 ? -1 : fd;
	free(lock);
	free(pidf);
	return rc;
}

void detach_unlock(const char *state_dir, int lock_fd)
{
	char *pidf = state_path(state_dir, "", "cachetd.pid", "");

	if (pidf)
		unlink(pidf);
	free(pidf);
	if (lock_fd >= 0)
		close(lock_fd);
}
