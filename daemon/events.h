/*
 * Lifecycle events for subscribed clients (PROTOCOL.md, "Events"): each
 * change of a domain's life (created, started, paused, resumed, shutdown
 * with its reason, crashed, rebooted, destroyed) becomes one JSON-RPC
 * notification line, handed to a sink that the server sets to copy it to
 * every connection that called events_subscribe.  Without a sink (unit
 * tests, or nobody listening) events are only counted.
 */
#ifndef CACHETD_EVENTS_H
#define CACHETD_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cachet/public/abi.h"

struct cachetd;
struct dom_config;

/* Receives one '\n'-terminated notification line; it does not keep @line. */
typedef void (*events_sink_fn)(void *ctx, const char *line, size_t len);

struct events {
	events_sink_fn sink;
	void *sink_ctx;
	uint64_t seq;             /* the last event's number; the first is 1 */
	bool subscribe_pending;   /* events_subscribe was just answered on some connection */
};

/*
 * Announces @type ("created", "started", ...) for domain @domid configured
 * by @cfg (its name and UUID), with @detail (a shutdown reason, or "").
 */
void events_emit(struct cachetd *d, cachet_domid_t domid, const struct dom_config *cfg,
		 const char *type, const char *detail);

/* The reason word of a hypervisor shutdown reason (CACHET_SHUTDOWN_*). */
const char *events_reason_name(uint32_t reason);

/* The "events_subscribe" method. */
struct rpc_params;
struct rpc_error;
struct json_object;
int events_subscribe_handler(void *ctx, const struct rpc_params *p, struct json_object **res,
			     struct rpc_error *err);

#endif
