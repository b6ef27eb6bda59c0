/*
 * Background work of the daemon, run from the event loop every ~20 ms:
 * copy new console output of every live domain, read hypervisor events and
 * carry out on_poweroff / on_reboot / on_crash, and every second check that
 * the table agrees with the hypervisor (events can be lost when the event
 * ring overflows).  Also the recovery of state files at start.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cachet/public/guest_map.h"
#include "cachet/public/mbox.h"
#include "cachetd.h"
#include "cpulist.h"
#include "dlog.h"
#include "errmap.h"
#include "platform.h"
#include "state.h"
#include "vdev/vguest.h"

#define MONITOR_CON_READS 16 /* ring reads per domain per tick, to bound a tick */
/*
 * The first request waits for the hypervisor to finish booting; on a loaded
 * host the emulated boot CPU can stall for seconds (seen in CI), so it gets
 * longer than the library's default that every later request keeps.
 */
#define MONITOR_BOOT_TIMEOUT_MS 30000u
#define MONITOR_REQUEST_TIMEOUT_MS 5000u
#define MONITOR_SLOW_FIRST_MS 1000u /* a first answer this late is logged */

/*
 * The first physinfo, with the boot's longer timeout.  A slow answer is
 * logged with its time: hypervisor.log then holds the whole boot banner
 * (platform.c), so the two show where a stalled start spent its time.
 */
static int monitor_first_request(cachet_handle *h, struct cachet_physinfo_out *pi)
{
	uint64_t start = platform_now_ms(), took;
	int rc;

	cachet_set_timeout_ms(h, MONITOR_BOOT_TIMEOUT_MS);
	rc = cachet_physinfo(h, pi);
	cachet_set_timeout_ms(h, MONITOR_REQUEST_TIMEOUT_MS);
	took = platform_now_ms() - start;
	if (took >= MONITOR_SLOW_FIRST_MS)
		dlog("the hypervisor took %llu ms to answer its first request%s",
		     (unsigned long long)took, rc < 0 ? " (and failed)" : "");
	return rc;
}

int cachetd_init(struct cachetd *d, const char *state_dir, cachet_handle *h)
{
	struct cachet_physinfo_out pi;
	int rc;

	memset(d, 0, sizeof(*d));
	d->state_dir = state_dir;
	d->h = h;
	d->doorbell_fd = -1;
	d->jobs_fd = -1;
	d->peer_fd = -1;
	domtab_init(&d->doms);
	rc = monitor_first_request(h, &pi);
	if (rc < 0)
		return rc;
	/* A guest gets at most the guest map's two RAM banks, and never more than the machine. */
	d->limits.memory_max_mb = pi.total_pages * pi.page_size / (1024 * 1024);
	if (d->limits.memory_max_mb > CONFIG_MEMORY_MAX_MB)
		d->limits.memory_max_mb = CONFIG_MEMORY_MAX_MB;
	if (d->limits.memory_max_mb < CONFIG_MEMORY_MIN_MB)
		d->limits.memory_max_mb = CONFIG_MEMORY_MIN_MB;
	d->limits.vcpus_max = pi.max_vcpus ? pi.max_vcpus : 1;
	if (d->limits.vcpus_max > CACHET_MAX_VCPUS)
		d->limits.vcpus_max = CACHET_MAX_VCPUS;
	/* The ABI's affinity is a 64-bit mask: CPUs beyond it cannot be named. */
	d->limits.nr_cpus = pi.nr_cpus ? pi.nr_cpus : 1;
	if (d->limits.nr_cpus > CPULIST_MAX_CPUS)
		d->limits.nr_cpus = CPULIST_MAX_CPUS;
	return 0;
}

void cachetd_fini(struct cachetd *d)
{
	vguest_stop_all();
	create_job_fini(d);
	domtab_clear(&d->doms);
}

static void monitor_con_store(struct cachetd *d, struct dom_entry *e, const char *buf, size_t n)
{
	if (conbuf_append(&e->con, buf, n) < 0)
		dlog("console: %s: out of memory, in-memory copy restarted", e->cfg.name);
	if (e->con_fd >= 0 && state_console_write(d->state_dir, e, buf, n) < 0) {
		dlog("console: %s: cannot write the console log; no longer logging it", e->cfg.name);
		if (e->con_fd >= 0)
			close(e->con_fd);
		e->con_fd = -1;
	}
}

void monitor_console_drain(struct cachetd *d, struct dom_entry *e)
{
	char buf[CACHET_RING_READ_MAX];

	/* Between a restart's destroy and its new domain there is nothing to read. */
	if (e->restarting)
		return;
	for (int i = 0; i < MONITOR_CON_READS; i++) {
		uint64_t lost = 0;
		int rc = cachet_console_read(d->h, e->domid, &e->hv_con_pos, buf, sizeof(buf), &lost);

		if (lost) {
			e->con_dropped += lost;
			dlog("console: %s: %llu bytes overwritten in the hypervisor before they were read",
			     e->cfg.name, (unsigned long long)lost);
		}
		if (rc <= 0) {
			if (rc == -CACHET_ENOENT)
				monitor_mark_dead(d, e, "no longer exists");
			return;
		}
		monitor_con_store(d, e, buf, (size_t)rc);
		if ((size_t)rc < sizeof(buf))
			return;
	}
}

void monitor_mark_dead(struct cachetd *d, struct dom_entry *e, const char *why)
{
	if (!e->alive)
		return;
	e->alive = false;
	vguest_stop(e->domid);
	/* No more output can come: the kept copy serves replays, the file is complete. */
	if (e->con_fd >= 0) {
		close(e->con_fd);
		e->con_fd = -1;
	}
	if (state_remove(d->state_dir, e->cfg.name) < 0)
		dlog("%s: cannot remove its state file", e->cfg.name);
	dlog("domain %u '%s' %s", e->domid, e->cfg.name, why);
	events_emit(d, e->domid, &e->cfg, "destroyed", why);
}

int monitor_destroy(struct cachetd *d, cachet_domid_t domid, struct dom_entry *e)
{
	int rc;

	/* Keep the last words of the guest before its console ring goes away. */
	if (e)
		monitor_console_drain(d, e);
	/* The device threads map the guest's RAM: they stop before the RAM is given back. */
	vguest_stop(domid);
	rc = cachet_domain_destroy(d->h, domid);
	if (rc < 0) {
		dlog("destroy: domain %u: %s", domid, errmap_text(rc));
		return rc;
	}
	if (e)
		monitor_mark_dead(d, e, "destroyed");
	else
		dlog("domain %u (not created by this daemon) destroyed", domid);
	return 0;
}

/*
 * Reads new console output: of the consoles whose published head moved, and
 * with @second of those whose head another domain can write as if it were
 * theirs (ids 65536 apart, see cachet/public/mbox.h), once a second.
 * Asking only where there is output keeps an idle platform idle however
 * many domains it has.
 */
static void monitor_console_poll(struct cachetd *d, bool second)
{
	/* Draining may mark entries dead but never removes them, so indices hold. */
	for (size_t i = 0; i < d->doms.n; i++) {
		struct dom_entry *e = d->doms.v[i];

		if (e->alive && ((second && e->con_head_shared) ||
				 cachet_console_may_have_output(d->h, e->domid, e->hv_con_pos)))
			monitor_console_drain(d, e);
	}
}

/* Carries out an on_* action for a domain that stopped. */
static void monitor_apply(struct cachetd *d, struct dom_entry *e, enum config_action act,
			  const char *what)
{
	switch (act) {
	case CONFIG_ACT_PRESERVE:
		dlog("domain %u '%s' %s: preserved as configured", e->domid, e->cfg.name, what);
		e->stopped = true;
		return;
	case CONFIG_ACT_RESTART:
	case CONFIG_ACT_RENAME_RESTART:
		restart_domain(d, e, act == CONFIG_ACT_RENAME_RESTART, what);
		return;
	case CONFIG_ACT_DESTROY:
		dlog("domain %u '%s' %s: destroying as configured", e->domid, e->cfg.name, what);
		break;
	}
	monitor_destroy(d, e->domid, e);
}

static void monitor_shutdown(struct cachetd *d, struct dom_entry *e, uint32_t reason)
{
	switch (reason) {
	case CACHET_SHUTDOWN_POWEROFF:
		monitor_apply(d, e, e->cfg.on_poweroff, "powered off");
		break;
	case CACHET_SHUTDOWN_REBOOT:
		monitor_apply(d, e, e->cfg.on_reboot, "rebooted");
		break;
	case CACHET_SHUTDOWN_CRASH:
		monitor_apply(d, e, e->cfg.on_crash, "crashed");
		break;
	default:
		dlog("domain %u '%s' shut down for unknown reason %u", e->domid, e->cfg.name, reason);
		break;
	}
}

static const char *monitor_event_name(const struct cachet_event *ev)
{
	static const char *const reasons[] = { "shut down", "powered off", "rebooted", "crashed" };

	switch (ev->kind) {
	case CACHET_EVENT_SHUTDOWN:
		return ev->reason < 4 ? reasons[ev->reason] : "shut down (unknown reason)";
	case CACHET_EVENT_CRASH:
		return "crashed";
	case CACHET_EVENT_DESTROYED:
		return "destroyed";
	default:
		return "unknown event";
	}
}

static void monitor_event(struct cachetd *d, const struct cachet_event *ev)
{
	struct dom_entry *e = domtab_find_domid(&d->doms, ev->domid);
	char detail[sizeof(ev->detail) + 1];

	/* detail should be NUL-terminated; the copy makes sure of it. */
	memcpy(detail, ev->detail, sizeof(ev->detail));
	detail[sizeof(ev->detail)] = '\0';
	dlog("hypervisor event %llu: domain %u %s%s%s", (unsigned long long)ev->seq, ev->domid,
	     monitor_event_name(ev), detail[0] ? ": " : "", detail);
	if (!e)
		return;
	/* Kept stopped already (a replayed event after an attach): nothing more to do. */
	if (e->stopped && ev->kind != CACHET_EVENT_DESTROYED)
		return;
	switch (ev->kind) {
	case CACHET_EVENT_SHUTDOWN:
		if (ev->reason == CACHET_SHUTDOWN_CRASH)
			events_emit(d, e->domid, &e->cfg, "crashed", "");
		else
			events_emit(d, e->domid, &e->cfg, "shutdown", events_reason_name(ev->reason));
		monitor_shutdown(d, e, ev->reason);
		break;
	case CACHET_EVENT_CRASH:
		events_emit(d, e->domid, &e->cfg, "crashed", detail);
		monitor_apply(d, e, e->cfg.on_crash, "crashed");
		break;
	case CACHET_EVENT_DESTROYED:
		monitor_mark_dead(d, e, "was destroyed");
		break;
	default:
		break;
	}
}

static void monitor_events(struct cachetd *d)
{
	struct cachet_event ev[CACHET_EVENT_MAX];
	uint64_t lost = 0;
	int n;

	/* The mailbox's event head says whether there is anything to ask for. */
	if (!cachet_event_may_be_pending(d->h, d->event_seq))
		return;
	n = cachet_event_read(d->h, &d->event_seq, ev, CACHET_EVENT_MAX, &lost);

	if (lost)
		dlog("%llu hypervisor events lost; the liveness check will catch up",
		     (unsigned long long)lost);
	for (int i = 0; i < n; i++) {
		/*
		 * A build thread unpauses its domain before this thread records
		 * it, so a guest that stops at once can report before cachetd
		 * knows it: leave such an event (and those after it, to keep
		 * the order) for the tick after the build is collected.
		 */
		if (!domtab_find_domid(&d->doms, ev[i].domid) && create_job_pending(d)) {
			d->event_seq = ev[i].seq;
			return;
		}
		monitor_event(d, &ev[i]);
	}
}

/* The entry for domid among the n domains listed, or NULL. */
static const struct cachet_dominfo *monitor_listed(const struct cachet_dominfo *info, int n,
						   cachet_domid_t domid)
{
	for (int i = 0; i < n; i++) {
		if (info[i].domid == domid)
			return &info[i];
	}
	return NULL;
}

/* All domains of the hypervisor into a malloc'd array; count or < 0. */
static int monitor_list_all(struct cachetd *d, struct cachet_dominfo **out)
{
	struct cachet_dominfo *all = NULL;
	cachet_domid_t first = 0;
	int total = 0, n;

	do {
		struct cachet_dominfo *p = realloc(all, sizeof(*all) * (size_t)(total + CACHET_LIST_MAX));

		if (!p) {
			free(all);
			return -CACHET_LIB_ENOMEM;
		}
		all = p;
		n = cachet_domain_list(d->h, first, all + total, CACHET_LIST_MAX);
		if (n > 0) {
			total += n;
			first = all[total - 1].domid + 1;
		}
	} while (n == CACHET_LIST_MAX && first != 0 && total < 65536);
	if (n < 0) {
		free(all);
		return n;
	}
	*out = all;
	return total;
}

/* Whether another of the n domains listed would tag a console head as @domid does. */
static bool monitor_head_shared(const struct cachet_dominfo *info, int n, cachet_domid_t domid)
{
	for (int i = 0; i < n; i++) {
		if (info[i].domid != domid &&
		    CACHET_MBOX_CONSOLE_HEAD(info[i].domid, 0) == CACHET_MBOX_CONSOLE_HEAD(domid, 0))
			return true;
	}
	return false;
}

static void monitor_liveness(struct cachetd *d)
{
	struct cachet_dominfo *all;
	int n = monitor_list_all(d, &all);

	if (n < 0) {
		dlog("liveness check: %s", errmap_text(n));
		return;
	}
	for (size_t i = 0; i < d->doms.n; i++) {
		struct dom_entry *e = d->doms.v[i];

		if (e->alive && !e->restarting && !monitor_listed(all, n, e->domid))
			monitor_mark_dead(d, e, "is gone from the hypervisor");
		e->con_head_shared = monitor_head_shared(all, n, e->domid);
	}
	free(all);
}

void monitor_tick(struct cachetd *d, uint64_t now_ms)
{
	bool second = now_ms >= d->next_liveness_ms;

	d->now_ms = now_ms;
	create_job_collect(d);
	monitor_events(d);
	monitor_console_poll(d, second);
	if (second) {
		monitor_liveness(d);
		d->next_liveness_ms = now_ms + MONITOR_LIVENESS_MS;
	}
}

struct monitor_recovery {
	struct cachetd *d;
	struct cachet_dominfo *all;
	int n;
	/* Records of builds in progress, resolved once every finished domain is adopted. */
	struct dom_entry *unfinished[DOMTAB_MAX];
	size_t nr_unfinished;
};

/*
 * Whether the hypervisor's domain @info is the one build record @e is
 * about: by the tag its create carried, or, in a record written before
 * tags (ABI 1.3), by its id.
 */
static bool monitor_built_by(const struct dom_entry *e, const struct cachet_dominfo *info)
{
	return e->tag ? info->tag == e->tag : info->domid == e->domid;
}

/*
 * The previous daemon died while building this domain, at any point after
 * it wrote the record: its create was never answered, so whatever the
 * create left is destroyed (its pages go back), as a failed create's would
 * be.  A domain another record owns is never touched.
 */
static void monitor_recover_unfinished(struct monitor_recovery *r, struct dom_entry *e)
{
	unsigned int found = 0, destroyed = 0;

	for (int i = 0; i < r->n; i++) {
		cachet_domid_t domid = r->all[i].domid;
		int rc;

		if (!monitor_built_by(e, &r->all[i]) || domtab_find_domid(&r->d->doms, domid))
			continue;
		found++;
		rc = cachet_domain_destroy(r->d->h, domid);
		if (rc == 0)
			destroyed++;
		else
			dlog("recover: %s: cannot destroy domain %u: %s", e->cfg.name, domid,
			     errmap_text(rc));
	}
	dlog("recover: %s: the previous cachetd died while creating it; %s", e->cfg.name,
	     !found ? "no domain was made yet" : destroyed == found ? "destroyed the half-built domain"
								    : "cannot destroy the half-built domain");
	state_remove(r->d->state_dir, e->cfg.name);
	domtab_entry_free(e);
}

static int monitor_recover_one(void *ctx, const char *path, const char *name)
{
	struct monitor_recovery *r = ctx;
	const struct cachet_dominfo *info;
	struct dom_entry *e;
	char msg[256];

	if (state_load(path, &e, msg, sizeof(msg)) < 0) {
		dlog("recover: %s: %s; ignoring it", path, msg);
		return 0;
	}
	if (e->building && r->nr_unfinished < DOMTAB_MAX) {
		r->unfinished[r->nr_unfinished++] = e;
		return 0;
	}
	if (e->building) {
		monitor_recover_unfinished(r, e);
		return 0;
	}
	info = monitor_listed(r->all, r->n, e->domid);
	/* A record whose id now names a domain of another creator (another tag) is stale. */
	if (strcmp(e->cfg.name, name) != 0 || !info || (e->tag && info->tag != e->tag) ||
	    domtab_find_domid(&r->d->doms, e->domid) || domtab_add(&r->d->doms, e) < 0) {
		dlog("recover: %s: domain %u is gone (or the file is stale); removing it", name, e->domid);
		state_remove(r->d->state_dir, name);
		domtab_entry_free(e);
		return 0;
	}
	if (state_console_open(r->d->state_dir, e, 0) < 0)
		dlog("recover: %s: cannot open the console log", name);
	/* A stopped domain still there was kept by the previous daemon (preserve). */
	e->stopped = info->state == CACHET_DOM_SHUTDOWN || info->state == CACHET_DOM_CRASHED;
	dlog("recover: domain %u '%s'%s", e->domid, name, e->stopped ? " (stopped, kept)" : "");
	/* Device service resumes where the previous daemon left it (daemon/DEVICES.md). */
	if (vguest_start(r->d->h, e->domid, &e->cfg, true, msg, sizeof(msg)) < 0)
		dlog("recover: %s: its devices are not served: %s", name, msg);
	return 0;
}

void monitor_recover(struct cachetd *d)
{
	struct monitor_recovery *r = calloc(1, sizeof(*r));

	if (!r) {
		dlog("recover: out of memory");
		return;
	}
	r->d = d;
	r->n = monitor_list_all(d, &r->all);
	if (r->n < 0) {
		dlog("recover: cannot list domains: %s", errmap_text(r->n));
		free(r);
		return;
	}
	state_scan(d->state_dir, monitor_recover_one, r);
	for (size_t i = 0; i < r->nr_unfinished; i++)
		monitor_recover_unfinished(r, r->unfinished[i]);
	free(r->all);
	free(r);
}

void monitor_save_all(struct cachetd *d)
{
	char msg[256];

	for (size_t i = 0; i < d->doms.n; i++) {
		struct dom_entry *e = d->doms.v[i];

		if (e->alive && !e->restarting && state_save(d->state_dir, e, msg, sizeof(msg)) < 0)
			dlog("%s: cannot save state: %s", e->cfg.name, msg);
	}
}
