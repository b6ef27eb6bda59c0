/*
 * cfg: the domain configuration file parser of the cachet CLI.
 *
 * The syntax is xl.cfg's (xl.cfg(5)): settings `KEY = VALUE`, one per line or
 * separated by `;`, where VALUE is a "double" or 'single' quoted string (with
 * backslash escapes), an integer (decimal, 0x hexadecimal or 0 octal, with
 * an optional sign, as xl's strtol reads it) or a list
 * [ VALUE, ... ] that may span lines.  `#` starts a comment.
 *
 * Every key of xl.cfg(5) (Xen 4.17) is known.  Keys Cachet implements have
 * one type, checked when read; a wrong type, or a value Cachet cannot
 * honour (gic_version "v2", maxmem above memory), is an error.  disk= and
 * vif= specs are parsed here and attached by cachetd.  Keys that do not
 * apply to an Arm guest (x86, HVM, device models, Xen's grant tables...)
 * are kept under "ignored" with one warning naming them all.  A key xl does
 * not know either gets a warning naming the closest known key.  Relative kernel, ramdisk
 * and device_tree paths are resolved against the directory of the file that
 * names them (command-line overrides: against the current directory) and
 * turned into absolute paths; a missing file is an error.
 *
 * Errors: every int function returns 0 on success and -1 on failure, with a
 * message "SOURCE:LINE: problem" available from cfg_error() until the next
 * call.  SOURCE is the file name as given, or "command line" for overrides
 * (LINE is then the override's position, from 1).  The parser stops at the
 * first error.
 */
#ifndef CACHET_CLI_CFG_H
#define CACHET_CLI_CFG_H

#include <stdbool.h>

#include <json.h>

struct cfg;

/* Returns NULL only when out of memory. */
struct cfg *cfg_new(void);
void cfg_free(struct cfg *c);

/*
 * Reads the settings of the file at @path.  Settings read by later calls
 * (cfg_parse_file, cfg_parse_text, cfg_apply_override) replace earlier ones;
 * a key given twice in one call is an error.
 */
int cfg_parse_file(struct cfg *c, const char *path);

/*
 * Reads settings from the NUL-terminated @text, naming it @src in errors and
 * counting lines from @first_line.  Relative paths are resolved against
 * @base_dir, or the current directory when it is NULL.
 */
int cfg_parse_text(struct cfg *c, const char *src, unsigned int first_line, const char *text,
		   const char *base_dir);

/*
 * Reads a CONFIG object that came from another format (libxl's JSON,
 * libvirt's XML) read from @path, with every check and warning of an
 * xl.cfg file: it is written as xl.cfg text and parsed (lines count its
 * settings, one per line, in the order of the object).
 */
int cfg_parse_config(struct cfg *c, const char *path, struct json_object *config);

/*
 * For conversions between formats (domxml-from-native): paths are kept as
 * written, neither resolved nor checked, as the files may be elsewhere.
 */
void cfg_keep_paths(struct cfg *c);

/* Sets the error message (for failures found before parsing). */
__attribute__((format(printf, 2, 3))) void cfg_set_error(struct cfg *c, const char *fmt, ...);

/* Applies one command-line `key=value` override; @index counts from 1. */
int cfg_apply_override(struct cfg *c, const char *arg, unsigned int index);

/*
 * Checks that the required keys (name, kernel) are set and that the values
 * agree (maxmem), and stores in *@out a new JSON object holding every key
 * that was set, as the daemon's CONFIG (daemon/PROTOCOL.md), the ignored
 * ones under "ignored".  Adds the warnings about what is ignored or not
 * attached.  The caller owns *@out.
 */
int cfg_to_json(struct cfg *c, struct json_object **out);

/* The warnings found so far, each "SOURCE:LINE: Warning: ..." or "Warning: ...". */
size_t cfg_warning_count(const struct cfg *c);
const char *cfg_warning(const struct cfg *c, size_t i);

/* The message of the last failure. */
const char *cfg_error(const struct cfg *c);

/* True if @name is a valid domain name: [A-Za-z0-9_.-]{1,63}. */
bool cfg_name_is_valid(const char *name);

#endif
