/*
 * The xl.cfg parser: a hand-written lexer over the whole text (the files are
 * small) feeding the table of keys (cfg_keys.c) that type-checks each value.
 */
#define _GNU_SOURCE /* asprintf */
#include "cfg.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_int.h"
#include "cfg_write.h"

/* xl's default, for checking maxmem when memory is not given. */
#define CFG_MEMORY_DEFAULT_MB 128

/* A configuration file is a few hundred bytes; refuse anything absurd. */
#define CFG_MAX_FILE (1024 * 1024)
#define CFG_OVERRIDE_SRC "command line"

struct cfg *cfg_new(void)
{
	struct cfg *c = calloc(1, sizeof(struct cfg));

	if (c)
		c->slot = calloc(cfg_key_count(), sizeof(*c->slot));
	if (c && !c->slot) {
		free(c);
		return NULL;
	}
	return c;
}

static void cfg_free_strings(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void cfg_free(struct cfg *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < cfg_key_count(); i++)
		json_object_put(c->slot[i].value);
	free(c->slot);
	free(c->main_src);
	cfg_free_strings(c->srcs, c->nsrcs);
	cfg_free_strings(c->warn, c->nwarn);
	free(c);
}

/* Appends @s (taken) to the array *@v of *@n strings; false when memory ran out. */
static bool cfg_push(char ***v, size_t *n, char *s)
{
	char **grown = s ? realloc(*v, (*n + 1) * sizeof(**v)) : NULL;

	if (!grown) {
		free(s);
		return false;
	}
	grown[(*n)++] = s;
	*v = grown;
	return true;
}

void cfg_warn(struct cfg *c, const char *src, unsigned int line, const char *fmt, ...)
{
	char msg[CFG_ERR_SIZE], *s = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	n = src ? asprintf(&s, "%s:%u: Warning: %s", src, line, msg) :
		  asprintf(&s, "Warning: %s", msg);
	if (n >= 0)
		cfg_push(&c->warn, &c->nwarn, s);
}

size_t cfg_warning_count(const struct cfg *c)
{
	return c->nwarn;
}

const char *cfg_warning(const struct cfg *c, size_t i)
{
	return c->warn[i];
}

const char *cfg_error(const struct cfg *c)
{
	return c->err;
}

void cfg_keep_paths(struct cfg *c)
{
	c->paths_as_given = true;
}

void cfg_set_error(struct cfg *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
}

int cfg_fail(struct cfg_lexer *lx, const char *fmt, ...)
{
	struct cfg *c = lx->c;
	int n = snprintf(c->err, sizeof(c->err), "%s:%u: ", lx->src, lx->line);
	va_list ap;

	if (n < 0 || (size_t)n >= sizeof(c->err))
		return -1;
	va_start(ap, fmt);
	vsnprintf(c->err + n, sizeof(c->err) - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- Lexing ---------------------------------------------------------- */

static void cfg_skip_blanks(struct cfg_lexer *lx)
{
	while (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\r')
		lx->p++;
}

static void cfg_skip_comment(struct cfg_lexer *lx)
{
	while (*lx->p && *lx->p != '\n')
		lx->p++;
}

/* Skips blanks, newlines and comments: the space between list elements. */
static void cfg_skip_space(struct cfg_lexer *lx)
{
	for (;;) {
		cfg_skip_blanks(lx);
		if (*lx->p == '#') {
			cfg_skip_comment(lx);
		} else if (*lx->p == '\n') {
			lx->line++;
			lx->p++;
		} else {
			return;
		}
	}
}

static bool cfg_is_delim(char ch)
{
	return ch == '\0' || strchr(" \t\r\n;#,]", ch) != NULL;
}

/* Copies up to @size - 1 bytes of the token at the cursor, for messages. */
static const char *cfg_token(const struct cfg_lexer *lx, char *buf, size_t size)
{
	size_t n = 0;

	while (n + 1 < size && !cfg_is_delim(lx->p[n]) && lx->p[n] != '=')
		n++;
	if (n == 0 && lx->p[0] && lx->p[0] != '\n')
		n = 1;
	memcpy(buf, lx->p, n);
	buf[n] = '\0';
	return buf;
}

int cfg_hex_digit(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/*
 * Decodes the escape after a backslash at the cursor, as xl's libxlu does:
 * \\ \" \' \a \b \f \n \r \t \v, \xHH and octal \NNN.
 */
static int cfg_unescape(struct cfg_lexer *lx, char *out)
{
	static const char from[] = "\\\"'abfnrtv", to[] = "\\\"'\a\b\f\n\r\t\v";
	const char *hit = *lx->p ? strchr(from, *lx->p) : NULL;
	bool hex = *lx->p == 'x';
	unsigned int v = 0;
	int n = 0, d;

	if (hit) {
		*out = to[hit - from];
		lx->p++;
		return 0;
	}
	if (hex) {
		for (lx->p++; n < 2 && (d = cfg_hex_digit(*lx->p)) >= 0; n++, lx->p++)
			v = v * 16 + (unsigned int)d;
	} else {
		for (; n < 3 && *lx->p >= '0' && *lx->p <= '7'; n++, lx->p++)
			v = v * 8 + (unsigned int)(*lx->p - '0');
	}
	if (n == 0 && hex)
		return cfg_fail(lx, "invalid escape '\\x' in string (expected hex digits)");
	if (n == 0)
		return cfg_fail(lx, "invalid escape '\\%c' in string",
				isprint((unsigned char)*lx->p) ? *lx->p : ' ');
	if (v == 0 || v > 0xff)
		return cfg_fail(lx, "invalid character code in string escape");
	*out = (char)v;
	return 0;
}

/* Reads a quoted string; strings end on the line they start on. */
static int cfg_lex_string(struct cfg_lexer *lx, struct json_object **out)
{
	char quote = *lx->p++;
	size_t cap = strcspn(lx->p, "\n") + 1, n = 0;
	char *buf = malloc(cap);

	if (!buf)
		return cfg_fail(lx, "out of memory");
	while (*lx->p != quote) {
		if (*lx->p == '\0' || *lx->p == '\n') {
			free(buf);
			return cfg_fail(lx, "unterminated string (missing closing %c)", quote);
		}
		if (*lx->p != '\\') {
			buf[n++] = *lx->p++;
			continue;
		}
		lx->p++;
		if (cfg_unescape(lx, &buf[n++]) < 0) {
			free(buf);
			return -1;
		}
	}
	lx->p++;
	*out = json_object_new_string_len(buf, (int)n);
	free(buf);
	return *out ? 0 : cfg_fail(lx, "out of memory");
}

/* Parses @tok (decimal, 0x hex or 0 octal, as xl's strtol; no sign) into *@v. */
bool cfg_parse_uint(const char *tok, size_t len, unsigned long long *v)
{
	unsigned int base = 10;
	size_t i = 0;

	if (len > 2 && tok[0] == '0' && (tok[1] == 'x' || tok[1] == 'X')) {
		base = 16;
		i = 2;
	} else if (len > 1 && tok[0] == '0') {
		base = 8;
		i = 1;
	}
	if (i == len)
		return false;
	for (*v = 0; i < len; i++) {
		int d = cfg_hex_digit(tok[i]);

		if (d < 0 || (unsigned int)d >= base)
			return false;
		if (*v > ((unsigned long long)INT64_MAX - (unsigned int)d) / base) {
			*v = ULLONG_MAX;
			return true;
		}
		*v = *v * base + (unsigned int)d;
	}
	return true;
}

static int cfg_lex_int(struct cfg_lexer *lx, struct json_object **out)
{
	const char *tok = lx->p;
	bool neg = tok[0] == '-';
	size_t len = 0, sign = neg || tok[0] == '+';
	unsigned long long v;

	while (!cfg_is_delim(tok[len]))
		len++;
	lx->p += len;
	/* xl reads numbers with strtol: a sign is allowed (rtc_timeoffset = -3600). */
	if (!cfg_parse_uint(tok + sign, len - sign, &v))
		return cfg_fail(lx, "bad integer '%.*s'", (int)len, tok);
	if (v > INT64_MAX)
		return cfg_fail(lx, "integer '%.*s' is too large", (int)len, tok);
	*out = json_object_new_int64(neg ? -(int64_t)v : (int64_t)v);
	return *out ? 0 : cfg_fail(lx, "out of memory");
}

/* A string or an integer: what a list may hold. */
static int cfg_lex_atom(struct cfg_lexer *lx, const char *key, struct json_object **out)
{
	char tok[32];

	if (*lx->p == '"' || *lx->p == '\'')
		return cfg_lex_string(lx, out);
	if (isdigit((unsigned char)*lx->p) || *lx->p == '-' || *lx->p == '+')
		return cfg_lex_int(lx, out);
	if (*lx->p == '[')
		return cfg_fail(lx, "%s: nested lists are not allowed", key);
	if (*lx->p == '\0' || *lx->p == '\n' || *lx->p == '#' || *lx->p == ';' ||
	    *lx->p == ',' || *lx->p == ']')
		return cfg_fail(lx, "%s: missing value", key);
	return cfg_fail(lx,
			"%s: expected a value (a quoted string, an integer or a [list]), "
			"found '%s' (strings must be quoted)",
			key, cfg_token(lx, tok, sizeof(tok)));
}

static int cfg_lex_list_items(struct cfg_lexer *lx, const char *key, struct json_object *arr,
			      unsigned int open_line)
{
	struct json_object *item;
	char tok[32];

	for (;;) {
		cfg_skip_space(lx);
		if (*lx->p == ']') {
			lx->p++;
			return 0;
		}
		if (*lx->p == '\0')
			break;
		if (cfg_lex_atom(lx, key, &item) < 0)
			return -1;
		json_object_array_add(arr, item);
		cfg_skip_space(lx);
		if (*lx->p == ',')
			lx->p++;
		else if (*lx->p != ']' && *lx->p != '\0')
			return cfg_fail(lx, "%s: expected ',' or ']' in list, found '%s'", key,
					cfg_token(lx, tok, sizeof(tok)));
	}
	lx->line = open_line;
	return cfg_fail(lx, "%s: unterminated list (missing ']')", key);
}

static int cfg_lex_value(struct cfg_lexer *lx, const char *key, struct json_object **out)
{
	struct json_object *arr;

	if (*lx->p != '[')
		return cfg_lex_atom(lx, key, out);
	lx->p++;
	arr = json_object_new_array();
	if (!arr)
		return cfg_fail(lx, "out of memory");
	if (cfg_lex_list_items(lx, key, arr, lx->line) < 0) {
		json_object_put(arr);
		return -1;
	}
	*out = arr;
	return 0;
}

/* ---- Settings --------------------------------------------------------- */

/* After a value: optional `;`, then end of line, a comment or (after `;`) more. */
static int cfg_end_setting(struct cfg_lexer *lx, const char *key)
{
	char tok[32];

	cfg_skip_blanks(lx);
	if (*lx->p == ';') {
		lx->p++;
		return 0;
	}
	if (*lx->p == '\0' || *lx->p == '\n' || *lx->p == '#')
		return 0;
	return cfg_fail(lx, "%s: unexpected '%s' after the value", key,
			cfg_token(lx, tok, sizeof(tok)));
}

/*
 * KEY += VALUE (libxlu's addition, mostly for command-line overrides such
 * as extra+=" debug"): *@v becomes the earlier value with @v appended, a
 * string to a string or a list to a list, and the earlier value is dropped
 * so that the result is stored as a new setting.
 */
static int cfg_append(struct cfg_lexer *lx, size_t idx, const char *name, struct json_object **v)
{
	struct cfg_slot *slot = &lx->c->slot[idx];
	struct json_object *old = slot->value, *sum;

	if (!old)
		return 0;
	if (json_object_is_type(old, json_type_string) && json_object_is_type(*v, json_type_string)) {
		char *s = NULL;

		if (asprintf(&s, "%s%s", json_object_get_string(old), json_object_get_string(*v)) < 0)
			return cfg_fail(lx, "out of memory");
		sum = json_object_new_string(s);
		free(s);
	} else if (json_object_is_type(old, json_type_array) &&
		   json_object_is_type(*v, json_type_array)) {
		sum = json_object_new_array();
		for (size_t i = 0; i < json_object_array_length(old); i++)
			json_object_array_add(sum, json_object_get(json_object_array_get_idx(old, i)));
		for (size_t i = 0; i < json_object_array_length(*v); i++)
			json_object_array_add(sum, json_object_get(json_object_array_get_idx(*v, i)));
	} else {
		return cfg_fail(lx, "%s: += adds a string to a string or a list to a list", name);
	}
	json_object_put(*v);
	*v = sum;
	json_object_put(slot->value);
	slot->value = NULL;
	return 0;
}

static int cfg_parse_setting(struct cfg_lexer *lx)
{
	const char *key = lx->p;
	unsigned int line = lx->line;
	char name[64], tok[32];
	struct json_object *v = NULL;
	size_t len = 0, idx;
	bool append;

	while (isalnum((unsigned char)key[len]) || key[len] == '_')
		len++;
	if (len == 0 || isdigit((unsigned char)key[0]))
		return cfg_fail(lx, "expected a setting 'KEY = VALUE', found '%s'",
				cfg_token(lx, tok, sizeof(tok)));
	snprintf(name, sizeof(name), "%.*s", (int)len, key);
	lx->p += len;
	cfg_skip_blanks(lx);
	append = lx->p[0] == '+' && lx->p[1] == '=';
	lx->p += append;
	if (*lx->p != '=')
		return cfg_fail(lx, "expected '=' after '%s'", name);
	lx->p++;
	cfg_skip_blanks(lx);
	if (cfg_lex_value(lx, name, &v) < 0)
		return -1;
	if (cfg_end_setting(lx, name) < 0) {
		json_object_put(v);
		return -1;
	}
	if (cfg_key_find(key, len, &idx)) {
		if (append && cfg_append(lx, idx, name, &v) < 0) {
			json_object_put(v);
			return -1;
		}
		return cfg_key_store(lx, idx, line, v);
	}
	/* xl ignores keys it does not know; a typo deserves a word. */
	json_object_put(v);
	cfg_warn(lx->c, lx->src, line, "unknown key '%s' ignored (did you mean '%s'?)", name,
		 cfg_key_closest(key, len));
	return 0;
}

static int cfg_parse_all(struct cfg_lexer *lx)
{
	for (;;) {
		cfg_skip_blanks(lx);
		if (*lx->p == '\0')
			return 0;
		if (*lx->p == '#') {
			cfg_skip_comment(lx);
		} else if (*lx->p == '\n') {
			lx->line++;
			lx->p++;
		} else if (*lx->p == ';') {
			lx->p++;
		} else if (cfg_parse_setting(lx) < 0) {
			return -1;
		}
	}
}

int cfg_parse_text(struct cfg *c, const char *src, unsigned int first_line, const char *text,
		   const char *base_dir)
{
	struct cfg_lexer lx = {
		.c = c, .base_dir = base_dir, .p = text, .line = first_line
	};

	/* Slots keep the name of their source, for the messages given after parsing. */
	if (!cfg_push(&c->srcs, &c->nsrcs, strdup(src))) {
		snprintf(c->err, sizeof(c->err), "out of memory");
		return -1;
	}
	lx.src = c->srcs[c->nsrcs - 1];
	c->gen++;
	c->err[0] = '\0';
	return cfg_parse_all(&lx);
}

int cfg_apply_override(struct cfg *c, const char *arg, unsigned int index)
{
	if (!strchr(arg, '=')) {
		snprintf(c->err, sizeof(c->err), "%s:%u: '%s' is not a KEY=VALUE setting",
			 CFG_OVERRIDE_SRC, index, arg);
		return -1;
	}
	return cfg_parse_text(c, CFG_OVERRIDE_SRC, index, arg, NULL);
}

/* ---- Files ------------------------------------------------------------ */

/* Why @buf, holding @len bytes read from @f, is not a config file, or NULL. */
static const char *cfg_file_problem(FILE *f, const char *buf, size_t len)
{
	if (!buf)
		return "out of memory";
	if (ferror(f))
		return "read error";
	if (len > CFG_MAX_FILE)
		return "larger than 1 MiB, not a config file";
	if (memchr(buf, '\0', len))
		return "contains a NUL byte, not a config file";
	return NULL;
}

char *cfg_read_file(struct cfg *c, const char *path)
{
	FILE *f = fopen(path, "r");
	const char *problem;
	char *buf;
	size_t len;

	if (!f) {
		snprintf(c->err, sizeof(c->err), "cannot open config file '%s': %s", path,
			 strerror(errno));
		return NULL;
	}
	buf = malloc(CFG_MAX_FILE + 1);
	len = buf ? fread(buf, 1, CFG_MAX_FILE + 1, f) : 0;
	problem = cfg_file_problem(f, buf, len);
	fclose(f);
	if (problem) {
		snprintf(c->err, sizeof(c->err), "%s: %s", path, problem);
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

char *cfg_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

/* Parses @text (taken), read from @path, with relative paths resolved against its directory. */
static int cfg_parse_from(struct cfg *c, const char *path, char *text)
{
	char *dir = cfg_dir_of(path);
	int ret = -1;

	if (!c->main_src)
		c->main_src = strdup(path);
	if (dir && c->main_src)
		ret = cfg_parse_text(c, path, 1, text, dir);
	else
		snprintf(c->err, sizeof(c->err), "out of memory");
	free(dir);
	free(text);
	return ret;
}

int cfg_parse_file(struct cfg *c, const char *path)
{
	char *text = cfg_read_file(c, path);

	return text ? cfg_parse_from(c, path, text) : -1;
}

int cfg_parse_config(struct cfg *c, const char *path, struct json_object *config)
{
	char msg[256], *text = cfgw_render(config, msg, sizeof(msg));

	if (!text) {
		snprintf(c->err, sizeof(c->err), "%s: %s", path, msg);
		return -1;
	}
	return cfg_parse_from(c, path, text);
}

/* ---- Output ----------------------------------------------------------- */

/* The slot of the key named @name (a key of the table). */
static struct cfg_slot *cfg_slot_named(struct cfg *c, const char *name)
{
	size_t idx = 0;

	cfg_key_find(name, strlen(name), &idx);
	return &c->slot[idx];
}

/* Values that pass alone but not together; reported at the later key's line. */
static int cfg_check_whole(struct cfg *c)
{
	struct cfg_slot *mem = cfg_slot_named(c, "memory"), *max = cfg_slot_named(c, "maxmem");
	int64_t memory = mem->value ? json_object_get_int64(mem->value) : CFG_MEMORY_DEFAULT_MB;

	if (!max->value || json_object_get_int64(max->value) <= memory)
		return 0;
	/* Pages beyond those populated would need ballooning, which Cachet does not have. */
	snprintf(c->err, sizeof(c->err),
		 "%s:%u: maxmem: %lld MiB cannot be honoured: it is above memory (%lld MiB) "
		 "and Cachet populates all of a domain's memory (no ballooning)",
		 max->src, max->line, (long long)json_object_get_int64(max->value),
		 (long long)memory);
	return -1;
}

static int cfg_cmp_line(const void *a, const void *b, void *slots)
{
	const struct cfg_slot *s = slots;
	unsigned int la = s[*(const size_t *)a].line, lb = s[*(const size_t *)b].line;

	return (la > lb) - (la < lb);
}

/* Appends "KEY (line N)" for the ignored keys, in the order of the file. */
static void cfg_list_keys(const struct cfg *c, char *buf, size_t size)
{
	size_t *idx = calloc(cfg_key_count(), sizeof(*idx)), n = 0;

	for (size_t i = 0; idx && i < cfg_key_count(); i++) {
		const struct cfg_slot *s = &c->slot[i];

		if (s->value && s->ignored)
			idx[n++] = i;
	}
	qsort_r(idx, n, sizeof(*idx), cfg_cmp_line, c->slot);
	for (size_t i = 0; i < n; i++) {
		size_t used = strlen(buf);

		snprintf(buf + used, size - used, "%s%s (line %u)", used ? ", " : "",
			 cfg_key_name(idx[i]), c->slot[idx[i]].line);
	}
	free(idx);
}

/* One warning for everything that is ignored. */
static void cfg_warn_unused(struct cfg *c)
{
	char keys[CFG_ERR_SIZE] = "";

	cfg_list_keys(c, keys, sizeof(keys));
	if (keys[0])
		cfg_warn(c, NULL, 0, "ignoring settings that do not apply to Arm or to Cachet: %s",
			 keys);
}

int cfg_to_json(struct cfg *c, struct json_object **out)
{
	const char *src = c->main_src ? c->main_src : CFG_OVERRIDE_SRC;
	struct json_object *obj, *ignored;

	for (size_t i = 0; i < CFG_NREQUIRED; i++) {
		if (!c->slot[i].value) {
			snprintf(c->err, sizeof(c->err), "%s: missing required key '%s'", src,
				 cfg_key_name(i));
			return -1;
		}
	}
	if (cfg_check_whole(c) < 0)
		return -1;
	obj = json_object_new_object();
	ignored = json_object_new_object();
	if (!obj || !ignored) {
		json_object_put(obj);
		json_object_put(ignored);
		snprintf(c->err, sizeof(c->err), "out of memory");
		return -1;
	}
	for (size_t i = 0; i < cfg_key_count(); i++)
		if (c->slot[i].value)
			json_object_object_add(c->slot[i].ignored ? ignored : obj, cfg_key_name(i),
					       json_object_get(c->slot[i].value));
	if (json_object_object_length(ignored))
		json_object_object_add(obj, "ignored", ignored);
	else
		json_object_put(ignored);
	cfg_warn_unused(c);
	*out = obj;
	return 0;
}
