/*
 * Fuzzes the CLI's xl.cfg parser (cli/cfg.c, cli/cfg_keys.c): the input is a
 * config file.  Beyond "no crash", it checks what the parser promises: a
 * parse either yields a JSON object json-c can print, or fails with a
 * message saying why.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CFG_MAX (64 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_object *obj = NULL;
	struct cfg *c;
	char *text;

	if (size > FUZZ_CFG_MAX)
		return 0;
	text = malloc(size + 1);
	c = cfg_new();
	if (!text || !c)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	if (cfg_parse_text(c, "fuzz.cfg", 1, text, "/nonexistent") == 0 &&
	    cfg_to_json(c, &obj) == 0) {
		if (!json_object_is_type(obj, json_type_object) || !json_object_to_json_string(obj))
			abort();
	} else if (cfg_error(c)[0] == '\0') {
		abort(); /* every refusal says why */
	}
	json_object_put(obj);
	cfg_free(c);
	free(text);
	return 0;
}
