/*
 * Conversions between xl.cfg and libvirt's domain XML, under virsh's names:
 * domxml-from-native and domxml-to-native, format "xen-xl" (virsh-domain.c),
 * and config-dump, any format written back as xl.cfg or libxl's JSON.  All
 * check the configuration as `create -n` would, but keep paths as written:
 * the files may live on another host.
 */
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "cfg_source.h"
#include "cfg_write.h"
#include "cli.h"
#include "domxml.h"
#include "xljson.h"

#define XML_FORMAT "xen-xl"

/* Parses FORMAT FILE; FORMAT must be xen-xl. */
static int xml_args(struct cli_ctx *ctx, int argc, char **argv, const char **file)
{
	/* No options: cli_getopt has printed the usage error for any. */
	if (cli_getopt(ctx, argc, argv, "") != -1)
		return CLI_USAGE;
	if (argc - cli_optind() != 2)
		return cli_usage_error(ctx, "expected FORMAT and FILE");
	if (strcmp(argv[cli_optind()], XML_FORMAT) != 0)
		return cli_usage_error(ctx, "format '%s' is not supported (only %s)",
				       argv[cli_optind()], XML_FORMAT);
	*file = argv[cli_optind() + 1];
	return CLI_OK;
}

/* Reads @file (any format create takes) into a checked CONFIG, warnings printed. */
static int xml_load(struct cli_ctx *ctx, const char *file, struct json_object **config)
{
	struct cfg *c = cfg_new();
	int ret;

	if (!c)
		return cli_fail(ctx, "out of memory");
	cfg_keep_paths(c);
	ret = cfgsrc_load(c, file) == 0 ? cfg_to_json(c, config) : -1;
	for (size_t i = 0; i < cfg_warning_count(c); i++)
		fprintf(ctx->err, "%s\n", cfg_warning(c, i));
	if (ret < 0)
		cli_fail(ctx, "%s", cfg_error(c));
	cfg_free(c);
	return ret < 0 ? CLI_FAIL : CLI_OK;
}

/* The converter from a checked CONFIG to the output format. */
typedef char *xml_convert_fn(struct json_object *config, char *msg, size_t msglen);

static char *xml_to_domxml(struct json_object *config, char *msg, size_t msglen)
{
	return domxml_from_config(config, -1, msg, msglen);
}

static int xml_convert(struct cli_ctx *ctx, int argc, char **argv, xml_convert_fn *convert)
{
	struct json_object *config;
	const char *file = NULL;
	char msg[256], *text;
	int ret = xml_args(ctx, argc, argv, &file);

	if (ret == CLI_OK)
		ret = xml_load(ctx, file, &config);
	if (ret != CLI_OK)
		return ret;
	text = convert(config, msg, sizeof(msg));
	json_object_put(config);
	return cli_print_text(ctx, text, msg);
}

static char *xml_to_libxl(struct json_object *config, char *msg, size_t msglen)
{
	struct xljson_dom dom = { .config = config };

	return xljson_render(&dom, 1, false, msg, msglen);
}

int cmd_config_dump(struct cli_ctx *ctx, int argc, char **argv)
{
	struct json_object *config;
	bool json = false;
	char msg[256], *text;
	int opt, ret;

	while ((opt = cli_getopt(ctx, argc, argv, "j")) != -1) {
		if (opt == '?')
			return CLI_USAGE;
		json = true;
	}
	if (argc - cli_optind() != 1)
		return cli_usage_error(ctx, "expected one FILE");
	ret = xml_load(ctx, argv[cli_optind()], &config);
	if (ret != CLI_OK)
		return ret;
	text = json ? xml_to_libxl(config, msg, sizeof(msg)) : cfgw_render(config, msg, sizeof(msg));
	json_object_put(config);
	return cli_print_text(ctx, text, msg);
}

int cmd_domxml_from_native(struct cli_ctx *ctx, int argc, char **argv)
{
	return xml_convert(ctx, argc, argv, xml_to_domxml);
}

int cmd_domxml_to_native(struct cli_ctx *ctx, int argc, char **argv)
{
	return xml_convert(ctx, argc, argv, cfgw_render);
}
