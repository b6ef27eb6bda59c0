/*
 * cachetd: the Cachet management daemon (see cachetd(8) and PROTOCOL.md).
 * main() only strings the modules together: options, state directory,
 * daemonisation and lock, platform, recovery, socket, event loop, cleanup.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cachetd.h"
#include "detach.h"
#include "dlog.h"
#include "opts.h"
#include "platform.h"
#include "server.h"
#include "state.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

static struct server_flags main_flags;

/* SIGHUP reopens the log (after logrotate); SIGTERM and SIGINT stop the daemon. */
static void main_on_signal(int sig)
{
	if (sig == SIGHUP)
		main_flags.reopen = 1;
	else
		main_flags.stop = 1;
}

/*
 * SIGTERM/SIGINT/SIGHUP are blocked except while the loop waits in ppoll,
 * so a request can never slip in between the flag test and the wait.
 */
static void main_signals(sigset_t *waitmask)
{
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = main_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, waitmask);
	sigdelset(waitmask, SIGTERM);
	sigdelset(waitmask, SIGINT);
	sigdelset(waitmask, SIGHUP);
}

/* Creates the state directory and returns its absolute path (malloc'd). */
static char *main_state_dir(const struct opts *o, char *msg, size_t msglen)
{
	const char *dir = opts_state_dir(o, getenv("CACHET_STATE_DIR"), getuid(), msg, msglen);
	char *abs;

	if (!dir || state_init_dirs(dir, msg, msglen) < 0)
		return NULL;
	abs = realpath(dir, NULL);
	if (!abs)
		snprintf(msg, msglen, "cannot resolve %s: %s", dir, strerror(errno));
	return abs;
}

static int main_platform_cfg(const struct opts *o, const char *state_dir,
			     struct platform_cfg *c, char *msg, size_t msglen)
{
	memset(c, 0, sizeof(*c));
	c->state_dir = state_dir;
	c->attach = o->attach;
	c->cpus = o->cpus;
	c->memory_mb = o->memory_mb;
	c->cpu_model = o->cpu_model;
	if (o->attach)
		return 0;
	c->qemu = opts_qemu(o, getenv("CACHET_QEMU"));
	c->hypervisor = opts_hypervisor(o, getenv("CACHET_HYPERVISOR"), msg, msglen);
	if (!c->hypervisor)
		return -1;
	if (access(c->hypervisor, R_OK) < 0) {
		snprintf(msg, msglen, "cannot read the hypervisor image %s: %s", c->hypervisor,
			 strerror(errno));
		return -1;
	}
	if (access(c->qemu, X_OK) < 0) {
		snprintf(msg, msglen, "cannot run QEMU at %s: %s (give --qemu PATH or set CACHET_QEMU)",
			 c->qemu, strerror(errno));
		return -1;
	}
	return 0;
}

static int main_open_log(const struct opts *o, const char *state_dir, char *msg, size_t msglen)
{
	char *path = o->log_file ? strdup(o->log_file)
				 : state_path(state_dir, "", "cachetd.log", "");
	int rc = path ? dlog_open(path, o->foreground) : -1;

	if (rc < 0)
		snprintf(msg, msglen, "cannot open the log %s: %s", path ? path : "", strerror(errno));
	free(path);
	return rc;
}

/* Runs the event loop; 0 on a requested stop, 1 if the platform died. */
static int main_loop(struct server *srv, struct cachetd *d, struct platform *plat,
		     const sigset_t *waitmask)
{
	char msg[512] = "";
	int rc = server_run(srv, d, plat, &main_flags, waitmask, msg, sizeof(msg));

	if (rc < 0)
		dlog("stopping: %s", msg);
	else
		dlog("stopping on request");
	monitor_save_all(d);
	return rc < 0 ? 1 : 0;
}

static int main_server_cfg(const struct opts *o, struct server_cfg *c, char *msg, size_t msglen)
{
	memset(c, 0, sizeof(*c));
	c->policy.owner = geteuid();
	c->ro_socket = o->ro_socket;
	if (!o->socket_group)
		return 0;
	c->policy.has_group = true;
	return server_peer_group(o->socket_group, &c->policy.group, msg, msglen);
}

/*
 * Room for every connection the server admits: without it accept() fails
 * with EMFILE while the listening socket stays readable.
 */
static void main_fd_limit(void)
{
	struct rlimit rl;
	rlim_t want = SERVER_CONNS_MAX + 64;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max < want ? rl.rlim_max : want;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur < want)
		dlog("only %llu file descriptors: fewer than %u clients can connect",
		     (unsigned long long)rl.rlim_cur, SERVER_CONNS_MAX);
}

/* The daemon proper, once detached (report < 0 in the foreground). */
static int main_serve(const struct opts *o, const char *state_dir,
		      const struct platform_cfg *pc, const struct server_cfg *sc, int report)
{
	struct platform plat = { .keeper.start_fd = -1, .serial_fd = -1, .hvlog_fd = -1 };
	struct server srv = { .lis = { { .fd = -1 }, { .fd = -1 } } };
	struct cachetd d = { .jobs_fd = -1 };
	cachet_handle *h = NULL;
	char msg[512] = "";
	sigset_t waitmask;
	int lock_fd = -1, rc = 1;

	main_signals(&waitmask);
	if (detach_lock(state_dir, &lock_fd, msg, sizeof(msg)) < 0 ||
	    main_open_log(o, state_dir, msg, sizeof(msg)) < 0)
		goto out;
	dlog("cachetd %s starting, state directory %s", PACKAGE_VERSION, state_dir);
	main_fd_limit();
	if (platform_start(&plat, pc, &h, msg, sizeof(msg)) < 0)
		goto out;
	if (cachetd_init(&d, state_dir, h) < 0) {
		snprintf(msg, sizeof(msg), "the hypervisor does not answer physinfo: %s",
			 cachet_last_error(h));
		goto out;
	}
	d.doorbell_fd = plat.serial_fd;
	d.limits.allow_unsafe_policies = o->allow_unsafe_policies;
	if (o->allow_unsafe_policies)
		dlog("unsafe cache policies (flush-load, none) allowed: guests under them may read "
		     "stale memory");
	d.build_threads = true;
	if (create_job_notify_open(&d) < 0) {
		snprintf(msg, sizeof(msg), "cannot create an eventfd: %s", strerror(errno));
		goto out;
	}
	monitor_recover(&d);
	if (server_listen(&srv, state_dir, sc, msg, sizeof(msg)) < 0)
		goto out;
	dlog("serving on %s%s%s", srv.lis[0].path, srv.nlis > 1 ? " and " : "",
	     srv.nlis > 1 ? srv.lis[1].path : "");
	/* Only now may the user's `cachetd` return: the socket accepts connections. */
	detach_ready(report);
	rc = main_loop(&srv, &d, &plat, &waitmask);
out:
	if (msg[0]) {
		/* In the foreground dlog echoes to stderr; detached, the parent prints msg. */
		dlog("cannot start: %s", msg);
		detach_fail(report, msg);
	}
	server_close(&srv);
	cachetd_fini(&d);
	if (h)
		cachet_close(h);
	platform_stop(&plat);
	if (lock_fd >= 0)
		detach_unlock(state_dir, lock_fd);
	dlog_close();
	return rc;
}

int main(int argc, char **argv)
{
	struct platform_cfg pc;
	struct server_cfg sc;
	char msg[512] = "";
	char *state_dir = NULL;
	struct opts o;
	int report = -1, rc;

	if (opts_parse(argc, argv, &o, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "cachetd: %s\nTry 'cachetd --help'.\n", msg);
		return 2;
	}
	if (o.help || o.version) {
		if (o.help)
			opts_usage(stdout, "cachetd");
		else
			printf("cachetd (Cachet) %s\n", PACKAGE_VERSION);
		return 0;
	}
	state_dir = main_state_dir(&o, msg, sizeof(msg));
	if (!state_dir || main_platform_cfg(&o, state_dir, &pc, msg, sizeof(msg)) < 0 ||
	    main_server_cfg(&o, &sc, msg, sizeof(msg)) < 0 ||
	    (!o.foreground && detach_start(&report, msg, sizeof(msg)) < 0)) {
		fprintf(stderr, "cachetd: %s\n", msg);
		free(state_dir);
		return 1;
	}
	rc = main_serve(&o, state_dir, &pc, &sc, report);
	free(state_dir);
	return rc;
}
