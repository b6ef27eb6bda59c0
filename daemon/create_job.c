/*
 * Domain builds on their own threads, so that a build that reads a large
 * kernel or decompresses it for seconds never stalls the loop that serves
 * list, info and the consoles.  A build thread has its own library handle
 * (the handle's error message is per handle) and touches nothing of the
 * daemon's but the job it was given and its "building" state record; the
 * loop alone records the result in the domain table (create_job_collect)
 * and answers the client from it (create_job_wait).  A client that leaves
 * early only drops the answer: the domain is built and recorded all the same.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "cachetd.h"
#include "dlog.h"
#include "errmap.h"
#include "methods.h"
#include "vdev/vguest.h"

struct create_job {
	struct create_job *next;
	uint64_t ticket;
	pthread_t thread;
	int notify_fd;            /* the loop's d->jobs_fd, or -1 */
	atomic_bool done;         /* set by the thread last, before it writes notify_fd */
	bool collected;           /* recorded by the loop: result or err is final */
	bool abandoned;           /* the client left (or there is none): free once collected */
	bool restart;             /* the result goes to the named entry (restart_finish) */
	/* Inputs, read by the thread. */
	struct dom_config cfg;
	bool paused;
	struct create_target target;
	/* Outputs. */
	int rc;
	struct create_built built;
	struct rpc_error err;
	struct json_object *result; /* owned until handed to the client */
};

static void *create_job_main(void *arg)
{
	struct create_job *j = arg;

	j->rc = create_build(&j->target, &j->cfg, j->paused, &j->built, &j->err);
	atomic_store(&j->done, true);
	/*
	 * Wakes the loop.  Should the write fail (the counter cannot overflow
	 * in practice), the next tick collects the job all the same.
	 */
	if (j->notify_fd >= 0)
		(void)eventfd_write(j->notify_fd, 1);
	return NULL;
}

static void create_job_free(struct create_job *j)
{
	config_free(&j->cfg);
	json_object_put(j->result);
	free(j);
}

static void create_job_unlink(struct cachetd *d, struct create_job *j)
{
	for (struct create_job **pp = &d->jobs; *pp; pp = &(*pp)->next) {
		if (*pp == j) {
			*pp = j->next;
			return;
		}
	}
}

static struct create_job *create_job_find(const struct cachetd *d, uint64_t ticket)
{
	for (struct create_job *j = d->jobs; j; j = j->next) {
		if (j->ticket == ticket)
			return j;
	}
	return NULL;
}

static int create_job_wait(void *ctx, const struct rpc_wait *w, struct json_object **result,
			   struct rpc_error *err)
{
	struct cachetd *d = ctx;
	struct create_job *j = create_job_find(d, w->ticket);
	int rc;

	if (j && !j->collected)
		return 1;
	if (!j) {
		rpc_error_set(err, RPC_INTERNAL_ERROR, "create: the build was lost");
		return -1;
	}
	rc = j->result ? 0 : -1;
	*result = j->result;
	j->result = NULL;
	*err = j->err;
	create_job_unlink(d, j);
	create_job_free(j);
	return rc;
}

static void create_job_drop(void *ctx, const struct rpc_wait *w)
{
	struct cachetd *d = ctx;
	struct create_job *j = create_job_find(d, w->ticket);

	if (!j)
		return;
	if (!j->collected) {
		j->abandoned = true;
		return;
	}
	create_job_unlink(d, j);
	create_job_free(j);
}

/* Starts the thread for a job whose config is set; the job is freed on failure. */
static struct create_job *create_job_run(struct cachetd *d, struct create_job *j,
					 struct rpc_error *err)
{
	j->target = (struct create_target){ d->h, d->limits.nr_cpus, d->state_dir };
	j->ticket = ++d->next_ticket;
	j->notify_fd = d->jobs_fd;
	atomic_init(&j->done, false);
	if (pthread_create(&j->thread, NULL, create_job_main, j) != 0) {
		rpc_error_set(err, errmap_code(CACHET_LIB_ENOMEM), "create: cannot start a thread");
		create_job_free(j);
		return NULL;
	}
	j->next = d->jobs;
	d->jobs = j;
	return j;
}

int create_job_start(struct cachetd *d, struct dom_config *cfg, bool paused,
		     struct rpc_wait *w, struct rpc_error *err)
{
	struct create_job *j = calloc(1, sizeof(*j));

	if (!j) {
		rpc_error_set(err, errmap_code(CACHET_LIB_ENOMEM), "create: out of memory");
		return -1;
	}
	j->cfg = *cfg;       /* takes over the strings */
	config_init(cfg);
	j->paused = paused;
	j = create_job_run(d, j, err);
	if (!j)
		return -1;
	*w = (struct rpc_wait){ create_job_wait, create_job_drop, 0, j->ticket };
	return 0;
}

int create_job_restart(struct cachetd *d, const struct dom_config *cfg, struct rpc_error *err)
{
	struct create_job *j = calloc(1, sizeof(*j));

	if (!j || config_copy(&j->cfg, cfg) < 0) {
		free(j);
		rpc_error_set(err, errmap_code(CACHET_LIB_ENOMEM), "restart: out of memory");
		return -1;
	}
	j->restart = true;
	j->abandoned = true; /* nobody waits for the answer */
	return create_job_run(d, j, err) ? 0 : -1;
}

/* A restart's result goes to its entry, if that still waits for it. */
static void create_job_restarted(struct cachetd *d, struct create_job *j)
{
	struct dom_entry *e = domtab_find_name(&d->doms, j->cfg.name);

	if (e && e->restarting) {
		restart_finish(d, e, j->rc, &j->built, &j->err);
		return;
	}
	if (j->rc == 0) { /* the entry went away meanwhile: nobody owns the new domain */
		vguest_stop(j->built.domid);
		cachet_domain_destroy(d->h, j->built.domid);
	}
}

int create_job_notify_open(struct cachetd *d)
{
	d->jobs_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	return d->jobs_fd < 0 ? -1 : 0;
}

void create_job_collect(struct cachetd *d)
{
	struct create_job *j = d->jobs;
	eventfd_t n;

	/* Only emptied here (non-blocking: EAGAIN when no thread finished since). */
	if (d->jobs_fd >= 0)
		(void)eventfd_read(d->jobs_fd, &n);

	while (j) {
		struct create_job *next = j->next;

		if (!j->collected && atomic_load(&j->done)) {
			pthread_join(j->thread, NULL);
			j->collected = true;
			if (j->restart)
				create_job_restarted(d, j);
			else if (j->rc == 0)
				j->result = create_record(d, &j->cfg, &j->built, j->paused, &j->err);
			else
				dlog("create: %s: %s", j->cfg.name, j->err.message);
			if (j->abandoned) {
				create_job_unlink(d, j);
				create_job_free(j);
			}
		}
		j = next;
	}
}

bool create_job_busy(const struct cachetd *d, const char *name)
{
	for (const struct create_job *j = d->jobs; j; j = j->next) {
		if (!j->collected && strcmp(j->cfg.name, name) == 0)
			return true;
	}
	return false;
}

bool create_job_pending(const struct cachetd *d)
{
	for (const struct create_job *j = d->jobs; j; j = j->next) {
		if (!j->collected)
			return true;
	}
	return false;
}

void create_job_fini(struct cachetd *d)
{
	while (d->jobs) {
		struct create_job *j = d->jobs;

		if (!j->collected)
			pthread_join(j->thread, NULL);
		d->jobs = j->next;
		create_job_free(j);
	}
	if (d->jobs_fd >= 0)
		close(d->jobs_fd);
	d->jobs_fd = -1;
}
