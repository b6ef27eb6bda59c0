/*
 * JSON-RPC 2.0 over newline-framed lines (PROTOCOL.md): parse one request
 * line, validate the envelope and the parameters, dispatch through a method
 * table, and produce one response line.  Nothing here knows about domains
 * or the hypervisor, so the framing and validation are testable alone.
 */
#ifndef CACHETD_RPC_H
#define CACHETD_RPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "cachet/public/abi.h"

#define RPC_PARSE_ERROR (-32700)
#define RPC_INVALID_REQUEST (-32600)
#define RPC_METHOD_NOT_FOUND (-32601)
#define RPC_INVALID_PARAMS (-32602)
#define RPC_INTERNAL_ERROR (-32603)

#define RPC_LINE_MAX (1024 * 1024)   /* bytes of one request line, without '\n' */
#define RPC_DEPTH_MAX 16             /* JSON nesting a request may use */
#define RPC_MSG_MAX 512              /* bytes of an error message */
#define RPC_ID_STRING_MAX 256        /* bytes of a string request id */
#define RPC_METHOD_MAX 64            /* bytes of a method name */
#define RPC_DATA_MAX (64 * 1024)     /* bytes of console_write data */
#define RPC_CPUS_MAX 1024            /* bytes of a "cpus" CPU list */
#define RPC_BATCH_MAX 64             /* requests in one batch */

/* A handler's return value when its answer comes later (see struct rpc_wait). */
#define RPC_PENDING 1

struct rpc_error {
	int code;
	char message[RPC_MSG_MAX];
};

void rpc_error_set(struct rpc_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Sets err from a library result: code by errmap, message "what: detail". */
void rpc_error_lib(struct rpc_error *err, int lib_err, const char *what, const char *detail);

/* The parameters a method may take (bits of rpc_method.required/optional). */
enum rpc_param {
	RPC_P_DOMAIN = 1u << 0,  /* "domain": name or id */
	RPC_P_POS = 1u << 1,     /* "pos": absolute byte offset */
	RPC_P_DATA = 1u << 2,    /* "data": bytes (a string) */
	RPC_P_CONFIG = 1u << 3,  /* "config": object, validated by the handler */
	RPC_P_PAUSED = 1u << 4,  /* "paused": bool */
	RPC_P_WAIT = 1u << 5,    /* "wait": bool */
	RPC_P_VCPU = 1u << 6,    /* "vcpu": a vCPU number or "all" */
	RPC_P_CPUS = 1u << 7,    /* "cpus": a CPU list (string), parsed by the handler */
};

/* "vcpu": "all" */
#define RPC_VCPU_ALL UINT32_MAX

/* A domain as a request names it. */
struct rpc_domref {
	bool by_id;
	cachet_domid_t domid;
	char name[64];
};

struct rpc_wait;

/*
 * Whether a pending request is finished: 1 not yet, 0 answered (*result
 * set, caller owns it), -1 failed (*err set).
 */
typedef int (*rpc_wait_fn)(void *ctx, const struct rpc_wait *w, struct json_object **result,
			   struct rpc_error *err);

/* What a pending request waits for; the handler fills it and returns RPC_PENDING. */
struct rpc_wait {
	rpc_wait_fn check;
	/* Called instead when the client leaves before the answer (may be NULL). */
	void (*drop)(void *ctx, const struct rpc_wait *w);
	cachet_domid_t domid;
	uint64_t ticket;          /* the handler's own reference (create: its job) */
};

/*
 * Validated parameters.  data, cpus and config point into the request's
 * JSON tree, which outlives the handler call; the handler must not keep them.
 */
struct rpc_params {
	unsigned int present;    /* RPC_P_* bits given in the request */
	struct rpc_domref dom;
	uint64_t pos;
	const char *data;
	size_t data_len;
	struct json_object *config;
	bool paused;
	bool wait;
	uint32_t vcpu;           /* a vCPU number, or RPC_VCPU_ALL */
	const char *cpus;
	/* Where a handler may describe what it waits for; NULL when the caller cannot wait. */
	struct rpc_wait *wait_slot;
};

/*
 * Returns 0 and sets *result (caller owns it), -1 and sets *err, or
 * RPC_PENDING after filling *p->wait_slot (only when it is not NULL).
 */
typedef int (*rpc_handler_fn)(void *ctx, const struct rpc_params *p, struct json_object **result,
			      struct rpc_error *err);

struct rpc_method {
	const char *name;
	rpc_handler_fn handler;
	unsigned int required;   /* RPC_P_* the request must give */
	unsigned int optional;   /* RPC_P_* the request may give */
	bool monitor;            /* only looks: allowed on the read-only socket */
};

/* What a connection may call (server_peer.h decides). */
enum rpc_access {
	RPC_ACCESS_FULL,
	RPC_ACCESS_MONITOR,      /* the read-only socket: only methods marked monitor */
	RPC_ACCESS_NONE,         /* every method is refused */
};

struct rpc_table {
	const struct rpc_method *methods;
	size_t count;
	enum rpc_access access;
};

/* A request whose handler returned RPC_PENDING: its id and what it waits for. */
struct rpc_deferred;

/*
 * Handles one request line (without its '\n').  Returns the response line,
 * '\n'-terminated and NUL-terminated, in a malloc'd buffer the caller frees
 * (*len excludes the NUL), or NULL if memory ran out.  When @deferred is
 * not NULL a handler may leave the request pending: then NULL is returned
 * with *deferred set (else *deferred is NULL), and the answer comes from
 * rpc_deferred_poll().  Without @deferred, requests that would wait fail.
 */
char *rpc_handle_line(const struct rpc_table *t, void *ctx, const char *line, size_t len,
		      size_t *out_len, struct rpc_deferred **deferred);
/*
 * Asks whether a pending request is finished: 0 while it waits; 1 once it
 * is, with *rsp its response line as rpc_handle_line returns it (NULL if
 * memory ran out) and d freed.
 */
int rpc_deferred_poll(struct rpc_deferred *d, void *ctx, char **rsp, size_t *out_len);
/* Drops a pending request unanswered (its client went away). */
void rpc_deferred_free(struct rpc_deferred *d);
/* The response to a request line longer than RPC_LINE_MAX. */
char *rpc_oversize_response(size_t *out_len);
/* An error response with "id": null (a refused connection), as rpc_handle_line returns one. */
char *rpc_error_response(const struct rpc_error *err, size_t *out_len);

/*
 * The id to put in the response to a request whose parsed id is @id (a new
 * reference, exactly as the client wrote it: rpc_id.c); @line is the
 * request line, @index the request's place in a batch or -1.
 */
struct json_object *rpc_id_echo(struct json_object *id, const char *line, size_t len, int index);

/* Validates params against a method's required/optional bits. */
int rpc_params_parse(struct json_object *params, const struct rpc_method *m,
		     struct rpc_params *out, struct rpc_error *err);
bool rpc_name_valid(const char *s, size_t len);
/* "null", "a string", "an integer", ...: what a JSON value is, for messages. */
const char *rpc_type_name(enum json_type t);
/*
 * What a value is, for "not ..." in messages: its type and, for scalars, its
 * JSON text (escaped, cut to a few dozen bytes), e.g. a string ("64").
 */
#define RPC_DESCRIBE_MAX 96
const char *rpc_describe(struct json_object *v, char *buf, size_t size);
/* @s as a JSON string literal (quoted, escaped, cut after a few dozen bytes). */
const char *rpc_quote(const char *s, char *buf, size_t size);
/*
 * Guest output as a JSON string.  JSON text is UTF-8, so each byte that is
 * not part of a valid UTF-8 sequence becomes U+FFFD; positions the client
 * gets back still count the original bytes.  NULL if memory ran out.
 */
struct json_object *rpc_json_bytes(const char *p, size_t n);
/* Length of the valid UTF-8 sequence at p (1..4), or 0 if there is none. */
size_t rpc_utf8_seq(const unsigned char *p, size_t n);

#endif
