/*
 * CONFIG to libvirt domain XML (domxml.h), built as a libxml2 tree and
 * written indented, in the order of libvirt's own documents.
 */
#define _GNU_SOURCE /* asprintf */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "cfgdev.h"
#include "domxml.h"
#include "domxml_int.h"

#define DOMXML_DEFAULT_MEMORY_MB 128

static const char *domxml_str(struct json_object *c, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(c, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static int64_t domxml_int(struct json_object *c, const char *key, int64_t def)
{
	struct json_object *v;

	if (!json_object_object_get_ex(c, key, &v) || !json_object_is_type(v, json_type_int))
		return def;
	return json_object_get_int64(v);
}

static xmlNode *domxml_add(xmlNode *parent, const char *name, const char *text)
{
	return xmlNewTextChild(parent, NULL, (const xmlChar *)name, (const xmlChar *)text);
}

static void domxml_add_opt(xmlNode *parent, const char *name, const char *text)
{
	if (text)
		domxml_add(parent, name, text);
}

static void domxml_attr(xmlNode *n, const char *name, const char *v)
{
	if (v)
		xmlNewProp(n, (const xmlChar *)name, (const xmlChar *)v);
}

static void domxml_attr_int(xmlNode *n, const char *name, int64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	domxml_attr(n, name, buf);
}

static xmlNode *domxml_add_int(xmlNode *parent, const char *name, int64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	return domxml_add(parent, name, buf);
}

static void domxml_memory(xmlNode *root, struct json_object *c)
{
	int64_t memory = domxml_int(c, "memory", DOMXML_DEFAULT_MEMORY_MB);

	domxml_attr(domxml_add_int(root, "memory", domxml_int(c, "maxmem", memory) * 1024), "unit",
		    "KiB");
	domxml_attr(domxml_add_int(root, "currentMemory", memory * 1024), "unit", "KiB");
}

/* <vcpu> (with cpus= as cpuset when one list is for all), or <cputune> for a list per vCPU. */
static void domxml_vcpus(xmlNode *root, struct json_object *c)
{
	int64_t vcpus = domxml_int(c, "vcpus", 1), max = domxml_int(c, "maxvcpus", vcpus);
	struct json_object *cpus = NULL;
	xmlNode *n = domxml_add_int(root, "vcpu", max), *tune;

	domxml_attr(n, "placement", "static");
	/* libvirt's CPU sets have no "all": unpinned is what it means. */
	if (domxml_str(c, "cpus") && strcmp(domxml_str(c, "cpus"), "all") != 0)
		domxml_attr(n, "cpuset", domxml_str(c, "cpus"));
	if (vcpus != max)
		domxml_attr_int(n, "current", vcpus);
	if (!json_object_object_get_ex(c, "cpus", &cpus) || !json_object_is_type(cpus, json_type_array))
		return;
	tune = domxml_add(root, "cputune", NULL);
	for (size_t i = 0; i < json_object_array_length(cpus); i++) {
		const char *set = json_object_get_string(json_object_array_get_idx(cpus, i));
		xmlNode *pin;

		if (strcmp(set, "all") == 0)
			continue;
		pin = domxml_add(tune, "vcpupin", NULL);
		domxml_attr_int(pin, "vcpu", (int64_t)i);
		domxml_attr(pin, "cpuset", set);
	}
}

/* The command line libxl gives the guest: cmdline, else root= and extra joined as xl does. */
static char *domxml_cmdline(struct json_object *c)
{
	const char *root = domxml_str(c, "root"), *extra = domxml_str(c, "extra");
	char *line = NULL;

	if (domxml_str(c, "cmdline"))
		return strdup(domxml_str(c, "cmdline"));
	if (!root && !extra)
		return NULL;
	if (asprintf(&line, "%s%s%s%s", root ? "root=" : "", root ? root : "",
		     root && extra ? " " : "", extra ? extra : "") < 0)
		return NULL;
	return line;
}

static void domxml_os(xmlNode *root, struct json_object *c)
{
	xmlNode *os = domxml_add(root, "os", NULL), *type;
	bool pvh = domxml_str(c, "type") != NULL;
	char *line = domxml_cmdline(c);

	/* Arm guests are what libvirt calls "xen" (PV); xl's type = "pvh" says "xenpvh". */
	type = domxml_add(os, "type", pvh ? "xenpvh" : "xen");
	domxml_attr(type, "arch", "aarch64");
	domxml_attr(type, "machine", pvh ? "xenpvh" : "xenpv");
	domxml_add_opt(os, "kernel", domxml_str(c, "kernel"));
	domxml_add_opt(os, "initrd", domxml_str(c, "ramdisk"));
	domxml_add_opt(os, "cmdline", line);
	domxml_add_opt(os, "dtb", domxml_str(c, "device_tree"));
	free(line);
}

static void domxml_features(xmlNode *root, struct json_object *c)
{
	const char *gic = domxml_str(c, "gic_version");

	if (!gic)
		return;
	domxml_attr(domxml_add(domxml_add(root, "features", NULL), "gic", NULL), "version",
		    strcmp(gic, "v3") == 0 ? "3" : "host");
}

static void domxml_actions(xmlNode *root, struct json_object *c)
{
	static const char *const keys[][2] = {
		{ "on_poweroff", "destroy" }, { "on_reboot", "restart" }, { "on_crash", "destroy" },
	};

	for (size_t i = 0; i < 3; i++) {
		const char *a = domxml_str(c, keys[i][0]);

		domxml_add(root, keys[i][0], a ? a : keys[i][1]);
	}
}

static void domxml_disk(xmlNode *devs, struct json_object *d)
{
	const char *path = domxml_str(d, "pdev_path"), *backend = domxml_str(d, "backend");
	const char *format = domxml_str(d, "format");
	bool cdrom = domxml_int(d, "is_cdrom", 0) != 0;
	bool block = backend && strcmp(backend, "phy") == 0;
	xmlNode *disk = domxml_add(devs, "disk", NULL), *n;

	domxml_attr(disk, "type", block ? "block" : "file");
	domxml_attr(disk, "device", cdrom ? "cdrom" : "disk");
	n = domxml_add(disk, "driver", NULL);
	domxml_attr(n, "name", block ? "phy" : backend && strcmp(backend, "qdisk") == 0 ? "qemu" : NULL);
	domxml_attr(n, "type", format && strcmp(format, "empty") ? format : NULL);
	if (path)
		domxml_attr(domxml_add(disk, "source", NULL), block ? "dev" : "file", path);
	n = domxml_add(disk, "target", NULL);
	domxml_attr(n, "dev", domxml_str(d, "vdev"));
	domxml_attr(n, "bus", "xen");
	if (domxml_int(d, "readwrite", 1) == 0)
		domxml_add(disk, "readonly", NULL);
}

/*
 * forward=PROTO:[ADDR:]HOSTPORT:GUESTPORT as libvirt's <portForward
 * proto= address=> with one <range start=HOSTPORT to=GUESTPORT/>.
 */
static int domxml_port_forward(xmlNode *iface, const char *fwd, char *msg, size_t msglen)
{
	char buf[64], *field[4], *save = NULL;
	xmlNode *pf, *range;
	int n = 0;

	snprintf(buf, sizeof(buf), "%s", fwd);
	for (char *p = strtok_r(buf, ":", &save); p; p = strtok_r(NULL, ":", &save)) {
		if (n == 4) { /* one field too many: refused below */
			n++;
			break;
		}
		field[n++] = p;
	}
	if (strlen(fwd) >= sizeof(buf) || n < 3 || n > 4) {
		snprintf(msg, msglen, "forward=%s is not PROTO:[ADDRESS:]HOSTPORT:GUESTPORT", fwd);
		return -1;
	}
	pf = domxml_add(iface, "portForward", NULL);
	domxml_attr(pf, "proto", field[0]);
	domxml_attr(pf, "address", n == 4 ? field[1] : NULL);
	range = domxml_add(pf, "range", NULL);
	domxml_attr(range, "start", field[n - 2]);
	domxml_attr(range, "to", field[n - 1]);
	return 0;
}

static int domxml_port_forwards(xmlNode *iface, struct json_object *nic, char *msg, size_t msglen)
{
	struct json_object *list;

	if (!json_object_object_get_ex(nic, "forward", &list) ||
	    !json_object_is_type(list, json_type_array))
		return 0;
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		if (domxml_port_forward(iface, json_object_get_string(json_object_array_get_idx(list, i)),
					msg, msglen) < 0)
			return -1;
	}
	return 0;
}

/* A vif on a bridge is a TAP device there; without one, Cachet's user-mode networking (slirp). */
static int domxml_interface(xmlNode *devs, struct json_object *nic, char *msg, size_t msglen)
{
	const char *bridge = domxml_str(nic, "bridge");
	xmlNode *n = domxml_add(devs, "interface", NULL);

	domxml_attr(n, "type", bridge ? "bridge" : "user");
	if (domxml_str(nic, "mac"))
		domxml_attr(domxml_add(n, "mac", NULL), "address", domxml_str(nic, "mac"));
	if (bridge)
		domxml_attr(domxml_add(n, "source", NULL), "bridge", bridge);
	if (domxml_str(nic, "ip"))
		domxml_attr(domxml_add(n, "ip", NULL), "address", domxml_str(nic, "ip"));
	if (domxml_port_forwards(n, nic, msg, msglen) < 0)
		return -1;
	if (domxml_str(nic, "script"))
		domxml_attr(domxml_add(n, "script", NULL), "path", domxml_str(nic, "script"));
	if (domxml_str(nic, "ifname"))
		domxml_attr(domxml_add(n, "target", NULL), "dev", domxml_str(nic, "ifname"));
	if (domxml_str(nic, "model"))
		domxml_attr(domxml_add(n, "model", NULL), "type", domxml_str(nic, "model"));
	return 0;
}

/* Each spec of CONFIG's @key list as a device element. */
static int domxml_specs(xmlNode *devs, struct json_object *c, const char *key, char *msg,
			size_t msglen)
{
	struct json_object *list, *dev;
	bool disks = strcmp(key, "disk") == 0;
	char why[256];

	if (!json_object_object_get_ex(c, key, &list) || !json_object_is_type(list, json_type_array))
		return 0;
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		const char *spec = json_object_get_string(json_object_array_get_idx(list, i));

		dev = disks ? cfgdev_disk_parse(spec, why, sizeof(why)) :
			      cfgdev_vif_parse(spec, why, sizeof(why));
		if (!dev) {
			snprintf(msg, msglen, "%s '%s': %s", key, spec, why);
			return -1;
		}
		if (disks)
			domxml_disk(devs, dev);
		else if (domxml_interface(devs, dev, why, sizeof(why)) < 0) {
			snprintf(msg, msglen, "%s '%s': %s", key, spec, why);
			json_object_put(dev);
			return -1;
		}
		json_object_put(dev);
	}
	return 0;
}

static int domxml_devices(xmlNode *root, struct json_object *c, char *msg, size_t msglen)
{
	xmlNode *devs = domxml_add(root, "devices", NULL), *con;

	if (domxml_specs(devs, c, "disk", msg, msglen) < 0 ||
	    domxml_specs(devs, c, "vif", msg, msglen) < 0)
		return -1;
	if (domxml_str(c, "vuart")) {
		con = domxml_add(devs, "serial", NULL);
		domxml_attr(con, "type", "pty");
		domxml_attr_int(domxml_add(con, "target", NULL), "port", 0);
	}
	con = domxml_add(devs, "console", NULL);
	domxml_attr(con, "type", "pty");
	domxml_attr(domxml_add(con, "target", NULL), "type", "xen");
	return 0;
}

/* cache_policy has no libvirt element: it goes to Cachet's own <metadata>. */
static void domxml_metadata(xmlNode *root, struct json_object *c)
{
	const char *policy = domxml_str(c, "cache_policy");
	xmlNode *meta, *dom;
	xmlNs *ns;

	if (!policy)
		return;
	meta = domxml_add(root, "metadata", NULL);
	dom = xmlNewChild(meta, NULL, (const xmlChar *)"domain", NULL);
	ns = xmlNewNs(dom, (const xmlChar *)DOMXML_CACHET_NS, (const xmlChar *)DOMXML_CACHET_PREFIX);
	xmlSetNs(dom, ns);
	xmlNewTextChild(dom, ns, (const xmlChar *)"cache_policy", (const xmlChar *)policy);
}

char *domxml_from_config(struct json_object *config, int64_t domid, char *msg, size_t msglen)
{
	xmlDoc *doc = xmlNewDoc((const xmlChar *)"1.0");
	xmlNode *root = xmlNewNode(NULL, (const xmlChar *)"domain");
	xmlChar *buf = NULL;
	char *text = NULL;
	int len = 0;

	xmlDocSetRootElement(doc, root);
	domxml_attr(root, "type", "xen");
	if (domid >= 0)
		domxml_attr_int(root, "id", domid);
	domxml_add_opt(root, "name", domxml_str(config, "name"));
	domxml_add_opt(root, "uuid", domxml_str(config, "uuid"));
	domxml_metadata(root, config);
	domxml_memory(root, config);
	domxml_vcpus(root, config);
	domxml_os(root, config);
	domxml_features(root, config);
	domxml_actions(root, config);
	if (domxml_devices(root, config, msg, msglen) == 0) {
		/* Without the XML declaration, as virsh prints a domain. */
		xmlDocDumpFormatMemory(doc, &buf, &len, 1);
		text = buf ? strdup(strchr((char *)buf, '\n') + 1) : NULL;
		if (!text)
			snprintf(msg, msglen, "out of memory");
	}
	xmlFree(buf);
	xmlFreeDoc(doc);
	return text;
}
