/*
 * Peer credentials.  The supplementary groups come from SO_PEERGROUPS (the
 * peer's groups when it connected), so no user database is consulted while
 * serving: a slow NSS lookup could otherwise stall the daemon.
 */
#define _GNU_SOURCE /* struct ucred */
#include "server_peer.h"

#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define SERVER_PEER_GROUPS_MAX 65536

#ifndef SO_PEERGROUPS
#define SO_PEERGROUPS 59 /* Linux 4.13; older headers lack the name */
#endif

static bool server_peer_has_group(int fd, gid_t group)
{
	gid_t small[64], *groups = small;
	socklen_t len = sizeof(small);
	bool found = false;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) < 0) {
		if (errno != ERANGE || len > SERVER_PEER_GROUPS_MAX * sizeof(gid_t))
			return false;
		groups = malloc(len);
		if (!groups || getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) < 0) {
			free(groups);
			return false;
		}
	}
	for (size_t i = 0; i < len / sizeof(gid_t); i++)
		found |= groups[i] == group;
	if (groups != small)
		free(groups);
	return found;
}

int server_peer_get(int fd, const struct server_peer_policy *pol, struct server_peer *out)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return -1;
	out->pid = cred.pid;
	out->uid = cred.uid;
	out->gid = cred.gid;
	out->in_group = pol->has_group &&
			(cred.gid == pol->group || server_peer_has_group(fd, pol->group));
	return 0;
}

enum server_access server_peer_access(const struct server_peer_policy *pol,
				      const struct server_peer *peer, bool read_only_socket)
{
	if (read_only_socket)
		return SERVER_ACCESS_READ;
	if (peer->uid == pol->owner || peer->uid == 0 || peer->in_group)
		return SERVER_ACCESS_FULL;
	return SERVER_ACCESS_NONE;
}

int server_peer_group(const char *name, gid_t *out, char *msg, size_t msglen)
{
	struct group *g = getgrnam(name);
	char *end;
	unsigned long n;

	if (g) {
		*out = g->gr_gid;
		return 0;
	}
	n = strtoul(name, &end, 10);
	if (name[0] >= '0' && name[0] <= '9' && !*end && n < (gid_t)-1) {
		*out = (gid_t)n;
		return 0;
	}
	snprintf(msg, msglen, "--socket-group: no group named '%s'", name);
	return -1;
}
