/*
 * The control handle: opening and closing the transport, and the two knobs
 * a caller may turn (doorbell and timeout).
 */
#include <stdlib.h>
#include <unistd.h>

#include "transport.h"

static int handle_init_locks(cachet_handle *h)
{
	pthread_condattr_t attr;
	int rc;

	if (pthread_mutex_init(&h->lock, NULL) != 0)
		return -1;
	if (pthread_mutex_init(&h->err_lock, NULL) != 0)
		goto fail_lock;
	/* Slot waits use absolute CLOCK_MONOTONIC deadlines, immune to clock steps. */
	if (pthread_condattr_init(&attr) != 0)
		goto fail_err_lock;
	rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	if (rc == 0)
		rc = pthread_cond_init(&h->slot_freed, &attr);
	pthread_condattr_destroy(&attr);
	if (rc == 0)
		return 0;
fail_err_lock:
	pthread_mutex_destroy(&h->err_lock);
fail_lock:
	pthread_mutex_destroy(&h->lock);
	return -1;
}

static void handle_destroy_locks(cachet_handle *h)
{
	pthread_cond_destroy(&h->slot_freed);
	pthread_mutex_destroy(&h->err_lock);
	pthread_mutex_destroy(&h->lock);
}

/* A handle with its locks and defaults, not attached yet; NULL if out of memory. */
static cachet_handle *handle_alloc(uint32_t owner)
{
	cachet_handle *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	if (handle_init_locks(h) != 0) {
		free(h);
		return NULL;
	}
	h->fd = -1;
	h->doorbell_fd = -1;
	h->owner = owner;
	h->timeout_ms = XPORT_DEFAULT_TIMEOUT_MS;
	return h;
}

/* The handle dies here, so its message moves to the per-thread slot. */
static int handle_abandon(cachet_handle *h, int rc)
{
	err_set(NULL, -rc, "%s", h->err.text);
	handle_destroy_locks(h);
	free(h);
	return rc;
}

int cachet_open(const char *ram_path, cachet_handle **out)
{
	cachet_handle *h;
	int rc;

	if (!ram_path || !out)
		return err_set(NULL, CACHET_LIB_EINVAL, "cachet_open: NULL %s",
			       ram_path ? "output pointer" : "RAM file path");
	*out = NULL;
	h = handle_alloc(CACHET_MBOX_OWNER_PRIMARY);
	if (!h)
		return err_set(NULL, CACHET_LIB_ENOMEM, "cachet_open: out of memory");
	rc = xport_attach(h, ram_path);
	if (rc < 0)
		return handle_abandon(h, rc);
	*out = h;
	return 0;
}

int cachet_open_fd(int ram_fd, uint32_t owner, cachet_handle **out)
{
	cachet_handle *h;
	int rc;

	if (ram_fd < 0 || !out || owner <= CACHET_MBOX_OWNER_PRIMARY) {
		if (ram_fd >= 0)
			close(ram_fd);
		return err_set(NULL, CACHET_LIB_EINVAL, "cachet_open_fd: %s",
			       !out ? "NULL output pointer" : ram_fd < 0 ? "negative descriptor" :
			       "owner ids 0 and 1 are not a client's");
	}
	*out = NULL;
	h = handle_alloc(owner);
	if (!h)
		return err_set(NULL, CACHET_LIB_ENOMEM, "cachet_open_fd: out of memory");
	h->fd = ram_fd;
	rc = xport_attach_fd(h, "(RAM file descriptor)");
	if (rc < 0)
		return handle_abandon(h, rc);
	*out = h;
	return 0;
}

int cachet_ram_fd(const cachet_handle *h)
{
	return h ? h->fd : -1;
}

int cachet_reclaim_slots(cachet_handle *h, const uint32_t *live, size_t nr_live)
{
	if (!h || (nr_live && !live))
		return err_set(h, CACHET_LIB_EINVAL, "reclaim_slots: NULL %s",
			       h ? "owner list" : "handle");
	return xport_reclaim_others(h, live, nr_live);
}

void cachet_close(cachet_handle *h)
{
	if (!h)
		return;
	xport_detach(h);
	handle_destroy_locks(h);
	free(h);
}

void cachet_set_doorbell_fd(cachet_handle *h, int fd)
{
	if (!h)
		return;
	pthread_mutex_lock(&h->lock);
	h->doorbell_fd = fd;
	pthread_mutex_unlock(&h->lock);
}

void cachet_set_timeout_ms(cachet_handle *h, unsigned int ms)
{
	if (!h)
		return;
	pthread_mutex_lock(&h->lock);
	/* A zero timeout would fail every request before it is posted. */
	h->timeout_ms = ms ? ms : 1;
	pthread_mutex_unlock(&h->lock);
}
