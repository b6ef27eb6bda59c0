/*
 * xljson: libxl's JSON form of a domain, as `xl list -l` and `xl create -n`
 * print it, generated with libyajl as libxl generates it (4-space
 * beautified output, only the fields that differ from libxl's defaults).
 *
 * One domain is {"domid": N, "config": {"c_info": ..., "b_info": ...,
 * "disks": [...], "nics": [...], "on_poweroff": ..., "on_reboot": ...,
 * "on_crash": ...}, "cachet": {...}}: "cachet" is the one key Cachet adds,
 * holding the configuration as cachetd keeps it ("config", which keeps
 * what libxl's shape has no field for) and the domain's state.
 */
#ifndef CACHET_CLI_XLJSON_H
#define CACHET_CLI_XLJSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json.h>

struct xljson_dom {
	bool has_domid;            /* false for `create -n`: no domain yet */
	int64_t domid;
	struct json_object *config; /* the CONFIG (required) */
	struct json_object *state; /* extra members of "cachet" (state, times), or NULL */
};

/*
 * The text of @n domains: a JSON array when @array, else the one domain.
 * Returns a malloc'd string, or NULL with @msg set.
 */
char *xljson_render(const struct xljson_dom *doms, size_t n, bool array, char *msg,
		    size_t msglen);

/*
 * The CONFIG of a domain given in libxl's JSON: a `list -l` array of one
 * domain, one domain object, or a bare libxl domain config (c_info,
 * b_info...).  "cachet"'s config is taken when present (nothing lost);
 * otherwise the libxl fields are translated.  *@out is new; -1 with @msg.
 */
int xljson_to_config(struct json_object *doc, struct json_object **out, char *msg,
		     size_t msglen);

#endif
