/*
 * The dispatcher: global options, command lookup, generated help, and the
 * helpers every handler shares (messages, option parsing, daemon calls).
 */
#include "cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg.h"
#include "utf8.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

void cli_ctx_init(struct cli_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->out = stdout;
	ctx->err = stderr;
	ctx->in_fd = STDIN_FILENO;
	ctx->timeout_ms = CLI_RPC_TIMEOUT_MS;
	ctx->poll_ms = CLI_CONSOLE_POLL_MS;
}

/* ---- Messages ---------------------------------------------------------- */

/*
 * Writes a message that may quote bytes from a config file, the command
 * line or the daemon: a control character or a byte that is not UTF-8
 * becomes \xNN, so nothing the user did not mean to see reaches the terminal.
 */
static void cli_put_message(FILE *f, const char *fmt, va_list ap)
{
	char msg[CLI_MESSAGE_MAX];
	size_t len;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	len = strlen(msg);
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)msg[i];
		size_t seq = c >= 0x80 ? utf8_seq(msg + i, len - i) : 1;

		if (c >= 0x80 && seq >= 2 && seq <= len - i) {
			fwrite(msg + i, 1, seq, f);
			i += seq;
			continue;
		}
		if ((c < 0x20 && c != '\n') || c >= 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
		i++;
	}
}

int cli_fail(struct cli_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	fputs(CLI_PROG ": ", ctx->err);
	va_start(ap, fmt);
	cli_put_message(ctx->err, fmt, ap);
	va_end(ap);
	fputc('\n', ctx->err);
	return CLI_FAIL;
}

int cli_usage_error(struct cli_ctx *ctx, const char *fmt, ...)
{
	const char *name = ctx->cmd ? ctx->cmd->name : NULL;
	va_list ap;

	fprintf(ctx->err, "%s%s%s: ", CLI_PROG, name ? " " : "", name ? name : "");
	va_start(ap, fmt);
	cli_put_message(ctx->err, fmt, ap);
	va_end(ap);
	if (ctx->cmd)
		fprintf(ctx->err, "\nUsage: %s %s %s\n", CLI_PROG, name, ctx->cmd->usage);
	else
		fprintf(ctx->err, "\nRun '%s --help' for the list of commands.\n", CLI_PROG);
	return CLI_USAGE;
}

/* ---- Help -------------------------------------------------------------- */

void cli_print_help(FILE *f)
{
	fprintf(f, "Usage: %s [--state-dir DIR] COMMAND [ARGS...]\n\n", CLI_PROG);
	fputs("Manage domains on the Cachet hypervisor through cachetd.\n\nCommands:\n", f);
	for (unsigned int i = 0; i < cli_ncmds; i++) {
		const char *help = cli_cmds[i].help;

		fprintf(f, "  %-13s%.*s\n", cli_cmds[i].name, (int)strcspn(help, "\n"), help);
	}
	fputs("\nOptions:\n"
	      "  --state-dir DIR  where cachetd's socket is (default: $CACHET_STATE_DIR,\n"
	      "                   or /var/lib/cachet for root)\n"
	      "  -h, --help       show this help\n"
	      "  --version        show the version\n\n"
	      "A DOMAIN is a domain name or a numeric domain id.\n",
	      f);
	fprintf(f, "Run '%s help COMMAND' or '%s COMMAND --help' for a command's help.\n",
		CLI_PROG, CLI_PROG);
}

void cli_print_cmd_help(FILE *f, const struct cli_cmd *cmd)
{
	fprintf(f, "Usage: %s %s%s%s\n\n%s\n", CLI_PROG, cmd->name, *cmd->usage ? " " : "",
		cmd->usage, cmd->help);
}

const struct cli_cmd *cli_find_cmd(const char *name)
{
	for (unsigned int i = 0; i < cli_ncmds; i++)
		if (strcmp(cli_cmds[i].name, name) == 0)
			return &cli_cmds[i];
	return NULL;
}

int cmd_help(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_cmd *cmd;

	if (argc > 2)
		return cli_usage_error(ctx, "too many arguments");
	if (argc == 1) {
		cli_print_help(ctx->out);
		return CLI_OK;
	}
	cmd = cli_find_cmd(argv[1]);
	if (!cmd)
		return cli_usage_error(ctx, "unknown command '%s'", argv[1]);
	cli_print_cmd_help(ctx->out, cmd);
	return CLI_OK;
}

/* ---- Options ----------------------------------------------------------- */

int cli_getopt(struct cli_ctx *ctx, int argc, char **argv, const char *opts)
{
	static const struct option none[] = { { NULL, 0, NULL, 0 } };
	char spec[32];
	int opt;

	/* A leading ':' reports a missing argument as ':' rather than '?'. */
	snprintf(spec, sizeof(spec), ":%s", opts);
	opterr = 0;
	opt = getopt_long(argc, argv, spec, none, NULL);
	if (opt == ':') {
		cli_usage_error(ctx, "option '-%c' needs an argument", optopt);
		opt = '?';
	} else if (opt == '?' && optopt) {
		cli_usage_error(ctx, "unknown option '-%c'", optopt);
	} else if (opt == '?') {
		cli_usage_error(ctx, "unknown option '%s'", argv[optind - 1]);
	}
	return opt;
}

int cli_optind(void)
{
	return optind;
}

const char *cli_optarg(void)
{
	return optarg;
}

int cli_one_arg(struct cli_ctx *ctx, int argc, char **argv, const char *what, const char **out)
{
	int opt;

	while ((opt = cli_getopt(ctx, argc, argv, "")) != -1)
		if (opt == '?')
			return CLI_USAGE;
	if (optind == argc)
		return cli_usage_error(ctx, "missing %s", what);
	if (argc - optind > 1)
		return cli_usage_error(ctx, "too many arguments");
	*out = argv[optind];
	return CLI_OK;
}

int cli_no_args(struct cli_ctx *ctx, int argc, char **argv)
{
	int opt;

	while ((opt = cli_getopt(ctx, argc, argv, "")) != -1)
		if (opt == '?')
			return CLI_USAGE;
	if (optind < argc)
		return cli_usage_error(ctx, "too many arguments");
	return CLI_OK;
}

/* True if @argv asks for help before any "--". */
static bool cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	return false;
}

/*
 * Parses the options before the command; returns the index of the command,
 * or -1 - status when the options settled the exit status themselves.
 */
static int cli_global_options(struct cli_ctx *ctx, int argc, char **argv)
{
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0)
			return i + 1;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			cli_print_help(ctx->out);
			return -1 - CLI_OK;
		}
		if (strcmp(a, "--version") == 0) {
			fprintf(ctx->out, "%s %s\n", CLI_PROG, PACKAGE_VERSION);
			return -1 - CLI_OK;
		}
		if (strncmp(a, "--state-dir=", 12) == 0) {
			ctx->state_dir = a + 12;
		} else if (strcmp(a, "--state-dir") == 0 && i + 1 < argc) {
			ctx->state_dir = argv[++i];
		} else if (strcmp(a, "--state-dir") == 0) {
			return -1 - cli_usage_error(ctx, "option '--state-dir' needs a directory");
		} else {
			return -1 - cli_usage_error(ctx, "unknown option '%s'", a);
		}
	}
	return i;
}

int cli_main(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_cmd *cmd;
	int i = cli_global_options(ctx, argc, argv);

	if (i < 0)
		return -1 - i;
	if (i >= argc) {
		cli_print_help(ctx->err);
		return CLI_USAGE;
	}
	cmd = cli_find_cmd(argv[i]);
	if (!cmd)
		return cli_usage_error(ctx, "unknown command '%s'", argv[i]);
	if (cli_wants_help(argc - i, argv + i)) {
		cli_print_cmd_help(ctx->out, cmd);
		return CLI_OK;
	}
	ctx->cmd = cmd;
	optind = 0; /* glibc: start afresh, also for a second cli_main in one process */
	return cmd->handler(ctx, argc - i, argv + i);
}

/* ---- The daemon -------------------------------------------------------- */

/* $CACHET_TIMEOUT (seconds) replaces the default wait for an answer, not a command's own. */
static int cli_env_timeout(struct cli_ctx *ctx)
{
	const char *t = getenv("CACHET_TIMEOUT");
	char *end;
	long s;

	if (!t || !*t || ctx->timeout_ms != CLI_RPC_TIMEOUT_MS)
		return 0;
	s = strtol(t, &end, 10);
	if (*end || s < 1 || s > CLI_TIMEOUT_MAX_S) {
		cli_fail(ctx, "CACHET_TIMEOUT: expected seconds between 1 and %d, got '%s'",
			 CLI_TIMEOUT_MAX_S, t);
		return -1;
	}
	ctx->timeout_ms = (int)s * 1000;
	return 0;
}

static int cli_rpc_setup(struct cli_ctx *ctx)
{
	const char *dir;

	if (cli_env_timeout(ctx) < 0)
		return -1;
	if (rpc_state_dir(&ctx->rpc, ctx->state_dir, getenv("CACHET_STATE_DIR"), geteuid() == 0,
			  &dir) < 0 ||
	    rpc_init(&ctx->rpc, dir, ctx->timeout_ms) < 0) {
		cli_fail(ctx, "%s", rpc_error(&ctx->rpc));
		return -1;
	}
	ctx->rpc_ready = true;
	return 0;
}

int cli_socket_path(struct cli_ctx *ctx, const char **path)
{
	if (!ctx->rpc_ready && cli_rpc_setup(ctx) < 0)
		return -1;
	*path = ctx->rpc.sock_path;
	return 0;
}

int cli_call(struct cli_ctx *ctx, const char *method, struct json_object *params,
	     struct json_object **result)
{
	if (!ctx->rpc_ready && cli_rpc_setup(ctx) < 0) {
		json_object_put(params);
		return -1;
	}
	if (rpc_call(&ctx->rpc, method, params, result) < 0) {
		cli_fail(ctx, "%s", rpc_error(&ctx->rpc));
		return -1;
	}
	return 0;
}

static bool cli_all_digits(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

bool cli_arg_is_domid(const char *arg)
{
	return cli_all_digits(arg) && strlen(arg) <= 9;
}

int cli_domain_params(struct cli_ctx *ctx, const char *arg, struct json_object **out)
{
	struct json_object *dom;

	if (cli_arg_is_domid(arg))
		dom = json_object_new_int(atoi(arg));
	else if (cfg_name_is_valid(arg) && !cli_all_digits(arg))
		dom = json_object_new_string(arg);
	else
		return cli_usage_error(ctx, "'%s' is not a domain name or id", arg);
	*out = json_object_new_object();
	json_object_object_add(*out, "domain", dom);
	return CLI_OK;
}

/* ---- Replies ----------------------------------------------------------- */

int cli_malformed(struct cli_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	fputs(CLI_PROG ": malformed reply from cachetd: ", ctx->err);
	va_start(ap, fmt);
	vfprintf(ctx->err, fmt, ap);
	va_end(ap);
	fputc('\n', ctx->err);
	return -1;
}

static int cli_reply_get(struct cli_ctx *ctx, struct json_object *obj, const char *key,
			 json_type type, struct json_object **out)
{
	static const char *const names[] = {
		[json_type_boolean] = "a boolean", [json_type_int] = "an integer",
		[json_type_string] = "a string",   [json_type_array] = "an array",
		[json_type_object] = "an object",
	};

	if (!json_object_object_get_ex(obj, key, out) || !json_object_is_type(*out, type))
		return cli_malformed(ctx, "'%s' missing or not %s", key, names[type]);
	return 0;
}

int cli_reply_int(struct cli_ctx *ctx, struct json_object *obj, const char *key, int64_t *out)
{
	struct json_object *v;

	if (cli_reply_get(ctx, obj, key, json_type_int, &v) < 0)
		return -1;
	*out = json_object_get_int64(v);
	return 0;
}

int cli_reply_str(struct cli_ctx *ctx, struct json_object *obj, const char *key, const char **out,
		  size_t *len)
{
	struct json_object *v;

	if (cli_reply_get(ctx, obj, key, json_type_string, &v) < 0)
		return -1;
	*out = json_object_get_string(v);
	if (len)
		*len = (size_t)json_object_get_string_len(v);
	return 0;
}

int cli_reply_bool(struct cli_ctx *ctx, struct json_object *obj, const char *key, bool *out)
{
	struct json_object *v;

	if (cli_reply_get(ctx, obj, key, json_type_boolean, &v) < 0)
		return -1;
	*out = json_object_get_boolean(v);
	return 0;
}

int cli_reply_array(struct cli_ctx *ctx, struct json_object *obj, const char *key,
		    struct json_object **out)
{
	return cli_reply_get(ctx, obj, key, json_type_array, out);
}

void cli_print_json(struct cli_ctx *ctx, struct json_object *obj)
{
	fprintf(ctx->out, "%s\n",
		json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PRETTY |
							    JSON_C_TO_STRING_SPACED |
							    JSON_C_TO_STRING_NOSLASHESCAPE));
}

int cli_print_text(struct cli_ctx *ctx, char *text, const char *msg)
{
	if (!text)
		return cli_fail(ctx, "%s", msg);
	fputs(text, ctx->out);
	free(text);
	return CLI_OK;
}

int cli_write_out(struct cli_ctx *ctx, const char *buf, size_t len)
{
	if ((len && fwrite(buf, 1, len, ctx->out) != len) || fflush(ctx->out) != 0) {
		cli_fail(ctx, "writing output failed");
		return -1;
	}
	return 0;
}
