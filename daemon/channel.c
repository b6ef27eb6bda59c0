/*
 * The "channel_open" method: a privileged local client (a libxc program)
 * gets the machine's RAM file and the hypervisor's doorbell as descriptors
 * (SCM_RIGHTS, sent with the answer by server.c) and an owner id for the
 * mailbox slots, and talks to the hypervisor itself from then on.  The
 * connection stays open for the life of the client's handle; when it
 * closes, the slots held under that id are reclaimed (mbox.h).
 */
#define _GNU_SOURCE /* struct ucred */
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cachet/public/mbox.h"
#include "cachetd.h"
#include "dlog.h"
#include "errmap.h"
#include "methods.h"

/*
 * Only the daemon's own user or root may touch guest memory: the RAM file
 * holds every domain's.  Kept apart so a general peer-credential policy can
 * replace it.
 */
static bool channel_peer_privileged(int fd, uid_t *uid)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 || len != sizeof(cred))
		return false;
	*uid = cred.uid;
	return cred.uid == 0 || cred.uid == geteuid();
}

/* Owner ids 0 and 1 are never a client's (mbox.h). */
static uint32_t channel_next_id(struct cachetd *d)
{
	if (d->next_client_id <= CACHET_MBOX_OWNER_PRIMARY)
		d->next_client_id = CACHET_MBOX_OWNER_PRIMARY + 1;
	return d->next_client_id++;
}

int channel_open_handler(void *ctx, const struct rpc_params *p, struct json_object **res,
			 struct rpc_error *err)
{
	struct cachetd *d = ctx;
	uid_t uid = (uid_t)-1;
	uint32_t id;

	(void)p;
	if (d->peer_fd < 0 || !channel_peer_privileged(d->peer_fd, &uid)) {
		rpc_error_set(err, errmap_code(CACHET_EPERM), "channel_open: only root or the "
			      "daemon's own user may open the management channel (peer uid %d)",
			      (int)uid);
		return -1;
	}
	if (cachet_ram_fd(d->h) < 0) {
		rpc_error_set(err, errmap_code(CACHET_LIB_ENOTREADY),
			      "channel_open: the daemon has no RAM file to pass");
		return -1;
	}
	id = channel_next_id(d);
	d->granted_id = id;
	dlog("channel_open: client %u (uid %d) given the management channel", id, (int)uid);
	*res = json_object_new_object();
	json_object_object_add(*res, "client_id", json_object_new_int64(id));
	json_object_object_add(*res, "doorbell", json_object_new_boolean(d->doorbell_fd >= 0));
	return 0;
}

int channel_fds(const struct cachetd *d, int fds[2])
{
	fds[0] = cachet_ram_fd(d->h);
	fds[1] = d->doorbell_fd;
	return d->doorbell_fd >= 0 ? 2 : 1;
}

void channel_reclaim(struct cachetd *d, const uint32_t *live, size_t nr_live)
{
	int n = cachet_reclaim_slots(d->h, live, nr_live);

	if (n > 0)
		dlog("channel: freed %d mailbox slot%s of closed clients", n, n == 1 ? "" : "s");
}
