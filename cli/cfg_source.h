/*
 * cfgsrc: a configuration file in any of the formats `cachet create`
 * takes, told apart by content as `virsh` and `xl` users expect: libxl's
 * JSON (`xl list -l`, `xl create -n`, `cachet list -l`) when it starts with
 * '{' or '[', libvirt's domain XML when it starts with '<', else xl.cfg.
 */
#ifndef CACHET_CLI_CFG_SOURCE_H
#define CACHET_CLI_CFG_SOURCE_H

#include "cfg.h"

enum cfgsrc_format { CFGSRC_XL, CFGSRC_JSON, CFGSRC_XML };

/* The format of @text by its first non-blank byte. */
enum cfgsrc_format cfgsrc_detect(const char *text);

/* Reads @path into @c (errors as cfg_parse_file's). */
int cfgsrc_load(struct cfg *c, const char *path);

#endif
