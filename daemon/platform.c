/*
 * Starting, taking over and stopping the machine, the hypervisor console,
 * and the wait for the management mailbox.  QEMU runs under its keeper
 * (keeper.h) in their own process group, so that stopping it also stops
 * anything it spawned, and it inherits none of the daemon's descriptors nor
 * its blocked signals.  STATE/platform.json names the machine (platform_id.h)
 * from the moment QEMU exists, so no later daemon starts a second one over it.
 */
#include "platform.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
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

static int platform_spawn(struct platform *p, const struct platform_cfg *c, char *msg,
			  size_t msglen)
{
	char **argv = platform_qemu_argv(c, p->ram_path, p->serial_path);
	int log_fd = state_open(p->qemu_log, O_WRONLY | O_CREAT | O_TRUNC, msg, msglen);
	int rc = -1;

	if (!argv)
		snprintf(msg, msglen, "out of memory");
	else if (log_fd >= 0)
		rc = keeper_spawn(&p->keeper, argv, log_fd, msg, msglen);
	if (log_fd >= 0)
		close(log_fd);
	platform_argv_free(argv);
	return rc;
}

/* The last line QEMU wrote to its log, to tell the user why it stopped. */
static void platform_qemu_reason(const struct platform *p, char *buf, size_t size)
{
	int fd = open(p->qemu_log, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
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

/* The keeper ends as QEMU did (keeper.h): its status is QEMU's. */
static void platform_exit_status(struct platform *p, int status, char *msg, size_t msglen)
{
	char reason[256];

	platform_qemu_reason(p, reason, sizeof(reason));
	if (WIFEXITED(status))
		snprintf(msg, msglen, "QEMU exited with status %d%s%s (see %s)", WEXITSTATUS(status),
			 reason[0] ? ": " : "", reason, p->qemu_log);
	else
		snprintf(msg, msglen, "QEMU was killed by signal %d (see %s)",
			 WIFSIGNALED(status) ? WTERMSIG(status) : 0, p->qemu_log);
}

bool platform_exited(struct platform *p, char *msg, size_t msglen)
{
	int status;

	if (p->keeper.pid > 0) {
		if (waitpid(p->keeper.pid, &status, WNOHANG) != p->keeper.pid)
			return false;
		p->keeper.pid = 0;
		p->id.qemu.pid = 0;
		platform_exit_status(p, status, msg, msglen);
		return true;
	}
	/* Taken over from an earlier daemon: QEMU is no child of ours, only its identity tells. */
	if (!p->adopted || p->id.qemu.pid == 0 || platform_proc_alive(&p->id.qemu))
		return false;
	snprintf(msg, msglen, "QEMU (pid %ld) has exited (see %s)", (long)p->id.qemu.pid,
		 p->qemu_log);
	p->id.qemu.pid = 0;
	return true;
}

bool platform_wait_exit(struct platform *p, char *msg, size_t msglen)
{
	uint64_t deadline = platform_now_ms() + 2000;

	while (!platform_exited(p, msg, msglen)) {
		if (p->id.qemu.pid <= 0 || platform_now_ms() > deadline)
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
	/*
	 * The hypervisor publishes its mailbox after its boot banner, and its
	 * UART writes reach the socket before it goes on: copy them now, so
	 * that hypervisor.log holds the whole banner while the first request
	 * waits (without this it stopped where the last poll above left it,
	 * which once read as a boot stalled half-way through its banner).
	 */
	if (p->serial_fd >= 0 && platform_pump(p) < 0)
		dlog("the hypervisor console closed right after the mailbox appeared");
	if (p->serial_fd >= 0)
		cachet_set_doorbell_fd(*h, p->serial_fd);
	return 0;
}

static int platform_paths(struct platform *p, const struct platform_cfg *c)
{
	if (c->attach) {
		p->ram_path = strdup(c->attach);
		return p->ram_path ? 0 : -1;
	}
	p->serial_path = state_path(c->state_dir, "", "serial.sock", "");
	p->qemu_log = state_path(c->state_dir, "", "qemu.log", "");
	p->hv_log = state_path(c->state_dir, "", "hypervisor.log", "");
	p->id_path = state_path(c->state_dir, "", "platform.json", "");
	return p->serial_path && p->qemu_log && p->hv_log && p->id_path ? 0 : -1;
}

static int platform_open_hvlog(struct platform *p, int trunc)
{
	char msg[256];

	p->hvlog_fd = state_open(p->hv_log, O_WRONLY | O_CREAT | O_APPEND | trunc, msg, sizeof(msg));
	if (p->hvlog_fd < 0)
		dlog("%s; the hypervisor console is not logged", msg);
	return 0;
}

/* Records the machine: uncommitted while it starts, committed once it answers. */
static int platform_record(struct platform *p, bool committed, char *msg, size_t msglen)
{
	p->id.committed = committed;
	return platform_id_save(p->id_path, &p->id, msg, msglen);
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
	p->ram_path = platform_ram_create((uint64_t)c->memory_mb << 20, msg, msglen);
	if (!p->ram_path)
		return -1;
	p->own_ram = true;
	snprintf(p->id.ram_path, sizeof(p->id.ram_path), "%s", p->ram_path);
	platform_open_hvlog(p, O_TRUNC);
	unlink(p->serial_path);
	dlog("starting %s (%u CPUs, %u MiB, hypervisor %s, RAM %s)", c->qemu, c->cpus,
	     c->memory_mb, c->hypervisor, p->ram_path);
	if (platform_spawn(p, c, msg, msglen) < 0)
		return -1;
	if (platform_proc_get(p->keeper.pid, &p->id.keeper) < 0 ||
	    platform_proc_get(p->keeper.qemu_pid, &p->id.qemu) < 0) {
		snprintf(msg, msglen, "QEMU exited at once (see %s)", p->qemu_log);
		return -1;
	}
	if (platform_record(p, false, msg, msglen) < 0)
		return -1;
	return platform_connect_serial(p, msg, msglen);
}

/* Takes over the machine an earlier daemon of this state directory left running. */
static int platform_adopt(struct platform *p, const struct platform_id *id, char *msg,
			  size_t msglen)
{
	p->id = *id;
	p->adopted = true;
	p->own_ram = true;
	p->ram_path = strdup(id->ram_path);
	if (!p->ram_path) {
		snprintf(msg, msglen, "out of memory");
		return -1;
	}
	dlog("taking over the running machine: QEMU pid %ld, RAM %s", (long)id->qemu.pid,
	     id->ram_path);
	platform_open_hvlog(p, 0);
	return platform_connect_serial(p, msg, msglen);
}

/*
 * A machine recorded but no longer usable: gone, or caught half-started by
 * the death of its daemon (its keeper stops it; this makes sure of it).
 */
static void platform_clear_stale(struct platform *p, const struct platform_id *id)
{
	uint64_t deadline = platform_now_ms() + PLATFORM_STALE_GRACE_MS;

	while (platform_proc_alive(&id->qemu) && platform_now_ms() < deadline)
		platform_sleep_ms(50);
	if (platform_proc_alive(&id->qemu)) {
		dlog("stopping the half-started machine of an earlier cachetd (QEMU pid %ld)",
		     (long)id->qemu.pid);
		kill(id->qemu.pid, SIGKILL);
	}
	dlog("the machine of an earlier cachetd (QEMU pid %ld) is gone; starting a new one",
	     (long)id->qemu.pid);
	platform_ram_remove(id->ram_path);
	unlink(p->id_path);
}

/* 1: an earlier machine runs and was taken over; 0: start a new one; -1: error. */
static int platform_find_earlier(struct platform *p, char *msg, size_t msglen)
{
	struct platform_id id;
	int rc = platform_id_load(p->id_path, &id, msg, msglen);

	if (rc <= 0)
		return rc;
	if (id.committed && platform_proc_alive(&id.qemu))
		return platform_adopt(p, &id, msg, msglen) < 0 ? -1 : 1;
	platform_clear_stale(p, &id);
	return 0;
}

int platform_start(struct platform *p, const struct platform_cfg *c, cachet_handle **h,
		   char *msg, size_t msglen)
{
	int rc = 0;

	memset(p, 0, sizeof(*p));
	p->keeper.start_fd = -1;
	p->serial_fd = -1;
	p->hvlog_fd = -1;
	if (platform_paths(p, c) < 0) {
		snprintf(msg, msglen, "out of memory");
		platform_stop(p);
		return -1;
	}
	if (!c->attach)
		rc = platform_find_earlier(p, msg, msglen);
	if (rc < 0 || (!c->attach && rc == 0 && platform_launch(p, c, msg, msglen) < 0) ||
	    platform_wait_mailbox(p, h, msg, msglen) < 0) {
		/* A machine taken over stays as it is: its guests run on without us. */
		if (p->adopted) {
			p->id.qemu.pid = 0;
			p->own_ram = false;
		}
		platform_stop(p);
		return -1;
	}
	if (!c->attach && !p->adopted) {
		if (platform_record(p, true, msg, msglen) < 0) {
			platform_stop(p);
			return -1;
		}
		keeper_commit(&p->keeper);
	}
	dlog("hypervisor mailbox ready in %s", p->ram_path);
	return 0;
}

/* Asks QEMU's process group (keeper included) to stop, then insists. */
static void platform_kill_qemu(struct platform *p)
{
	uint64_t deadline = platform_now_ms() + PLATFORM_STOP_GRACE_MS;
	pid_t group = p->id.keeper.pid;
	int sig = SIGTERM;

	for (;;) {
		if (platform_proc_alive(&p->id.keeper))
			kill(-group, sig);
		else if (platform_proc_alive(&p->id.qemu))
			kill(p->id.qemu.pid, sig);
		if (p->keeper.pid > 0 && waitpid(p->keeper.pid, NULL, WNOHANG) == p->keeper.pid)
			p->keeper.pid = 0;
		if (!platform_proc_alive(&p->id.qemu) && !platform_proc_alive(&p->id.keeper))
			break;
		if (sig == SIGTERM && platform_now_ms() > deadline) {
			dlog("QEMU did not stop within %d ms; killing it", PLATFORM_STOP_GRACE_MS);
			sig = SIGKILL;
		}
		platform_sleep_ms(20);
	}
	if (p->keeper.pid > 0)
		waitpid(p->keeper.pid, NULL, 0);
	p->keeper.pid = 0;
	p->id.qemu.pid = 0;
}

void platform_stop(struct platform *p)
{
	bool started = p->id.qemu.pid > 0;

	if (started)
		platform_kill_qemu(p);
	if (p->keeper.start_fd >= 0)
		close(p->keeper.start_fd);
	if (p->serial_fd >= 0)
		close(p->serial_fd);
	if (p->hvlog_fd >= 0)
		close(p->hvlog_fd);
	if (p->own_ram && p->serial_path)
		unlink(p->serial_path);
	if (p->own_ram && p->ram_path)
		platform_ram_remove(p->ram_path);
	if (p->own_ram && p->id_path)
		unlink(p->id_path);
	free(p->ram_path);
	free(p->serial_path);
	free(p->qemu_log);
	free(p->hv_log);
	free(p->id_path);
	memset(p, 0, sizeof(*p));
	p->keeper.start_fd = -1;
	p->serial_fd = -1;
	p->hvlog_fd = -1;
}
