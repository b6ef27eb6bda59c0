/*
 * Helpers of the cachet CLI unit tests.
 */
#define _GNU_SOURCE
#include "test_cli_util.h"

#include <check.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

void cli_run_argv(struct cli_result *r, const struct cli_run_opts *o, const char *const *args)
{
	static const struct cli_run_opts none = { NULL, -1, 0 };
	char *argv[64];
	struct cli_ctx ctx;
	int argc = 0, null_fd = -1;

	if (!o)
		o = &none;
	memset(r, 0, sizeof(*r));
	argv[argc++] = strdup("cachet");
	for (size_t i = 0; args[i]; i++) {
		ck_assert_int_lt(argc, 63);
		argv[argc++] = strdup(args[i]);
	}
	argv[argc] = NULL;
	cli_ctx_init(&ctx);
	ctx.out = open_memstream(&r->out, &r->out_len);
	ctx.err = open_memstream(&r->err, &r->err_len);
	ck_assert(ctx.out && ctx.err);
	ctx.state_dir = o->state_dir;
	ctx.timeout_ms = o->timeout_ms ? o->timeout_ms : 2000;
	if (o->in_fd < 0)
		null_fd = open("/dev/null", O_RDONLY);
	ctx.in_fd = o->in_fd < 0 ? null_fd : o->in_fd;
	r->status = cli_main(&ctx, argc, argv);
	fclose(ctx.out);
	fclose(ctx.err);
	if (null_fd >= 0)
		close(null_fd);
	for (int i = 0; i < argc; i++)
		free(argv[i]);
}

void cli_result_free(struct cli_result *r)
{
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof(*r));
}

char *tmp_dir_new(void)
{
	char *dir = strdup("/tmp/cachet-cli-test-XXXXXX");

	ck_assert_ptr_nonnull(dir);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	return dir;
}

char *tmp_file_write(const char *dir, const char *name, const char *text)
{
	char *path;
	FILE *f;

	ck_assert_int_ge(asprintf(&path, "%s/%s", dir, name), 0);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static int tmp_remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void tmp_dir_remove(char *dir)
{
	nftw(dir, tmp_remove_one, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

struct json_object *json_at(struct json_object *o, const char *path)
{
	char key[128];

	while (o && *path) {
		size_t n = strcspn(path, ".");

		snprintf(key, sizeof(key), "%.*s", (int)n, path);
		if (!json_object_object_get_ex(o, key, &o))
			return NULL;
		path += n + (path[n] == '.');
	}
	return o;
}
