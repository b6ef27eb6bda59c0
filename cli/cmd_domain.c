/*
 * Domain lifecycle commands: create, destroy, pause, unpause, shutdown,
 * reboot (xl_vmcontrol.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "cfg_source.h"
#include "cli.h"
#include "xljson.h"

struct create_opts {
	bool console; /* -c */
	bool paused;  /* -p */
	bool dry_run; /* -n */
	const char *out; /* dtb -o */
	const char *file;
	char **overrides;
	int noverrides;
};

static int create_parse_args(struct cli_ctx *ctx, int argc, char **argv, const char *opts,
			     struct create_opts *o)
{
	int opt, i;

	while ((opt = cli_getopt(ctx, argc, argv, opts)) != -1) {
		if (opt == '?')
			return CLI_USAGE;
		o->console |= opt == 'c';
		o->paused |= opt == 'p';
		o->dry_run |= opt == 'n';
		if (opt == 'o')
			o->out = cli_optarg();
	}
	i = cli_optind();
	/* As in xl, the file is optional: a first argument with '=' is a setting. */
	if (i < argc && !strchr(argv[i], '='))
		o->file = argv[i++];
	o->overrides = argv + i;
	o->noverrides = argc - i;
	if (!o->file && o->noverrides == 0)
		return cli_usage_error(ctx, "missing config file");
	return CLI_OK;
}

/* Parses the file and the overrides into the daemon's CONFIG object. */
static int create_load_config(struct cli_ctx *ctx, const struct create_opts *o,
			      struct json_object **config)
{
	struct cfg *c = cfg_new();
	int ret = -1;

	if (!c)
		return cli_fail(ctx, "out of memory");
	if (o->file)
		fprintf(ctx->err, "Parsing config from %s\n", o->file);
	if (o->file && cfgsrc_load(c, o->file) < 0)
		goto out;
	for (int i = 0; i < o->noverrides; i++)
		if (cfg_apply_override(c, o->overrides[i], (unsigned int)i + 1) < 0)
			goto out;
	ret = cfg_to_json(c, config);
	for (size_t i = 0; i < cfg_warning_count(c); i++)
		fprintf(ctx->err, "%s\n", cfg_warning(c, i));
	/* xl's words: the daemon ignores them too, and says so in its log. */
	if (ret == 0 && json_object_object_get_ex(*config, "cmdline", NULL) &&
	    (json_object_object_get_ex(*config, "root", NULL) ||
	     json_object_object_get_ex(*config, "extra", NULL)))
		fprintf(ctx->err, "Warning: ignoring root= and extra= in favour of cmdline=\n");
out:
	if (ret < 0)
		cli_fail(ctx, "%s", cfg_error(c));
	cfg_free(c);
	return ret < 0 ? CLI_FAIL : CLI_OK;
}

/* -n: the domain as `xl create -n` prints it, libxl's JSON (without a domid). */
static int create_print_config(struct cli_ctx *ctx, struct json_object *config)
{
	struct xljson_dom dom = { .config = config };
	char msg[256], *text = xljson_render(&dom, 1, false, msg, sizeof(msg));

	json_object_put(config);
	return cli_print_text(ctx, text, msg);
}

int cmd_create(struct cli_ctx *ctx, int argc, char **argv)
{
	struct create_opts o = { 0 };
	struct json_object *config, *params, *result;
	const char *name;
	int64_t domid;
	int ret;

	ret = create_parse_args(ctx, argc, argv, "cpn", &o);
	if (ret == CLI_OK)
		ret = create_load_config(ctx, &o, &config);
	if (ret != CLI_OK)
		return ret;
	if (o.dry_run)
		return create_print_config(ctx, config);
	params = json_object_new_object();
	json_object_object_add(params, "config", config);
	json_object_object_add(params, "paused", json_object_new_boolean(o.paused));
	if (cli_call(ctx, "create", params, &result) < 0)
		return CLI_FAIL;
	ret = CLI_FAIL;
	if (cli_reply_int(ctx, result, "domid", &domid) == 0 &&
	    cli_reply_str(ctx, result, "name", &name, NULL) == 0)
		ret = o.console ? cli_console_attach(ctx, name) : CLI_OK;
	json_object_put(result);
	return ret;
}

static int dtb_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decodes the daemon's hex text into @path; the size must match. */
static int dtb_write(struct cli_ctx *ctx, const char *hex, size_t hexlen, int64_t size,
		     const char *path)
{
	FILE *f;
	int ok = hexlen % 2 == 0 && (int64_t)(hexlen / 2) == size;

	if (!ok)
		return cli_fail(ctx, "malformed dtb answer from cachetd");
	f = fopen(path, "wb");
	if (!f)
		return cli_fail(ctx, "cannot write %s: %s", path, strerror(errno));
	for (size_t i = 0; i < hexlen && ok; i += 2) {
		int hi = dtb_nibble(hex[i]), lo = dtb_nibble(hex[i + 1]);

		ok = hi >= 0 && lo >= 0 && fputc(hi << 4 | lo, f) != EOF;
	}
	if (fclose(f) != 0 || !ok)
		return cli_fail(ctx, "cannot write %s (or malformed answer)", path);
	return 0;
}

int cmd_dtb(struct cli_ctx *ctx, int argc, char **argv)
{
	struct create_opts o = { 0 };
	struct json_object *config, *params, *result;
	const char *hex;
	size_t hexlen;
	int64_t size;
	int ret = create_parse_args(ctx, argc, argv, "o:", &o);

	if (ret == CLI_OK && !o.out)
		return cli_usage_error(ctx, "missing -o FILE");
	if (ret == CLI_OK)
		ret = create_load_config(ctx, &o, &config);
	if (ret != CLI_OK)
		return ret;
	params = json_object_new_object();
	json_object_object_add(params, "config", config);
	if (cli_call(ctx, "dtb", params, &result) < 0)
		return CLI_FAIL;
	ret = CLI_FAIL;
	if (cli_reply_str(ctx, result, "dtb", &hex, &hexlen) == 0 &&
	    cli_reply_int(ctx, result, "size", &size) == 0 &&
	    dtb_write(ctx, hex, hexlen, size, o.out) == 0)
		ret = CLI_OK;
	json_object_put(result);
	return ret;
}

/* The shape of destroy, pause and unpause: one DOMAIN, an empty result. */
static int domain_simple_op(struct cli_ctx *ctx, int argc, char **argv, const char *method)
{
	struct json_object *params, *result;
	const char *dom;
	int ret;

	ret = cli_one_arg(ctx, argc, argv, "DOMAIN", &dom);
	if (ret == CLI_OK)
		ret = cli_domain_params(ctx, dom, &params);
	if (ret != CLI_OK)
		return ret;
	if (cli_call(ctx, method, params, &result) < 0)
		return CLI_FAIL;
	json_object_put(result);
	return CLI_OK;
}

int cmd_destroy(struct cli_ctx *ctx, int argc, char **argv)
{
	return domain_simple_op(ctx, argc, argv, "destroy");
}

int cmd_pause(struct cli_ctx *ctx, int argc, char **argv)
{
	return domain_simple_op(ctx, argc, argv, "pause");
}

int cmd_unpause(struct cli_ctx *ctx, int argc, char **argv)
{
	return domain_simple_op(ctx, argc, argv, "unpause");
}

/*
 * shutdown [-w] DOMAIN: asks the guest to power off.  With -w, waits until
 * cachetd has dealt with it (on_poweroff): as long as that takes, as xl does.
 */
int cmd_shutdown(struct cli_ctx *ctx, int argc, char **argv)
{
	struct json_object *params, *result;
	bool wait = false;
	int opt, ret;

	while ((opt = cli_getopt(ctx, argc, argv, "w")) != -1) {
		if (opt == '?')
			return CLI_USAGE;
		wait = true;
	}
	if (cli_optind() == argc)
		return cli_usage_error(ctx, "missing DOMAIN");
	if (argc - cli_optind() > 1)
		return cli_usage_error(ctx, "too many arguments");
	ret = cli_domain_params(ctx, argv[cli_optind()], &params);
	if (ret != CLI_OK)
		return ret;
	json_object_object_add(params, "wait", json_object_new_boolean(wait));
	/* The guest takes its time to shut down; the daemon answers when it is done. */
	if (wait) {
		ctx->timeout_ms = CLI_WAIT_TIMEOUT_MS;
		ctx->rpc.timeout_ms = CLI_WAIT_TIMEOUT_MS;
	}
	if (cli_call(ctx, "shutdown", params, &result) < 0)
		return CLI_FAIL;
	json_object_put(result);
	return CLI_OK;
}

int cmd_reboot(struct cli_ctx *ctx, int argc, char **argv)
{
	return domain_simple_op(ctx, argc, argv, "reboot");
}
