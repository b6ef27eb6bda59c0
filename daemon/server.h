/*
 * The event loop: the listening socket STATE/cachetd.sock, client
 * connections (newline-framed JSON-RPC), the hypervisor console, and the
 * periodic background work, all from one poll(2) loop.
 */
#ifndef CACHETD_SERVER_H
#define CACHETD_SERVER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "cachetd.h"
#include "lbuf.h"
#include "platform.h"

#define SERVER_CONNS_MAX 64
#define SERVER_TICK_MS 20              /* console and event polling period */
#define SERVER_OUT_HIGH (1024 * 1024)  /* pending output that stops request handling */

struct server_conn {
	int fd;
	struct lbuf in;
	char *out;                /* owned: responses not yet written */
	size_t out_len, out_off, out_alloc;
	bool eof;                 /* the client will send nothing more */
	bool closing;             /* close once out is written (protocol violation) */
	struct rpc_deferred *waiting; /* owned: a request answered later (shutdown -w) */
	uint32_t client_id;       /* mailbox owner id given by channel_open, or 0 */
	bool pass_fds;            /* send the channel's descriptors with the next write */
	bool subscribed;          /* gets lifecycle events (events_subscribe) */
};

#define SERVER_RECLAIM_MS 1000         /* how often closed clients' slots are looked at */

struct server {
	int listen_fd;
	uint64_t next_reclaim_ms;
	char *sock_path;          /* owned */
	struct server_conn conns[SERVER_CONNS_MAX];
	size_t n;
};

/* Creates the listening socket (mode 0600); -1 with msg set. */
int server_listen(struct server *s, const char *state_dir, char *msg, size_t msglen);
/*
 * Serves until *stop becomes true (0) or the platform dies (-1, msg set).
 * Signals in waitmask's complement are only delivered while waiting.
 */
int server_run(struct server *s, struct cachetd *d, struct platform *p,
	       volatile sig_atomic_t *stop, const sigset_t *waitmask, char *msg, size_t msglen);
/*
 * Handles the bytes a connection received (exposed for tests).  Requests
 * are answered in order: while one waits (c->waiting), those after it wait
 * too, and no more input is read.
 */
void server_conn_process(struct server_conn *c, struct cachetd *d);
/* Answers the connection's waiting request if it is done, then goes on with the next ones. */
void server_conn_resume(struct server_conn *c, struct cachetd *d);
void server_close(struct server *s);

#endif
