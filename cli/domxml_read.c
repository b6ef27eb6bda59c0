/*
 * libvirt domain XML to CONFIG (domxml.h).  The document is parsed by
 * libxml2 without network access or entity expansion; each child of
 * <domain> has a reader in domxml_top, each device one in domxml_devs.
 * Device elements become xl specs through libxl's disk and nic shapes
 * (cfgdev.h), so they are checked like the specs of an xl.cfg file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "cfgdev.h"
#include "domxml.h"
#include "domxml_int.h"

/* The document being read. */
struct domxml_rd {
	struct json_object *cfg;
	struct json_object *pins;  /* cputune/vcpupin, by vCPU */
	char ignored[1024];        /* names of what Cachet does not honour */
	char *msg;
	size_t msglen;
};

typedef int domxml_read_fn(struct domxml_rd *rd, xmlNode *n);

struct domxml_reader {
	const char *name;
	domxml_read_fn *read;
};

#define DOMXML_ERR_SIZE 256

static int domxml_fail(struct domxml_rd *rd, const char *fmt, const char *arg)
{
	snprintf(rd->msg, rd->msglen, fmt, arg);
	return -1;
}

/* Notes @what (an element path) as ignored, once. */
static void domxml_ignore(struct domxml_rd *rd, const char *what)
{
	size_t used = strlen(rd->ignored);
	char quoted[128];

	snprintf(quoted, sizeof(quoted), "<%s>", what);
	if (!strstr(rd->ignored, quoted))
		snprintf(rd->ignored + used, sizeof(rd->ignored) - used, "%s%s", used ? ", " : "",
			 quoted);
}

static void domxml_ignore_in(struct domxml_rd *rd, const char *parent, xmlNode *n)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", parent, (const char *)n->name);
	domxml_ignore(rd, path);
}

static bool domxml_is(xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* An attribute or the text of an element as a CONFIG string. */
static void domxml_put_xml(struct json_object *o, const char *key, xmlChar *v)
{
	if (v)
		json_object_object_add(o, key, json_object_new_string((const char *)v));
	xmlFree(v);
}

static int domxml_text_key(struct domxml_rd *rd, xmlNode *n, const char *key)
{
	domxml_put_xml(rd->cfg, key, xmlNodeGetContent(n));
	return 0;
}

static int domxml_name(struct domxml_rd *rd, xmlNode *n)
{
	return domxml_text_key(rd, n, "name");
}

static int domxml_uuid(struct domxml_rd *rd, xmlNode *n)
{
	return domxml_text_key(rd, n, "uuid");
}

static int domxml_set_action(struct domxml_rd *rd, xmlNode *n)
{
	return domxml_text_key(rd, n, (const char *)n->name);
}

/* A number of @unit (libvirt's units; KiB without one) in whole MiB, rounded up as libvirt does. */
static int domxml_mib(struct domxml_rd *rd, xmlNode *n, int64_t *mib)
{
	static const struct {
		const char *unit;
		unsigned long long bytes;
	} units[] = {
		{ "b", 1 },	      { "bytes", 1 },	     { "KB", 1000ULL },	   { "k", 1024ULL },
		{ "KiB", 1024ULL },   { "MB", 1000000ULL },  { "M", 1ULL << 20 },  { "MiB", 1ULL << 20 },
		{ "GB", 1000000000ULL }, { "G", 1ULL << 30 }, { "GiB", 1ULL << 30 }, { "TB", 1000000000000ULL },
		{ "T", 1ULL << 40 },  { "TiB", 1ULL << 40 },
	};
	xmlChar *unit = xmlGetProp(n, (const xmlChar *)"unit"), *text = xmlNodeGetContent(n);
	unsigned long long v = 0, scale = 0;
	char *end = NULL;

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(unit ? (const char *)unit : "KiB", units[i].unit) == 0)
			scale = units[i].bytes;
	if (text)
		v = strtoull((const char *)text, &end, 10);
	xmlFree(unit);
	if (!scale || !end || *end || end == (char *)text || v > (1ULL << 50) / scale) {
		xmlFree(text);
		return domxml_fail(rd, "<%s>: not a size in a libvirt unit", (const char *)n->name);
	}
	xmlFree(text);
	*mib = (int64_t)((v * scale + (1ULL << 20) - 1) >> 20);
	return 0;
}

static int domxml_memory(struct domxml_rd *rd, xmlNode *n)
{
	int64_t mib;

	if (domxml_mib(rd, n, &mib) < 0)
		return -1;
	/* <memory> is the most the domain may have (xl's maxmem), <currentMemory> what it gets. */
	json_object_object_add(rd->cfg, domxml_is(n, "memory") ? "maxmem" : "memory",
			       json_object_new_int64(mib));
	return 0;
}

static int domxml_count(struct domxml_rd *rd, xmlChar *text, const char *what, int64_t *out)
{
	char *end = NULL;
	long long v = text ? strtoll((const char *)text, &end, 10) : -1;
	bool ok = text && end && !*end && end != (char *)text && v > 0 && v < 4096;

	xmlFree(text);
	if (!ok)
		return domxml_fail(rd, "%s: not a vCPU count", what);
	*out = v;
	return 0;
}

static int domxml_vcpu(struct domxml_rd *rd, xmlNode *n)
{
	xmlChar *current = xmlGetProp(n, (const xmlChar *)"current");
	int64_t max, cur;

	if (domxml_count(rd, xmlNodeGetContent(n), "<vcpu>", &max) < 0) {
		xmlFree(current);
		return -1;
	}
	cur = max;
	if (current && domxml_count(rd, current, "<vcpu current>", &cur) < 0)
		return -1;
	json_object_object_add(rd->cfg, "vcpus", json_object_new_int64(cur));
	if (cur != max)
		json_object_object_add(rd->cfg, "maxvcpus", json_object_new_int64(max));
	domxml_put_xml(rd->cfg, "cpus", xmlGetProp(n, (const xmlChar *)"cpuset"));
	return 0;
}

/* <cputune><vcpupin vcpu='N' cpuset='...'/>: xl's list form of cpus=. */
static int domxml_cputune(struct domxml_rd *rd, xmlNode *n)
{
	for (xmlNode *c = n->children; c; c = c->next) {
		xmlChar *vcpu, *set;
		int64_t i;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!domxml_is(c, "vcpupin")) {
			domxml_ignore_in(rd, "cputune", c);
			continue;
		}
		vcpu = xmlGetProp(c, (const xmlChar *)"vcpu");
		set = xmlGetProp(c, (const xmlChar *)"cpuset");
		i = vcpu ? strtoll((const char *)vcpu, NULL, 10) : -1;
		xmlFree(vcpu);
		if (!set || i < 0 || i >= DOMXML_VCPUS_MAX) {
			xmlFree(set);
			return domxml_fail(rd, "%s", "<vcpupin>: needs vcpu='N' (0 to 127) and cpuset");
		}
		json_object_array_put_idx(rd->pins, (size_t)i, json_object_new_string((const char *)set));
		xmlFree(set);
	}
	return 0;
}

/* <os><type arch='aarch64'>: an Arm guest; "hvm" is kept as xl's type for a warning. */
static int domxml_os_type(struct domxml_rd *rd, xmlNode *n)
{
	xmlChar *arch = xmlGetProp(n, (const xmlChar *)"arch"), *type = xmlNodeGetContent(n);
	bool arm = !arch || strcmp((const char *)arch, "aarch64") == 0;
	int ret = 0;

	if (!arm)
		ret = domxml_fail(rd, "<os><type arch='%s'>: Cachet runs aarch64 guests",
				  (const char *)arch);
	else if (type && strcmp((const char *)type, "xenpvh") == 0)
		json_object_object_add(rd->cfg, "type", json_object_new_string("pvh"));
	else if (type && strcmp((const char *)type, "hvm") == 0)
		json_object_object_add(rd->cfg, "type", json_object_new_string("hvm"));
	else if (type && strcmp((const char *)type, "xen") != 0 && strcmp((const char *)type, "linux") != 0)
		ret = domxml_fail(rd, "<os><type>%s</type>: not a Xen guest type (xen, xenpvh)",
				  (const char *)type);
	xmlFree(arch);
	xmlFree(type);
	return ret;
}

static int domxml_os(struct domxml_rd *rd, xmlNode *n)
{
	static const char *const keys[][2] = {
		{ "kernel", "kernel" }, { "initrd", "ramdisk" }, { "cmdline", "cmdline" },
		{ "dtb", "device_tree" },
	};

	for (xmlNode *c = n->children; c; c = c->next) {
		bool known = false;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (domxml_is(c, "type")) {
			if (domxml_os_type(rd, c) < 0)
				return -1;
			continue;
		}
		for (size_t i = 0; i < 4 && !known; i++) {
			if (domxml_is(c, keys[i][0])) {
				domxml_text_key(rd, c, keys[i][1]);
				known = true;
			}
		}
		if (!known)
			domxml_ignore_in(rd, "os", c);
	}
	return 0;
}

/* <features><gic version='3'/>: the guest's GIC; other features do not apply. */
static int domxml_features(struct domxml_rd *rd, xmlNode *n)
{
	for (xmlNode *c = n->children; c; c = c->next) {
		xmlChar *v;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!domxml_is(c, "gic")) {
			domxml_ignore_in(rd, "features", c);
			continue;
		}
		v = xmlGetProp(c, (const xmlChar *)"version");
		json_object_object_add(rd->cfg, "gic_version",
				       json_object_new_string(!v || strcmp((const char *)v, "host") == 0 ?
								      "native" :
								      strcmp((const char *)v, "3") == 0 ? "v3" : "v2"));
		xmlFree(v);
	}
	return 0;
}

/* <metadata><cachet:domain>: what only Cachet has (cache_policy). */
static int domxml_metadata(struct domxml_rd *rd, xmlNode *n)
{
	for (xmlNode *c = n->children; c; c = c->next) {
		if (!domxml_is(c, "domain") || !c->ns ||
		    strcmp((const char *)c->ns->href, DOMXML_CACHET_NS) != 0)
			continue;
		for (xmlNode *p = c->children; p; p = p->next)
			if (domxml_is(p, "cache_policy"))
				domxml_text_key(rd, p, "cache_policy");
	}
	return 0;
}

/* <clock offset='utc'> is what guests get; another offset cannot be honoured. */
static int domxml_clock(struct domxml_rd *rd, xmlNode *n)
{
	xmlChar *offset = xmlGetProp(n, (const xmlChar *)"offset");

	if (offset && strcmp((const char *)offset, "utc") != 0)
		domxml_ignore(rd, "clock");
	xmlFree(offset);
	return 0;
}

static int domxml_devices(struct domxml_rd *rd, xmlNode *n);

static const struct domxml_reader domxml_top[] = {
	{ "name", domxml_name },
	{ "uuid", domxml_uuid },
	{ "memory", domxml_memory },
	{ "currentMemory", domxml_memory },
	{ "vcpu", domxml_vcpu },
	{ "cputune", domxml_cputune },
	{ "os", domxml_os },
	{ "features", domxml_features },
	{ "clock", domxml_clock },
	{ "on_poweroff", domxml_set_action },
	{ "on_reboot", domxml_set_action },
	{ "on_crash", domxml_set_action },
	{ "devices", domxml_devices },
	{ "metadata", domxml_metadata },
};

static int domxml_dispatch(struct domxml_rd *rd, xmlNode *n, const struct domxml_reader *t,
			   size_t nt, const char *parent)
{
	for (xmlNode *c = n->children; c; c = c->next) {
		size_t i;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		for (i = 0; i < nt && !domxml_is(c, t[i].name); i++)
			;
		if (i == nt) {
			if (parent)
				domxml_ignore_in(rd, parent, c);
			else
				domxml_ignore(rd, (const char *)c->name);
		} else if (t[i].read(rd, c) < 0) {
			return -1;
		}
	}
	return 0;
}

/* ---- Devices ------------------------------------------------------------ */

static xmlNode *domxml_child(xmlNode *n, const char *name)
{
	for (xmlNode *c = n->children; c; c = c->next)
		if (domxml_is(c, name))
			return c;
	return NULL;
}

/* The attribute @attr of @n's child @child, into libxl object @o as @key. */
static void domxml_child_attr(struct json_object *o, const char *key, xmlNode *n,
			      const char *child, const char *attr)
{
	xmlNode *c = domxml_child(n, child);

	if (c)
		domxml_put_xml(o, key, xmlGetProp(c, (const xmlChar *)attr));
}

static void domxml_add_spec(struct domxml_rd *rd, const char *key, char *spec)
{
	struct json_object *list;

	if (!json_object_object_get_ex(rd->cfg, key, &list)) {
		list = json_object_new_array();
		json_object_object_add(rd->cfg, key, list);
	}
	json_object_array_add(list, json_object_new_string(spec));
	free(spec);
}

/* <driver name type>: libxl's backend and format. */
static void domxml_disk_driver(struct json_object *d, xmlNode *n)
{
	xmlNode *drv = domxml_child(n, "driver");
	xmlChar *name = drv ? xmlGetProp(drv, (const xmlChar *)"name") : NULL;
	xmlChar *type = drv ? xmlGetProp(drv, (const xmlChar *)"type") : NULL;

	if (name && strcmp((const char *)name, "phy") == 0)
		json_object_object_add(d, "backend", json_object_new_string("phy"));
	else if (name && strcmp((const char *)name, "qemu") == 0)
		json_object_object_add(d, "backend", json_object_new_string("qdisk"));
	/* The old blktap spelling "aio" is a raw image. */
	json_object_object_add(d, "format",
			       json_object_new_string(!type || strcmp((const char *)type, "aio") == 0 ?
							      "raw" : (const char *)type));
	xmlFree(name);
	xmlFree(type);
}

static int domxml_disk(struct domxml_rd *rd, xmlNode *n)
{
	xmlChar *device = xmlGetProp(n, (const xmlChar *)"device");
	bool cdrom = device && strcmp((const char *)device, "cdrom") == 0;
	bool other = device && !cdrom && strcmp((const char *)device, "disk") != 0;
	struct json_object *d;
	char *spec;

	xmlFree(device);
	if (other) {
		domxml_ignore(rd, "devices/disk device='floppy' or 'lun'");
		return 0;
	}
	d = json_object_new_object();
	domxml_child_attr(d, "pdev_path", n, "source", "file");
	if (!json_object_object_get_ex(d, "pdev_path", NULL))
		domxml_child_attr(d, "pdev_path", n, "source", "dev");
	domxml_child_attr(d, "vdev", n, "target", "dev");
	domxml_disk_driver(d, n);
	json_object_object_add(d, "readwrite", json_object_new_int(!domxml_child(n, "readonly") && !cdrom));
	if (cdrom)
		json_object_object_add(d, "is_cdrom", json_object_new_int(1));
	spec = cfgdev_disk_spec(d);
	json_object_put(d);
	if (!spec)
		return domxml_fail(rd, "%s", "<disk>: no <target dev='...'/> (the guest's name for it)");
	domxml_add_spec(rd, "disk", spec);
	return 0;
}

static bool domxml_attr_is(xmlNode *n, const char *attr, const char *value)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)attr);
	bool is = v && strcmp((const char *)v, value) == 0;

	xmlFree(v);
	return is;
}

/* A port attribute of <range>: 1..65535; -1 if absent or malformed. */
static long domxml_port_attr(xmlNode *n, const char *attr)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)attr);
	char *end = NULL;
	long port = v ? strtol((const char *)v, &end, 10) : -1;

	if (!v || !end || *end || end == (char *)v || port < 1 || port > 65535)
		port = -1;
	xmlFree(v);
	return port;
}

static void domxml_add_forward(struct json_object *nic, const char *proto, const xmlChar *addr,
			       long host, long guest)
{
	struct json_object *list;
	char fwd[96];

	if (!json_object_object_get_ex(nic, "forward", &list)) {
		list = json_object_new_array();
		json_object_object_add(nic, "forward", list);
	}
	snprintf(fwd, sizeof(fwd), "%s:%s%s%ld:%ld", proto, addr ? (const char *)addr : "",
		 addr ? ":" : "", host, guest);
	json_object_array_add(list, json_object_new_string(fwd));
}

/*
 * <range start=HOSTPORT [end=LASTHOSTPORT] [to=GUESTPORT]/>: each host port
 * from start to end goes to the guest port as far from to (the same port
 * without to), one forward= each.
 */
static int domxml_forward_range(struct domxml_rd *rd, struct json_object *nic, const char *proto,
				const xmlChar *addr, xmlNode *r)
{
	long start = domxml_port_attr(r, "start"), end = start, to = start;

	if (xmlHasProp(r, (const xmlChar *)"end"))
		end = domxml_port_attr(r, "end");
	if (xmlHasProp(r, (const xmlChar *)"to"))
		to = domxml_port_attr(r, "to");
	if (start < 0 || end < start || to < 0 || to + (end - start) > 65535)
		return domxml_fail(rd, "%s", "<portForward><range>: start, end and to must be ports "
				   "(1..65535), end not below start, the guest's ports within 65535");
	/* An excluded range takes ports out of a wider forward, which forward= has no way to say. */
	if (domxml_attr_is(r, "exclude", "yes")) {
		domxml_ignore(rd, "devices/interface/portForward/range exclude='yes'");
		return 0;
	}
	for (long p = start; p <= end; p++)
		domxml_add_forward(nic, proto, addr, p, to + (p - start));
	return 0;
}

/* libvirt's <portForward proto= [address=]> as forward= entries of the vif. */
static int domxml_port_forward(struct domxml_rd *rd, struct json_object *nic, xmlNode *pf)
{
	xmlChar *proto = xmlGetProp(pf, (const xmlChar *)"proto");
	xmlChar *addr = xmlGetProp(pf, (const xmlChar *)"address");
	int rc = 0, ranges = 0;

	if (!proto || (strcmp((const char *)proto, "tcp") && strcmp((const char *)proto, "udp")))
		rc = domxml_fail(rd, "%s", "<portForward>: proto must be 'tcp' or 'udp'");
	if (rc == 0 && xmlHasProp(pf, (const xmlChar *)"dev"))
		domxml_ignore(rd, "devices/interface/portForward dev");
	for (xmlNode *r = pf->children; r && rc == 0; r = r->next) {
		if (!domxml_is(r, "range"))
			continue;
		ranges++;
		rc = domxml_forward_range(rd, nic, (const char *)proto, addr, r);
	}
	if (rc == 0 && ranges == 0)
		rc = domxml_fail(rd, "%s", "<portForward> without a <range start=... to=.../>");
	xmlFree(proto);
	xmlFree(addr);
	return rc;
}

static int domxml_port_forwards(struct domxml_rd *rd, struct json_object *nic, xmlNode *n)
{
	for (xmlNode *c = n->children; c; c = c->next) {
		if (domxml_is(c, "portForward") && domxml_port_forward(rd, nic, c) < 0)
			return -1;
	}
	return 0;
}

/*
 * type='bridge' is a TAP device on that bridge; type='user' is user-mode
 * networking (no bridge).  type='ethernet', which Cachet wrote for the
 * latter before, is read the same way, with a note.
 */
static bool domxml_interface_type(struct domxml_rd *rd, xmlNode *n)
{
	xmlChar *type = xmlGetProp(n, (const xmlChar *)"type");
	const char *t = type ? (const char *)type : "bridge";
	bool known = !strcmp(t, "bridge") || !strcmp(t, "user") || !strcmp(t, "ethernet");

	if (!known)
		domxml_ignore(rd, "devices/interface type other than bridge or user");
	else if (!strcmp(t, "ethernet"))
		domxml_ignore(rd, "devices/interface type='ethernet' (read as type='user')");
	xmlFree(type);
	return known;
}

static int domxml_interface(struct domxml_rd *rd, xmlNode *n)
{
	struct json_object *nic;
	xmlChar *model = NULL;
	xmlNode *m;

	if (!domxml_interface_type(rd, n))
		return 0;
	nic = json_object_new_object();
	domxml_child_attr(nic, "mac", n, "mac", "address");
	domxml_child_attr(nic, "bridge", n, "source", "bridge");
	domxml_child_attr(nic, "script", n, "script", "path");
	domxml_child_attr(nic, "ip", n, "ip", "address");
	domxml_child_attr(nic, "ifname", n, "target", "dev");
	if (domxml_port_forwards(rd, nic, n) < 0) {
		json_object_put(nic);
		return -1;
	}
	m = domxml_child(n, "model");
	model = m ? xmlGetProp(m, (const xmlChar *)"type") : NULL;
	/* netfront is the paravirtual NIC, xl's default; another model is emulated. */
	if (model && strcmp((const char *)model, "netfront") != 0) {
		json_object_object_add(nic, "model", json_object_new_string((const char *)model));
		json_object_object_add(nic, "nictype", json_object_new_string("vif_ioemu"));
	}
	xmlFree(model);
	domxml_add_spec(rd, "vif", cfgdev_vif_spec(nic));
	json_object_put(nic);
	return 0;
}

/* Every guest has its console (the emulated SBSA UART); a pty is how it is served. */
static int domxml_console(struct domxml_rd *rd, xmlNode *n)
{
	xmlChar *type = xmlGetProp(n, (const xmlChar *)"type");

	if (type && strcmp((const char *)type, "pty") != 0)
		domxml_ignore_in(rd, "devices", n);
	else if (domxml_is(n, "serial"))
		json_object_object_add(rd->cfg, "vuart", json_object_new_string("sbsa_uart"));
	xmlFree(type);
	return 0;
}

static const struct domxml_reader domxml_devs[] = {
	{ "disk", domxml_disk },
	{ "interface", domxml_interface },
	{ "console", domxml_console },
	{ "serial", domxml_console },
};

static int domxml_devices(struct domxml_rd *rd, xmlNode *n)
{
	return domxml_dispatch(rd, n, domxml_devs, sizeof(domxml_devs) / sizeof(domxml_devs[0]),
			       "devices");
}

/* ---- The document ------------------------------------------------------- */

static int domxml_root(struct domxml_rd *rd, xmlNode *root)
{
	struct json_object *mem;
	xmlChar *type;
	int ret;

	if (!root || !domxml_is(root, "domain"))
		return domxml_fail(rd, "%s", "not a libvirt domain: the root element is not <domain>");
	type = xmlGetProp(root, (const xmlChar *)"type");
	if (!type || strcmp((const char *)type, "xen") != 0) {
		ret = domxml_fail(rd, "<domain type='%s'>: Cachet takes <domain type='xen'>",
				  type ? (const char *)type : "");
		xmlFree(type);
		return ret;
	}
	xmlFree(type);
	ret = domxml_dispatch(rd, root, domxml_top, sizeof(domxml_top) / sizeof(domxml_top[0]),
			      NULL);
	/* Without <currentMemory> the guest gets all of <memory>, as libvirt says. */
	if (ret == 0 && !json_object_object_get_ex(rd->cfg, "memory", NULL) &&
	    json_object_object_get_ex(rd->cfg, "maxmem", &mem))
		json_object_object_add(rd->cfg, "memory", json_object_get(mem));
	if (ret == 0 && json_object_array_length(rd->pins) > 0) {
		for (size_t i = 0; i < json_object_array_length(rd->pins); i++)
			if (!json_object_array_get_idx(rd->pins, i))
				json_object_array_put_idx(rd->pins, i, json_object_new_string("all"));
		json_object_object_add(rd->cfg, "cpus", json_object_get(rd->pins));
	}
	return ret;
}

/* Keeps the first error libxml2 reports: the later ones follow from it. */
static void domxml_first_error(void *ctx, xmlErrorPtr e)
{
	char *first = ctx;

	if (first[0] || !e)
		return;
	snprintf(first, DOMXML_ERR_SIZE, "line %d: %s", e->line, e->message ? e->message : "?");
	first[strcspn(first, "\n")] = '\0';
}

int domxml_to_config(const char *text, struct json_object **config, char **warning, char *msg,
		     size_t msglen)
{
	struct domxml_rd rd = { .cfg = json_object_new_object(), .pins = json_object_new_array(),
				.msg = msg, .msglen = msglen };
	char first[DOMXML_ERR_SIZE] = "";
	xmlDoc *doc;
	int ret;

	/* No network, no entity expansion: a document cannot make cachet read anything else. */
	xmlSetStructuredErrorFunc(first, domxml_first_error);
	doc = xmlReadMemory(text, (int)strlen(text), "domain.xml", NULL, XML_PARSE_NONET);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (!doc) {
		snprintf(msg, msglen, "not well-formed XML (%s)", first);
		ret = -1;
	} else {
		ret = domxml_root(&rd, xmlDocGetRootElement(doc));
		xmlFreeDoc(doc);
	}
	json_object_put(rd.pins);
	if (ret < 0) {
		json_object_put(rd.cfg);
		return -1;
	}
	*config = rd.cfg;
	*warning = rd.ignored[0] ? strdup(rd.ignored) : NULL;
	return 0;
}
