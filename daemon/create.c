/*
 * The "create" method: validate the configuration, run the libcachet
 * builder pipeline (new -> images -> setters -> build -> pin vCPUs -> boot),
 * then record the domain (table, console log, state file).  A domain that
 * was built but could not be pinned, booted or recorded is destroyed again,
 * so a failed create leaves nothing behind.  Restarts (restart.c) run the
 * same pipeline from the stored configuration.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "dlog.h"
#include "errmap.h"
#include "methods.h"
#include "state.h"
#include "testpoint.h"
#include "vdev/devcfg.h"
#include "vdev/vguest.h"

#define CREATE_NO_DOMID UINT32_MAX /* no domain built (yet) */

/* Feeds the configuration to the builder; *step names what failed. */
static int create_setup(cachet_dom *b, const struct dom_config *c, const char *cmdline,
			const char **step)
{
	int rc;

	*step = "kernel";
	rc = cachet_dom_set_kernel_format(b, c->kernel_format);
	if (rc == 0)
		rc = cachet_dom_kernel_file(b, c->kernel);
	if (rc == 0 && c->ramdisk) {
		*step = "ramdisk";
		rc = cachet_dom_ramdisk_file(b, c->ramdisk);
	}
	if (rc == 0 && c->device_tree) {
		*step = "device_tree";
		rc = cachet_dom_devicetree_file(b, c->device_tree);
	}
	if (rc == 0) {
		*step = "memory";
		rc = cachet_dom_set_memory_mb(b, c->memory_mb);
	}
	if (rc == 0) {
		/* All maxvcpus exist; the guest itself brings up the others through PSCI. */
		*step = "vcpus";
		rc = cachet_dom_set_vcpus(b, config_max_vcpus(c));
	}
	/* Without a command line, a user's device tree keeps its own bootargs. */
	if (rc == 0 && *cmdline) {
		*step = "cmdline";
		rc = cachet_dom_set_cmdline(b, cmdline);
	}
	if (rc == 0) {
		*step = "cache_policy";
		rc = cachet_dom_set_cache_policy(b, c->cache_policy);
	}
	return rc;
}

/* The device tree gets a virtio-mmio node per device of the configuration. */
static int create_setup_devices(cachet_dom *b, const struct dom_config *c, struct rpc_error *err)
{
	struct devcfg *devs = malloc(sizeof(*devs));
	char msg[512];
	int rc = -1;

	if (!devs)
		rpc_error_set(err, errmap_code(CACHET_LIB_ENOMEM), "create: out of memory");
	else if (devcfg_get(c, devs, msg, sizeof(msg)) < 0)
		rpc_error_set(err, RPC_INVALID_PARAMS, "%s", msg);
	else if (cachet_dom_set_virtio_devices(b, devs->n) < 0)
		rpc_error_set(err, errmap_code(CACHET_LIB_EINVAL), "disk: %s", cachet_last_error(NULL));
	else
		rc = 0;
	free(devs);
	return rc;
}

/* The domain is built and paused: its devices are described and served from now on. */
static int create_devices(const struct create_target *t, const struct dom_config *c,
			  cachet_domid_t domid, struct rpc_error *err)
{
	char msg[512];

	if (vguest_start(t->h, domid, c, false, msg, sizeof(msg)) == 0)
		return 0;
	rpc_error_set(err, RPC_INVALID_PARAMS, "%s", msg);
	return -1;
}

/* The library's detail names the file and the fault; the step says what was being done. */
static void create_build_error(const struct create_target *t, struct rpc_error *err, int rc,
			       const char *step)
{
	const char *detail = cachet_last_error(t->h);

	rpc_error_set(err, errmap_code(rc), "%s: %s", step,
		      detail && *detail ? detail : errmap_text(rc));
}

/* Gives each vCPU the hard affinity of "cpus", between build and boot. */
static int create_pin(const struct create_target *t, const struct dom_config *c,
		      cachet_domid_t domid, struct rpc_error *err)
{
	unsigned int n = config_max_vcpus(c);

	for (unsigned int v = 0; v < n; v++) {
		char msg[256];
		uint64_t mask;
		int rc = config_affinity(c, v, t->nr_cpus, &mask, msg, sizeof(msg));

		if (rc < 0) {
			rpc_error_set(err, RPC_INVALID_PARAMS, "%s", msg);
			return -1;
		}
		if (rc == 0)
			continue;
		rc = cachet_vcpu_set_affinity(t->h, domid, v, mask);
		if (rc < 0) {
			char what[32];

			snprintf(what, sizeof(what), "cpus: vCPU %u", v);
			create_build_error(t, err, rc, what);
			return -1;
		}
	}
	return 0;
}

/* A fresh non-zero tag for DOMAIN_CREATE (cachet/public/abi.h). */
static int create_new_tag(uint32_t *tag, struct rpc_error *err)
{
	do {
		if (getrandom(tag, sizeof(*tag), 0) != (ssize_t)sizeof(*tag)) {
			rpc_error_set(err, errmap_code(CACHET_LIB_EIO),
				      "create: cannot draw a creation tag: %s", strerror(errno));
			return -1;
		}
	} while (*tag == 0);
	return 0;
}

/*
 * Before the domain exists, the record of its build goes to disk with its
 * tag: a daemon killed at any instant after the create leaves a record by
 * which its successor finds the domain (by the tag the hypervisor reports)
 * and destroys it, as a failed create would (monitor_recover).  Without a
 * record there is no create.
 */
static int create_pending(const struct create_target *t, const struct dom_config *c,
			  uint32_t tag, struct rpc_error *err)
{
	char msg[256];

	if (!t->state_dir || state_save_building(t->state_dir, c, tag, msg, sizeof(msg)) == 0)
		return 0;
	rpc_error_set(err, errmap_code(CACHET_LIB_EIO), "create: cannot record the build: %s", msg);
	return -1;
}

/* The window the pending record covers, reachable by tests (testpoint.h). */
static void create_on_created(void *arg, cachet_domid_t domid)
{
	(void)arg;
	(void)domid;
	testpoint("created");
}

/* Builds, pins and boots the domain that b describes; a domain left over is destroyed. */
static int create_run(const struct create_target *t, const struct dom_config *c, cachet_dom *b,
		      bool paused, cachet_domid_t *domid, struct rpc_error *err)
{
	cachet_domid_t built = CREATE_NO_DOMID;
	const char *step = "build";
	int rc = cachet_dom_build(b, &built);

	if (rc < 0) {
		create_build_error(t, err, rc, step);
		return -1;
	}
	*domid = built;
	if (create_pin(t, c, built, err) < 0 || create_devices(t, c, built, err) < 0)
		rc = -1;
	if (rc == 0 && !paused) {
		step = "boot";
		rc = cachet_dom_boot(b);
		if (rc < 0)
			create_build_error(t, err, rc, step);
	}
	/* A failed build leaves nothing behind (cachet.h); a failed pin or boot leaves a domain. */
	if (rc < 0) {
		vguest_stop(built);
		cachet_domain_destroy(t->h, built);
		*domid = CREATE_NO_DOMID;
		return -1;
	}
	return 0;
}

int create_build(const struct create_target *t, const struct dom_config *c, bool paused,
		 struct create_built *out, struct rpc_error *err)
{
	cachet_dom *b = cachet_dom_new(t->h);
	char *cmdline = config_cmdline(c);
	const char *step;
	bool pending = false;
	int rc;

	*out = (struct create_built){ CREATE_NO_DOMID, 0 };
	if (!b || !cmdline) {
		rpc_error_set(err, errmap_code(CACHET_LIB_ENOMEM), "create: out of memory");
		if (b)
			cachet_dom_free(b);
		free(cmdline);
		return -1;
	}
	rc = create_setup(b, c, cmdline, &step);
	if (rc < 0)
		create_build_error(t, err, rc, step);
	else if (create_setup_devices(b, c, err) < 0 || create_new_tag(&out->tag, err) < 0)
		rc = -1;
	else if (create_pending(t, c, out->tag, err) < 0)
		rc = -1;
	else
		pending = true;
	if (rc == 0 && (cachet_dom_set_tag(b, out->tag) < 0 ||
			cachet_dom_on_created(b, create_on_created, NULL) < 0)) {
		create_build_error(t, err, -CACHET_LIB_EINVAL, "build");
		rc = -1;
	}
	if (rc == 0)
		rc = create_run(t, c, b, paused, &out->domid, err);
	if (rc < 0 && pending)
		state_remove(t->state_dir, c->name);
	if (rc == 0)
		testpoint("built");
	cachet_dom_free(b);
	free(cmdline);
	return rc < 0 ? -1 : 0;
}

static struct json_object *create_result(const struct dom_entry *e)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	json_object_object_add(o, "domid", json_object_new_int64(e->domid));
	json_object_object_add(o, "name", json_object_new_string(e->cfg.name));
	return o;
}

struct json_object *create_record(struct cachetd *d, struct dom_config *cfg,
				  const struct create_built *built, bool paused, struct rpc_error *err)
{
	cachet_domid_t domid = built->domid;
	struct dom_entry *e = domtab_entry_new(cfg, domid);
	char msg[256];

	if (!e || domtab_add(&d->doms, e) < 0) {
		domtab_entry_free(e);
		cachet_domain_destroy(d->h, domid);
		state_remove(d->state_dir, cfg->name);
		rpc_error_set(err, errmap_code(CACHET_LIB_ENOMEM),
			      "create: the daemon cannot keep more domains");
		return NULL;
	}
	e->tag = built->tag;
	/* The domain runs either way; without these files it only loses persistence. */
	if (state_console_open(d->state_dir, e, 1) < 0)
		dlog("create: %s: cannot open the console log; output kept in memory only",
		     e->cfg.name);
	if (state_save(d->state_dir, e, msg, sizeof(msg)) < 0)
		dlog("create: %s: cannot save state: %s", e->cfg.name, msg);
	dlog("create: domain %u '%s' built%s (kernel %s, %llu MiB, %u of %u vCPUs, cache policy %s)",
	     domid, e->cfg.name, paused ? ", paused" : " and booted", e->cfg.kernel,
	     (unsigned long long)e->cfg.memory_mb, e->cfg.vcpus, config_max_vcpus(&e->cfg),
	     config_policy_name(e->cfg.cache_policy));
	events_emit(d, domid, &e->cfg, "created", "");
	events_emit(d, domid, &e->cfg, paused ? "paused" : "started", paused ? "" : "booted");
	return create_result(e);
}

/* What xl would warn about on its terminal goes to the daemon's log. */
static void create_warn(const struct dom_config *c)
{
	if (c->cmdline && (c->root || c->extra))
		dlog("create: %s: ignoring root and extra in favour of cmdline (as xl does)", c->name);
	if (c->cpus && json_object_is_type(c->cpus, json_type_array) &&
	    json_object_array_length(c->cpus) > config_max_vcpus(c))
		dlog("create: %s: cpus has %zu lists for %u vCPUs; ignoring the extra ones (as xl does)",
		     c->name, json_object_array_length(c->cpus), config_max_vcpus(c));
}

int create_handler(void *ctx, const struct rpc_params *p, struct json_object **res,
		   struct rpc_error *err)
{
	struct cachetd *d = ctx;
	struct create_target t = { d->h, d->limits.nr_cpus, d->state_dir };
	struct dom_entry *old;
	struct dom_config cfg;
	struct create_built built;

	if (d->build_threads && !p->wait_slot) {
		/* Building on the loop would stall every client for as long as the build takes. */
		rpc_error_set(err, RPC_INVALID_REQUEST, "create: answered when the build is done, so "
			      "it cannot be part of a batch; send it alone");
		return -1;
	}
	if (config_parse(p->config, &d->limits, &cfg, err) < 0)
		return -1;
	old = domtab_find_name(&d->doms, cfg.name);
	if ((old && old->alive) || create_job_busy(d, cfg.name)) {
		rpc_error_set(err, errmap_code(CACHET_EEXIST), "a domain named '%s' already exists",
			      cfg.name);
		config_free(&cfg);
		return -1;
	}
	if (domtab_find_uuid(&d->doms, cfg.uuid)) {
		rpc_error_set(err, errmap_code(CACHET_EEXIST), "a domain with UUID %s already exists",
			      cfg.uuid);
		config_free(&cfg);
		return -1;
	}
	create_warn(&cfg);
	/* The loop must stay free while the build reads and unpacks the images. */
	if (d->build_threads && p->wait_slot) {
		int rc = create_job_start(d, &cfg, p->paused, p->wait_slot, err);

		config_free(&cfg);
		return rc < 0 ? -1 : RPC_PENDING;
	}
	if (create_build(&t, &cfg, p->paused, &built, err) < 0) {
		dlog("create: %s: %s", cfg.name, err->message);
		config_free(&cfg);
		return -1;
	}
	*res = create_record(d, &cfg, &built, p->paused, err);
	config_free(&cfg);
	return *res ? 0 : -1;
}

/* Lower-case hex, two digits per byte: JSON carries the blob as text. */
static struct json_object *create_hex(const uint8_t *buf, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	char *hex = malloc(2 * len + 1);
	struct json_object *o;

	if (!hex)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		hex[2 * i] = digits[buf[i] >> 4];
		hex[2 * i + 1] = digits[buf[i] & 0xf];
	}
	hex[2 * len] = '\0';
	o = json_object_new_string_len(hex, (int)(2 * len));
	free(hex);
	return o;
}

/* The plan of a build, without building: the DTB the guest would get. */
static int create_plan_dtb(struct cachetd *d, const struct dom_config *c, struct json_object **res,
			   struct rpc_error *err)
{
	cachet_dom *b = cachet_dom_new(d->h);
	char *cmdline = config_cmdline(c);
	const char *step = "plan";
	const void *dtb = NULL;
	size_t len = 0;
	int rc = -CACHET_LIB_ENOMEM;

	if (b && cmdline)
		rc = create_setup(b, c, cmdline, &step);
	if (rc == 0 && create_setup_devices(b, c, err) < 0) {
		cachet_dom_free(b);
		free(cmdline);
		return -1;
	}
	if (rc == 0) {
		step = "plan";
		rc = cachet_dom_plan(b, NULL, &dtb, &len);
	}
	if (rc == 0) {
		*res = json_object_new_object();
		json_object_object_add(*res, "dtb", create_hex(dtb, len));
		json_object_object_add(*res, "size", json_object_new_int64((int64_t)len));
	} else if (b && cmdline) {
		const struct create_target t = { d->h, d->limits.nr_cpus, NULL };

		create_build_error(&t, err, rc, step);
	} else {
		rpc_error_set(err, errmap_code(CACHET_LIB_ENOMEM), "dtb: out of memory");
	}
	cachet_dom_free(b);
	free(cmdline);
	return rc < 0 ? -1 : 0;
}

int dtb_handler(void *ctx, const struct rpc_params *p, struct json_object **res,
		struct rpc_error *err)
{
	struct cachetd *d = ctx;
	struct dom_config cfg;
	int rc;

	if (config_parse(p->config, &d->limits, &cfg, err) < 0)
		return -1;
	rc = create_plan_dtb(d, &cfg, res, err);
	config_free(&cfg);
	return rc;
}
