/*
 * What a new machine is made of: its private RAM file and QEMU's command
 * line.  QEMU is started through the keeper (keeper.h) by platform.c.
 */
#define _GNU_SOURCE /* vasprintf */
#include "platform.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PLATFORM_ARGV_MAX 40
#define PLATFORM_RAM_TEMPLATE "/dev/shm/cachet-%lu-XXXXXX"
#define PLATFORM_RAM_NAME "ram"

static char *platform_ram_file(const char *dir, int *fd, uint64_t size, char *msg, size_t msglen)
{
	size_t n = strlen(dir) + sizeof("/" PLATFORM_RAM_NAME);
	char *path = malloc(n);

	if (!path) {
		snprintf(msg, msglen, "out of memory");
		return NULL;
	}
	snprintf(path, n, "%s/%s", dir, PLATFORM_RAM_NAME);
	*fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (*fd < 0 || ftruncate(*fd, (off_t)size) < 0) {
		snprintf(msg, msglen, "cannot create the RAM file %s: %s", path, strerror(errno));
		if (*fd >= 0)
			unlink(path);
		free(path);
		return NULL;
	}
	return path;
}

char *platform_ram_create(uint64_t size, char *msg, size_t msglen)
{
	char dir[64];
	char *path;
	int fd = -1;

	snprintf(dir, sizeof(dir), PLATFORM_RAM_TEMPLATE, (unsigned long)geteuid());
	/* mkdtemp creates the directory 0700, exclusively, under a name nobody can guess. */
	if (!mkdtemp(dir)) {
		snprintf(msg, msglen, "cannot create a directory for the RAM file in /dev/shm: %s",
			 strerror(errno));
		return NULL;
	}
	path = platform_ram_file(dir, &fd, size, msg, msglen);
	if (fd >= 0)
		close(fd);
	if (!path)
		rmdir(dir);
	return path;
}

void platform_ram_remove(const char *ram_path)
{
	char *dir = strdup(ram_path);
	char *slash = dir ? strrchr(dir, '/') : NULL;

	unlink(ram_path);
	if (slash && slash != dir) {
		*slash = '\0';
		rmdir(dir);
	}
	free(dir);
}

void platform_argv_free(char **argv)
{
	if (!argv)
		return;
	for (size_t i = 0; argv[i]; i++)
		free(argv[i]);
	free(argv);
}

static bool platform_arg(char **argv, size_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool platform_arg(char **argv, size_t *n, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int rc;

	if (*n + 1 >= PLATFORM_ARGV_MAX)
		return false;
	va_start(ap, fmt);
	rc = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return false;
	argv[(*n)++] = s;
	argv[*n] = NULL;
	return true;
}

char **platform_qemu_argv(const struct platform_cfg *c, const char *ram_path,
			  const char *serial_path)
{
	char **argv = calloc(PLATFORM_ARGV_MAX, sizeof(*argv));
	size_t n = 0;
	bool ok;

	if (!argv)
		return NULL;
	ok = platform_arg(argv, &n, "%s", c->qemu) &&
	     platform_arg(argv, &n, "-M") &&
	     platform_arg(argv, &n, "virt,virtualization=on,gic-version=3") &&
	     platform_arg(argv, &n, "-cpu") && platform_arg(argv, &n, "%s", c->cpu_model) &&
	     platform_arg(argv, &n, "-smp") && platform_arg(argv, &n, "%u", c->cpus) &&
	     platform_arg(argv, &n, "-m") && platform_arg(argv, &n, "%u", c->memory_mb) &&
	     platform_arg(argv, &n, "-object") &&
	     platform_arg(argv, &n, "memory-backend-file,id=ram,size=%uM,mem-path=%s,share=on",
			  c->memory_mb, ram_path) &&
	     platform_arg(argv, &n, "-machine") && platform_arg(argv, &n, "memory-backend=ram") &&
	     platform_arg(argv, &n, "-display") && platform_arg(argv, &n, "none") &&
	     platform_arg(argv, &n, "-monitor") && platform_arg(argv, &n, "none") &&
	     platform_arg(argv, &n, "-nodefaults") &&
	     platform_arg(argv, &n, "-chardev") &&
	     platform_arg(argv, &n, "socket,id=ser0,path=%s,server=on,wait=on", serial_path) &&
	     platform_arg(argv, &n, "-serial") && platform_arg(argv, &n, "chardev:ser0") &&
	     platform_arg(argv, &n, "-no-reboot") &&
	     platform_arg(argv, &n, "-kernel") && platform_arg(argv, &n, "%s", c->hypervisor);
	if (!ok) {
		platform_argv_free(argv);
		return NULL;
	}
	return argv;
}
