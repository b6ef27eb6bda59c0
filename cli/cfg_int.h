/*
 * Internals of the cfg module, shared by the parser (cfg.c) and the table of
 * keys that checks each value (cfg_keys.c).
 */
#ifndef CACHET_CLI_CFG_INT_H
#define CACHET_CLI_CFG_INT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "cfg.h"

/* The first keys of the table, name and kernel, must be set. */
#define CFG_NREQUIRED 2
#define CFG_ERR_SIZE (PATH_MAX * 2 + 256)

/* What Cachet does with a key. */
enum cfg_use {
	CFG_USE_ACT,    /* implemented: checked and sent to cachetd */
	CFG_USE_ARCH,   /* acts with its Arm value, ignored (with a warning) with x86's */
	CFG_USE_IGNORE, /* does not apply to Arm or Cachet: kept, with a warning */
};

/* The value of one key and where it was set. */
struct cfg_slot {
	struct json_object *value;
	const char *src;       /* the source that set it (cfg.srcs owns it) */
	unsigned int line;
	unsigned int gen;
	bool ignored;          /* kept, but Cachet does not act on it */
};

struct cfg {
	struct cfg_slot *slot; /* one per key of the table */
	unsigned int gen;      /* counts parse calls, to tell duplicates from overrides */
	char *main_src;        /* the first file parsed, for errors without a line */
	char **srcs;           /* every source named by a slot */
	size_t nsrcs;
	bool paths_as_given;   /* conversions: paths are neither resolved nor checked */
	char **warn;           /* warnings, in the order found */
	size_t nwarn;
	char err[CFG_ERR_SIZE];
};

/* The cursor over one text being parsed. */
struct cfg_lexer {
	struct cfg *c;
	const char *src;
	const char *base_dir;
	const char *p;
	unsigned int line;
};

/* Reads all of @path into a new NUL-terminated buffer; NULL with the error set. */
char *cfg_read_file(struct cfg *c, const char *path);
/* The directory of @path, where its relative paths are resolved (malloc'd). */
char *cfg_dir_of(const char *path);

/* Sets the error of lx->c to "SOURCE:LINE: message"; returns -1. */
__attribute__((format(printf, 2, 3))) int cfg_fail(struct cfg_lexer *lx, const char *fmt, ...);
/* The value of hex digit @ch, or -1. */
int cfg_hex_digit(char ch);
/*
 * Parses the @len bytes at @tok, decimal or 0x hexadecimal without a sign;
 * *@v is ULLONG_MAX when the value does not fit an int64_t.
 */
bool cfg_parse_uint(const char *tok, size_t len, unsigned long long *v);

/* Adds a warning "SOURCE:LINE: Warning: message" (or without a place when @src is NULL). */
__attribute__((format(printf, 4, 5))) void cfg_warn(struct cfg *c, const char *src,
						    unsigned int line, const char *fmt, ...);

/* The number of keys in the table. */
size_t cfg_key_count(void);
/* The known key closest to the @len bytes at @name (for typos). */
const char *cfg_key_closest(const char *name, size_t len);
/* The name of key @idx of the table. */
const char *cfg_key_name(size_t idx);
/* Finds the key named by the @len bytes at @name. */
bool cfg_key_find(const char *name, size_t len, size_t *idx);
/* Checks @v as the value of key @idx, set on line @line, and stores it; takes @v. */
int cfg_key_store(struct cfg_lexer *lx, size_t idx, unsigned int line, struct json_object *v);

#endif
