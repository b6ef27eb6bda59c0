/*
 * JSON-RPC 2.0 envelope handling: one request line in, one response line
 * out.  Every field of the envelope is checked before it is used and every
 * failure is answered with the code PROTOCOL.md gives, so a client never
 * has to guess why a request was refused.
 */
#include "rpc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmap.h"

struct rpc_envelope {
	struct json_object *id;      /* borrowed from the request; NULL until valid */
	struct json_object *echo;    /* owned: the id as the response gives it back */
	const char *method;
	struct json_object *params;  /* borrowed; NULL when absent */
};

struct rpc_deferred {
	void *ctx;                   /* the handler's context, for wait.drop */
	struct json_object *id;      /* owned reference */
	char method[RPC_METHOD_MAX + 1];
	struct rpc_wait wait;
};

void rpc_error_set(struct rpc_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
}

void rpc_error_lib(struct rpc_error *err, int lib_err, const char *what, const char *detail)
{
	/* The library's detail message is more precise than the table's text. */
	if (!detail || !*detail)
		detail = errmap_text(lib_err);
	rpc_error_set(err, errmap_code(lib_err), "%s: %s", what, detail);
}

const char *rpc_type_name(enum json_type t)
{
	switch (t) {
	case json_type_null:
		return "null";
	case json_type_boolean:
		return "a boolean";
	case json_type_double:
		return "a fraction";
	case json_type_int:
		return "an integer";
	case json_type_object:
		return "an object";
	case json_type_array:
		return "an array";
	case json_type_string:
		return "a string";
	}
	return "an unknown JSON type";
}

/* Drops trailing blanks (a client may send "\r\n") so strict parsing accepts the line. */
static size_t rpc_trim(const char *line, size_t len)
{
	while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	return len;
}

/* 0 with *out the value (NULL for JSON null), or -1 with err set. */
static int rpc_parse(const char *line, size_t len, struct json_object **out, struct rpc_error *err)
{
	struct json_tokener *tok = json_tokener_new_ex(RPC_DEPTH_MAX);
	struct json_object *obj;
	enum json_tokener_error jerr;
	size_t end;
	int rc = 0;

	if (!tok) {
		rpc_error_set(err, RPC_INTERNAL_ERROR, "out of memory");
		return -1;
	}
	/* Trailing characters are allowed by the tokener so that we can name them ourselves. */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_ALLOW_TRAILING_CHARS |
				    JSON_TOKENER_VALIDATE_UTF8);
	len = rpc_trim(line, len);
	obj = json_tokener_parse_ex(tok, line, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	if (jerr == json_tokener_continue) {
		/* The line is all the input there is: say so, for bare numbers. */
		obj = json_tokener_parse_ex(tok, "", 1);
		jerr = json_tokener_get_error(tok);
		end = len;
	}
	if (jerr == json_tokener_success && end < len) {
		json_object_put(obj);
		obj = NULL;
		rpc_error_set(err, RPC_PARSE_ERROR, "parse error: trailing data after the request");
		rc = -1;
	} else if (jerr != json_tokener_success) {
		rpc_error_set(err, RPC_PARSE_ERROR, "parse error: %s", json_tokener_error_desc(jerr));
		rc = -1;
	}
	json_tokener_free(tok);
	*out = obj;
	return rc;
}

static int rpc_check_id(struct json_object *id, struct rpc_error *err)
{
	enum json_type t = id ? json_object_get_type(id) : json_type_null;

	if (t == json_type_int || t == json_type_double)
		return 0;
	if (t == json_type_string && json_object_get_string_len(id) <= RPC_ID_STRING_MAX)
		return 0;
	rpc_error_set(err, RPC_INVALID_REQUEST,
		      "invalid request: id must be a number or a string of at most %d bytes, not %s",
		      RPC_ID_STRING_MAX, t == json_type_string ? "a longer string" : rpc_type_name(t));
	return -1;
}

static int rpc_check_version(struct json_object *req, struct rpc_error *err)
{
	struct json_object *v;

	if (!json_object_object_get_ex(req, "jsonrpc", &v) || !json_object_is_type(v, json_type_string) ||
	    strcmp(json_object_get_string(v), "2.0") != 0) {
		rpc_error_set(err, RPC_INVALID_REQUEST, "invalid request: \"jsonrpc\" must be \"2.0\"");
		return -1;
	}
	return 0;
}

static int rpc_check_method(struct json_object *req, const char **out, struct rpc_error *err)
{
	struct json_object *m;

	if (!json_object_object_get_ex(req, "method", &m)) {
		rpc_error_set(err, RPC_INVALID_REQUEST, "invalid request: missing method");
		return -1;
	}
	if (!json_object_is_type(m, json_type_string) || json_object_get_string_len(m) == 0 ||
	    json_object_get_string_len(m) > RPC_METHOD_MAX) {
		rpc_error_set(err, RPC_INVALID_REQUEST,
			      "invalid request: method must be a non-empty string");
		return -1;
	}
	*out = json_object_get_string(m);
	return 0;
}

static int rpc_check_keys(struct json_object *req, struct rpc_error *err)
{
	json_object_object_foreach(req, key, val) {
		(void)val;
		if (strcmp(key, "jsonrpc") != 0 && strcmp(key, "id") != 0 &&
		    strcmp(key, "method") != 0 && strcmp(key, "params") != 0) {
			char what[RPC_DESCRIBE_MAX];

			rpc_error_set(err, RPC_INVALID_REQUEST, "invalid request: unknown member %s",
				      rpc_quote(key, what, sizeof(what)));
			return -1;
		}
	}
	return 0;
}

/* The id is checked first so that every later error can echo it. */
static int rpc_envelope(struct json_object *req, struct rpc_envelope *env, struct rpc_error *err)
{
	struct json_object *id;

	if (!json_object_is_type(req, json_type_object)) {
		rpc_error_set(err, RPC_INVALID_REQUEST, "invalid request: a request must be a JSON "
			      "object (or a batch: an array of them), not %s",
			      rpc_type_name(json_object_get_type(req)));
		return -1;
	}
	if (!json_object_object_get_ex(req, "id", &id)) {
		rpc_error_set(err, RPC_INVALID_REQUEST, "invalid request: missing id");
		return -1;
	}
	if (rpc_check_id(id, err) < 0)
		return -1;
	env->id = id;
	if (rpc_check_version(req, err) < 0 || rpc_check_method(req, &env->method, err) < 0 ||
	    rpc_check_keys(req, err) < 0)
		return -1;
	if (!json_object_object_get_ex(req, "params", &env->params))
		env->params = NULL;
	return 0;
}

static const struct rpc_method *rpc_find(const struct rpc_table *t, const char *name)
{
	for (size_t i = 0; i < t->count; i++) {
		if (strcmp(t->methods[i].name, name) == 0)
			return &t->methods[i];
	}
	return NULL;
}

/* Keeps what a pending request needs once its JSON tree is gone. */
static struct rpc_deferred *rpc_defer(void *ctx, const struct rpc_envelope *env,
				      const struct rpc_wait *w, struct rpc_error *err)
{
	struct rpc_deferred *d = calloc(1, sizeof(*d));

	if (!d) {
		rpc_error_set(err, RPC_INTERNAL_ERROR, "%s: out of memory", env->method);
		return NULL;
	}
	d->ctx = ctx;
	d->id = json_object_get(env->echo);
	snprintf(d->method, sizeof(d->method), "%s", env->method);
	d->wait = *w;
	return d;
}

/* 0 with *result, -1 with *err, or RPC_PENDING with *deferred set. */
static int rpc_dispatch(const struct rpc_table *t, void *ctx, const struct rpc_envelope *env,
			struct json_object **result, struct rpc_error *err,
			struct rpc_deferred **deferred)
{
	const struct rpc_method *m = rpc_find(t, env->method);
	struct rpc_wait wait = { NULL, NULL, 0, 0 };
	struct rpc_params p;
	int rc;

	if (!m) {
		char what[RPC_DESCRIBE_MAX];

		rpc_error_set(err, RPC_METHOD_NOT_FOUND, "unknown method %s",
			      rpc_quote(env->method, what, sizeof(what)));
		return -1;
	}
	if (t->access == RPC_ACCESS_NONE) {
		rpc_error_set(err, errmap_code(CACHET_EPERM), "permission denied: your user may not "
			      "use cachetd (see cachetd(8), ACCESS)");
		return -1;
	}
	if (t->access == RPC_ACCESS_MONITOR && !m->monitor) {
		rpc_error_set(err, errmap_code(CACHET_EPERM), "permission denied: %s is not allowed "
			      "on the read-only socket", m->name);
		return -1;
	}
	if (rpc_params_parse(env->params, m, &p, err) < 0)
		return -1;
	p.wait_slot = deferred ? &wait : NULL;
	*result = NULL;
	rc = m->handler(ctx, &p, result, err);
	if (rc < 0)
		return -1;
	if (rc == RPC_PENDING && deferred && wait.check) {
		*deferred = rpc_defer(ctx, env, &wait, err);
		return *deferred ? RPC_PENDING : -1;
	}
	if (rc == RPC_PENDING) {
		json_object_put(*result);
		*result = NULL;
		rpc_error_set(err, RPC_INTERNAL_ERROR, "%s: cannot wait here", m->name);
		return -1;
	}
	if (!*result) {
		rpc_error_set(err, RPC_INTERNAL_ERROR, "%s: out of memory", m->name);
		return -1;
	}
	return 0;
}

static struct json_object *rpc_error_object(const struct rpc_error *err)
{
	struct json_object *e = json_object_new_object();

	if (!e)
		return NULL;
	json_object_object_add(e, "code", json_object_new_int(err->code));
	json_object_object_add(e, "message", json_object_new_string(err->message));
	return e;
}

/* A response object; takes ownership of result (and of id, a reference). */
static struct json_object *rpc_response(struct json_object *id, struct json_object *result,
					const struct rpc_error *err)
{
	struct json_object *rsp = json_object_new_object();

	if (!rsp) {
		json_object_put(result);
		json_object_put(id);
		return NULL;
	}
	json_object_object_add(rsp, "jsonrpc", json_object_new_string("2.0"));
	json_object_object_add(rsp, "id", id);
	if (result)
		json_object_object_add(rsp, "result", result);
	else
		json_object_object_add(rsp, "error", rpc_error_object(err));
	return rsp;
}

/* Serialises a response (or batch of them) into a line, taking ownership of it. */
static char *rpc_line(struct json_object *rsp, size_t *out_len)
{
	const char *text = rsp ? json_object_to_json_string_ext(
					 rsp, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)
			       : NULL;
	size_t n = text ? strlen(text) : 0;
	char *line = text ? malloc(n + 2) : NULL;

	if (line) {
		memcpy(line, text, n);
		line[n] = '\n';
		line[n + 1] = '\0';
		*out_len = n + 1;
	}
	json_object_put(rsp);
	return line;
}

static char *rpc_respond(struct json_object *id, struct json_object *result,
			 const struct rpc_error *err, size_t *out_len)
{
	return rpc_line(rpc_response(json_object_get(id), result, err), out_len);
}

/*
 * One request (a whole line, or an element of a batch at @index): its
 * response object, or NULL with *deferred set when it is answered later.
 */
static struct json_object *rpc_handle_value(const struct rpc_table *t, void *ctx,
					    struct json_object *req, const char *line, size_t len,
					    int index, struct rpc_deferred **deferred)
{
	struct rpc_envelope env = { NULL, NULL, NULL, NULL };
	struct rpc_error err = { 0, "" };
	struct json_object *result = NULL;
	int rc = rpc_envelope(req, &env, &err);

	/* Set once the id is valid, so that every later error can echo it. */
	env.echo = env.id ? rpc_id_echo(env.id, line, len, index) : NULL;
	if (rc == 0)
		rc = rpc_dispatch(t, ctx, &env, &result, &err, deferred);
	if (rc == RPC_PENDING) {
		json_object_put(env.echo);
		return NULL;
	}
	return rpc_response(env.echo, result, &err);
}

/*
 * A batch (JSON-RPC 2.0, 6): an array of requests answered by an array of
 * responses, in order.  An empty batch is one invalid request; so is one
 * larger than RPC_BATCH_MAX (the daemon must bound the work of one line).
 * Requests in a batch cannot wait (shutdown -w, create on a build thread):
 * they are answered with an error saying so.
 */
static char *rpc_batch(const struct rpc_table *t, void *ctx, struct json_object *req,
		       const char *line, size_t len, size_t *out_len)
{
	size_t n = json_object_array_length(req);
	struct json_object *all;
	struct rpc_error err;

	if (n == 0 || n > RPC_BATCH_MAX) {
		rpc_error_set(&err, RPC_INVALID_REQUEST, "invalid request: %s batch (a batch holds "
			      "1 to %d requests)", n == 0 ? "an empty" : "too large a", RPC_BATCH_MAX);
		return rpc_respond(NULL, NULL, &err, out_len);
	}
	all = json_object_new_array_ext((int)n);
	for (size_t i = 0; all && i < n; i++) {
		struct json_object *one = rpc_handle_value(t, ctx, json_object_array_get_idx(req, i),
							   line, len, (int)i, NULL);

		json_object_array_add(all, one);
	}
	return rpc_line(all, out_len);
}

char *rpc_handle_line(const struct rpc_table *t, void *ctx, const char *line, size_t len,
		      size_t *out_len, struct rpc_deferred **deferred)
{
	struct rpc_error err = { 0, "" };
	struct json_object *req = NULL;
	char *rsp = NULL;

	if (deferred)
		*deferred = NULL;
	*out_len = 0;
	if (len > RPC_LINE_MAX)
		return rpc_oversize_response(out_len);
	if (rpc_parse(line, len, &req, &err) < 0)
		rsp = rpc_respond(NULL, NULL, &err, out_len);
	else if (json_object_is_type(req, json_type_array))
		rsp = rpc_batch(t, ctx, req, line, len, out_len);
	else {
		struct json_object *one = rpc_handle_value(t, ctx, req, line, len, -1, deferred);

		rsp = one ? rpc_line(one, out_len) : NULL;
	}
	json_object_put(req);
	return rsp;
}

int rpc_deferred_poll(struct rpc_deferred *d, void *ctx, char **rsp, size_t *out_len)
{
	struct rpc_error err = { 0, "" };
	struct json_object *result = NULL;
	int rc = d->wait.check(ctx, &d->wait, &result, &err);

	if (rc > 0)
		return 0;
	if (rc == 0 && !result)
		rpc_error_set(&err, RPC_INTERNAL_ERROR, "%s: out of memory", d->method);
	*out_len = 0;
	*rsp = rpc_respond(d->id, rc == 0 ? result : NULL, &err, out_len);
	json_object_put(d->id);
	free(d);
	return 1;
}

void rpc_deferred_free(struct rpc_deferred *d)
{
	if (!d)
		return;
	if (d->wait.drop)
		d->wait.drop(d->ctx, &d->wait);
	json_object_put(d->id);
	free(d);
}

char *rpc_error_response(const struct rpc_error *err, size_t *out_len)
{
	return rpc_respond(NULL, NULL, err, out_len);
}

char *rpc_oversize_response(size_t *out_len)
{
	struct rpc_error err;

	rpc_error_set(&err, RPC_INVALID_REQUEST, "invalid request: line longer than %d bytes",
		      RPC_LINE_MAX);
	return rpc_error_response(&err, out_len);
}

/* Length of the sequence a lead byte starts (0: not a lead byte) and its payload bits. */
static size_t rpc_utf8_lead(unsigned char c, uint32_t *cp)
{
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		*cp = c & 0x1fu;
		return 2;
	}
	if (c >= 0xe0 && c <= 0xef) {
		*cp = c & 0x0fu;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		*cp = c & 0x07u;
		return 4;
	}
	return 0;
}

size_t rpc_utf8_seq(const unsigned char *p, size_t n)
{
	uint32_t cp;
	size_t len = rpc_utf8_lead(p[0], &cp);

	if (len == 0 || n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3fu);
	}
	/* Overlong forms, UTF-16 surrogates and code points past U+10FFFF are invalid. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

struct json_object *rpc_json_bytes(const char *p, size_t n)
{
	static const char replacement[] = "\xef\xbf\xbd";
	const unsigned char *u = (const unsigned char *)p;
	struct json_object *o;
	char *out = malloc(n * 3 + 1); /* each byte grows to at most 3 */
	size_t len = 0;

	if (!out)
		return NULL;
	for (size_t i = 0; i < n;) {
		size_t seq = rpc_utf8_seq(u + i, n - i);

		if (seq == 0) {
			memcpy(out + len, replacement, 3);
			len += 3;
			i++;
			continue;
		}
		memcpy(out + len, p + i, seq);
		len += seq;
		i += seq;
	}
	o = json_object_new_string_len(out, (int)len);
	free(out);
	return o;
}
