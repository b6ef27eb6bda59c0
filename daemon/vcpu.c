/*
 * The vCPU methods: vcpu_list (where each vCPU runs, as `xl vcpu-list`
 * shows it) and vcpu_pin (hard affinity, as `xl vcpu-pin` sets it).
 * Affinities travel as xl CPU lists (cpulist.h), checked against the
 * machine's CPUs before anything reaches the hypervisor.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cpulist.h"
#include "dlog.h"
#include "errmap.h"
#include "methods.h"

static const char *vcpu_state_name(uint32_t state)
{
	switch (state) {
	case CACHET_VCPU_STATE_OFFLINE:
		return "offline";
	case CACHET_VCPU_STATE_RUNNABLE:
		return "runnable";
	case CACHET_VCPU_STATE_BLOCKED:
		return "blocked";
	default:
		return "unknown";
	}
}

static struct json_object *vcpu_row(struct cachetd *d, cachet_domid_t domid, const char *name,
				    const struct cachet_vcpu_info *v)
{
	struct json_object *o = json_object_new_object();
	char affinity[CPULIST_FORMAT_MAX];

	if (!o)
		return NULL;
	cpulist_format(v->affinity, d->limits.nr_cpus, affinity, sizeof(affinity));
	json_object_object_add(o, "domid", json_object_new_int64(domid));
	json_object_object_add(o, "name", json_object_new_string(name));
	json_object_object_add(o, "vcpu", json_object_new_int64(v->vcpu));
	json_object_object_add(o, "state", json_object_new_string(vcpu_state_name(v->state)));
	json_object_object_add(o, "pcpu", json_object_new_int64(v->pcpu));
	json_object_object_add(o, "affinity", json_object_new_string(affinity));
	json_object_object_add(o, "cpu_time_ns", json_object_new_int64((int64_t)v->cpu_time_ns));
	return o;
}

/* Appends one domain's vCPUs to rows; a domain that went away meanwhile adds none. */
static int vcpu_list_domain(struct cachetd *d, cachet_domid_t domid, struct json_object *rows,
			    struct rpc_error *err)
{
	struct dom_entry *e = domtab_find_domid(&d->doms, domid);
	struct cachet_vcpu_info_out *out = malloc(sizeof(*out));
	char unknown[32];
	int rc;

	if (!out) {
		rpc_error_set(err, errmap_code(CACHET_LIB_ENOMEM), "vcpu_list: out of memory");
		return -1;
	}
	/* The same form as list's names: no real name can look like it. */
	snprintf(unknown, sizeof(unknown), "(domid %u)", domid);
	rc = cachet_vcpu_info(d->h, domid, out);
	for (uint32_t i = 0; rc == 0 && i < out->nr_vcpus && i < CACHET_STATS_VCPUS; i++)
		json_object_array_add(rows, vcpu_row(d, domid, e ? e->cfg.name : unknown,
						     &out->vcpu[i]));
	free(out);
	if (rc < 0 && rc != -CACHET_ENOENT) {
		methods_lib_error(d, err, rc, "vcpu_list");
		return -1;
	}
	return 0;
}

/* Every domain's vCPUs, in domain id order. */
static int vcpu_list_all(struct cachetd *d, struct json_object *rows, struct rpc_error *err)
{
	struct cachet_dominfo info[CACHET_LIST_MAX];
	cachet_domid_t first = 0;
	int n;

	do {
		n = cachet_domain_list(d->h, first, info, CACHET_LIST_MAX);
		for (int i = 0; i < n; i++) {
			if (vcpu_list_domain(d, info[i].domid, rows, err) < 0)
				return -1;
		}
		if (n > 0)
			first = info[n - 1].domid + 1;
	} while (n == CACHET_LIST_MAX && first != 0);
	if (n < 0) {
		methods_lib_error(d, err, n, "vcpu_list");
		return -1;
	}
	return 0;
}

int vcpu_list_handler(void *ctx, const struct rpc_params *p, struct json_object **res,
		      struct rpc_error *err)
{
	struct cachetd *d = ctx;
	struct json_object *rows = json_object_new_array();
	struct dom_entry *e;
	cachet_domid_t domid;
	int rc;

	if (!rows) {
		rpc_error_set(err, errmap_code(CACHET_LIB_ENOMEM), "vcpu_list: out of memory");
		return -1;
	}
	if (!(p->present & RPC_P_DOMAIN)) {
		rc = vcpu_list_all(d, rows, err);
	} else if (methods_resolve(d, &p->dom, &domid, &e, err) < 0) {
		rc = -1;
	} else {
		/* A named domain that is gone is an error, unlike one that goes during a full list. */
		struct cachet_dominfo info;

		rc = cachet_domain_getinfo(d->h, domid, &info);
		if (rc < 0)
			methods_lib_error(d, err, rc, "vcpu_list");
		else
			rc = vcpu_list_domain(d, domid, rows, err);
	}
	if (rc < 0) {
		json_object_put(rows);
		return -1;
	}
	*res = json_object_new_object();
	json_object_object_add(*res, "vcpus", rows);
	return 0;
}

/* The vCPUs a pin names: [first, end). */
static int vcpu_pin_range(struct cachetd *d, const struct rpc_params *p, cachet_domid_t domid,
			  uint32_t *first, uint32_t *end, struct rpc_error *err)
{
	struct cachet_dominfo info;
	int rc = cachet_domain_getinfo(d->h, domid, &info);

	if (rc < 0) {
		methods_lib_error(d, err, rc, "vcpu_pin");
		return -1;
	}
	if (p->vcpu == RPC_VCPU_ALL) {
		*first = 0;
		*end = info.max_vcpus;
		return 0;
	}
	if (p->vcpu >= info.max_vcpus) {
		rpc_error_set(err, errmap_code(CACHET_ENOENT),
			      "vcpu_pin: domain %u has no vCPU %u (it has %u)", domid, p->vcpu,
			      info.max_vcpus);
		return -1;
	}
	*first = p->vcpu;
	*end = p->vcpu + 1;
	return 0;
}

int vcpu_pin_handler(void *ctx, const struct rpc_params *p, struct json_object **res,
		     struct rpc_error *err)
{
	struct cachetd *d = ctx;
	struct dom_entry *e;
	cachet_domid_t domid;
	uint32_t first, end;
	uint64_t mask;
	char msg[256], which[32];

	/* Everything is checked before the first vCPU moves. */
	if (cpulist_parse(p->cpus, d->limits.nr_cpus, &mask, msg, sizeof(msg)) < 0) {
		rpc_error_set(err, RPC_INVALID_PARAMS, "cpus: %s", msg);
		return -1;
	}
	if (methods_resolve(d, &p->dom, &domid, &e, err) < 0 ||
	    vcpu_pin_range(d, p, domid, &first, &end, err) < 0)
		return -1;
	for (uint32_t v = first; v < end; v++) {
		int rc = cachet_vcpu_set_affinity(d->h, domid, v, mask);

		if (rc < 0) {
			char what[40];

			snprintf(what, sizeof(what), "vcpu_pin: vCPU %u", v);
			methods_lib_error(d, err, rc, what);
			return -1;
		}
	}
	cpulist_format(mask, d->limits.nr_cpus, msg, sizeof(msg));
	if (p->vcpu == RPC_VCPU_ALL)
		snprintf(which, sizeof(which), "all vCPUs");
	else
		snprintf(which, sizeof(which), "vCPU %u", p->vcpu);
	dlog("vcpu_pin: domain %u (%s) %s: affinity %s", domid,
	     e ? e->cfg.name : "not created by this daemon", which, msg);
	*res = json_object_new_object();
	return 0;
}
