/*
 * cfgw: a CONFIG object (what cfg_to_json gives, what cachetd keeps) written
 * back as xl.cfg text, one `key = value` per line, the keys under
 * "ignored" among the others.  Reading the text with cfg_parse_text gives
 * the same CONFIG: this is how configurations from libxl's JSON and from
 * libvirt's XML reach the one parser that checks them, and how
 * `domxml-to-native` writes xl.cfg.
 */
#ifndef CACHET_CLI_CFG_WRITE_H
#define CACHET_CLI_CFG_WRITE_H

#include <stddef.h>

#include <json.h>

/* The text (malloc'd), or NULL with @msg naming the key that cannot be written. */
char *cfgw_render(struct json_object *config, char *msg, size_t msglen);

#endif
