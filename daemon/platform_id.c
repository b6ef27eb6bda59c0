/*
 * platform.json: written with json-c through the state directory's atomic
 * write, read back field by field; a damaged file is reported, never trusted.
 */
#include "platform_id.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "state.h"

#define PLATFORM_ID_FILE_MAX 4096

uint64_t platform_proc_start(pid_t pid)
{
	char path[64], buf[1024];
	unsigned long long start = 0;
	const char *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* proc(5): the command name may hold anything, so count fields after its ')'. */
	p = strrchr(buf, ')');
	/* Field 3 (state) follows; starttime is field 22: skip the 18 fields between. */
	if (!p || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d "
			 "%*d %*d %*d %*d %llu", &start) != 1)
		return 0;
	/* A zombie has exited already: its machine is gone. */
	if (p[2] == 'Z')
		return 0;
	return start;
}

bool platform_proc_alive(const struct platform_proc *p)
{
	return p->pid > 0 && p->start != 0 && platform_proc_start(p->pid) == p->start;
}

int platform_proc_get(pid_t pid, struct platform_proc *out)
{
	out->pid = pid;
	out->start = platform_proc_start(pid);
	return out->start ? 0 : -1;
}

static void platform_id_add_proc(struct json_object *o, const char *key,
				 const struct platform_proc *p)
{
	struct json_object *v = json_object_new_object();

	json_object_object_add(v, "pid", json_object_new_int64(p->pid));
	json_object_object_add(v, "start", json_object_new_int64((int64_t)p->start));
	json_object_object_add(o, key, v);
}

int platform_id_save(const char *path, const struct platform_id *id, char *msg, size_t msglen)
{
	struct json_object *o = json_object_new_object();
	const char *text;
	int rc = -1;

	if (o) {
		platform_id_add_proc(o, "keeper", &id->keeper);
		platform_id_add_proc(o, "qemu", &id->qemu);
		json_object_object_add(o, "ram_path", json_object_new_string(id->ram_path));
		json_object_object_add(o, "committed", json_object_new_boolean(id->committed));
	}
	text = o ? json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
						     JSON_C_TO_STRING_NOSLASHESCAPE) : NULL;
	if (text)
		rc = state_write_atomic(path, text, msg, msglen);
	else
		snprintf(msg, msglen, "out of memory");
	json_object_put(o);
	return rc;
}

static bool platform_id_int(struct json_object *o, const char *key, int64_t max, int64_t *out)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
		return false;
	*out = json_object_get_int64(v);
	return *out > 0 && *out <= max;
}

static bool platform_id_proc(struct json_object *o, const char *key, struct platform_proc *p)
{
	struct json_object *v;
	int64_t pid, start;

	if (!json_object_object_get_ex(o, key, &v) || !platform_id_int(v, "pid", INT32_MAX, &pid) ||
	    !platform_id_int(v, "start", INT64_MAX, &start))
		return false;
	p->pid = (pid_t)pid;
	p->start = (uint64_t)start;
	return true;
}

static bool platform_id_parse(struct json_object *o, struct platform_id *id)
{
	struct json_object *ram, *committed;
	const char *s;

	if (!platform_id_proc(o, "keeper", &id->keeper) || !platform_id_proc(o, "qemu", &id->qemu) ||
	    !json_object_object_get_ex(o, "ram_path", &ram) ||
	    !json_object_is_type(ram, json_type_string) ||
	    !json_object_object_get_ex(o, "committed", &committed) ||
	    !json_object_is_type(committed, json_type_boolean))
		return false;
	s = json_object_get_string(ram);
	if (s[0] != '/' || strlen(s) >= sizeof(id->ram_path))
		return false;
	memcpy(id->ram_path, s, strlen(s) + 1);
	id->committed = json_object_get_boolean(committed);
	return true;
}

int platform_id_load(const char *path, struct platform_id *id, char *msg, size_t msglen)
{
	char buf[PLATFORM_ID_FILE_MAX];
	struct json_object *o;
	ssize_t n;
	int fd;
	bool ok;

	memset(id, 0, sizeof(*id));
	if (access(path, F_OK) < 0 && errno == ENOENT)
		return 0;
	fd = state_open(path, O_RDONLY, msg, msglen);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	o = json_tokener_parse(buf);
	ok = o && platform_id_parse(o, id);
	json_object_put(o);
	if (!ok) {
		snprintf(msg, msglen, "%s: not a platform identity file", path);
		return -1;
	}
	return 1;
}
