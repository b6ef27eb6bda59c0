/*
 * Unit tests of the cachet CLI's command table and dispatcher: help generated
 * from the table, usage errors (exit 2), and what happens with no daemon.
 */
#define _GNU_SOURCE
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "test_cli_util.h"

/* Every command has a unique name, a handler, a usage line and a help text. */
START_TEST(test_table_entries_complete)
{
	ck_assert_uint_ge(cli_ncmds, 9);
	for (unsigned int i = 0; i < cli_ncmds; i++) {
		const struct cli_cmd *c = &cli_cmds[i];

		ck_assert_msg(c->name && *c->name, "command %u has no name", i);
		ck_assert_msg(c->handler != NULL, "%s has no handler", c->name);
		ck_assert_msg(c->usage != NULL, "%s has no usage", c->name);
		ck_assert_msg(c->help && *c->help && *c->help != '\n', "%s has no help", c->name);
		ck_assert_msg(strcspn(c->help, "\n") < 75, "%s: summary line too long", c->name);
		ck_assert_ptr_eq(cli_find_cmd(c->name), c);
	}
}
END_TEST

START_TEST(test_table_has_the_design_commands)
{
	static const char *const names[] = { "create",	  "list",	"console",  "pause",
					     "unpause",	  "shutdown",	"reboot",   "destroy",
					     "info",	  "dmesg",	"vcpu-list", "vcpu-pin",
					     "cache-stats", "help" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		ck_assert_msg(cli_find_cmd(names[i]) != NULL, "no command %s", names[i]);
	ck_assert_ptr_null(cli_find_cmd("nosuch"));
}
END_TEST

/* `cachet --help` lists every command with its summary line. */
START_TEST(test_global_help_lists_every_command)
{
	struct cli_result r;

	CLI_RUN(&r, NULL, "--help");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.err, "");
	ck_assert_ptr_nonnull(strstr(r.out, "Usage: cachet [--state-dir DIR] COMMAND"));
	for (unsigned int i = 0; i < cli_ncmds; i++) {
		char line[128];

		snprintf(line, sizeof(line), "  %-13s%.*s\n", cli_cmds[i].name,
			 (int)strcspn(cli_cmds[i].help, "\n"), cli_cmds[i].help);
		ck_assert_msg(strstr(r.out, line) != NULL, "--help lacks '%s'", line);
	}
	cli_result_free(&r);
	CLI_RUN(&r, NULL, "help");
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "  cache-stats  "));
	cli_result_free(&r);
}
END_TEST

/* `cachet help CMD` and `cachet CMD --help` print the same text, from the table. */
START_TEST(test_command_help_from_table)
{
	for (unsigned int i = 0; i < cli_ncmds; i++) {
		const struct cli_cmd *c = &cli_cmds[i];
		struct cli_result a, b, h;
		char *want;

		ck_assert_int_ge(asprintf(&want, "Usage: cachet %s%s%s\n\n%s\n", c->name,
					  *c->usage ? " " : "", c->usage, c->help),
				 0);
		CLI_RUN(&a, NULL, "help", c->name);
		CLI_RUN(&b, NULL, c->name, "--help");
		CLI_RUN(&h, NULL, c->name, "x", "-h");
		ck_assert_int_eq(a.status, 0);
		ck_assert_int_eq(b.status, 0);
		ck_assert_int_eq(h.status, 0);
		ck_assert_str_eq(a.out, want);
		ck_assert_str_eq(b.out, want);
		ck_assert_str_eq(h.out, want);
		free(want);
		cli_result_free(&a);
		cli_result_free(&b);
		cli_result_free(&h);
	}
}
END_TEST

/* Bytes a user gave are quoted escaped: a control character never reaches the terminal. */
START_TEST(test_messages_escape_control_bytes)
{
	struct cli_result r;

	CLI_RUN(&r, NULL, "fro\x1b[31mb\xff\xc3\xa9");
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_null(strchr(r.err, '\x1b'));
	ck_assert_ptr_null(strchr(r.err, '\xff'));
	ck_assert_ptr_nonnull(strstr(r.err, "unknown command 'fro\\x1b[31mb\\xff\xc3\xa9'"));
	cli_result_free(&r);
}
END_TEST

START_TEST(test_unknown_command_exits_2)
{
	struct cli_result r;

	CLI_RUN(&r, NULL, "frobnicate", "x");
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.out, "");
	ck_assert_ptr_nonnull(strstr(r.err, "cachet: unknown command 'frobnicate'"));
	ck_assert_ptr_nonnull(strstr(r.err, "cachet --help"));
	cli_result_free(&r);
	CLI_RUN(&r, NULL, "help", "frobnicate");
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "unknown command 'frobnicate'"));
	cli_result_free(&r);
}
END_TEST

START_TEST(test_no_command_exits_2)
{
	struct cli_result r;

	cli_run_argv(&r, NULL, (const char *const[]){ NULL });
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "Usage: cachet"));
	cli_result_free(&r);
}
END_TEST

START_TEST(test_bad_global_options_exit_2)
{
	struct cli_result r;

	CLI_RUN(&r, NULL, "--state-dir");
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "'--state-dir' needs a directory"));
	cli_result_free(&r);
	CLI_RUN(&r, NULL, "--bogus", "list");
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "cachet: unknown option '--bogus'"));
	cli_result_free(&r);
}
END_TEST

START_TEST(test_version)
{
	struct cli_result r;

	CLI_RUN(&r, NULL, "--version");
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "cachet "));
	cli_result_free(&r);
}
END_TEST

/* Runs @args and expects a usage error (2) whose message contains @msg and the usage. */
static void expect_usage_error(const char *const *args, const char *msg)
{
	const struct cli_cmd *c = cli_find_cmd(args[0]);
	struct cli_result r;
	char *usage;

	ck_assert_ptr_nonnull(c);
	ck_assert_int_ge(asprintf(&usage, "Usage: cachet %s %s\n", c->name, c->usage), 0);
	cli_run_argv(&r, NULL, args);
	ck_assert_msg(r.status == 2, "%s: status %d, stderr: %s", args[0], r.status, r.err);
	ck_assert_str_eq(r.out, "");
	ck_assert_msg(strstr(r.err, msg) != NULL, "stderr '%s' lacks '%s'", r.err, msg);
	ck_assert_msg(strstr(r.err, usage) != NULL, "stderr '%s' lacks the usage", r.err);
	free(usage);
	cli_result_free(&r);
}

#define EXPECT_USAGE(msg, ...) expect_usage_error((const char *const[]){ __VA_ARGS__, NULL }, msg)

START_TEST(test_usage_errors_exit_2)
{
	EXPECT_USAGE("cachet create: missing config file", "create");
	EXPECT_USAGE("cachet create: unknown option '-x'", "create", "-x", "g.cfg");
	EXPECT_USAGE("cachet list: unknown option '-q'", "list", "-q");
	EXPECT_USAGE("cachet list: unknown option '--long'", "list", "--long");
	EXPECT_USAGE("cachet destroy: missing DOMAIN", "destroy");
	EXPECT_USAGE("cachet destroy: too many arguments", "destroy", "a", "b");
	EXPECT_USAGE("cachet pause: missing DOMAIN", "pause");
	EXPECT_USAGE("cachet unpause: 'a b' is not a domain name or id", "unpause", "a b");
	EXPECT_USAGE("cachet console: missing DOMAIN", "console");
	EXPECT_USAGE("cachet console: 'x/y' is not a domain name or id", "console", "x/y");
	EXPECT_USAGE("cachet cache-stats: missing DOMAIN", "cache-stats");
	EXPECT_USAGE("cachet info: too many arguments", "info", "now");
	EXPECT_USAGE("cachet dmesg: too many arguments", "dmesg", "-");
	EXPECT_USAGE("cachet help: too many arguments", "help", "a", "b");
}
END_TEST

/* With no daemon on the socket, a command fails (1) saying where it looked. */
START_TEST(test_daemon_not_running)
{
	struct cli_run_opts o = { .in_fd = -1 };
	struct cli_result r;
	char *dir = tmp_dir_new(), *want;

	o.state_dir = dir;
	ck_assert_int_ge(asprintf(&want, "cachet: cannot reach cachetd at %s/cachetd.sock: No such "
					 "file or directory (is cachetd running?)\n",
				  dir),
			 0);
	CLI_RUN(&r, &o, "list");
	ck_assert_int_eq(r.status, 1);
	ck_assert_str_eq(r.err, want);
	cli_result_free(&r);
	free(want);
	tmp_dir_remove(dir);
}
END_TEST

/* --state-dir wins over $CACHET_STATE_DIR, which wins over the root default. */
START_TEST(test_state_dir_choice)
{
	struct rpc r;
	const char *dir;

	ck_assert_int_eq(rpc_state_dir(&r, "/opt", "/env", true, &dir), 0);
	ck_assert_str_eq(dir, "/opt");
	ck_assert_int_eq(rpc_state_dir(&r, NULL, "/env", true, &dir), 0);
	ck_assert_str_eq(dir, "/env");
	ck_assert_int_eq(rpc_state_dir(&r, NULL, "", true, &dir), 0);
	ck_assert_str_eq(dir, "/var/lib/cachet");
	ck_assert_int_eq(rpc_state_dir(&r, NULL, NULL, false, &dir), -1);
	ck_assert_str_eq(rpc_error(&r), "no state directory: pass --state-dir DIR or set "
					"CACHET_STATE_DIR (/var/lib/cachet is the default only "
					"for root)");
}
END_TEST

START_TEST(test_state_dir_from_environment)
{
	struct cli_result r;
	char *dir = tmp_dir_new();

	setenv("CACHET_STATE_DIR", dir, 1);
	CLI_RUN(&r, NULL, "info");
	ck_assert_int_eq(r.status, 1);
	ck_assert_ptr_nonnull(strstr(r.err, dir));
	cli_result_free(&r);
	tmp_dir_remove(dir);
}
END_TEST

START_TEST(test_socket_path_too_long)
{
	struct cli_run_opts o = { .in_fd = -1 };
	struct cli_result r;
	char dir[200];

	memset(dir, 'd', sizeof(dir) - 1);
	dir[0] = '/';
	dir[sizeof(dir) - 1] = '\0';
	o.state_dir = dir;
	CLI_RUN(&r, &o, "list");
	ck_assert_int_eq(r.status, 1);
	ck_assert_ptr_nonnull(strstr(r.err, "is too long for a UNIX socket"));
	cli_result_free(&r);
}
END_TEST

static Suite *cmd_suite(void)
{
	Suite *s = suite_create("cli_cmd");
	TCase *table = tcase_create("table"), *disp = tcase_create("dispatch");

	tcase_add_test(table, test_table_entries_complete);
	tcase_add_test(table, test_table_has_the_design_commands);
	tcase_add_test(table, test_global_help_lists_every_command);
	tcase_add_test(table, test_command_help_from_table);
	tcase_add_test(disp, test_unknown_command_exits_2);
	tcase_add_test(disp, test_messages_escape_control_bytes);
	tcase_add_test(disp, test_no_command_exits_2);
	tcase_add_test(disp, test_bad_global_options_exit_2);
	tcase_add_test(disp, test_version);
	tcase_add_test(disp, test_usage_errors_exit_2);
	tcase_add_test(disp, test_daemon_not_running);
	tcase_add_test(disp, test_state_dir_choice);
	tcase_add_test(disp, test_state_dir_from_environment);
	tcase_add_test(disp, test_socket_path_too_long);
	suite_add_tcase(s, table);
	suite_add_tcase(s, disp);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cmd_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
