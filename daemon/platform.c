/*
 * Starting and stopping QEMU, the hypervisor console, and the wait for the
 * management mailbox.  QEMU runs in its own process group so that stopping
 * it also stops anything it spawned, and it inherits none of the daemon's
 * descriptors (they are all close-on-exec) nor its blocked signals.
 */
#define _GNU_SOURCE /* vasprintf */
#include "platform.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dlog.h"
#include "state.h"

#define PLATFORM_ARGV_MAX 40
#define PLATFORM_STOP_GRACE_MS 3000

uint64_t platform_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void platform_sleep_ms(unsigned int ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* FNV-1a: a stable, dependency-free name for the state directory. */
static uint64_t platform_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

char *platform_ram_path(const char *state_dir, uid_t uid)
{
	char buf[128];

	snprintf(buf, sizeof(buf), "/dev/shm/cachet-%lu-%016llx.ram", (unsigned long)uid,
		 (unsigned long long)platform_hash(state_dir));
	return strdup(buf);
}

void platform_argv_free(char **argv)
{
	if (!argv)
		return;
	for (size_t i = 0; argv[i]; i++)
		free(argv[i]);
	free(argv);
}

static bool platform_arg(char **argv, size_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool platform_arg(char **argv, size_t *n, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int rc;

	if (*n + 1 >= PLATFORM_ARGV_MAX)
		return false;
	va_start(ap, fmt);
	rc = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return false;
	argv[(*n)++] = s;
	argv[*n] = NULL;
	return true;
}

char **platform_qemu_argv(const struct platform_cfg *c, const char *ram_path,
			  const char *serial_path)
{
	char **argv = calloc(PLATFORM_ARGV_MAX, sizeof(*argv));
	size_t n = 0;
	bool ok;

	if (!argv)
		return NULL;
	ok = platform_arg(argv, &n, "%s", c->qemu) &&
	     platform_arg(argv, &n, "-M") &&
	     platform_arg(argv, &n, "virt,virtualization=on,gic-version=3") &&
	     platform_arg(argv, &n, "-cpu") && platform_arg(argv, &n, "%s", c->cpu_model) &&
	     platform_arg(argv, &n, "-smp") && platform_arg(argv, &n, "%u", c->cpus) &&
	     platform_arg(argv, &n, "-m") && platform_arg(argv, &n, "%u", c->memory_mb) &&
	     platform_arg(argv, &n, "-object") &&
	     platform_arg(argv, &n, "memory-backend-file,id=ram,size=%uM,mem-path=%s,share=on",
			  c->memory_mb, ram_path) &&
	     platform_arg(argv, &n, "-machine") && platform_arg(argv, &n, "memory-backend=ram") &&
	     platform_arg(argv, &n, "-display") && platform_arg(argv, &n, "none") &&
	     platform_arg(argv, &n, "-monitor") && platform_arg(argv, &n, "none") &&
	     platform_arg(argv, &n, "-nodefaults") &&
	     platform_arg(argv, &n, "-chardev") &&
	     platform_arg(argv, &n, "socket,id=ser0,path=%s,server=on,wait=on", serial_path) &&
	     platform_arg(argv, &n, "-serial") && platform_arg(argv, &n, "chardev:ser0") &&
	     platform_arg(argv, &n, "-no-reboot") &&
	     platform_arg(argv, &n, "-kernel") && platform_arg(argv, &n, "%s", c->hypervisor);
	if (!ok) {
		platform_argv_free(argv);
		return NULL;
	}
	return argv;
}

/* In the child: QEMU's stdio, process group and signal state, then exec. */
static void platform_exec_qemu(char **argv, int log_fd)
{
	int null_fd = open("/dev/null", O_RDONLY);
	sigset_t none;

	setpgid(0, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 || dup2(log_fd, STDOUT_FILENO) < 0 ||
	    dup2(log_fd, STDERR_FILENO) < 0)
		_exit(126);
	execvp(argv[0], argv);
	dprintf(STDERR_FILENO, "cachetd: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static int platform_spawn(struct platform *p, const struct platform_cfg *c, char *msg,
			  size_t msglen)
{
	char **argv = platform_qemu_argv(c, p->ram_path, p->serial_path);
	int log_fd = open(p->qemu_log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	pid_t pid = -1;

	if (argv && log_fd >= 0)
		pid = fork();
	if (pid == 0)
		platform_exec_qemu(argv, log_fd);
	if (pid > 0)
		setpgid(pid, pid); /* also here: whichever runs first, the group exists */
	if (pid < 0)
		snprintf(msg, msglen, "cannot start %s: %s", c->qemu,
			 !argv ? "out of memory" : strerror(errno));
	if (log_fd >= 0)
		close(log_fd);
	platform_argv_free(argv);
	p->qemu_pid = pid > 0 ? pid : 0;
	return pid > 0 ? 0 : -1;
}

/* The last line QEMU wrote to its log, to tell the user why it stopped. */
static void platform_qemu_reason(const struct platform *p, char *buf, size_t size)
{
	int fd = open(p->qemu_log, O_RDONLY | O_CLOEXEC);
	off_t end = fd >= 0 ? lseek(fd, 0, SEEK_END) : -1;
	off_t from = end > (off_t)size - 1 ? end - ((off_t)size - 1) : 0;
	ssize_t n = end > 0 ? pread(fd, buf, size - 1, from) : 0;
	char *last;

	buf[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		close(fd);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	last = strrchr(buf, '\n');
	if (last)
		memmove(buf, last + 1, strlen(last + 1) + 1);
}

bool platform_exited(struct platform *p, char *msg, size_t msglen)
{
	char reason[256];
	int status;

	if (p->qemu_pid <= 0 || waitpid(p->qemu_pid, &status, WNOHANG) != p->qemu_pid)
		return false;
	p->qemu_pid = 0;
	platform_qemu_reason(p, reason, sizeof(reason));
	if (WIFEXITED(status))
		snprintf(msg, msglen, "QEMU exited with status %d%s%s (see %s)", WEXITSTATUS(status),
			 reason[0] ? ": " : "", reason, p->qemu_log);
	else
		snprintf(msg, msglen, "QEMU was killed by signal %d (see %s)",
			 WIFSIGNALED(status) ? WTERMSIG(status) : 0, p->qemu_log);
	return true;
}

bool platform_wait_exit(struct platform *p, char *msg, size_t msglen)
{
	uint64_t deadline = platform_now_ms() + 2000;

	while (!platform_exited(p, msg, msglen)) {
		if (p->qemu_pid <= 0 || platform_now_ms() > deadline)
			return false;
		platform_sleep_ms(20);
	}
	return true;
}

static int platform_connect_once(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* QEMU creates the socket once it has started; it waits for us (wait=on) to run the machine. */
static int platform_connect_serial(struct platform *p, char *msg, size_t msglen)
{
	uint64_t deadline = platform_now_ms() + PLATFORM_SERIAL_TIMEOUT_MS;

	while ((p->serial_fd = platform_connect_once(p->serial_path)) < 0) {
		if (platform_exited(p, msg, msglen))
			return -1;
		if (platform_now_ms() > deadline) {
			snprintf(msg, msglen, "QEMU did not create %s within %d s (see %s)",
				 p->serial_path, PLATFORM_SERIAL_TIMEOUT_MS / 1000, p->qemu_log);
			return -1;
		}
		platform_sleep_ms(50);
	}
	/* The library rings the doorbell with a one-byte write that must never block the daemon. */
	fcntl(p->serial_fd, F_SETFL, fcntl(p->serial_fd, F_GETFL) | O_NONBLOCK);
	return 0;
}

int platform_pump(struct platform *p)
{
	char buf[4096];

	for (;;) {
		ssize_t n = read(p->serial_fd, buf, sizeof(buf));

		if (n == 0)
			return -1;
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
		if (p->hvlog_fd >= 0 && write(p->hvlog_fd, buf, (size_t)n) != n) {
			dlog("cannot write the hypervisor console log; no longer logging it");
			close(p->hvlog_fd);
			p->hvlog_fd = -1;
		}
	}
}

/* Waits for a serial byte or the poll interval, copying console output meanwhile. */
static int platform_wait_step(struct platform *p, char *msg, size_t msglen)
{
	struct pollfd pfd = { p->serial_fd, POLLIN, 0 };

	if (p->serial_fd < 0) {
		platform_sleep_ms(100);
		return 0;
	}
	if (poll(&pfd, 1, 100) > 0 && platform_pump(p) < 0) {
		if (!platform_wait_exit(p, msg, msglen))
			snprintf(msg, msglen, "QEMU closed the hypervisor console (see %s)", p->qemu_log);
		return -1;
	}
	return platform_exited(p, msg, msglen) ? -1 : 0;
}

static void platform_mailbox_error(const struct platform *p, int rc, char *msg, size_t msglen)
{
	const char *why = cachet_last_error(NULL);
	int n = snprintf(msg, msglen, "no hypervisor mailbox in %s after %d s: %s", p->ram_path,
			 PLATFORM_MAILBOX_TIMEOUT_MS / 1000, why && *why ? why : cachet_strerror(rc));

	/* The hypervisor's console usually says why it never got that far. */
	if (p->hv_log && n > 0 && (size_t)n < msglen)
		snprintf(msg + n, msglen - (size_t)n, " (see %s)", p->hv_log);
}

static int platform_wait_mailbox(struct platform *p, cachet_handle **h, char *msg, size_t msglen)
{
	uint64_t deadline = platform_now_ms() + PLATFORM_MAILBOX_TIMEOUT_MS;
	int rc;

	while ((rc = cachet_open(p->ram_path, h)) < 0) {
		if (platform_wait_step(p, msg, msglen) < 0)
			return -1;
		if (platform_now_ms() > deadline) {
			platform_mailbox_error(p, rc, msg, msglen);
			return -1;
		}
	}
	if (p->serial_fd >= 0)
		cachet_set_doorbell_fd(*h, p->serial_fd);
	return 0;
}

static int platform_paths(struct platform *p, const struct platform_cfg *c)
{
	p->ram_path = c->attach ? strdup(c->attach) : platform_ram_path(c->state_dir, getuid());
	if (c->attach)
		return p->ram_path ? 0 : -1;
	p->serial_path = state_path(c->state_dir, "", "serial.sock", "");
	p->qemu_log = state_path(c->state_dir, "", "qemu.log", "");
	p->hv_log = state_path(c->state_dir, "", "hypervisor.log", "");
	return p->ram_path && p->serial_path && p->qemu_log && p->hv_log ? 0 : -1;
}

static int platform_launch(struct platform *p, const struct platform_cfg *c, char *msg,
			   size_t msglen)
{
	struct sockaddr_un sa;

	if (strlen(p->serial_path) >= sizeof(sa.sun_path)) {
		snprintf(msg, msglen, "state directory path too long for a UNIX socket: %s",
			 c->state_dir);
		return -1;
	}
	p->hvlog_fd = open(p->hv_log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (p->hvlog_fd < 0)
		dlog("cannot open %s; the hypervisor console is not logged", p->hv_log);
	/* QEMU does not zero a RAM file it reuses: a stale mailbox would look ready. */
	unlink(p->ram_path);
	unlink(p->serial_path);
	p->own_ram = true;
	dlog("starting %s (%u CPUs, %u MiB, hypervisor %s)", c->qemu, c->cpus, c->memory_mb,
	     c->hypervisor);
	if (platform_spawn(p, c, msg, msglen) < 0)
		return -1;
	return platform_connect_serial(p, msg, msglen);
}

int platform_start(struct platform *p, const struct platform_cfg *c, cachet_handle **h,
		   char *msg, size_t msglen)
{
	memset(p, 0, sizeof(*p));
	p->serial_fd = -1;
	p->hvlog_fd = -1;
	if (platform_paths(p, c) < 0) {
		snprintf(msg, msglen, "out of memory");
		platform_stop(p);
		return -1;
	}
	if ((!c->attach && platform_launch(p, c, msg, msglen) < 0) ||
	    platform_wait_mailbox(p, h, msg, msglen) < 0) {
		platform_stop(p);
		return -1;
	}
	dlog("hypervisor mailbox ready in %s", p->ram_path);
	return 0;
}

static void platform_kill_qemu(struct platform *p)
{
	uint64_t deadline = platform_now_ms() + PLATFORM_STOP_GRACE_MS;
	int status;

	kill(-p->qemu_pid, SIGTERM);
	while (waitpid(p->qemu_pid, &status, WNOHANG) == 0) {
		if (platform_now_ms() > deadline) {
			dlog("QEMU did not stop within %d ms; killing it", PLATFORM_STOP_GRACE_MS);
			kill(-p->qemu_pid, SIGKILL);
			waitpid(p->qemu_pid, &status, 0);
			break;
		}
		platform_sleep_ms(20);
	}
	p->qemu_pid = 0;
}

void platform_stop(struct platform *p)
{
	if (p->qemu_pid > 0)
		platform_kill_qemu(p);
	if (p->serial_fd >= 0)
		close(p->serial_fd);
	if (p->hvlog_fd >= 0)
		close(p->hvlog_fd);
	if (p->serial_path)
		unlink(p->serial_path);
	if (p->own_ram && p->ram_path)
		unlink(p->ram_path);
	free(p->ram_path);
	free(p->serial_path);
	free(p->qemu_log);
	free(p->hv_log);
	memset(p, 0, sizeof(*p));
	p->serial_fd = -1;
	p->hvlog_fd = -1;
}
