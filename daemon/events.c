/*
 * Lifecycle events (events.h): the notification lines and the subscribe
 * method.  The server owns the connections; this file only formats.
 */
#include "events.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "cachetd.h"

const char *events_reason_name(uint32_t reason)
{
	switch (reason) {
	case CACHET_SHUTDOWN_POWEROFF:
		return "poweroff";
	case CACHET_SHUTDOWN_REBOOT:
		return "reboot";
	case CACHET_SHUTDOWN_CRASH:
		return "crash";
	default:
		return "unknown";
	}
}

static struct json_object *events_params(const struct events *ev, cachet_domid_t domid,
					 const struct dom_config *cfg, const char *type,
					 const char *detail)
{
	struct json_object *p = json_object_new_object();

	json_object_object_add(p, "seq", json_object_new_int64((int64_t)ev->seq));
	json_object_object_add(p, "event", json_object_new_string(type));
	json_object_object_add(p, "detail", json_object_new_string(detail));
	json_object_object_add(p, "domid", json_object_new_int64(domid));
	json_object_object_add(p, "name", json_object_new_string(cfg ? cfg->name : ""));
	json_object_object_add(p, "uuid", json_object_new_string(cfg ? cfg->uuid : ""));
	return p;
}

void events_emit(struct cachetd *d, cachet_domid_t domid, const struct dom_config *cfg,
		 const char *type, const char *detail)
{
	struct json_object *n;
	const char *text;
	char *line;

	d->events.seq++;
	if (!d->events.sink)
		return;
	/* A notification: JSON-RPC 2.0 without an id, one line like every answer. */
	n = json_object_new_object();
	json_object_object_add(n, "jsonrpc", json_object_new_string("2.0"));
	json_object_object_add(n, "method", json_object_new_string("event"));
	json_object_object_add(n, "params", events_params(&d->events, domid, cfg, type, detail));
	text = json_object_to_json_string_ext(n, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	line = text ? malloc(strlen(text) + 2) : NULL;
	if (line) {
		size_t len = strlen(text);

		memcpy(line, text, len);
		memcpy(line + len, "\n", 2);
		d->events.sink(d->events.sink_ctx, line, len + 1);
	}
	free(line);
	json_object_put(n);
}

int events_subscribe_handler(void *ctx, const struct rpc_params *p, struct json_object **res,
			     struct rpc_error *err)
{
	struct cachetd *d = ctx;

	(void)p;
	(void)err;
	/* The server marks the connection once this answer is queued: events come after it. */
	d->events.subscribe_pending = true;
	*res = json_object_new_object();
	json_object_object_add(*res, "seq", json_object_new_int64((int64_t)d->events.seq));
	return 0;
}
