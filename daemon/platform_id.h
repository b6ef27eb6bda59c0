/*
 * The platform's identity on disk (STATE/platform.json): which QEMU (and
 * which keeper process, its parent) runs the machine and where its RAM file
 * is, so that a restarted cachetd finds the living platform and attaches to
 * it instead of starting a second one.  A process is named by its pid and
 * its start time (/proc/PID/stat), so a recycled pid is never mistaken for it.
 */
#ifndef CACHETD_PLATFORM_ID_H
#define CACHETD_PLATFORM_ID_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct platform_proc {
	pid_t pid;
	uint64_t start;           /* clock ticks after boot, from /proc/PID/stat */
};

struct platform_id {
	struct platform_proc keeper;
	struct platform_proc qemu;
	char ram_path[PATH_MAX];  /* RAMDIR/ram, RAMDIR private to the daemon's user */
	bool committed;           /* false while the platform is still starting up */
};

/* The process's start time, or 0 if there is no such process. */
uint64_t platform_proc_start(pid_t pid);
/* Whether the process still exists and is the one recorded. */
bool platform_proc_alive(const struct platform_proc *p);
/* Records pid's identity (-1 if it is gone already). */
int platform_proc_get(pid_t pid, struct platform_proc *out);

/* Writes the identity atomically; -1 with msg set. */
int platform_id_save(const char *path, const struct platform_id *id, char *msg, size_t msglen);
/* 1 with *id filled, 0 when there is no file, -1 (msg set) when it is damaged. */
int platform_id_load(const char *path, struct platform_id *id, char *msg, size_t msglen);

#endif
