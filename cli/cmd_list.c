/*
 * `cachet list`: the domain table of `xl list`, or JSON like `xl list -l`.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "domxml.h"
#include "xljson.h"

/* One entry of the daemon's list reply, checked. */
struct list_dom {
	int64_t domid, vcpus, memory_kb, cpu_time_ns;
	const char *name, *state, *policy;
	struct json_object *config; /* the daemon's copy of the CONFIG, if it sends one */
};

static int list_decode(struct cli_ctx *ctx, struct json_object *obj, struct list_dom *d)
{
	struct json_object *v;

	if (!json_object_is_type(obj, json_type_object))
		return cli_malformed(ctx, "a domain is not an object");
	if (cli_reply_int(ctx, obj, "domid", &d->domid) < 0 ||
	    cli_reply_str(ctx, obj, "name", &d->name, NULL) < 0 ||
	    cli_reply_str(ctx, obj, "state", &d->state, NULL) < 0 ||
	    cli_reply_int(ctx, obj, "vcpus", &d->vcpus) < 0 ||
	    cli_reply_int(ctx, obj, "memory_kb", &d->memory_kb) < 0 ||
	    cli_reply_int(ctx, obj, "cpu_time_ns", &d->cpu_time_ns) < 0)
		return -1;
	d->policy = NULL;
	if (json_object_object_get_ex(obj, "cache_policy", &v) &&
	    json_object_is_type(v, json_type_string))
		d->policy = json_object_get_string(v);
	d->config = NULL;
	if (json_object_object_get_ex(obj, "config", &v) &&
	    json_object_is_type(v, json_type_object))
		d->config = v;
	return 0;
}

/* xl's six state columns: running, blocked, paused, shutdown, crashed, dying. */
static const char *list_state_flags(const char *state)
{
	static const struct {
		const char *state, *flags;
	} map[] = {
		{ "running", "r-----" }, { "blocked", "-b----" }, { "paused", "--p---" },
		{ "shutdown", "---s--" }, { "crashed", "----c-" }, { "dying", "-----d" },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].state, state) == 0)
			return map[i].flags;
	return "------";
}

/* A domain matches a filter by name, or by id when the filter is all digits. */
static bool list_matches(const struct list_dom *d, const char *filter)
{
	char id[24];

	snprintf(id, sizeof(id), "%lld", (long long)d->domid);
	return strcmp(filter, d->name) == 0 || strcmp(filter, id) == 0;
}

/* True when @d is to be shown; marks in @hit the filters it matches. */
static bool list_selected(const struct list_dom *d, char **filters, int n, bool *hit)
{
	bool any = false;

	for (int i = 0; i < n; i++) {
		if (list_matches(d, filters[i])) {
			hit[i] = true;
			any = true;
		}
	}
	return n == 0 || any;
}

static void list_print_header(struct cli_ctx *ctx)
{
	fputs("Name                                        ID   Mem VCPUs\tState\tTime(s)\n",
	      ctx->out);
}

static void list_print_row(struct cli_ctx *ctx, const struct list_dom *d)
{
	fprintf(ctx->out, "%-40s %5lld %5lld %5lld     %s  %8.1f\n", d->name, (long long)d->domid,
		(long long)(d->memory_kb / 1024), (long long)d->vcpus, list_state_flags(d->state),
		(double)d->cpu_time_ns / 1e9);
}

/* What `list -l` shows under "cachet" besides the configuration. */
static struct json_object *list_state_json(const struct list_dom *d)
{
	struct json_object *e = json_object_new_object();

	json_object_object_add(e, "name", json_object_new_string(d->name));
	json_object_object_add(e, "state", json_object_new_string(d->state));
	json_object_object_add(e, "memory_kb", json_object_new_int64(d->memory_kb));
	json_object_object_add(e, "vcpus", json_object_new_int64(d->vcpus));
	json_object_object_add(e, "cpu_time_ns", json_object_new_int64(d->cpu_time_ns));
	if (d->policy)
		json_object_object_add(e, "cache_policy", json_object_new_string(d->policy));
	return e;
}

/* A domain cachetd did not create has no CONFIG: what the list tells stands for one. */
static struct json_object *list_config_json(const struct list_dom *d)
{
	struct json_object *cfg;

	if (d->config)
		return json_object_get(d->config);
	cfg = json_object_new_object();
	json_object_object_add(cfg, "name", json_object_new_string(d->name));
	json_object_object_add(cfg, "memory", json_object_new_int64(d->memory_kb / 1024));
	json_object_object_add(cfg, "vcpus", json_object_new_int64(d->vcpus));
	return cfg;
}

/* Prints the selected domains as `xl list -l` does: libxl's JSON, made with yajl. */
static int list_print_long(struct cli_ctx *ctx, struct xljson_dom *doms, size_t n)
{
	char msg[256], *text = xljson_render(doms, n, true, msg, sizeof(msg));

	return cli_print_text(ctx, text, msg) == CLI_OK ? 0 : -1;
}

static void list_free_long(struct xljson_dom *doms, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		json_object_put(doms[i].config);
		json_object_put(doms[i].state);
	}
	free(doms);
}

/* Prints the domains of @domains selected by @filters, as a table or JSON. */
static int list_print(struct cli_ctx *ctx, struct json_object *domains, bool json, char **filters,
		      int nfilters, bool *hit)
{
	size_t n = json_object_array_length(domains), nlong = 0;
	struct xljson_dom *doms = calloc(n + 1, sizeof(*doms));
	struct list_dom d;
	int ret = 0;

	if (!doms)
		return cli_fail(ctx, "out of memory");
	if (!json)
		list_print_header(ctx);
	for (size_t i = 0; i < n && ret == 0; i++) {
		ret = list_decode(ctx, json_object_array_get_idx(domains, i), &d);
		if (ret < 0 || !list_selected(&d, filters, nfilters, hit))
			continue;
		if (!json) {
			list_print_row(ctx, &d);
			continue;
		}
		doms[nlong++] = (struct xljson_dom){ .has_domid = true, .domid = d.domid,
						     .config = list_config_json(&d),
						     .state = list_state_json(&d) };
	}
	if (ret == 0 && json)
		ret = list_print_long(ctx, doms, nlong);
	list_free_long(doms, nlong);
	return ret;
}

/* Each filter must name a domain, as `xl list NAME` insists. */
static int list_check_filters(struct cli_ctx *ctx, char **filters, int n, const bool *hit)
{
	for (int i = 0; i < n; i++)
		if (!hit[i])
			return cli_fail(ctx, "no domain named '%s'", filters[i]);
	return CLI_OK;
}

int cmd_list(struct cli_ctx *ctx, int argc, char **argv)
{
	struct json_object *result, *domains;
	bool json = false, *hit;
	int opt, first, ret = CLI_FAIL;

	while ((opt = cli_getopt(ctx, argc, argv, "l")) != -1) {
		if (opt == '?')
			return CLI_USAGE;
		json = true;
	}
	first = cli_optind();
	if (cli_call(ctx, "list", NULL, &result) < 0)
		return CLI_FAIL;
	hit = calloc((size_t)(argc - first) + 1, sizeof(*hit));
	if (!hit)
		ret = cli_fail(ctx, "out of memory");
	else if (cli_reply_array(ctx, result, "domains", &domains) == 0 &&
		 list_print(ctx, domains, json, argv + first, argc - first, hit) == 0)
		ret = list_check_filters(ctx, argv + first, argc - first, hit);
	free(hit);
	json_object_put(result);
	return ret;
}

/* The uuid the daemon keeps in a domain's CONFIG, or "". */
static const char *list_uuid(const struct list_dom *d)
{
	struct json_object *v;

	if (d->config && json_object_object_get_ex(d->config, "uuid", &v) &&
	    json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	return "";
}

/* What a lookup prints about the domain it finds. */
enum list_show { LIST_SHOW_ID, LIST_SHOW_NAME, LIST_SHOW_XML };

static int list_show(struct cli_ctx *ctx, const struct list_dom *d, enum list_show what)
{
	struct json_object *config;
	char msg[256], *xml;

	if (what == LIST_SHOW_ID) {
		fprintf(ctx->out, "%lld\n", (long long)d->domid);
		return CLI_OK;
	}
	if (what == LIST_SHOW_NAME) {
		fprintf(ctx->out, "%s\n", d->name);
		return CLI_OK;
	}
	config = list_config_json(d);
	xml = domxml_from_config(config, d->domid, msg, sizeof(msg));
	json_object_put(config);
	return cli_print_text(ctx, xml, msg);
}

/*
 * Finds the domain @arg names (an id, a name or a UUID) and shows it: its
 * id as `xl domid`, its name as `xl domname`, its XML as `virsh dumpxml`.
 */
static int list_lookup(struct cli_ctx *ctx, int argc, char **argv, enum list_show what)
{
	struct json_object *result, *domains;
	const char *arg;
	struct list_dom d;
	int ret = cli_one_arg(ctx, argc, argv, what == LIST_SHOW_NAME ? "DOMID" : "DOMAIN", &arg);

	if (ret != CLI_OK || cli_call(ctx, "list", NULL, &result) < 0)
		return ret != CLI_OK ? ret : CLI_FAIL;
	ret = -1;
	if (cli_reply_array(ctx, result, "domains", &domains) == 0) {
		for (size_t i = 0; i < json_object_array_length(domains) && ret < 0; i++) {
			if (list_decode(ctx, json_object_array_get_idx(domains, i), &d) < 0)
				break;
			if (list_matches(&d, arg) || strcasecmp(list_uuid(&d), arg) == 0)
				ret = list_show(ctx, &d, what);
		}
	}
	json_object_put(result);
	return ret >= 0 ? ret : cli_fail(ctx, "no domain '%s'", arg);
}

int cmd_domid(struct cli_ctx *ctx, int argc, char **argv)
{
	return list_lookup(ctx, argc, argv, LIST_SHOW_ID);
}

int cmd_domname(struct cli_ctx *ctx, int argc, char **argv)
{
	return list_lookup(ctx, argc, argv, LIST_SHOW_NAME);
}

int cmd_dumpxml(struct cli_ctx *ctx, int argc, char **argv)
{
	return list_lookup(ctx, argc, argv, LIST_SHOW_XML);
}
