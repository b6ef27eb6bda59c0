/*
 * rpc: the CLI's JSON-RPC 2.0 client for cachetd (daemon/PROTOCOL.md).
 *
 * Each call opens a connection to STATE_DIR/cachetd.sock, sends one request
 * line, reads one reply line (at most RPC_MAX_REPLY bytes) and closes the
 * connection, so the client never depends on how long the daemon keeps a
 * connection open.
 *
 * Errors: functions return 0 on success and -1 on failure, with a message for
 * the user in rpc_error(); for a JSON-RPC error reply the message is the
 * daemon's own, as the protocol asks, and rpc_error_code() its code.
 */
#ifndef CACHET_CLI_RPC_H
#define CACHET_CLI_RPC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/un.h>

#include <json.h>

#define RPC_SOCKET_NAME "cachetd.sock"
#define RPC_DEFAULT_STATE_DIR "/var/lib/cachet"
#define RPC_MAX_REQUEST (1024 * 1024)
#define RPC_MAX_REPLY (16 * 1024 * 1024)
#define RPC_ERR_SIZE 1024

struct rpc {
	char sock_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int timeout_ms;  /* how long one call may wait for the daemon */
	unsigned int next_id;
	int code;        /* the JSON-RPC error code of the last failure, or 0 */
	char err[RPC_ERR_SIZE];
};

/*
 * Chooses STATE_DIR: @opt (--state-dir) if given, else @env
 * ($CACHET_STATE_DIR) if set and not empty, else /var/lib/cachet when
 * @is_root.  Fails with a message saying how to name one otherwise.
 */
int rpc_state_dir(struct rpc *r, const char *opt, const char *env, bool is_root,
		  const char **out);

/* Prepares @r to talk to the daemon whose state directory is @state_dir. */
int rpc_init(struct rpc *r, const char *state_dir, int timeout_ms);

/*
 * Calls @method with @params (an object, or NULL for none; always consumed)
 * and stores the reply's result in *@result, owned by the caller.
 */
int rpc_call(struct rpc *r, const char *method, struct json_object *params,
	     struct json_object **result);

const char *rpc_error(const struct rpc *r);
int rpc_error_code(const struct rpc *r);

#endif
