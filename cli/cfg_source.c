/*
 * Loading a configuration whatever its format (cfg_source.h).  libxl's JSON
 * and libvirt's XML become a CONFIG object first, which cfg_parse_config then checks like any
 * xl.cfg file.
 */
#include "cfg_source.h"

#include <stdlib.h>
#include <string.h>

#include "cfg_int.h"
#include "domxml.h"
#include "xljson.h"

enum cfgsrc_format cfgsrc_detect(const char *text)
{
	text += strspn(text, " \t\r\n");
	if (*text == '{' || *text == '[')
		return CFGSRC_JSON;
	if (*text == '<')
		return CFGSRC_XML;
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

/* libvirt's XML into a CONFIG object; NULL with the error set. */
static struct json_object *cfgsrc_from_xml(struct cfg *c, const char *path, const char *text)
{
	struct json_object *config = NULL;
	char msg[512], *ignored = NULL;

	if (domxml_to_config(text, &config, &ignored, msg, sizeof(msg)) < 0) {
		cfg_set_error(c, "%s: %s", path, msg);
		return NULL;
	}
	if (ignored)
		cfg_warn(c, NULL, 0, "%s: ignoring elements Cachet cannot honour: %s", path, ignored);
	free(ignored);
	return config;
}

int cfgsrc_load(struct cfg *c, const char *path)
{
	char *text = cfg_read_file(c, path);
	struct json_object *config = NULL;
	int ret = -1;

	if (!text)
		return -1;
	switch (cfgsrc_detect(text)) {
	case CFGSRC_JSON:
		config = cfgsrc_from_json(c, path, text);
		break;
	case CFGSRC_XML:
		config = cfgsrc_from_xml(c, path, text);
		break;
	case CFGSRC_XL:
		ret = cfg_parse_file(c, path);
		break;
	}
	free(text);
	if (config)
		ret = cfg_parse_config(c, path, config);
	json_object_put(config);
	return ret;
}
