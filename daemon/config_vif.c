/*
 * vif = [...]: the network device list.  Each spec is read now as the
 * daemon will attach it (vdev/net_spec.c), so a bad MAC or forward fails
 * the request instead of the domain's build.  A spec without mac= gets an
 * address made as xl makes one, written into the spec itself: `list -l`,
 * the saved state and a restarted daemon then all see the same address.
 */
#include <stdio.h>
#include <string.h>

#include "config_int.h"
#include "rpc.h"
#include "vdev/net_spec.h"

/* @spec, checked, with ",mac=..." appended when it has none; NULL on error. */
static struct json_object *config_vif_complete(const char *spec, struct rpc_error *err)
{
	char msg[256], buf[CONFIG_SPEC_MAX + 32];
	struct net_cfg cfg;

	if (netspec_parse(spec, &cfg, msg, sizeof(msg)) < 0) {
		rpc_error_set(err, RPC_INVALID_PARAMS, "vif: '%s': %s", spec, msg);
		return NULL;
	}
	if (cfg.mac_given)
		return json_object_new_string(spec);
	if (netspec_random_mac(cfg.mac) < 0) {
		rpc_error_set(err, RPC_INTERNAL_ERROR, "vif: no random bytes for a MAC address");
		return NULL;
	}
	snprintf(buf, sizeof(buf), "%s%smac=%02x:%02x:%02x:%02x:%02x:%02x", spec,
		 spec[strspn(spec, " ")] ? "," : "", cfg.mac[0], cfg.mac[1], cfg.mac[2],
		 cfg.mac[3], cfg.mac[4], cfg.mac[5]);
	return json_object_new_string(buf);
}

int config_parse_vifs(const struct config_field *f, struct json_object *v,
		      const struct config_limits *lim, struct dom_config *c,
		      struct rpc_error *err)
{
	struct json_object *done;
	size_t n;
	int ret;

	/* The list's shape and each spec's length are config_parse_devices's to check. */
	if (config_parse_devices(f, v, lim, c, err) < 0)
		return -1;
	n = json_object_array_length(v);
	done = json_object_new_array_ext((int)n);
	for (size_t i = 0; done && i < n; i++) {
		struct json_object *spec = config_vif_complete(
			json_object_get_string(json_object_array_get_idx(v, i)), err);

		if (!spec) {
			json_object_put(done);
			return -1;
		}
		json_object_array_add(done, spec);
	}
	if (!done) {
		rpc_error_set(err, RPC_INTERNAL_ERROR, "out of memory");
		return -1;
	}
	ret = config_parse_devices(f, done, lim, c, err);
	json_object_put(done);
	return ret;
}
