/*
 * Domain state files and console logs.  State files are small JSON objects
 * written with json-c; they are read back through the same validation as a
 * client's request, so a damaged file is reported and skipped, never trusted.
 */
#include "state.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cpulist.h"
#include "rpc.h"

/* Readable by people inspecting the state directory. */
#define STATE_JSON_FLAGS (JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE)

/* Limits for reloading: the configuration was checked against the machine at create. */
/* A stored domain was accepted when it was created, whatever its policy. */
static const struct config_limits state_load_limits = { UINT32_MAX, 4096, CPULIST_MAX_CPUS, true };

char *state_path(const char *dir, const char *sub, const char *name, const char *suffix)
{
	size_t n = strlen(dir) + strlen(sub) + strlen(name) + strlen(suffix) + 3;
	char *p = malloc(n);

	if (!p)
		return NULL;
	if (*sub)
		snprintf(p, n, "%s/%s/%s%s", dir, sub, name, suffix);
	else
		snprintf(p, n, "%s/%s%s", dir, name, suffix);
	return p;
}

/*
 * A directory of the daemon's: created 0700, or, if it exists, accepted only
 * when it is a real directory (@top: the state directory itself may be
 * reached through a link, as /var/lib often is) owned by the daemon's user
 * and writable by nobody else, so no other user can plant links or files in
 * it.  A 0755 directory, as `mkdir -p` makes, is fine.
 */
static int state_mkdir(const char *path, bool top, char *msg, size_t msglen)
{
	struct stat st;
	int rc;

	if (mkdir(path, 0700) < 0 && errno != EEXIST) {
		snprintf(msg, msglen, "cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	rc = top ? stat(path, &st) : lstat(path, &st);
	if (rc < 0 || !S_ISDIR(st.st_mode)) {
		snprintf(msg, msglen, "%s is not a directory", path);
		return -1;
	}
	if (st.st_uid != geteuid()) {
		snprintf(msg, msglen, "%s belongs to uid %lu, not to cachetd's user (uid %lu)", path,
			 (unsigned long)st.st_uid, (unsigned long)geteuid());
		return -1;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(msg, msglen, "%s is writable by %s (mode %04o); make it 0700 or 0755", path,
			 (st.st_mode & S_IWOTH) ? "every user" : "its group",
			 (unsigned int)(st.st_mode & 07777));
		return -1;
	}
	return 0;
}

int state_init_dirs(const char *state_dir, char *msg, size_t msglen)
{
	static const char *const subs[] = { "domains", "console" };

	if (state_mkdir(state_dir, true, msg, msglen) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		char *p = state_path(state_dir, "", subs[i], "");
		int rc;

		if (!p) {
			snprintf(msg, msglen, "out of memory");
			return -1;
		}
		rc = state_mkdir(p, false, msg, msglen);
		free(p);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int state_open(const char *path, int flags, char *msg, size_t msglen)
{
	int fd = open(path, flags | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0600);
	struct stat st;

	if (fd < 0) {
		snprintf(msg, msglen, "cannot open %s: %s", path,
			 errno == ELOOP ? "it is a symbolic link" : strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(msg, msglen, "cannot open %s: not a regular file", path);
		close(fd);
		return -1;
	}
	return fd;
}

/* A record of a build in progress names no domain yet (domid DOMTAB_NO_DOMID): only its tag. */
static struct json_object *state_to_json(const struct dom_config *cfg, cachet_domid_t domid,
					 uint32_t tag, uint64_t con_pos, uint64_t con_base,
					 bool building)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	json_object_object_add(o, "version", json_object_new_int(STATE_VERSION));
	if (domid != DOMTAB_NO_DOMID)
		json_object_object_add(o, "domid", json_object_new_int64(domid));
	if (tag)
		json_object_object_add(o, "tag", json_object_new_int64(tag));
	json_object_object_add(o, "console_pos", json_object_new_int64((int64_t)con_pos));
	if (con_base)
		json_object_object_add(o, "console_base", json_object_new_int64((int64_t)con_base));
	if (building)
		json_object_object_add(o, "building", json_object_new_boolean(true));
	json_object_object_add(o, "config", config_to_json(cfg));
	return o;
}

static int state_write_file(const char *path, const char *text, char *msg, size_t msglen)
{
	size_t len = strlen(text);
	int fd = state_open(path, O_WRONLY | O_CREAT | O_TRUNC, msg, msglen);
	ssize_t w;

	if (fd < 0)
		return -1;
	w = write(fd, text, len);
	if (w != (ssize_t)len) {
		snprintf(msg, msglen, "cannot write %s: %s", path,
			 w < 0 ? strerror(errno) : "short write");
		close(fd);
		return -1;
	}
	return close(fd);
}

/*
 * No fsync: these files describe running guests, which do not outlive the
 * host either; what matters is that a killed daemon leaves each file whole.
 */
int state_write_atomic(const char *path, const char *text, char *msg, size_t msglen)
{
	size_t n = strlen(path) + sizeof(".tmp");
	char *tmp = malloc(n);
	int rc = -1;

	if (!tmp) {
		snprintf(msg, msglen, "out of memory");
		return -1;
	}
	snprintf(tmp, n, "%s.tmp", path);
	if (state_write_file(tmp, text, msg, msglen) == 0) {
		/* rename() makes the new state appear whole or not at all. */
		rc = rename(tmp, path);
		if (rc < 0)
			snprintf(msg, msglen, "cannot rename %s: %s", tmp, strerror(errno));
	}
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

static int state_save_json(const char *state_dir, const char *name, struct json_object *o,
			   char *msg, size_t msglen)
{
	char *path = state_path(state_dir, "domains", name, ".json");
	const char *text = o ? json_object_to_json_string_ext(o, STATE_JSON_FLAGS) : NULL;
	int rc = -1;

	if (!path || !text)
		snprintf(msg, msglen, "out of memory");
	else
		rc = state_write_atomic(path, text, msg, msglen);
	json_object_put(o);
	free(path);
	return rc;
}

int state_save(const char *state_dir, const struct dom_entry *e, char *msg, size_t msglen)
{
	return state_save_json(state_dir, e->cfg.name,
			       state_to_json(&e->cfg, e->domid, e->tag, e->hv_con_pos, e->con_log_base,
					     false),
			       msg, msglen);
}

int state_save_building(const char *state_dir, const struct dom_config *cfg, uint32_t tag,
			char *msg, size_t msglen)
{
	return state_save_json(state_dir, cfg->name,
			       state_to_json(cfg, DOMTAB_NO_DOMID, tag, 0, 0, true), msg, msglen);
}

int state_remove(const char *state_dir, const char *name)
{
	char *path = state_path(state_dir, "domains", name, ".json");
	int rc;

	if (!path)
		return -1;
	rc = unlink(path) < 0 && errno != ENOENT ? -1 : 0;
	free(path);
	return rc;
}

/* Reads a whole small file, NUL-terminated, into a malloc'd buffer. */
static char *state_read_file(const char *path, size_t max, char *msg, size_t msglen)
{
	int fd = state_open(path, O_RDONLY, msg, msglen);
	char *buf = NULL;
	struct stat st;
	ssize_t r;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || st.st_size < 0 || (size_t)st.st_size > max) {
		snprintf(msg, msglen, "%s: not a regular file of at most %zu bytes", path, max);
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		snprintf(msg, msglen, "out of memory");
		goto out;
	}
	r = read(fd, buf, (size_t)st.st_size);
	if (r != st.st_size) {
		snprintf(msg, msglen, "cannot read %s: %s", path, r < 0 ? strerror(errno) : "short read");
		free(buf);
		buf = NULL;
		goto out;
	}
	buf[r] = '\0';
out:
	if (fd >= 0)
		close(fd);
	return buf;
}

static int state_get_u64(struct json_object *o, const char *key, uint64_t max, uint64_t *out)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int) ||
	    json_object_get_int64(v) < 0 || (uint64_t)json_object_get_int64(v) > max)
		return -1;
	*out = (uint64_t)json_object_get_int64(v);
	return 0;
}

/* An optional key: absent leaves *out as it is, unless @required. */
static int state_get_opt_u64(struct json_object *o, const char *key, uint64_t max, bool required,
			     uint64_t *out)
{
	if (!required && !json_object_object_get_ex(o, key, NULL))
		return 0;
	return state_get_u64(o, key, max, out);
}

/* A record of a build in progress (state_save_building), whose "domid" may be missing. */
static bool state_is_building(struct json_object *building)
{
	return building && json_object_get_boolean(building);
}

static int state_check_keys(struct json_object *o)
{
	json_object_object_foreach(o, key, val) {
		(void)val;
		if (strcmp(key, "version") && strcmp(key, "domid") && strcmp(key, "console_pos") &&
		    strcmp(key, "config") && strcmp(key, "building") && strcmp(key, "console_base") &&
		    strcmp(key, "tag"))
			return -1;
	}
	return 0;
}

static int state_from_json(struct json_object *o, struct dom_entry **out, char *msg, size_t msglen)
{
	struct json_object *cfgobj = NULL, *building = NULL;
	struct rpc_error err;
	struct dom_config cfg;
	uint64_t version, domid = DOMTAB_NO_DOMID, pos, base = 0, tag = 0;

	if (!json_object_is_type(o, json_type_object) || state_check_keys(o) < 0 ||
	    state_get_u64(o, "version", UINT32_MAX, &version) < 0 || version != STATE_VERSION ||
	    (json_object_object_get_ex(o, "building", &building) &&
	     !json_object_is_type(building, json_type_boolean)) ||
	    state_get_opt_u64(o, "domid", UINT32_MAX, !state_is_building(building), &domid) < 0 ||
	    state_get_opt_u64(o, "tag", UINT32_MAX, false, &tag) < 0 ||
	    state_get_u64(o, "console_pos", INT64_MAX, &pos) < 0 ||
	    !json_object_object_get_ex(o, "config", &cfgobj) ||
	    state_get_opt_u64(o, "console_base", INT64_MAX, false, &base) < 0) {
		snprintf(msg, msglen, "not a version %d domain state object", STATE_VERSION);
		return -1;
	}
	if (config_parse(cfgobj, &state_load_limits, &cfg, &err) < 0) {
		snprintf(msg, msglen, "%s", err.message);
		return -1;
	}
	*out = domtab_entry_new(&cfg, (cachet_domid_t)domid);
	if (!*out) {
		config_free(&cfg);
		snprintf(msg, msglen, "out of memory");
		return -1;
	}
	(*out)->tag = (uint32_t)tag;
	(*out)->hv_con_pos = pos;
	(*out)->con_log_base = base;
	(*out)->building = state_is_building(building);
	return 0;
}

int state_load(const char *path, struct dom_entry **out, char *msg, size_t msglen)
{
	char *text = state_read_file(path, STATE_FILE_MAX, msg, msglen);
	struct json_object *o;
	int rc;

	*out = NULL;
	if (!text)
		return -1;
	o = json_tokener_parse(text);
	free(text);
	if (!o) {
		snprintf(msg, msglen, "%s: not valid JSON", path);
		return -1;
	}
	rc = state_from_json(o, out, msg, msglen);
	json_object_put(o);
	return rc;
}

/* "NAME.json" with a valid NAME: copies NAME into name. */
static int state_file_name(const char *file, char *name, size_t size)
{
	size_t len = strlen(file);

	if (len <= 5 || strcmp(file + len - 5, ".json") != 0 || len - 5 >= size ||
	    !rpc_name_valid(file, len - 5))
		return -1;
	memcpy(name, file, len - 5);
	name[len - 5] = '\0';
	return 0;
}

int state_scan(const char *state_dir, int (*fn)(void *ctx, const char *path, const char *name),
	       void *ctx)
{
	char *dir = state_path(state_dir, "", "domains", "");
	char name[CONFIG_NAME_MAX + 1];
	struct dirent *de;
	DIR *d = dir ? opendir(dir) : NULL;
	int rc = 0;

	while (d && rc == 0 && (de = readdir(d)) != NULL) {
		char *path;

		if (state_file_name(de->d_name, name, sizeof(name)) < 0)
			continue;
		path = state_path(dir, "", de->d_name, "");
		rc = path ? fn(ctx, path, name) : -1;
		free(path);
	}
	if (d)
		closedir(d);
	else
		rc = -1;
	free(dir);
	return rc;
}

/* Seeds the console copy with the log's tail; positions continue at its size. */
static void state_console_tail(int fd, struct dom_entry *e)
{
	off_t size = lseek(fd, 0, SEEK_END);
	size_t want;
	char *buf;

	e->con_log_len = size > 0 ? (uint64_t)size : 0;
	if (size <= 0) {
		conbuf_reset(&e->con, e->con_log_base);
		return;
	}
	want = (uint64_t)size > e->con.cap ? e->con.cap : (size_t)size;
	buf = malloc(want);
	conbuf_reset(&e->con, e->con_log_base + (uint64_t)size - want);
	if (buf && pread(fd, buf, want, size - (off_t)want) == (ssize_t)want)
		conbuf_append(&e->con, buf, want);
	else
		conbuf_reset(&e->con, e->con_log_base + (uint64_t)size);
	free(buf);
}

int state_console_open(const char *state_dir, struct dom_entry *e, int truncate)
{
	char *path = state_path(state_dir, "console", e->cfg.name, ".log");
	int flags = O_RDWR | O_CREAT | O_APPEND | (truncate ? O_TRUNC : 0);
	char msg[256];

	if (!path)
		return -1;
	e->con_fd = state_open(path, flags, msg, sizeof(msg));
	if (truncate) {
		/* A new domain of this name: its console starts afresh, older logs included. */
		char *old = state_path(state_dir, "console", e->cfg.name, ".log.1");

		if (old)
			unlink(old);
		free(old);
		e->con_log_base = e->con_log_len = 0;
	}
	free(path);
	if (e->con_fd < 0)
		return -1;
	if (!truncate)
		state_console_tail(e->con_fd, e);
	return 0;
}

/* NAME.log becomes NAME.log.1 and a new NAME.log is started. */
static int state_console_rotate(const char *state_dir, struct dom_entry *e)
{
	char *path = state_path(state_dir, "console", e->cfg.name, ".log");
	char *old = state_path(state_dir, "console", e->cfg.name, ".log.1");
	char msg[256];
	int rc = -1;

	close(e->con_fd);
	e->con_fd = -1;
	if (path && old && rename(path, old) == 0) {
		e->con_log_base += e->con_log_len;
		e->con_log_len = 0;
		e->con_fd = state_open(path, O_RDWR | O_CREAT | O_APPEND | O_TRUNC, msg, sizeof(msg));
		/* Positions after a daemon restart continue from the new base. */
		rc = e->con_fd >= 0 ? state_save(state_dir, e, msg, sizeof(msg)) : -1;
	}
	free(path);
	free(old);
	return rc;
}

int state_console_write(const char *state_dir, struct dom_entry *e, const char *buf, size_t n)
{
	if (e->con_fd < 0 || write(e->con_fd, buf, n) != (ssize_t)n)
		return -1;
	e->con_log_len += n;
	if (e->con_log_len < STATE_CONSOLE_LOG_MAX)
		return 0;
	return state_console_rotate(state_dir, e);
}
