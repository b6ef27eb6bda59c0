/*
 * Request ids echoed exactly.  JSON-RPC 2.0 asks for the response's id to
 * be the request's, and an id may be any JSON number.  json-c keeps the
 * text of a fraction or exponent, but stores integers as 64-bit values:
 * one beyond the 64-bit ranges comes back clamped, and -0 as 0.  A valid
 * JSON integer that was neither prints back as written, so only ids whose
 * value sits on a clamp bound or is 0 are looked up again, with yajl, whose
 * tree keeps every number's original text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_tree.h>

#include "rpc.h"

static bool rpc_id_maybe_altered(struct json_object *id)
{
	int64_t v;

	if (!json_object_is_type(id, json_type_int))
		return false;
	v = json_object_get_int64(id);
	return v == 0 || v == INT64_MIN || v == INT64_MAX ||
	       json_object_get_uint64(id) == UINT64_MAX;
}

/* The id member's number text in the request (@index: its place in a batch, or -1). */
static char *rpc_id_text(const char *line, size_t len, int index)
{
	const char *path[] = { "id", NULL };
	char *copy = malloc(len + 1);
	yajl_val root, req, id;
	char *text = NULL;

	if (!copy)
		return NULL;
	memcpy(copy, line, len);
	copy[len] = '\0';
	root = yajl_tree_parse(copy, NULL, 0);
	free(copy);
	req = root;
	if (root && index >= 0)
		req = YAJL_IS_ARRAY(root) && (size_t)index < root->u.array.len
			      ? root->u.array.values[index] : NULL;
	id = req ? yajl_tree_get(req, path, yajl_t_number) : NULL;
	if (id && id->u.number.r)
		text = strdup(id->u.number.r);
	yajl_tree_free(root);
	return text;
}

struct json_object *rpc_id_echo(struct json_object *id, const char *line, size_t len, int index)
{
	char *text;
	struct json_object *exact;

	if (!id || !rpc_id_maybe_altered(id))
		return json_object_get(id);
	text = rpc_id_text(line, len, index);
	if (!text)
		return json_object_get(id);
	/* A double made from its text is written back as that very text. */
	exact = json_object_new_double_s(0.0, text);
	free(text);
	return exact ? exact : json_object_get(id);
}
