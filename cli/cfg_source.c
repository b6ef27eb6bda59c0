/*
 * Loading a configuration whatever its format (cfg_source.h).  libxl's JSON
 * becomes a CONFIG object first, which cfg_parse_config then checks like any
 * xl.cfg file.
 */
#include "cfg_source.h"

#include <stdlib.h>
#include <string.h>

#include "cfg_int.h"
#include "xljson.h"

enum cfgsrc_format cfgsrc_detect(const char *text)
{
	text += strspn(text, " \t\r\n");
	if (*text == '{' || *text == '[')
		return CFGSRC_JSON;
	return CFGSRC_XL;
}

/* libxl's JSON into a CONFIG object; NULL with the error set. */
static struct json_object *cfgsrc_from_json(struct cfg *c, const char *path, const char *text)
{
	enum json_tokener_error jerr;
	struct json_object *doc = json_tokener_parse_verbose(text, &jerr), *config = NULL;
	char msg[256];

	if (!doc) {
		cfg_set_error(c, "%s: not valid JSON: %s", path, json_tokener_error_desc(jerr));
		return NULL;
	}
	if (xljson_to_config(doc, &config, msg, sizeof(msg)) < 0)
		cfg_set_error(c, "%s: %s", path, msg);
	json_object_put(doc);
	return config;
}

int cfgsrc_load(struct cfg *c, const char *path)
{
	char *text = cfg_read_file(c, path);
	struct json_object *config = NULL;
	int ret = -1;

	if (!text)
		return -1;
	if (cfgsrc_detect(text) == CFGSRC_JSON)
		config = cfgsrc_from_json(c, path, text);
	else
		ret = cfg_parse_file(c, path);
	free(text);
	if (config)
		ret = cfg_parse_config(c, path, config);
	json_object_put(config);
	return ret;
}
