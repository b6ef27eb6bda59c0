/*
 * The keeper: a small process between cachetd and QEMU, as conmon is for a
 * container.  It exists so that QEMU never outlives a daemon that died while
 * starting it, and always outlives a daemon that dies later:
 *   - QEMU gets PR_SET_PDEATHSIG = SIGKILL with the keeper as its parent, so
 *     it dies with the keeper and is never orphaned;
 *   - until the daemon commits (keeper_commit), the keeper kills QEMU and
 *     exits as soon as the daemon's end of the start-up pipe closes, i.e. as
 *     soon as the daemon dies, however it dies;
 *   - after the commit it only waits for QEMU and exits as QEMU did, so a
 *     restarted daemon finds the machine running (platform_id.h).
 * The keeper leads its own session and process group (QEMU's too), holds no
 * descriptor of the daemon's (so no lock of the state directory), and
 * ignores the signals a terminal or a group kill would send it: it follows
 * QEMU, not the other way round.
 */
#ifndef CACHETD_KEEPER_H
#define CACHETD_KEEPER_H

#include <stddef.h>
#include <sys/types.h>

struct keeper {
	pid_t pid;                /* the keeper, the daemon's child */
	pid_t qemu_pid;
	int start_fd;             /* the daemon's end of the start-up pipe; -1 once committed */
};

/*
 * Starts the keeper, which starts argv[0] with stdout and stderr on log_fd.
 * -1 with msg set (nothing left running).
 */
int keeper_spawn(struct keeper *k, char **argv, int log_fd, char *msg, size_t msglen);
/* The machine is up and recorded: from now on QEMU outlives the daemon. */
void keeper_commit(struct keeper *k);

#endif
