/*
 * The cachet command-line tool: shared declarations.
 *
 * Subcommands are rows of cli_cmds[] (cmdtable.c), one handler file per
 * group as in xl: cmd_domain.c (create, destroy, pause, unpause, shutdown,
 * reboot), cmd_list.c (list, domid, domname, dumpxml), cmd_console.c,
 * cmd_host.c (info, dmesg), cmd_stats.c (cache-stats), cmd_vcpu.c
 * (vcpu-list, vcpu-pin), cmd_xml.c (domxml-from-native, domxml-to-native),
 * cmd_events.c (events).  A
 * handler gets argv starting at the command name, writes to ctx->out and
 * ctx->err, never exits, and returns an exit status: CLI_OK, CLI_FAIL (with a
 * message already printed) or CLI_USAGE (usage error, usage printed).
 */
#ifndef CACHET_CLI_CLI_H
#define CACHET_CLI_CLI_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <json.h>

#include "rpc.h"

#define CLI_OK 0
#define CLI_FAIL 1
#define CLI_USAGE 2

#define CLI_PROG "cachet"
/* A create builds and boots a domain: give the daemon time. */
#define CLI_RPC_TIMEOUT_MS 120000
#define CLI_TIMEOUT_MAX_S 86400 /* $CACHET_TIMEOUT at most a day */
#define CLI_MESSAGE_MAX 4096 /* bytes of one error message */
/* `shutdown -w` waits for the guest, as long as it takes (about 24 days at most). */
#define CLI_WAIT_TIMEOUT_MS INT_MAX
/* How often `cachet console` asks the daemon for new output. */
#define CLI_CONSOLE_POLL_MS 50
/* The byte that detaches the console: Ctrl+], as in xl and telnet. */
#define CLI_CONSOLE_ESCAPE 0x1d

struct cli_cmd;

struct cli_ctx {
	FILE *out, *err;
	int in_fd;             /* console input; read only when it is a terminal */
	const char *state_dir; /* --state-dir, or NULL */
	int timeout_ms;        /* per daemon call */
	unsigned int poll_ms;  /* console polling interval */
	const struct cli_cmd *cmd; /* the command running */
	struct rpc rpc;
	bool rpc_ready;
};

typedef int cli_handler_fn(struct cli_ctx *ctx, int argc, char **argv);

struct cli_cmd {
	const char *name;
	cli_handler_fn *handler;
	const char *usage; /* arguments, after "cachet NAME " */
	const char *help;  /* first line: summary; then details and options */
};

extern const struct cli_cmd cli_cmds[];
extern const unsigned int cli_ncmds;

/* Sets the defaults: stdout, stderr, stdin, no state dir, standard timeouts. */
void cli_ctx_init(struct cli_ctx *ctx);
/* Runs the command line @argv (argv[0] is the program); returns the exit status. */
int cli_main(struct cli_ctx *ctx, int argc, char **argv);
const struct cli_cmd *cli_find_cmd(const char *name);
void cli_print_help(FILE *f);
void cli_print_cmd_help(FILE *f, const struct cli_cmd *cmd);

/* Prints "cachet: MESSAGE" on ctx->err; returns CLI_FAIL. */
__attribute__((format(printf, 2, 3))) int cli_fail(struct cli_ctx *ctx, const char *fmt, ...);
/* Prints "cachet CMD: MESSAGE" and the command's usage; returns CLI_USAGE. */
__attribute__((format(printf, 2, 3))) int cli_usage_error(struct cli_ctx *ctx, const char *fmt,
							  ...);

/*
 * getopt_long over a handler's argv with @opts (no long options besides the
 * dispatcher's --help).  Returns the option, -1 at the end, or '?' after
 * printing a usage error for an unknown option or a missing argument.
 */
int cli_getopt(struct cli_ctx *ctx, int argc, char **argv, const char *opts);
/* The index of the first argument after the options. */
int cli_optind(void);
/* The argument of the option cli_getopt just returned. */
const char *cli_optarg(void);
/* Parses a command taking no options and exactly one argument, @what. */
int cli_one_arg(struct cli_ctx *ctx, int argc, char **argv, const char *what, const char **out);
/* Parses a command taking no options and no arguments. */
int cli_no_args(struct cli_ctx *ctx, int argc, char **argv);

/* Calls the daemon (consumes @params); prints the error and returns -1 on failure. */
int cli_call(struct cli_ctx *ctx, const char *method, struct json_object *params,
	     struct json_object **result);
/* The daemon's socket (STATE_DIR/cachetd.sock); prints the error and returns -1 on failure. */
int cli_socket_path(struct cli_ctx *ctx, const char **path);
/* True if @arg names a domain by id (all digits) rather than by name. */
bool cli_arg_is_domid(const char *arg);
/*
 * Builds {"domain": D}: an integer id when @arg is all digits, else a name.
 * Returns CLI_OK, or CLI_USAGE after a message when @arg is neither.
 */
int cli_domain_params(struct cli_ctx *ctx, const char *arg, struct json_object **out);

/* Prints "cachet: malformed reply from cachetd: MESSAGE"; returns -1. */
__attribute__((format(printf, 2, 3))) int cli_malformed(struct cli_ctx *ctx, const char *fmt, ...);
/* Reply field readers: print "malformed reply" and return -1 when absent or mistyped. */
int cli_reply_int(struct cli_ctx *ctx, struct json_object *obj, const char *key, int64_t *out);
int cli_reply_str(struct cli_ctx *ctx, struct json_object *obj, const char *key, const char **out,
		  size_t *len);
int cli_reply_bool(struct cli_ctx *ctx, struct json_object *obj, const char *key, bool *out);
int cli_reply_array(struct cli_ctx *ctx, struct json_object *obj, const char *key,
		    struct json_object **out);
/* Prints @obj on ctx->out as indented JSON, as `xl list -l` does. */
void cli_print_json(struct cli_ctx *ctx, struct json_object *obj);
/*
 * Prints @text (a converter's malloc'd result, taken) on ctx->out; when it
 * is NULL, prints @msg (why the conversion failed) and returns CLI_FAIL.
 */
int cli_print_text(struct cli_ctx *ctx, char *text, const char *msg);
/* Writes @len bytes to ctx->out and flushes; prints the error and returns -1 on failure. */
int cli_write_out(struct cli_ctx *ctx, const char *buf, size_t len);

/* Attaches to the console of @dom until it ends or the user detaches. */
int cli_console_attach(struct cli_ctx *ctx, const char *dom);

/* The handlers of cli_cmds[]. */
cli_handler_fn cmd_create, cmd_destroy, cmd_pause, cmd_unpause, cmd_shutdown, cmd_reboot,
	cmd_list, cmd_domid, cmd_domname, cmd_dumpxml, cmd_domxml_from_native, cmd_domxml_to_native,
	cmd_config_dump, cmd_console, cmd_events, cmd_info, cmd_dmesg, cmd_cache_stats, cmd_vcpu_list, cmd_vcpu_pin,
	cmd_dtb, cmd_help, cmd_dev_stats, cmd_block_list, cmd_block_attach,
	cmd_network_list, cmd_network_attach;

#endif
