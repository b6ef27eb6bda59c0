/*
 * vCPU commands: vcpu-list and vcpu-pin (xl_vcpu.c).  Affinities are xl CPU
 * lists ("all", "0-3,^1"); cachetd checks them against the machine.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* One row of vcpu_list's reply, checked. */
struct vcpu_row {
	int64_t domid, vcpu, pcpu, cpu_time_ns;
	const char *name, *state, *affinity;
};

static int vcpu_decode(struct cli_ctx *ctx, struct json_object *obj, struct vcpu_row *r)
{
	if (!json_object_is_type(obj, json_type_object))
		return cli_malformed(ctx, "a vCPU is not an object");
	if (cli_reply_int(ctx, obj, "domid", &r->domid) < 0 ||
	    cli_reply_str(ctx, obj, "name", &r->name, NULL) < 0 ||
	    cli_reply_int(ctx, obj, "vcpu", &r->vcpu) < 0 ||
	    cli_reply_str(ctx, obj, "state", &r->state, NULL) < 0 ||
	    cli_reply_int(ctx, obj, "pcpu", &r->pcpu) < 0 ||
	    cli_reply_str(ctx, obj, "affinity", &r->affinity, NULL) < 0 ||
	    cli_reply_int(ctx, obj, "cpu_time_ns", &r->cpu_time_ns) < 0)
		return -1;
	return 0;
}

/* xl's State column: r(unning), b(locked), p(aused, here: offline). */
static const char *vcpu_state_flags(const char *state)
{
	if (strcmp(state, "runnable") == 0)
		return "r--";
	if (strcmp(state, "blocked") == 0)
		return "-b-";
	if (strcmp(state, "offline") == 0)
		return "--p";
	return "---";
}

static void vcpu_print_header(struct cli_ctx *ctx)
{
	fprintf(ctx->out, "%-32s %5s %5s %5s %5s %9s %s\n", "Name", "ID", "VCPU", "CPU", "State",
		"Time(s)", "Affinity");
}

static void vcpu_print_row(struct cli_ctx *ctx, const struct vcpu_row *r)
{
	char cpu[24] = "-";

	/* An offline vCPU runs nowhere: xl shows '-'. */
	if (strcmp(r->state, "offline") != 0)
		snprintf(cpu, sizeof(cpu), "%lld", (long long)r->pcpu);
	fprintf(ctx->out, "%-32s %5lld %5lld %5s %5s %9.1f  %s\n", r->name, (long long)r->domid,
		(long long)r->vcpu, cpu, vcpu_state_flags(r->state), (double)r->cpu_time_ns / 1e9,
		r->affinity);
}

/* Asks for the vCPUs of @dom (NULL: every domain) and prints them. */
static int vcpu_list_one(struct cli_ctx *ctx, const char *dom)
{
	struct json_object *params = NULL, *result, *rows;
	struct vcpu_row r;
	int ret;

	if (dom) {
		ret = cli_domain_params(ctx, dom, &params);
		if (ret != CLI_OK)
			return ret;
	}
	if (cli_call(ctx, "vcpu_list", params, &result) < 0)
		return CLI_FAIL;
	ret = cli_reply_array(ctx, result, "vcpus", &rows) < 0 ? CLI_FAIL : CLI_OK;
	for (size_t i = 0; ret == CLI_OK && i < json_object_array_length(rows); i++) {
		if (vcpu_decode(ctx, json_object_array_get_idx(rows, i), &r) < 0)
			ret = CLI_FAIL;
		else
			vcpu_print_row(ctx, &r);
	}
	json_object_put(result);
	return ret;
}

int cmd_vcpu_list(struct cli_ctx *ctx, int argc, char **argv)
{
	int opt, i, ret = CLI_OK;

	while ((opt = cli_getopt(ctx, argc, argv, "")) != -1)
		if (opt == '?')
			return CLI_USAGE;
	i = cli_optind();
	/* Every DOMAIN is checked before anything is printed. */
	for (int j = i; j < argc; j++) {
		struct json_object *params;

		ret = cli_domain_params(ctx, argv[j], &params);
		if (ret != CLI_OK)
			return ret;
		json_object_put(params);
	}
	vcpu_print_header(ctx);
	if (i == argc)
		return vcpu_list_one(ctx, NULL);
	for (; i < argc && ret == CLI_OK; i++)
		ret = vcpu_list_one(ctx, argv[i]);
	return ret;
}

/* VCPU as the daemon takes it: a number, or "all". */
static struct json_object *vcpu_arg(const char *s)
{
	if (strcmp(s, "all") == 0)
		return json_object_new_string("all");
	if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 6)
		return NULL;
	return json_object_new_int(atoi(s));
}

int cmd_vcpu_pin(struct cli_ctx *ctx, int argc, char **argv)
{
	struct json_object *params, *result, *vcpu;
	int opt, i, ret;

	while ((opt = cli_getopt(ctx, argc, argv, "")) != -1)
		if (opt == '?')
			return CLI_USAGE;
	i = cli_optind();
	if (argc - i < 3)
		return cli_usage_error(ctx, "missing %s", argc - i == 0 ? "DOMAIN" :
					argc - i == 1 ? "VCPU" : "CPUS");
	/* xl's fourth argument, soft affinity, has no meaning here. */
	if (argc - i > 3)
		return cli_usage_error(ctx, "too many arguments (Cachet has no soft affinity)");
	vcpu = vcpu_arg(argv[i + 1]);
	if (!vcpu)
		return cli_usage_error(ctx, "'%s' is not a vCPU number or 'all'", argv[i + 1]);
	ret = cli_domain_params(ctx, argv[i], &params);
	if (ret != CLI_OK) {
		json_object_put(vcpu);
		return ret;
	}
	json_object_object_add(params, "vcpu", vcpu);
	json_object_object_add(params, "cpus", json_object_new_string(argv[i + 2]));
	if (cli_call(ctx, "vcpu_pin", params, &result) < 0)
		return CLI_FAIL;
	json_object_put(result);
	return CLI_OK;
}
