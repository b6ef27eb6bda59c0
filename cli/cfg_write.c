/*
 * Writing a CONFIG object back as xl.cfg text (cfg_write.h): the keys in
 * the object's order, then the ignored ones, so that reading the text again
 * gives the same CONFIG.  Strings are double-quoted with the escapes the
 * parser reads (cfg.c), so any byte but NUL survives.
 */
#include "cfg_write.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void cfgw_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch < 0x20 || ch == 0x7f)
			fprintf(f, "\\x%02x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

/* One value: a string, an integer (or JSON boolean, as xl's 0/1), or a flat list. */
static int cfgw_value(FILE *f, struct json_object *v, bool in_list)
{
	switch (json_object_get_type(v)) {
	case json_type_string:
		cfgw_string(f, json_object_get_string(v));
		return 0;
	case json_type_int:
		fprintf(f, "%lld", (long long)json_object_get_int64(v));
		return 0;
	case json_type_boolean:
		fprintf(f, "%d", json_object_get_boolean(v) ? 1 : 0);
		return 0;
	case json_type_array:
		if (in_list)
			return -1;
		fputs("[ ", f);
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			if (i)
				fputs(", ", f);
			if (cfgw_value(f, json_object_array_get_idx(v, i), true) < 0)
				return -1;
		}
		fputs(" ]", f);
		return 0;
	default:
		return -1;
	}
}

static int cfgw_setting(FILE *f, const char *key, struct json_object *v, char *msg,
			size_t msglen)
{
	fprintf(f, "%s = ", key);
	if (cfgw_value(f, v, false) < 0) {
		snprintf(msg, msglen, "%s: this value cannot be written in xl.cfg syntax", key);
		return -1;
	}
	fputc('\n', f);
	return 0;
}

char *cfgw_render(struct json_object *config, char *msg, size_t msglen)
{
	struct json_object *ignored = NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int ret = 0;

	if (!f) {
		snprintf(msg, msglen, "out of memory");
		return NULL;
	}
	json_object_object_foreach(config, key, val) {
		if (strcmp(key, "ignored") == 0)
			ignored = val;
		else if (ret == 0)
			ret = cfgw_setting(f, key, val, msg, msglen);
	}
	if (ignored && json_object_is_type(ignored, json_type_object)) {
		json_object_object_foreach(ignored, ikey, ival) {
			if (ret == 0)
				ret = cfgw_setting(f, ikey, ival, msg, msglen);
		}
	}
	if (fclose(f) != 0 && ret == 0) {
		snprintf(msg, msglen, "out of memory");
		ret = -1;
	}
	if (ret < 0) {
		free(text);
		return NULL;
	}
	return text;
}
