/*
 * The JSON-RPC methods of PROTOCOL.md.  Parameters arrive validated
 * (params.c); each handler resolves the domain, makes its library calls and
 * builds the result.  Library failures become JSON-RPC errors through
 * rpc_error_lib(), i.e. through the one table in errmap.c.  Domain creation
 * is in create.c, the vCPU methods in vcpu.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cachetd.h"
#include "dlog.h"
#include "errmap.h"
#include "methods.h"

#define METHODS_READ_MAX (64 * 1024) /* bytes of console or log per answer */

void methods_lib_error(struct cachetd *d, struct rpc_error *err, int rc, const char *what)
{
	rpc_error_lib(err, rc, what, d->h ? cachet_last_error(d->h) : NULL);
}

int methods_resolve(struct cachetd *d, const struct rpc_domref *r, cachet_domid_t *domid,
		    struct dom_entry **entry, struct rpc_error *err)
{
	struct dom_entry *e;

	if (r->by_id) {
		*domid = r->domid;
		*entry = domtab_find_domid(&d->doms, r->domid);
		return 0;
	}
	/* As xl and virsh do, a UUID names a domain too (names cannot hold a UUID's length of hex). */
	e = domtab_find_uuid(&d->doms, r->name);
	if (!e)
		e = domtab_find_name(&d->doms, r->name);
	if (!e || !e->alive) {
		rpc_error_set(err, errmap_code(CACHET_ENOENT), "no domain named '%s'", r->name);
		return -1;
	}
	if (e->restarting) {
		rpc_error_set(err, errmap_code(CACHET_EBUSY), "domain '%s' is being restarted; try "
			      "again in a moment", r->name);
		return -1;
	}
	*domid = e->domid;
	*entry = e;
	return 0;
}

/* The entry whose console a request names: live or dead, as long as it is kept. */
static struct dom_entry *methods_console_entry(struct cachetd *d, const struct rpc_domref *r,
					       struct rpc_error *err)
{
	struct dom_entry *e;

	if (r->by_id) {
		e = domtab_find_domid(&d->doms, r->domid);
		if (!e)
			rpc_error_set(err, errmap_code(CACHET_ENOENT),
				      "no console kept for domain %u", r->domid);
		return e;
	}
	e = domtab_find_uuid(&d->doms, r->name);
	if (!e)
		e = domtab_find_name(&d->doms, r->name);
	if (!e)
		rpc_error_set(err, errmap_code(CACHET_ENOENT), "no domain named '%s'", r->name);
	return e;
}

static struct json_object *methods_features(uint32_t features)
{
	struct json_object *a = json_object_new_array();

	if (a && (features & CACHET_FEAT_S2FWB))
		json_object_array_add(a, json_object_new_string("s2fwb"));
	if (a && (features & CACHET_FEAT_AARCH32))
		json_object_array_add(a, json_object_new_string("aarch32"));
	return a;
}

static struct json_object *methods_info_json(const struct cachet_version_out *v,
					     const struct cachet_physinfo_out *pi)
{
	struct json_object *o = json_object_new_object();
	char abi[24];

	if (!o)
		return NULL;
	snprintf(abi, sizeof(abi), "%u.%u", v->abi_version >> 16, v->abi_version & 0xffffu);
	json_object_object_add(o, "abi_version", json_object_new_string(abi));
	/* hv_version should be NUL-terminated; the length bound covers a hypervisor that forgot. */
	json_object_object_add(o, "hv_version",
			       json_object_new_string_len(v->hv_version,
							  (int)strnlen(v->hv_version, sizeof(v->hv_version))));
	json_object_object_add(o, "nr_cpus", json_object_new_int64(pi->nr_cpus));
	json_object_object_add(o, "total_memory_kb",
			       json_object_new_int64((int64_t)(pi->total_pages * pi->page_size / 1024)));
	json_object_object_add(o, "free_memory_kb",
			       json_object_new_int64((int64_t)(pi->free_pages * pi->page_size / 1024)));
	json_object_object_add(o, "features", methods_features(v->features));
	return o;
}

static int methods_info(void *ctx, const struct rpc_params *p, struct json_object **res,
			struct rpc_error *err)
{
	struct cachetd *d = ctx;
	struct cachet_version_out v;
	struct cachet_physinfo_out pi;
	int rc;

	(void)p;
	rc = cachet_version(d->h, &v);
	if (rc == 0)
		rc = cachet_physinfo(d->h, &pi);
	if (rc < 0) {
		methods_lib_error(d, err, rc, "info");
		return -1;
	}
	*res = methods_info_json(&v, &pi);
	return 0;
}

static const char *methods_state_name(uint32_t state)
{
	switch (state) {
	case CACHET_DOM_PAUSED:
		return "paused";
	case CACHET_DOM_RUNNING:
		return "running";
	case CACHET_DOM_SHUTDOWN:
		return "shutdown";
	case CACHET_DOM_CRASHED:
		return "crashed";
	default:
		return "unknown";
	}
}

static struct json_object *methods_dominfo_json(struct cachetd *d, const struct cachet_dominfo *i)
{
	struct dom_entry *e = domtab_find_domid(&d->doms, i->domid);
	struct json_object *o = json_object_new_object();
	char unknown[32];

	if (!o)
		return NULL;
	/* A domain the daemon did not create has no name: say so, in a form no name can take. */
	snprintf(unknown, sizeof(unknown), "(domid %u)", i->domid);
	json_object_object_add(o, "domid", json_object_new_int64(i->domid));
	json_object_object_add(o, "name", json_object_new_string(e ? e->cfg.name : unknown));
	json_object_object_add(o, "state", json_object_new_string(methods_state_name(i->state)));
	json_object_object_add(o, "vcpus", json_object_new_int64(i->max_vcpus));
	json_object_object_add(o, "memory_kb", json_object_new_int64((int64_t)(i->max_pages * 4)));
	json_object_object_add(o, "cpu_time_ns", json_object_new_int64((int64_t)i->cpu_time_ns));
	json_object_object_add(o, "cache_policy",
			       json_object_new_string(config_policy_name(i->cache_policy)));
	/* `cachet list -l` shows what the domain was created from, as `xl list -l` does. */
	if (e)
		json_object_object_add(o, "config", config_to_json(&e->cfg));
	return o;
}

static int methods_list(void *ctx, const struct rpc_params *p, struct json_object **res,
			struct rpc_error *err)
{
	struct cachetd *d = ctx;
	struct cachet_dominfo info[CACHET_LIST_MAX];
	struct json_object *doms = json_object_new_array();
	cachet_domid_t first = 0;
	int n;

	(void)p;
	do {
		n = cachet_domain_list(d->h, first, info, CACHET_LIST_MAX);
		for (int i = 0; i < n; i++)
			json_object_array_add(doms, methods_dominfo_json(d, &info[i]));
		if (n > 0)
			first = info[n - 1].domid + 1;
	} while (n == CACHET_LIST_MAX && first != 0);
	if (n < 0) {
		json_object_put(doms);
		methods_lib_error(d, err, n, "list");
		return -1;
	}
	*res = json_object_new_object();
	json_object_object_add(*res, "domains", doms);
	return 0;
}

/* The entry created as the @serial-th, or NULL once it is gone from the table. */
static struct dom_entry *methods_entry_by_serial(struct cachetd *d, uint64_t serial)
{
	for (size_t i = 0; i < d->doms.n; i++) {
		if (d->doms.v[i]->serial == serial)
			return d->doms.v[i];
	}
	return NULL;
}

static int methods_destroy_entry(struct cachetd *d, cachet_domid_t domid, struct dom_entry *e,
				 struct json_object **res, struct rpc_error *err)
{
	int rc = monitor_destroy(d, domid, e);

	if (rc < 0) {
		methods_lib_error(d, err, rc, "destroy");
		return -1;
	}
	*res = json_object_new_object();
	return 0;
}

/* destroy of a domain being restarted: done once its new domain is built. */
static int methods_destroy_after_restart(void *ctx, const struct rpc_wait *w,
					 struct json_object **res, struct rpc_error *err)
{
	struct cachetd *d = ctx;
	struct dom_entry *e = methods_entry_by_serial(d, w->ticket);

	if (e && e->restarting)
		return 1;
	if (!e || !e->alive) {
		*res = json_object_new_object(); /* the restart failed: nothing is left */
		return 0;
	}
	return methods_destroy_entry(d, e->domid, e, res, err);
}

static int methods_destroy(void *ctx, const struct rpc_params *p, struct json_object **res,
			   struct rpc_error *err)
{
	struct cachetd *d = ctx;
	struct dom_entry *e = p->dom.by_id ? NULL : domtab_find_name(&d->doms, p->dom.name);
	cachet_domid_t domid;

	if (e && e->alive && e->restarting && p->wait_slot) {
		p->wait_slot->check = methods_destroy_after_restart;
		p->wait_slot->ticket = e->serial;
		return RPC_PENDING;
	}
	if (methods_resolve(d, &p->dom, &domid, &e, err) < 0)
		return -1;
	return methods_destroy_entry(d, domid, e, res, err);
}

static int methods_pause_op(struct cachetd *d, const struct rpc_params *p, bool pause,
			    struct json_object **res, struct rpc_error *err)
{
	const char *what = pause ? "pause" : "unpause";
	struct dom_entry *e;
	cachet_domid_t domid;
	int rc;

	if (methods_resolve(d, &p->dom, &domid, &e, err) < 0)
		return -1;
	rc = pause ? cachet_domain_pause(d->h, domid) : cachet_domain_unpause(d->h, domid);
	if (rc < 0) {
		methods_lib_error(d, err, rc, what);
		return -1;
	}
	dlog("%s: domain %u (%s)", what, domid, e ? e->cfg.name : "not created by this daemon");
	events_emit(d, domid, e ? &e->cfg : NULL, pause ? "paused" : "resumed", "");
	*res = json_object_new_object();
	return 0;
}

static int methods_pause(void *ctx, const struct rpc_params *p, struct json_object **res,
			 struct rpc_error *err)
{
	return methods_pause_op(ctx, p, true, res, err);
}

static int methods_unpause(void *ctx, const struct rpc_params *p, struct json_object **res,
			   struct rpc_error *err)
{
	return methods_pause_op(ctx, p, false, res, err);
}

/*
 * Whether the domain a shutdown waits for is done: the daemon no longer has
 * it under that id (destroyed, or restarted under a new one), or kept it
 * stopped (preserve); for a domain the daemon did not create, whether the
 * hypervisor has it still running.
 */
static int methods_shutdown_done(void *ctx, const struct rpc_wait *w, struct json_object **res,
				 struct rpc_error *err)
{
	struct cachetd *d = ctx;
	struct dom_entry *e = domtab_find_domid(&d->doms, w->domid);
	struct cachet_dominfo info;
	int rc;

	if (e && !e->stopped)
		return 1;
	if (!e) {
		rc = cachet_domain_getinfo(d->h, w->domid, &info);
		if (rc < 0 && rc != -CACHET_ENOENT) {
			methods_lib_error(d, err, rc, "shutdown");
			return -1;
		}
		if (rc == 0 && info.state != CACHET_DOM_SHUTDOWN && info.state != CACHET_DOM_CRASHED)
			return 1;
	}
	*res = json_object_new_object();
	return 0;
}

/* shutdown and reboot: ask the guest (it may ignore it); on_poweroff / on_reboot follow. */
static int methods_shutdown_op(struct cachetd *d, const struct rpc_params *p, uint32_t reason,
			       struct json_object **res, struct rpc_error *err)
{
	const char *what = reason == CACHET_SHUTDOWN_REBOOT ? "reboot" : "shutdown";
	struct dom_entry *e;
	cachet_domid_t domid;
	int rc;

	if (methods_resolve(d, &p->dom, &domid, &e, err) < 0)
		return -1;
	if (p->wait && !p->wait_slot) {
		rpc_error_set(err, RPC_INVALID_REQUEST, "%s: a request that waits cannot be part "
			      "of a batch; send it alone", what);
		return -1;
	}
	rc = cachet_domain_shutdown_request(d->h, domid, reason);
	if (rc < 0) {
		methods_lib_error(d, err, rc, what);
		return -1;
	}
	dlog("%s: asked domain %u (%s) to %s", what, domid,
	     e ? e->cfg.name : "not created by this daemon",
	     reason == CACHET_SHUTDOWN_REBOOT ? "reboot" : "power off");
	if (p->wait) {
		p->wait_slot->check = methods_shutdown_done;
		p->wait_slot->domid = domid;
		return RPC_PENDING;
	}
	*res = json_object_new_object();
	return 0;
}

static int methods_shutdown(void *ctx, const struct rpc_params *p, struct json_object **res,
			    struct rpc_error *err)
{
	return methods_shutdown_op(ctx, p, CACHET_SHUTDOWN_POWEROFF, res, err);
}

static int methods_reboot(void *ctx, const struct rpc_params *p, struct json_object **res,
			  struct rpc_error *err)
{
	return methods_shutdown_op(ctx, p, CACHET_SHUTDOWN_REBOOT, res, err);
}

/*
 * Whether more output can come under this name: the domain exists and has
 * not stopped, or it stopped and the daemon is about to restart it (the
 * next tick), so that `cachet console` follows it across the restart.
 */
static bool methods_console_live(struct cachetd *d, const struct dom_entry *e)
{
	struct cachet_dominfo info;

	if (e->restarting)
		return true;
	if (!e->alive || e->stopped || cachet_domain_getinfo(d->h, e->domid, &info) != 0)
		return false;
	if (info.state == CACHET_DOM_RUNNING || info.state == CACHET_DOM_PAUSED)
		return true;
	return config_restarts_on(&e->cfg, info.state == CACHET_DOM_CRASHED ? CACHET_SHUTDOWN_CRASH
									      : info.shutdown_reason);
}

/*
 * A domain created outside the daemon (a libxc program) has no kept copy:
 * its console is read straight from the hypervisor's ring, whose positions
 * are the guest's bytes too; it ends with the domain.
 */
static int methods_console_outside(struct cachetd *d, cachet_domid_t domid, uint64_t pos,
				   struct json_object **res, struct rpc_error *err)
{
	char buf[CACHET_RING_READ_MAX];
	struct cachet_dominfo info;
	uint64_t lost = 0;
	int n = cachet_domain_getinfo(d->h, domid, &info);

	if (n == 0)
		n = cachet_console_read(d->h, domid, &pos, buf, sizeof(buf), &lost);
	if (n < 0) {
		methods_lib_error(d, err, n, "console_read");
		return -1;
	}
	*res = json_object_new_object();
	json_object_object_add(*res, "data", rpc_json_bytes(buf, (size_t)n));
	json_object_object_add(*res, "next", json_object_new_int64((int64_t)pos));
	json_object_object_add(*res, "lost", json_object_new_int64((int64_t)lost));
	/* The daemon keeps no copy of this console, so it never drops any of it. */
	json_object_object_add(*res, "dropped", json_object_new_int64(0));
	json_object_object_add(*res, "alive", json_object_new_boolean(
		info.state == CACHET_DOM_RUNNING || info.state == CACHET_DOM_PAUSED));
	return 0;
}

static int methods_console_read(void *ctx, const struct rpc_params *p, struct json_object **res,
				struct rpc_error *err)
{
	struct cachetd *d = ctx;
	struct dom_entry *e;
	uint64_t next, lost;
	bool live;
	char *buf;
	size_t n;

	if (p->dom.by_id && !domtab_find_domid(&d->doms, p->dom.domid))
		return methods_console_outside(d, p->dom.domid, p->pos, res, err);
	e = methods_console_entry(d, &p->dom, err);
	if (!e)
		return -1;
	/* Ask first: output written before the guest stopped is then drained too. */
	live = methods_console_live(d, e);
	/* Serve what the hypervisor has now, not what the last tick saw. */
	if (e->alive)
		monitor_console_drain(d, e);
	buf = malloc(METHODS_READ_MAX);
	if (!buf) {
		rpc_error_set(err, errmap_code(CACHET_LIB_ENOMEM), "console_read: out of memory");
		return -1;
	}
	n = conbuf_read(&e->con, p->pos, buf, METHODS_READ_MAX, &next, &lost);
	*res = json_object_new_object();
	json_object_object_add(*res, "data", rpc_json_bytes(buf, n));
	json_object_object_add(*res, "next", json_object_new_int64((int64_t)next));
	json_object_object_add(*res, "lost", json_object_new_int64((int64_t)lost));
	json_object_object_add(*res, "dropped", json_object_new_int64((int64_t)e->con_dropped));
	json_object_object_add(*res, "alive", json_object_new_boolean(live));
	free(buf);
	return 0;
}

/*
 * Sends data in ABI-sized pieces; the library returns the bytes the guest's
 * input buffer accepted, and a piece that did not fit whole ends the write.
 */
static int methods_console_send(struct cachetd *d, cachet_domid_t domid, const char *data,
				size_t len, size_t *accepted)
{
	*accepted = 0;
	while (*accepted < len) {
		size_t n = len - *accepted;
		int rc;

		if (n > CACHET_CONSOLE_WRITE_MAX)
			n = CACHET_CONSOLE_WRITE_MAX;
		rc = cachet_console_write(d->h, domid, data + *accepted, n);
		if (rc < 0)
			return *accepted ? 0 : rc;
		*accepted += (size_t)rc;
		if ((size_t)rc < n)
			break;
	}
	return 0;
}

static int methods_console_write(void *ctx, const struct rpc_params *p, struct json_object **res,
				 struct rpc_error *err)
{
	struct cachetd *d = ctx;
	struct dom_entry *e;
	cachet_domid_t domid;
	size_t accepted;
	int rc;

	if (methods_resolve(d, &p->dom, &domid, &e, err) < 0)
		return -1;
	rc = methods_console_send(d, domid, p->data, p->data_len, &accepted);
	if (rc < 0) {
		methods_lib_error(d, err, rc, "console_write");
		return -1;
	}
	*res = json_object_new_object();
	json_object_object_add(*res, "accepted", json_object_new_int64((int64_t)accepted));
	return 0;
}

/* Reads the hypervisor's log from *pos into buf (at most max bytes); returns bytes or < 0. */
static int methods_log_fill(struct cachetd *d, uint64_t *pos, char *buf, size_t max,
			    uint64_t *lost)
{
	size_t got = 0;

	*lost = 0;
	while (got < max) {
		size_t want = max - got < CACHET_RING_READ_MAX ? max - got : CACHET_RING_READ_MAX;
		uint64_t l = 0;
		int rc = cachet_log_read(d->h, pos, buf + got, want, &l);

		if (rc < 0)
			return got ? (int)got : rc;
		*lost += l;
		got += (size_t)rc;
		if ((size_t)rc < want)
			break;
	}
	return (int)got;
}

static int methods_dmesg(void *ctx, const struct rpc_params *p, struct json_object **res,
			 struct rpc_error *err)
{
	struct cachetd *d = ctx;
	uint64_t pos = p->pos, lost;
	char *buf = malloc(METHODS_READ_MAX);
	int n;

	if (!buf) {
		rpc_error_set(err, errmap_code(CACHET_LIB_ENOMEM), "dmesg: out of memory");
		return -1;
	}
	n = methods_log_fill(d, &pos, buf, METHODS_READ_MAX, &lost);
	if (n < 0) {
		free(buf);
		methods_lib_error(d, err, n, "dmesg");
		return -1;
	}
	*res = json_object_new_object();
	json_object_object_add(*res, "data", rpc_json_bytes(buf, (size_t)n));
	json_object_object_add(*res, "next", json_object_new_int64((int64_t)pos));
	json_object_object_add(*res, "lost", json_object_new_int64((int64_t)lost));
	free(buf);
	return 0;
}

static int methods_cache_stats(void *ctx, const struct rpc_params *p, struct json_object **res,
			       struct rpc_error *err)
{
	struct cachetd *d = ctx;
	struct cachet_domain_stats_out *st = malloc(sizeof(*st));
	struct dom_entry *e;
	cachet_domid_t domid;
	int rc = -1;

	if (!st) {
		rpc_error_set(err, errmap_code(CACHET_LIB_ENOMEM), "cache_stats: out of memory");
		return -1;
	}
	if (methods_resolve(d, &p->dom, &domid, &e, err) == 0) {
		rc = cachet_domain_stats(d->h, domid, st);
		if (rc < 0)
			methods_lib_error(d, err, rc, "cache_stats");
		else
			*res = stats_to_json(st);
	}
	/* The policy that produced these counters, when this daemon built the domain. */
	if (rc == 0 && e)
		json_object_object_add(*res, "cache_policy",
				       json_object_new_string(config_policy_name(e->cfg.cache_policy)));
	free(st);
	return rc < 0 ? -1 : 0;
}

static const struct rpc_method methods_rows[] = {
	{ "info", methods_info, 0, 0, true },
	{ "create", create_handler, RPC_P_CONFIG, RPC_P_PAUSED, false },
	{ "list", methods_list, 0, 0, true },
	{ "destroy", methods_destroy, RPC_P_DOMAIN, 0, false },
	{ "pause", methods_pause, RPC_P_DOMAIN, 0, false },
	{ "unpause", methods_unpause, RPC_P_DOMAIN, 0, false },
	{ "shutdown", methods_shutdown, RPC_P_DOMAIN, RPC_P_WAIT, false },
	{ "reboot", methods_reboot, RPC_P_DOMAIN, 0, false },
	{ "console_read", methods_console_read, RPC_P_DOMAIN, RPC_P_POS, false },
	{ "console_write", methods_console_write, RPC_P_DOMAIN | RPC_P_DATA, 0, false },
	{ "dmesg", methods_dmesg, 0, RPC_P_POS, false },
	{ "cache_stats", methods_cache_stats, RPC_P_DOMAIN, 0, true },
	{ "dev_stats", dev_stats_handler, RPC_P_DOMAIN, 0, true },
	{ "vcpu_list", vcpu_list_handler, 0, RPC_P_DOMAIN, true },
	{ "vcpu_pin", vcpu_pin_handler, RPC_P_DOMAIN | RPC_P_VCPU | RPC_P_CPUS, 0, false },
	{ "channel_open", channel_open_handler, 0, 0, false },
	/* Not on the read-only socket: it opens the files a configuration names. */
	{ "dtb", dtb_handler, RPC_P_CONFIG, 0, false },
	{ "events_subscribe", events_subscribe_handler, 0, 0, true },
};

const struct rpc_table methods_table = {
	methods_rows, sizeof(methods_rows) / sizeof(methods_rows[0]), RPC_ACCESS_FULL,
};
