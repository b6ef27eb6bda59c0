/*
 * cachetd's command line (a table of options; --help is generated from it)
 * and the lookups that turn options, environment and build-time defaults
 * into the paths the daemon uses.
 */
#ifndef CACHETD_OPTS_H
#define CACHETD_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#define OPTS_CPUS_DEFAULT 4
#define OPTS_CPU_MODEL_DEFAULT "cortex-a57"
#define OPTS_MEMORY_DEFAULT_MB 2048
#define OPTS_CPUS_MAX 64
#define OPTS_MEMORY_MIN_MB 256
#define OPTS_MEMORY_MAX_MB (1024 * 1024)

struct opts {
	bool foreground;
	bool help;
	bool version;
	const char *state_dir;    /* the strings point into argv */
	const char *attach;
	const char *qemu;
	const char *hypervisor;
	const char *log_file;
	const char *cpu_model;    /* QEMU's -cpu */
	const char *socket_group; /* full access for its members, or NULL */
	bool ro_socket;           /* also serve the read-only socket */
	unsigned int cpus;
	unsigned int memory_mb;
	bool allow_unsafe_policies;
};

/* Parses argv; -1 with msg set on a bad command line. */
int opts_parse(int argc, char **argv, struct opts *o, char *msg, size_t msglen);
void opts_usage(FILE *f, const char *prog);

/*
 * The state directory: --state-dir, else $CACHET_STATE_DIR (env, may be
 * NULL), else /var/lib/cachet for root; NULL with msg set otherwise.
 */
const char *opts_state_dir(const struct opts *o, const char *env, uid_t uid, char *msg,
			   size_t msglen);
/* QEMU: --qemu, else $CACHET_QEMU, else the configure-time path. */
const char *opts_qemu(const struct opts *o, const char *env);
/*
 * The hypervisor image: --hypervisor, else $CACHET_HYPERVISOR, else the
 * installed image, else the build tree's, whichever exists first; NULL with
 * msg naming what was tried when none does.
 */
const char *opts_hypervisor(const struct opts *o, const char *env, char *msg, size_t msglen);

#endif
