/*
 * The keeper process (keeper.h).  Everything after fork() here runs in the
 * keeper or in QEMU's child before exec, so it sticks to async-signal-safe
 * calls and _exit.
 */
#define _GNU_SOURCE /* close_range */
#include "keeper.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define KEEPER_COMMIT 'C'
#define KEEPER_POLL_MS 100

/* Descriptors as the keeper holds them after keeper_fds(). */
enum { KEEPER_START_FD = 3, KEEPER_INFO_FD = 4, KEEPER_LOG_FD = 5 };

/* In QEMU's child: die with the keeper, stdio to the log, default signals, exec. */
static void keeper_exec_qemu(char **argv, pid_t keeper)
{
	int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	sigset_t none;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != keeper)
		_exit(126); /* the keeper is gone already: so must QEMU be */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 ||
	    dup2(KEEPER_LOG_FD, STDOUT_FILENO) < 0 || dup2(KEEPER_LOG_FD, STDERR_FILENO) < 0)
		_exit(126);
	close(KEEPER_START_FD);
	close(KEEPER_LOG_FD);
	execvp(argv[0], argv);
	dprintf(STDERR_FILENO, "cachetd: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* Ends the keeper the way QEMU ended, so the daemon's waitpid() tells QEMU's story. */
static void keeper_exit_as(int status)
{
	if (WIFSIGNALED(status)) {
		signal(WTERMSIG(status), SIG_DFL);
		kill(getpid(), WTERMSIG(status));
	}
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}

/* Before the commit: true once the daemon committed, false if it died first. */
static int keeper_wait_commit(pid_t qemu, int *status)
{
	for (;;) {
		struct pollfd pfd = { KEEPER_START_FD, POLLIN, 0 };
		char c = 0;

		if (waitpid(qemu, status, WNOHANG) == qemu)
			return -1;
		if (poll(&pfd, 1, KEEPER_POLL_MS) <= 0)
			continue;
		if (read(KEEPER_START_FD, &c, 1) == 1 && c == KEEPER_COMMIT)
			return 1;
		return 0;
	}
}

static void keeper_main(char **argv)
{
	pid_t self = getpid(), qemu;
	int status = 0, rc;

	setsid();
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	qemu = fork();
	if (qemu == 0)
		keeper_exec_qemu(argv, self);
	if (qemu < 0 || write(KEEPER_INFO_FD, &qemu, sizeof(qemu)) != sizeof(qemu))
		_exit(125);
	close(KEEPER_INFO_FD);
	close(KEEPER_LOG_FD);
	rc = keeper_wait_commit(qemu, &status);
	if (rc < 0)
		keeper_exit_as(status);
	if (rc == 0) {
		/* The daemon died while starting the machine: nobody will ever use it. */
		kill(qemu, SIGKILL);
		waitpid(qemu, &status, 0);
		_exit(124);
	}
	close(KEEPER_START_FD);
	while (waitpid(qemu, &status, 0) < 0 && errno == EINTR)
		;
	keeper_exit_as(status);
}

/* In the keeper: exactly the three descriptors it needs, at fixed numbers. */
static void keeper_fds(int start_rd, int info_wr, int log_fd)
{
	int tmp[3] = { fcntl(start_rd, F_DUPFD_CLOEXEC, 10), fcntl(info_wr, F_DUPFD_CLOEXEC, 10),
		       fcntl(log_fd, F_DUPFD_CLOEXEC, 10) };

	for (int i = 0; i < 3; i++) {
		if (tmp[i] < 0 || dup3(tmp[i], KEEPER_START_FD + i, O_CLOEXEC) < 0)
			_exit(125);
	}
	close_range(KEEPER_LOG_FD + 1, ~0u, 0);
}

int keeper_spawn(struct keeper *k, char **argv, int log_fd, char *msg, size_t msglen)
{
	int start[2], info[2];
	ssize_t n;

	k->pid = k->qemu_pid = 0;
	k->start_fd = -1;
	if (pipe2(start, O_CLOEXEC) < 0) {
		snprintf(msg, msglen, "cannot create a pipe: %s", strerror(errno));
		return -1;
	}
	if (pipe2(info, O_CLOEXEC) < 0) {
		snprintf(msg, msglen, "cannot create a pipe: %s", strerror(errno));
		close(start[0]);
		close(start[1]);
		return -1;
	}
	k->pid = fork();
	if (k->pid == 0) {
		keeper_fds(start[0], info[1], log_fd);
		keeper_main(argv);
	}
	close(start[0]);
	close(info[1]);
	n = k->pid > 0 ? read(info[0], &k->qemu_pid, sizeof(k->qemu_pid)) : -1;
	close(info[0]);
	if (n != sizeof(k->qemu_pid)) {
		snprintf(msg, msglen, "cannot start %s: %s", argv[0],
			 k->pid < 0 ? strerror(errno) : "the keeper process failed");
		close(start[1]);
		if (k->pid > 0)
			waitpid(k->pid, NULL, 0);
		k->pid = k->qemu_pid = 0;
		return -1;
	}
	k->start_fd = start[1];
	return 0;
}

void keeper_commit(struct keeper *k)
{
	char c = KEEPER_COMMIT;

	if (k->start_fd < 0)
		return;
	if (write(k->start_fd, &c, 1) != 1)
		return; /* the keeper is gone, and QEMU with it: the loop will notice */
	close(k->start_fd);
	k->start_fd = -1;
}
