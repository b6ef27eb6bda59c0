/*
 * Command line of cachetd.  One table describes every option: getopt_long's
 * array, the short-option string and --help are all derived from it, so an
 * option cannot be documented differently from how it is parsed.
 */
#include "opts.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef CACHET_QEMU_PATH
#define CACHET_QEMU_PATH "qemu-system-aarch64"
#endif
#ifndef CACHET_PKGDATADIR
#define CACHET_PKGDATADIR "/usr/local/share/cachet"
#endif
#ifndef CACHET_HV_BUILD_PATH
#define CACHET_HV_BUILD_PATH ""
#endif

#define OPTS_ROOT_STATE_DIR "/var/lib/cachet"

struct opts_def {
	const char *name;
	char short_opt;           /* 0: long only */
	const char *arg;          /* NULL: takes no argument */
	const char *help;
	int (*apply)(struct opts *o, const char *arg, char *msg, size_t msglen);
};

static int opts_foreground(struct opts *o, const char *arg, char *msg, size_t msglen)
{
	(void)arg, (void)msg, (void)msglen;
	o->foreground = true;
	return 0;
}

static int opts_help(struct opts *o, const char *arg, char *msg, size_t msglen)
{
	(void)arg, (void)msg, (void)msglen;
	o->help = true;
	return 0;
}

static int opts_version(struct opts *o, const char *arg, char *msg, size_t msglen)
{
	(void)arg, (void)msg, (void)msglen;
	o->version = true;
	return 0;
}

static int opts_allow_unsafe(struct opts *o, const char *arg, char *msg, size_t msglen)
{
	(void)arg, (void)msg, (void)msglen;
	o->allow_unsafe_policies = true;
	return 0;
}

/* QEMU checks the model and its properties; only an empty value is refused here. */
static int opts_cpu_model(struct opts *o, const char *arg, char *msg, size_t msglen)
{
	if (!*arg) {
		snprintf(msg, msglen, "--cpu-model: expected a QEMU CPU model");
		return -1;
	}
	o->cpu_model = arg;
	return 0;
}

static int opts_uint(const char *name, const char *arg, unsigned long min, unsigned long max,
		     unsigned int *out, char *msg, size_t msglen)
{
	char *end;
	unsigned long v;

	if (arg[0] < '0' || arg[0] > '9')
		goto bad;
	v = strtoul(arg, &end, 10);
	if (*end || v < min || v > max)
		goto bad;
	*out = (unsigned int)v;
	return 0;
bad:
	snprintf(msg, msglen, "--%s: expected a number between %lu and %lu, got '%s'", name, min,
		 max, arg);
	return -1;
}

static int opts_cpus(struct opts *o, const char *arg, char *msg, size_t msglen)
{
	return opts_uint("cpus", arg, 1, OPTS_CPUS_MAX, &o->cpus, msg, msglen);
}

static int opts_memory(struct opts *o, const char *arg, char *msg, size_t msglen)
{
	return opts_uint("memory", arg, OPTS_MEMORY_MIN_MB, OPTS_MEMORY_MAX_MB, &o->memory_mb, msg,
			 msglen);
}

/*
 * A path made absolute against the current directory.  The daemon leaves
 * its starting directory when it detaches, so a relative path given on the
 * command line or in the environment would otherwise name something else.
 * The strings live as long as the process.
 */
static const char *opts_absolute(const char *path)
{
	char cwd[PATH_MAX];
	char *abs;

	if (path[0] == '/' || getcwd(cwd, sizeof(cwd)) == NULL)
		return path;
	abs = malloc(strlen(cwd) + strlen(path) + 2);
	if (abs == NULL)
		return path;
	sprintf(abs, "%s/%s", cwd, path);
	return abs;
}

/* Path options: the value must not be empty; what it names is checked when used. */
#define OPTS_PATH_SETTER(fn, field, flag)                                               \
	static int fn(struct opts *o, const char *arg, char *msg, size_t msglen)        \
	{                                                                               \
		if (!*arg) {                                                            \
			snprintf(msg, msglen, "--%s: expected a path", flag);           \
			return -1;                                                      \
		}                                                                       \
		o->field = opts_absolute(arg);                                          \
		return 0;                                                               \
	}

OPTS_PATH_SETTER(opts_state, state_dir, "state-dir")
OPTS_PATH_SETTER(opts_attach, attach, "attach")
OPTS_PATH_SETTER(opts_hv_opt, hypervisor, "hypervisor")

/* A bare program name for --qemu is looked up in PATH; anything else is a path. */
static int opts_qemu_opt(struct opts *o, const char *arg, char *msg, size_t msglen)
{
	if (!*arg) {
		snprintf(msg, msglen, "--qemu: expected a path");
		return -1;
	}
	o->qemu = strchr(arg, '/') ? opts_absolute(arg) : arg;
	return 0;
}
OPTS_PATH_SETTER(opts_log, log_file, "log-file")

/* The group is looked up once the options are all read (main.c), by name or number. */
static int opts_group(struct opts *o, const char *arg, char *msg, size_t msglen)
{
	if (!*arg) {
		snprintf(msg, msglen, "--socket-group: expected a group name");
		return -1;
	}
	o->socket_group = arg;
	return 0;
}

static int opts_ro_socket(struct opts *o, const char *arg, char *msg, size_t msglen)
{
	(void)arg, (void)msg, (void)msglen;
	o->ro_socket = true;
	return 0;
}

static const struct opts_def opts_defs[] = {
	{ "foreground", 'F', NULL, "do not detach; log to stderr too", opts_foreground },
	{ "state-dir", 0, "DIR", "state directory (default: $CACHET_STATE_DIR,\n"
				 "or " OPTS_ROOT_STATE_DIR " for root)", opts_state },
	{ "cpus", 0, "N", "CPUs of the QEMU machine (default 4)", opts_cpus },
	{ "memory", 0, "MB", "RAM of the QEMU machine in MiB (default 2048)", opts_memory },
	{ "cpu-model", 0, "MODEL", "QEMU CPU model (default " OPTS_CPU_MODEL_DEFAULT ");\n"
				   "max,sve=off,sme=off,pauth=off offers FEAT_S2FWB", opts_cpu_model },
	{ "allow-unsafe-policies", 0, NULL, "accept the cache policies flush-load and none\n"
					    "(negative controls; guests may read stale memory)",
	  opts_allow_unsafe },
	{ "attach", 0, "RAMFILE", "attach to a running machine through its RAM\n"
				  "file instead of starting QEMU", opts_attach },
	{ "qemu", 0, "PATH", "QEMU to run (default: $CACHET_QEMU,\n"
			     "or " CACHET_QEMU_PATH ")", opts_qemu_opt },
	{ "hypervisor", 0, "ELF", "hypervisor image (default: $CACHET_HYPERVISOR,\n"
				  "or the installed cachet-hv.elf)", opts_hv_opt },
	{ "log-file", 0, "FILE", "daemon log (default: STATE/cachetd.log)", opts_log },
	{ "socket-group", 0, "GROUP", "members of GROUP may use cachetd too", opts_group },
	{ "ro-socket", 0, NULL, "also serve STATE/cachetd-ro.sock: every local user\n"
				"may list domains there, and change nothing", opts_ro_socket },
	{ "help", 'h', NULL, "show this help and exit", opts_help },
	{ "version", 0, NULL, "show the version and exit", opts_version },
};

#define OPTS_NDEFS (sizeof(opts_defs) / sizeof(opts_defs[0]))
#define OPTS_LONG_BASE 0x100 /* getopt values of long-only options: base + index */

static void opts_tables(struct option *longopts, char *shortopts)
{
	size_t s = 0;

	for (size_t i = 0; i < OPTS_NDEFS; i++) {
		const struct opts_def *d = &opts_defs[i];

		longopts[i].name = d->name;
		longopts[i].has_arg = d->arg ? required_argument : no_argument;
		longopts[i].flag = NULL;
		longopts[i].val = d->short_opt ? d->short_opt : (int)(OPTS_LONG_BASE + i);
		if (d->short_opt) {
			shortopts[s++] = d->short_opt;
			if (d->arg)
				shortopts[s++] = ':';
		}
	}
	memset(&longopts[OPTS_NDEFS], 0, sizeof(longopts[0]));
	shortopts[s] = '\0';
}

static const struct opts_def *opts_by_val(int val)
{
	for (size_t i = 0; i < OPTS_NDEFS; i++) {
		if (opts_defs[i].short_opt ? opts_defs[i].short_opt == val
					   : (int)(OPTS_LONG_BASE + i) == val)
			return &opts_defs[i];
	}
	return NULL;
}

int opts_parse(int argc, char **argv, struct opts *o, char *msg, size_t msglen)
{
	struct option longopts[OPTS_NDEFS + 1];
	char shortopts[2 * OPTS_NDEFS + 2];
	int c;

	memset(o, 0, sizeof(*o));
	o->cpus = OPTS_CPUS_DEFAULT;
	o->memory_mb = OPTS_MEMORY_DEFAULT_MB;
	o->cpu_model = OPTS_CPU_MODEL_DEFAULT;
	opts_tables(longopts, shortopts);
	optind = 0; /* glibc: a full restart, so that tests can parse more than once */
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		const struct opts_def *d = opts_by_val(c);

		if (!d) {
			if (optopt && opts_by_val(optopt))
				snprintf(msg, msglen, "option '%s' needs an argument", argv[optind - 1]);
			else
				snprintf(msg, msglen, "unknown option '%s'", argv[optind - 1]);
			return -1;
		}
		if (d->apply(o, optarg, msg, msglen) < 0)
			return -1;
	}
	if (optind < argc) {
		snprintf(msg, msglen, "unexpected argument '%s'", argv[optind]);
		return -1;
	}
	return 0;
}

/* One option's help; a '\n' in the text continues it under the text column. */
static void opts_usage_line(FILE *f, const char *left, const char *help)
{
	const char *nl = strchr(help, '\n');

	fprintf(f, "  %-22s %.*s\n", left, nl ? (int)(nl - help) : (int)strlen(help), help);
	if (nl)
		fprintf(f, "  %-22s %s\n", "", nl + 1);
}

void opts_usage(FILE *f, const char *prog)
{
	fprintf(f, "Usage: %s [OPTION]...\n"
		   "The Cachet management daemon: starts the QEMU platform with the hypervisor\n"
		   "(or attaches to it) and serves JSON-RPC on STATE/cachetd.sock.\n\nOptions:\n",
		prog);
	for (size_t i = 0; i < OPTS_NDEFS; i++) {
		const struct opts_def *d = &opts_defs[i];
		char left[64];

		snprintf(left, sizeof(left), "%c%c%s--%s%s%s", d->short_opt ? '-' : ' ',
			 d->short_opt ? d->short_opt : ' ', d->short_opt ? ", " : "  ", d->name,
			 d->arg ? " " : "", d->arg ? d->arg : "");
		opts_usage_line(f, left, d->help);
	}
}

const char *opts_state_dir(const struct opts *o, const char *env, uid_t uid, char *msg,
			   size_t msglen)
{
	if (o->state_dir)
		return o->state_dir;
	if (env && *env)
		return opts_absolute(env);
	if (uid == 0)
		return OPTS_ROOT_STATE_DIR;
	snprintf(msg, msglen, "no state directory: run as root (for %s), or give --state-dir DIR "
		 "or set CACHET_STATE_DIR", OPTS_ROOT_STATE_DIR);
	return NULL;
}

const char *opts_qemu(const struct opts *o, const char *env)
{
	if (o->qemu)
		return o->qemu;
	if (env && *env)
		return strchr(env, '/') ? opts_absolute(env) : env;
	return CACHET_QEMU_PATH;
}

const char *opts_hypervisor(const struct opts *o, const char *env, char *msg, size_t msglen)
{
	static const char installed[] = CACHET_PKGDATADIR "/cachet-hv.elf";
	static const char built[] = CACHET_HV_BUILD_PATH;

	if (o->hypervisor)
		return o->hypervisor;
	if (env && *env)
		return opts_absolute(env);
	if (access(installed, R_OK) == 0)
		return installed;
	if (built[0] && access(built, R_OK) == 0)
		return built;
	snprintf(msg, msglen, "no hypervisor image: neither %s nor %s exists; give --hypervisor ELF "
		 "or set CACHET_HYPERVISOR", installed, built[0] ? built : "a build-tree image");
	return NULL;
}
