/*
 * The "dev_stats" method: a domain's virtio devices with their counters
 * (daemon/vdev/vguest.c), for `cachet dev-stats` and `cachet block-list`.
 */
#include "methods.h"
#include "vdev/vguest.h"

int dev_stats_handler(void *ctx, const struct rpc_params *p, struct json_object **res,
		      struct rpc_error *err)
{
	struct cachetd *d = ctx;
	struct json_object *devs;
	struct dom_entry *e;
	cachet_domid_t domid;

	if (methods_resolve(d, &p->dom, &domid, &e, err) < 0)
		return -1;
	/* A domain without devices, or not created by this daemon, has none to show. */
	devs = vguest_stats(domid);
	*res = json_object_new_object();
	json_object_object_add(*res, "domid", json_object_new_int64(domid));
	json_object_object_add(*res, "devices", devs ? devs : json_object_new_array());
	return 0;
}
