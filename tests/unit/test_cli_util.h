/*
 * Helpers of the cachet CLI unit tests: run the CLI in-process with its
 * output captured, and make temporary directories and files.
 */
#ifndef CACHET_TEST_CLI_UTIL_H
#define CACHET_TEST_CLI_UTIL_H

#include <json.h>
#include <stddef.h>

/* What one run of the CLI printed and returned. */
struct cli_result {
	int status;
	char *out, *err;
	size_t out_len, err_len;
};

struct cli_run_opts {
	const char *state_dir; /* as --state-dir; NULL for none */
	int in_fd;             /* console input; -1 for /dev/null */
	int timeout_ms;        /* per daemon call; 0 for 2000 */
};

/* Runs `cachet ARGS...` (@args NULL-terminated, without the program name). */
void cli_run_argv(struct cli_result *r, const struct cli_run_opts *o, const char *const *args);
#define CLI_RUN(r, o, ...) cli_run_argv((r), (o), (const char *const[]){ __VA_ARGS__, NULL })
void cli_result_free(struct cli_result *r);

/* A new empty directory under /tmp (the caller frees the string). */
char *tmp_dir_new(void);
/* Writes @text to DIR/NAME; returns the path (the caller frees it). */
char *tmp_file_write(const char *dir, const char *name, const char *text);
/* Removes @dir and everything under it, then frees the string. */
void tmp_dir_remove(char *dir);
/* The member of @o at the dotted @path ("config.b_info.kernel"), or NULL. */
struct json_object *json_at(struct json_object *o, const char *path);

#endif
