/*
 * Restarting a domain that stopped, as xl does for on_poweroff / on_reboot /
 * on_crash = "restart" and "rename-restart" (xl.cfg(5)).
 *
 * The new domain is built from the configuration stored when the domain was
 * created, under the same name, with a new domain id.  It keeps the same
 * table entry, so the console copy, the console log and every client's
 * position in them simply continue: `cachet console NAME` follows the
 * domain across the restart, and positions stay monotonic.  The daemon says
 * what happened in its own log, never in the guest's console.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cachetd.h"
#include "dlog.h"
#include "errmap.h"
#include "methods.h"
#include "state.h"
#include "vdev/vguest.h"

/* xl's suffix for a domain kept by rename-restart: "-YYYYMMDDTHHMMZ" (UTC). */
#define RESTART_SUFFIX_LEN 15

/* Counts a restart; true when the domain restarts too often to go on. */
static bool restart_too_often(struct cachetd *d, struct dom_entry *e)
{
	if (e->restarts == 0 || d->now_ms - e->restart_window_ms >= RESTART_WINDOW_MS) {
		e->restart_window_ms = d->now_ms;
		e->restarts = 0;
	}
	return ++e->restarts > RESTART_BURST;
}

/* NAME-YYYYMMDDTHHMMZ, the name cut short so that the whole fits a domain name. */
static int restart_new_name(const char *name, char *out, size_t size)
{
	char suffix[RESTART_SUFFIX_LEN + 1];
	time_t now = time(NULL);
	struct tm tm;
	int keep = CONFIG_NAME_MAX - RESTART_SUFFIX_LEN;

	if (now == (time_t)-1 || !gmtime_r(&now, &tm) ||
	    strftime(suffix, sizeof(suffix), "-%Y%m%dT%H%MZ", &tm) != RESTART_SUFFIX_LEN)
		return -1;
	snprintf(out, size, "%.*s%s", keep, name, suffix);
	return 0;
}

/*
 * rename-restart: the stopped domain becomes a new, preserved entry under
 * another name (its console output stays with the original name, where the
 * restarted domain continues it).
 */
static int restart_keep_renamed(struct cachetd *d, const struct dom_entry *e)
{
	struct dom_entry *kept;
	struct dom_config cfg;
	char name[CONFIG_NAME_MAX + 1], msg[256];

	if (restart_new_name(e->cfg.name, name, sizeof(name)) < 0 || config_copy(&cfg, &e->cfg) < 0)
		return -1;
	memcpy(cfg.name, name, sizeof(cfg.name));
	/* Two live domains never share a UUID: the restarted one keeps the configured one. */
	config_new_uuid(&cfg);
	/* It is kept as it is from now on, whatever else the configuration said. */
	cfg.on_poweroff = cfg.on_reboot = cfg.on_crash = CONFIG_ACT_PRESERVE;
	kept = domtab_entry_new(&cfg, e->domid);
	config_free(&cfg);
	if (!kept)
		return -1;
	/* The hypervisor keeps the create's tag: a restarted daemon matches the record by it. */
	kept->tag = e->tag;
	kept->stopped = true;
	/* A live domain already holding the name makes this fail, as libxl's rename does. */
	if (domtab_add(&d->doms, kept) < 0) {
		domtab_entry_free(kept);
		return -1;
	}
	if (state_save(d->state_dir, kept, msg, sizeof(msg)) < 0)
		dlog("%s: cannot save state: %s", kept->cfg.name, msg);
	dlog("domain %u '%s' kept as '%s'", e->domid, e->cfg.name, kept->cfg.name);
	return 0;
}

/* Takes the stopped domain out of the way; false when it cannot be. */
static bool restart_clear(struct cachetd *d, struct dom_entry *e, bool rename, const char *what)
{
	int rc;

	if (rename) {
		if (restart_keep_renamed(d, e) == 0)
			return true;
		/* xl leaves the old domain in place when it cannot rename it. */
		dlog("domain %u '%s' %s: cannot keep it under a new name; preserving it instead",
		     e->domid, e->cfg.name, what);
		e->stopped = true;
		return false;
	}
	vguest_stop(e->domid);
	rc = cachet_domain_destroy(d->h, e->domid);
	if (rc < 0 && rc != -CACHET_ENOENT) {
		dlog("domain %u '%s' %s: cannot destroy it to restart it: %s", e->domid, e->cfg.name,
		     what, errmap_text(rc));
		e->stopped = true;
		return false;
	}
	return true;
}

void restart_finish(struct cachetd *d, struct dom_entry *e, int rc,
		    const struct create_built *built, const struct rpc_error *err)
{
	char msg[256];

	e->restarting = false;
	if (rc < 0) {
		dlog("domain '%s': restart failed: %s", e->cfg.name, err->message);
		monitor_mark_dead(d, e, "could not be restarted");
		return;
	}
	e->domid = built->domid;
	e->tag = built->tag;
	e->hv_con_pos = 0;
	e->stopped = false;
	if (state_save(d->state_dir, e, msg, sizeof(msg)) < 0)
		dlog("%s: cannot save state: %s", e->cfg.name, msg);
	dlog("domain '%s' restarted as domain %u", e->cfg.name, e->domid);
	events_emit(d, e->domid, &e->cfg, "rebooted", e->restart_renamed ? "rename-restart" : "restart");
	events_emit(d, e->domid, &e->cfg, "started", "booted");
}

/* The new domain is built on a thread (create_job.c), or here in unit tests. */
static void restart_build(struct cachetd *d, struct dom_entry *e)
{
	struct create_target t = { d->h, d->limits.nr_cpus, d->state_dir };
	struct rpc_error err = { 0, "" };
	struct create_built built;
	int rc;

	if (!d->build_threads) {
		rc = create_build(&t, &e->cfg, false, &built, &err);
		restart_finish(d, e, rc, &built, &err);
		return;
	}
	/* Until the build is done the entry names no domain: nothing may act on the old id. */
	e->restarting = true;
	e->domid = DOMTAB_NO_DOMID;
	if (create_job_restart(d, &e->cfg, &err) < 0)
		restart_finish(d, e, -1, NULL, &err);
}

void restart_domain(struct cachetd *d, struct dom_entry *e, bool rename, const char *what)
{
	cachet_domid_t old = e->domid;

	if (restart_too_often(d, e)) {
		dlog("domain %u '%s' %s: restarted %u times within %d s; destroying it instead",
		     old, e->cfg.name, what, RESTART_BURST, RESTART_WINDOW_MS / 1000);
		monitor_destroy(d, old, e);
		return;
	}
	dlog("domain %u '%s' %s: %s as configured", old, e->cfg.name, what,
	     rename ? "renaming and restarting" : "restarting");
	/* The guest's last words belong before the new domain's first ones. */
	monitor_console_drain(d, e);
	if (!e->alive || !restart_clear(d, e, rename, what))
		return;
	e->restart_renamed = rename;
	restart_build(d, e);
}
