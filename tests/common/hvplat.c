/* A hypervisor platform owned by a test or benchmark (see hvplat.h). */
#include "hvplat.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t hvplat_spawn(char *const argv[])
{
	pid_t pid = fork();

	if (pid == 0) {
		setpgid(0, 0);
		if (freopen("/dev/null", "r", stdin) == NULL)
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

static int hvplat_connect(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	for (int i = 0; fd >= 0 && i < 500; i++) {
		if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0)
			return fd;
		usleep(10000);
	}
	return -1;
}

void hvplat_start(struct hvplat *p, const char *qemu, const char *hv, unsigned int ram_mb,
		  unsigned int cpus)
{
	char mem[256], chardev[160], size[16], smp[16];
	char *argv[] = { (char *)qemu, "-M", "virt,virtualization=on,gic-version=3", "-cpu",
			 "cortex-a57", "-smp", smp, "-m", size, "-object", mem, "-machine",
			 "memory-backend=ram", "-display", "none", "-monitor", "none", "-nodefaults",
			 "-chardev", chardev, "-serial", "chardev:ser0", "-no-reboot", "-kernel",
			 (char *)hv, NULL };

	snprintf(p->ram, sizeof(p->ram), "/dev/shm/cachet-test-%d.ram", (int)getpid());
	snprintf(p->sock, sizeof(p->sock), "/tmp/cachet-test-%d.sock", (int)getpid());
	unlink(p->ram);
	snprintf(size, sizeof(size), "%u", ram_mb);
	snprintf(smp, sizeof(smp), "%u", cpus);
	snprintf(mem, sizeof(mem), "memory-backend-file,id=ram,size=%uM,mem-path=%s,share=on",
		 ram_mb, p->ram);
	snprintf(chardev, sizeof(chardev), "socket,id=ser0,path=%s,server=on,wait=on", p->sock);
	p->qemu = hvplat_spawn(argv);
	p->serial = hvplat_connect(p->sock);
	if (p->serial < 0) {
		fprintf(stderr, "hvplat: QEMU's serial socket %s never appeared\n", p->sock);
		hvplat_stop(p);
		exit(1);
	}
}

void hvplat_drain(struct hvplat *p)
{
	char buf[4096];

	while (recv(p->serial, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
}

bool hvplat_wait_for(struct hvplat *p, const char *text, unsigned int timeout_ms)
{
	char line[512];
	size_t len = 0;
	struct pollfd pfd = { .fd = p->serial, .events = POLLIN };

	for (unsigned int waited = 0; waited < timeout_ms; waited += 10) {
		char c;

		if (poll(&pfd, 1, 10) <= 0)
			continue;
		while (recv(p->serial, &c, 1, MSG_DONTWAIT) == 1) {
			if (c != '\n' && len < sizeof(line) - 1) {
				line[len++] = c;
				continue;
			}
			line[len] = '\0';
			len = 0;
			if (strstr(line, text) != NULL)
				return true;
		}
	}
	return false;
}

cachet_handle *hvplat_open(struct hvplat *p)
{
	cachet_handle *h = NULL;

	for (int i = 0; i < 1000; i++) {
		hvplat_drain(p);
		if (cachet_open(p->ram, &h) == 0) {
			cachet_set_doorbell_fd(h, p->serial);
			return h;
		}
		usleep(10000);
	}
	fprintf(stderr, "hvplat: no mailbox after 10 s: %s\n", cachet_last_error(NULL));
	hvplat_stop(p);
	exit(1);
}

void hvplat_stop(struct hvplat *p)
{
	if (p->qemu > 0) {
		kill(-p->qemu, SIGTERM);
		waitpid(p->qemu, NULL, 0);
		p->qemu = 0;
	}
	if (p->serial >= 0)
		close(p->serial);
	unlink(p->ram);
	unlink(p->sock);
}
