/*
 * The daemon's state as the request handlers and the background work see
 * it: the library handle, the domain table, and where things live on disk.
 * The platform (QEMU) and the socket server are kept apart (platform.h,
 * server.h) so that this part runs in unit tests against a fake library.
 */
#ifndef CACHETD_CACHETD_H
#define CACHETD_CACHETD_H

#include <stdint.h>

#include "cachet/cachet.h"
#include "config.h"
#include "domtab.h"
#include "events.h"
#include "rpc.h"

struct create_job;

struct cachetd {
	const char *state_dir;       /* absolute; not owned */
	cachet_handle *h;            /* not owned */
	bool build_threads;          /* builds run off the loop (false in unit tests) */
	struct create_job *jobs;     /* owned: builds running or not yet collected */
	int jobs_fd;                 /* eventfd a build thread writes when done, or -1; owned */
	uint64_t next_ticket;
	struct domtab doms;
	struct config_limits limits; /* from the hypervisor's physinfo */
	uint64_t event_seq;          /* next hypervisor event to read */
	uint64_t next_liveness_ms;   /* when to compare the table with the hypervisor */
	uint64_t now_ms;             /* the time of the current tick */
	int doorbell_fd;             /* the hypervisor's doorbell, or -1; not owned */
	int peer_fd;                 /* the connection of the request being handled */
	uint32_t granted_id;         /* set by channel_open for the server to act on */
	uint32_t next_client_id;     /* mailbox owner id of the next libxc client */
	struct events events;        /* lifecycle events for subscribed clients */
};

/* Prepares d for a handle; fills limits from physinfo (-1: library error). */
int cachetd_init(struct cachetd *d, const char *state_dir, cachet_handle *h);
void cachetd_fini(struct cachetd *d);

/* The management channel for libxc clients (channel.c). */
int channel_open_handler(void *ctx, const struct rpc_params *p, struct json_object **res,
			 struct rpc_error *err);
/* The descriptors a granted client gets: RAM file, then the doorbell; returns how many. */
int channel_fds(const struct cachetd *d, int fds[2]);
/* Frees mailbox slots of clients no longer in @live (their connections closed). */
void channel_reclaim(struct cachetd *d, const uint32_t *live, size_t nr_live);

/* The JSON-RPC method table (methods.c). */
extern const struct rpc_table methods_table;

/*
 * Builds that run on their own threads (create_job.c): started by the
 * create method, collected (recorded in the table) by the loop.
 */
int create_job_start(struct cachetd *d, struct dom_config *cfg, bool paused,
		     struct rpc_wait *w, struct rpc_error *err);
/*
 * Opens d->jobs_fd, which becomes readable when a build finishes, so the
 * loop answers its client at once instead of at its next tick (-1: errno).
 */
int create_job_notify_open(struct cachetd *d);
/* Empties d->jobs_fd, then records the builds that finished (also called from monitor_tick). */
void create_job_collect(struct cachetd *d);
/* Builds @cfg again for a restart; the result goes to restart_finish. */
int create_job_restart(struct cachetd *d, const struct dom_config *cfg, struct rpc_error *err);
/* Whether a build for that name is running. */
bool create_job_busy(const struct cachetd *d, const char *name);
/* Whether any build is running or finished but not yet recorded. */
bool create_job_pending(const struct cachetd *d);
/* Waits for every build and forgets them (at exit). */
void create_job_fini(struct cachetd *d);

/* Background work (monitor.c), run from the event loop. */
#define MONITOR_LIVENESS_MS 1000
void monitor_tick(struct cachetd *d, uint64_t now_ms);
void monitor_console_drain(struct cachetd *d, struct dom_entry *e);
/* Destroys a domain the hypervisor has (e may be NULL); returns the library result. */
int monitor_destroy(struct cachetd *d, cachet_domid_t domid, struct dom_entry *e);
/* The domain is gone: keep its console, forget its state file. */
void monitor_mark_dead(struct cachetd *d, struct dom_entry *e, const char *why);
/* Reloads state files of domains the hypervisor still has. */
void monitor_recover(struct cachetd *d);
/* Saves every live domain's state (console position) before exiting. */
void monitor_save_all(struct cachetd *d);

/*
 * on_* = "restart" / "rename-restart" (restart.c): builds e's domain again
 * from its stored configuration under the same name and entry, so that its
 * console continues; the stopped domain is destroyed, or with @rename kept
 * under a new name.  When that cannot be done the failure is logged and the
 * domain is left as on_* = "destroy" (or, failing the rename, "preserve")
 * would leave it.
 */
#define RESTART_BURST 10          /* restarts allowed in one window ... */
#define RESTART_WINDOW_MS 60000   /* ... of this length; then the domain is destroyed */
void restart_domain(struct cachetd *d, struct dom_entry *e, bool rename, const char *what);
/* A restart's build ended (@rc < 0: it failed, err says why; @built is NULL or unset). */
struct create_built;
void restart_finish(struct cachetd *d, struct dom_entry *e, int rc,
		    const struct create_built *built, const struct rpc_error *err);

#endif
