/*
 * Who may talk to cachetd: the peer credentials of a connection
 * (SO_PEERCRED, SO_PEERGROUPS) against the access policy, as libvirt's
 * unix_sock_group and read-only socket do.  On the main socket the daemon's
 * own user, root, and members of the configured group get full access;
 * everyone else is refused.  On the read-only socket (if enabled) every
 * local user may call the methods that only look (rpc_method.monitor).
 * The socket files' modes say the same; this check is what enforces it.
 */
#ifndef CACHETD_SERVER_PEER_H
#define CACHETD_SERVER_PEER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum server_access {
	SERVER_ACCESS_NONE,
	SERVER_ACCESS_READ,       /* methods that only look */
	SERVER_ACCESS_FULL,
};

struct server_peer_policy {
	uid_t owner;              /* the daemon's user */
	bool has_group;
	gid_t group;              /* full access for its members (--socket-group) */
};

struct server_peer {
	pid_t pid;
	uid_t uid;
	gid_t gid;
	bool in_group;            /* the policy's group is among the peer's groups */
};

/* Reads the credentials of the process at the other end of @fd; -1 (errno) on failure. */
int server_peer_get(int fd, const struct server_peer_policy *pol, struct server_peer *out);
/* What @peer may do through a socket that is read-only or not. */
enum server_access server_peer_access(const struct server_peer_policy *pol,
				      const struct server_peer *peer, bool read_only_socket);
/* Resolves a group name (or number) for --socket-group; -1 with msg set. */
int server_peer_group(const char *name, gid_t *out, char *msg, size_t msglen);

#endif
