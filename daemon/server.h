/*
 * The event loop: the listening sockets (STATE/cachetd.sock, and with
 * --ro-socket STATE/cachetd-ro.sock), client connections (newline-framed
 * JSON-RPC, server_conn.c), the hypervisor console, and the periodic
 * background work, all from one poll(2) loop.  Long work (domain builds)
 * runs on worker threads (jobs.h); the loop only starts it and collects it.
 */
#ifndef CACHETD_SERVER_H
#define CACHETD_SERVER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cachetd.h"
#include "lbuf.h"
#include "platform.h"
#include "server_peer.h"

#define SERVER_CONNS_MAX 1024          /* connections in all */
#define SERVER_CONNS_PER_USER 128      /* connections of one user, so no user locks out another */
#define SERVER_IDLE_MS 10000           /* for a started request to arrive whole */
#define SERVER_TICK_MS 20              /* console and event polling period */
#define SERVER_OUT_HIGH (1024 * 1024)  /* pending output that stops request handling */

struct server_conn {
	int fd;
	struct lbuf in;
	char *out;                /* owned: responses not yet written */
	size_t out_len, out_off, out_alloc;
	bool eof;                 /* the client will send nothing more */
	bool closing;             /* close once out is written (protocol violation) */
	struct rpc_deferred *waiting; /* owned: a request answered later (shutdown -w, create) */
	const struct rpc_table *table; /* the methods this connection may call; NULL: all */
	uid_t uid;                /* the peer's user, for the per-user limit */
	uint64_t since_ms;        /* connected, or last request complete: the idle clock */
	bool spoke;               /* at least one whole request arrived */
	uint32_t client_id;       /* mailbox owner id given by channel_open, or 0 */
	bool pass_fds;            /* send the channel's descriptors with the next write */
	bool subscribed;          /* gets lifecycle events (events_subscribe) */
};

/* How the sockets are offered (cachetd(8), ACCESS). */
struct server_cfg {
	struct server_peer_policy policy;
	bool ro_socket;           /* also listen on STATE/cachetd-ro.sock */
};

struct server_listener {
	int fd;
	char *path;               /* owned */
	bool read_only;
};

/* The loop's signal flags: stop serving, reopen the log files. */
struct server_flags {
	volatile sig_atomic_t stop;
	volatile sig_atomic_t reopen;
};

#define SERVER_RECLAIM_MS 1000         /* how often closed clients' slots are looked at */

struct server {
	struct server_cfg cfg;
	struct server_listener lis[2];
	size_t nlis;
	struct rpc_table tables[3]; /* the methods by enum rpc_access */
	struct server_conn *conns; /* owned, n used of SERVER_CONNS_MAX */
	uint64_t next_reclaim_ms;  /* when closed channel clients' slots are looked at */
	size_t n;
	uint64_t refused_log_ms;  /* rate limit for refusals in the log */
	bool accept_paused;       /* out of descriptors: no accepting until a connection closes */
};

/* Creates the listening sockets; -1 with msg set. */
int server_listen(struct server *s, const char *state_dir, const struct server_cfg *cfg,
		  char *msg, size_t msglen);
/*
 * Serves until f->stop becomes true (0) or the platform dies (-1, msg set).
 * Signals in waitmask's complement are only delivered while waiting.
 */
int server_run(struct server *s, struct cachetd *d, struct platform *p, struct server_flags *f,
	       const sigset_t *waitmask, char *msg, size_t msglen);
void server_close(struct server *s);

/* ---- one connection (server_conn.c) */

/* A new connection on fd (taken over) for a peer allowed @table. */
void server_conn_init(struct server_conn *c, int fd, const struct rpc_table *table, uid_t uid,
		      uint64_t now_ms);
void server_conn_free(struct server_conn *c);
/*
 * Handles the bytes a connection received (exposed for tests).  Requests
 * are answered in order: while one waits (c->waiting), those after it wait
 * too, and no more input is read.
 */
void server_conn_process(struct server_conn *c, struct cachetd *d);
/* Answers the connection's waiting request if it is done, then goes on with the next ones. */
void server_conn_resume(struct server_conn *c, struct cachetd *d);
void server_conn_read(struct server_conn *c, struct cachetd *d);
void server_conn_write(struct server_conn *c, struct cachetd *d);
short server_conn_events(const struct server_conn *c);
bool server_conn_done(const struct server_conn *c);
/* Whether a request the client started has been incomplete for too long. */
bool server_conn_stalled(const struct server_conn *c, uint64_t now_ms);
/* Queues one response line (taking ownership of rsp); false if memory ran out. */
bool server_conn_queue(struct server_conn *c, char *rsp, size_t len);
/* Output queued and not yet sent. */
size_t server_conn_pending(const struct server_conn *c);

#endif
