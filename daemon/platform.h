/*
 * The platform under the hypervisor: by default a QEMU virt machine the
 * daemon starts itself, with RAM shared through a file (the mailbox lives
 * in it) and the hypervisor's UART on a UNIX socket (its console, and the
 * doorbell the library rings); or, with --attach, a machine already running.
 */
#ifndef CACHETD_PLATFORM_H
#define CACHETD_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "cachet/cachet.h"
#include "keeper.h"
#include "platform_id.h"

#define PLATFORM_SERIAL_TIMEOUT_MS 10000 /* for QEMU to create the serial socket */
#define PLATFORM_MAILBOX_TIMEOUT_MS 30000 /* for the hypervisor to publish its mailbox */
#define PLATFORM_STALE_GRACE_MS 5000 /* for a half-started machine's keeper to stop it */

struct platform_cfg {
	const char *state_dir;    /* absolute */
	const char *qemu;
	const char *hypervisor;
	const char *attach;       /* RAM file of a running machine, or NULL */
	const char *cpu_model;    /* QEMU's -cpu */
	unsigned int cpus;
	unsigned int memory_mb;
};

struct platform {
	struct keeper keeper;     /* QEMU's keeper when this daemon started it, else zero */
	struct platform_id id;    /* the machine in STATE/platform.json; zero when attached */
	bool adopted;             /* started by an earlier daemon and taken over */
	int serial_fd;            /* -1 when attached */
	int hvlog_fd;             /* STATE/hypervisor.log, or -1 */
	char *ram_path;           /* owned */
	char *serial_path;        /* owned; NULL when attached */
	char *qemu_log;           /* owned; NULL when attached */
	char *hv_log;             /* owned; NULL when attached */
	char *id_path;            /* owned; STATE/platform.json, NULL when attached */
	bool own_ram;             /* the daemon created the RAM file and removes it */
};

/*
 * The RAM file of a new machine: DIR/ram in a new directory
 * /dev/shm/cachet-UID-XXXXXX (mkdtemp: an unpredictable name, mode 0700),
 * created exclusively, never through a link, @size bytes long.  Only the
 * daemon's user can enter the directory, so nobody else can open, replace
 * or plant the file.  Returns the malloc'd path, or NULL with msg set.
 */
char *platform_ram_create(uint64_t size, char *msg, size_t msglen);
/* Removes what platform_ram_create made. */
void platform_ram_remove(const char *ram_path);
/* QEMU's argv (NULL-terminated, every string malloc'd), or NULL. */
char **platform_qemu_argv(const struct platform_cfg *c, const char *ram_path,
			  const char *serial_path);
void platform_argv_free(char **argv);

/*
 * Starts (or attaches to) the machine and waits until the mailbox answers;
 * *h is the open library handle.  Without --attach, a machine an earlier
 * daemon started with this state directory is taken over if it still runs
 * (STATE/platform.json), and cleaned up if it does not; a second machine is
 * never started over a living one.  -1 with msg set on failure, with
 * whatever this call started stopped again.
 */
int platform_start(struct platform *p, const struct platform_cfg *c, cachet_handle **h,
		   char *msg, size_t msglen);
/* Copies pending hypervisor console output to its log; -1 once QEMU closed it. */
int platform_pump(struct platform *p);
/* Whether QEMU (unless attached) has exited; reaps it and says how. */
bool platform_exited(struct platform *p, char *msg, size_t msglen);
/*
 * QEMU closed the console: waits up to 2 s for it to exit, so the user
 * learns why; false if it did not (or the daemon did not start it).
 */
bool platform_wait_exit(struct platform *p, char *msg, size_t msglen);
/* Stops QEMU (unless attached) and removes the RAM file, socket and identity. */
void platform_stop(struct platform *p);

uint64_t platform_now_ms(void);

#endif
