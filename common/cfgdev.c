/*
 * Disk and vif specs (cfgdev.h).  A spec is split at commas into
 * parameters; each one is a flag, KEY=VALUE, or (disks only) a positional
 * parameter.  The result uses libxl's field names and enum spellings.
 */
#include "cfgdev.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CFGDEV_SPEC_MAX 1024

static const char *const cfgdev_formats[] = { "raw", "qcow", "qcow2", "vhd", "qed", NULL };
static const char *const cfgdev_backends[] = { "phy", "qdisk", "standalone", NULL };
static const char *const cfgdev_positional[] = { "target", "format", "vdev", "access" };

/* The disk being parsed: the positional parameters by name, then the others. */
struct cfgdev_disk {
	char *param[4]; /* target, format, vdev, access, as cfgdev_positional */
	bool given[4];
	struct json_object *obj;
	bool cdrom;
};

static bool cfgdev_in(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

/* Skips leading blanks and cuts trailing ones: the man pages allow blanks around parameters. */
static char *cfgdev_trim(char *p)
{
	size_t n;

	while (isspace((unsigned char)*p))
		p++;
	n = strlen(p);
	while (n && isspace((unsigned char)p[n - 1]))
		p[--n] = '\0';
	return p;
}

static int cfgdev_fail(char *msg, size_t msglen, const char *fmt, const char *arg)
{
	snprintf(msg, msglen, fmt, arg);
	return -1;
}

static void cfgdev_set_str(struct json_object *o, const char *key, const char *v)
{
	json_object_object_add(o, key, json_object_new_string(v));
}

/* Sets positional parameter @i once; an empty value means "default", as the man page says. */
static int cfgdev_disk_positional(struct cfgdev_disk *d, size_t i, char *v, char *msg,
				  size_t msglen)
{
	if (d->given[i] && i != 0)
		return cfgdev_fail(msg, msglen, "%s given twice", cfgdev_positional[i]);
	d->given[i] = true;
	d->param[i] = *v ? v : NULL;
	return 0;
}

/* The deprecated "phy:", "file:", "tap:aio:", "raw:", "qcow2:" ... prefixes of a target. */
static void cfgdev_disk_prefix(struct cfgdev_disk *d)
{
	static const struct {
		const char *prefix, *backend, *format;
	} map[] = {
		{ "phy:", "phy", "raw" },      { "file:", NULL, "raw" },
		{ "tap:aio:", NULL, "raw" },   { "tap:qcow2:", NULL, "qcow2" },
		{ "tap:qcow:", NULL, "qcow" }, { "tap:vhd:", NULL, "vhd" },
		{ "aio:", NULL, "raw" },       { "raw:", NULL, "raw" },
		{ "qcow2:", NULL, "qcow2" },   { "qcow:", NULL, "qcow" },
		{ "vhd:", NULL, "vhd" },       { "qed:", NULL, "qed" },
	};
	char *t = d->param[0];

	for (size_t i = 0; t && i < sizeof(map) / sizeof(map[0]); i++) {
		size_t n = strlen(map[i].prefix);

		if (strncmp(t, map[i].prefix, n) != 0)
			continue;
		d->param[0] = t + n;
		/* The prefix stands for the format: the next bare parameter is the vdev. */
		d->given[1] = true;
		d->param[1] = (char *)map[i].format;
		if (map[i].backend)
			cfgdev_set_str(d->obj, "backend", map[i].backend);
		return;
	}
}

static int cfgdev_disk_flag(struct cfgdev_disk *d, const char *p)
{
	if (strcmp(p, "cdrom") == 0)
		d->cdrom = true;
	else if (strcmp(p, "direct-io-safe") == 0)
		json_object_object_add(d->obj, "direct_io_safe", json_object_new_boolean(true));
	else if (strcmp(p, "discard") == 0 || strcmp(p, "no-discard") == 0)
		cfgdev_set_str(d->obj, "discard_enable", p[0] == 'd' ? "True" : "False");
	else if (strcmp(p, "trusted") == 0 || strcmp(p, "untrusted") == 0)
		cfgdev_set_str(d->obj, "trusted", p[0] == 't' ? "True" : "False");
	else if (strcmp(p, "colo") == 0)
		cfgdev_set_str(d->obj, "colo_enable", "True");
	else
		return -1;
	return 0;
}

/* KEY=VALUE parameters other than the positional ones. */
static int cfgdev_disk_keyed(struct cfgdev_disk *d, const char *key, const char *v, char *msg,
			     size_t msglen)
{
	static const struct {
		const char *key, *field;
	} plain[] = {
		{ "script", "script" },         { "backend", "backend_domname" },
		{ "colo-host", "colo_host" },   { "colo-port", "colo_port" },
		{ "colo-export", "colo_export" }, { "active-disk", "active_disk" },
		{ "hidden-disk", "hidden_disk" },
	};

	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		if (strcmp(key, plain[i].key) == 0) {
			cfgdev_set_str(d->obj, plain[i].field, v);
			return 0;
		}
	}
	if (strcmp(key, "devtype") == 0 && strcmp(v, "cdrom") == 0) {
		d->cdrom = true;
	} else if (strcmp(key, "backendtype") == 0 && cfgdev_in(cfgdev_backends, v)) {
		cfgdev_set_str(d->obj, "backend", v);
	} else if (strcmp(key, "transport") == 0 && strcmp(v, "mmio") == 0) {
		/* Xen 4.17's virtio disks: virtio-mmio is the one transport, and Cachet's. */
		cfgdev_set_str(d->obj, "transport", v);
	} else if (strcmp(key, "specification") == 0 &&
		   (strcmp(v, "xen") == 0 || strcmp(v, "virtio") == 0)) {
		cfgdev_set_str(d->obj, "specification", v);
	} else {
		snprintf(msg, msglen, "invalid parameter '%s=%s'", key, v);
		return -1;
	}
	return 0;
}

/* One parameter; *@rest_is_target is set when target= took the rest of the spec. */
static int cfgdev_disk_param(struct cfgdev_disk *d, char *p, char *msg, size_t msglen)
{
	char *eq = strchr(p, '=');

	if (!eq) {
		if (cfgdev_disk_flag(d, p) == 0)
			return 0;
		for (size_t i = 0; i < 4; i++)
			if (!d->given[i])
				return cfgdev_disk_positional(d, i, p, msg, msglen);
		return cfgdev_fail(msg, msglen, "too many parameters at '%s'", p);
	}
	*eq = '\0';
	for (size_t i = 1; i < 4; i++)
		if (strcmp(p, cfgdev_positional[i]) == 0)
			return cfgdev_disk_positional(d, i, eq + 1, msg, msglen);
	return cfgdev_disk_keyed(d, p, eq + 1, msg, msglen);
}

static int cfgdev_disk_split(struct cfgdev_disk *d, char *s, char *msg, size_t msglen)
{
	while (s) {
		char *comma;

		while (isspace((unsigned char)*s))
			s++;
		/* target= consumes the rest, commas included (xl-disk-configuration(5)). */
		if (strncmp(s, "target=", 7) == 0) {
			d->given[0] = true;
			d->param[0] = s[7] ? s + 7 : NULL;
			return 0;
		}
		comma = strchr(s, ',');
		if (comma)
			*comma = '\0';
		s = cfgdev_trim(s);
		if (cfgdev_disk_param(d, s, msg, msglen) < 0)
			return -1;
		if (!d->given[1] && d->given[0] && d->param[0] && d->param[0] == s)
			cfgdev_disk_prefix(d);
		s = comma ? comma + 1 : NULL;
	}
	return 0;
}

/* The checks once every parameter is known, and the fields they give. */
static int cfgdev_disk_finish(struct cfgdev_disk *d, char *msg, size_t msglen)
{
	char *vdev = d->param[2], *colon;
	const char *access = d->param[3];
	bool rw;

	if (!vdev)
		return cfgdev_fail(msg, msglen, "%s", "no vdev (the guest's name for the disk)");
	colon = strchr(vdev, ':');
	if (colon && strcmp(colon, ":cdrom") == 0) {
		*colon = '\0';
		d->cdrom = true;
	}
	if (d->param[1] && !cfgdev_in(cfgdev_formats, d->param[1]))
		return cfgdev_fail(msg, msglen,
				   "'%s' is not a disk format (raw, qcow, qcow2, vhd or qed)",
				   d->param[1]);
	if (access && !cfgdev_in((const char *const[]){ "r", "ro", "w", "rw", NULL }, access))
		return cfgdev_fail(msg, msglen, "access '%s' is not r, ro, w or rw", access);
	if (!d->param[0] && !d->cdrom)
		return cfgdev_fail(msg, msglen, "%s", "no target (only a cdrom may be empty)");
	rw = access ? strchr(access, 'w') != NULL : !d->cdrom;
	if (d->param[0])
		cfgdev_set_str(d->obj, "pdev_path", d->param[0]);
	cfgdev_set_str(d->obj, "vdev", vdev);
	cfgdev_set_str(d->obj, "format", d->param[0] ? (d->param[1] ? d->param[1] : "raw") : "empty");
	json_object_object_add(d->obj, "readwrite", json_object_new_int(rw));
	if (d->cdrom) {
		json_object_object_add(d->obj, "is_cdrom", json_object_new_int(1));
		json_object_object_add(d->obj, "removable", json_object_new_int(1));
	}
	return 0;
}

struct json_object *cfgdev_disk_parse(const char *spec, char *msg, size_t msglen)
{
	struct cfgdev_disk d = { .obj = json_object_new_object() };
	char *copy = strndup(spec, CFGDEV_SPEC_MAX + 1);
	int ret = -1;

	if (!d.obj || !copy)
		snprintf(msg, msglen, "out of memory");
	else if (strlen(copy) > CFGDEV_SPEC_MAX)
		snprintf(msg, msglen, "longer than %d bytes", CFGDEV_SPEC_MAX);
	else if (cfgdev_disk_split(&d, copy, msg, msglen) == 0)
		ret = cfgdev_disk_finish(&d, msg, msglen);
	free(copy);
	if (ret < 0) {
		json_object_put(d.obj);
		return NULL;
	}
	return d.obj;
}

/* ---- vif ---------------------------------------------------------------- */

static bool cfgdev_mac_valid(const char *s)
{
	for (int i = 0; i < 6; i++, s += 3) {
		if (!isxdigit((unsigned char)s[0]) || !isxdigit((unsigned char)s[1]))
			return false;
		if (s[2] != (i == 5 ? '\0' : ':'))
			return false;
	}
	return true;
}

static bool cfgdev_uint_valid(const char *s, long max)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)*s))
		return false;
	v = strtol(s, &end, 10);
	return *end == '\0' && v <= max;
}

/*
 * Cachet's forward= (repeatable): kept as a list under "forward", which
 * libxl_device_nic lacks; cachetd checks the syntax when it attaches.
 */
static int cfgdev_vif_forward(struct json_object *o, const char *v, char *msg, size_t msglen)
{
	struct json_object *list;

	if (*v == '\0')
		return cfgdev_fail(msg, msglen, "%s", "empty forward=");
	if (!json_object_object_get_ex(o, "forward", &list)) {
		list = json_object_new_array();
		json_object_object_add(o, "forward", list);
	}
	json_object_array_add(list, json_object_new_string(v));
	return 0;
}

/* One KEY=VALUE of a vif spec into libxl_device_nic's field. */
static int cfgdev_vif_param(struct json_object *o, const char *key, const char *v, char *msg,
			    size_t msglen)
{
	static const struct {
		const char *key, *field;
	} plain[] = {
		{ "bridge", "bridge" }, { "ip", "ip" },           { "model", "model" },
		{ "vifname", "ifname" }, { "script", "script" },  { "backend", "backend_domname" },
		{ "gatewaydev", "gatewaydev" }, { "rate", "rate" },
	};

	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		if (strcmp(key, plain[i].key) == 0) {
			cfgdev_set_str(o, plain[i].field, v);
			return 0;
		}
	}
	if (strcmp(key, "forward") == 0)
		return cfgdev_vif_forward(o, v, msg, msglen);
	if (strcmp(key, "mac") == 0 && cfgdev_mac_valid(v))
		cfgdev_set_str(o, "mac", v);
	else if (strcmp(key, "type") == 0 && (strcmp(v, "ioemu") == 0 || strcmp(v, "vif") == 0))
		cfgdev_set_str(o, "nictype", v[0] == 'i' ? "vif_ioemu" : "vif");
	else if ((strcmp(key, "devid") == 0 || strcmp(key, "mtu") == 0) &&
		 cfgdev_uint_valid(v, 65535))
		json_object_object_add(o, key, json_object_new_int(atoi(v)));
	else {
		snprintf(msg, msglen, "invalid parameter '%s=%s'", key, v);
		return -1;
	}
	return 0;
}

static int cfgdev_vif_item(struct json_object *o, char *p, char *msg, size_t msglen)
{
	char *eq;

	p = cfgdev_trim(p);
	if (*p == '\0')
		return 0;
	if (strcmp(p, "trusted") == 0 || strcmp(p, "untrusted") == 0) {
		cfgdev_set_str(o, "trusted", p[0] == 't' ? "True" : "False");
		return 0;
	}
	eq = strchr(p, '=');
	if (!eq)
		return cfgdev_fail(msg, msglen, "'%s' is not KEY=VALUE", p);
	*eq = '\0';
	return cfgdev_vif_param(o, p, eq + 1, msg, msglen);
}

struct json_object *cfgdev_vif_parse(const char *spec, char *msg, size_t msglen)
{
	struct json_object *o = json_object_new_object();
	char *copy = strndup(spec, CFGDEV_SPEC_MAX + 1), *save = NULL, *p;
	int ret = 0;

	if (!o || !copy) {
		snprintf(msg, msglen, "out of memory");
		ret = -1;
	} else if (strlen(copy) > CFGDEV_SPEC_MAX) {
		snprintf(msg, msglen, "longer than %d bytes", CFGDEV_SPEC_MAX);
		ret = -1;
	}
	for (p = ret ? NULL : strtok_r(copy, ",", &save); p && ret == 0;
	     p = strtok_r(NULL, ",", &save))
		ret = cfgdev_vif_item(o, p, msg, msglen);
	free(copy);
	if (ret < 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* ---- Back to xl specs ---------------------------------------------------- */

static const char *cfgdev_get(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		return NULL;
	return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static void cfgdev_append(char *buf, size_t size, const char *key, const char *v)
{
	size_t n = strlen(buf);

	if (v)
		snprintf(buf + n, size - n, "%s%s=%s", n ? ", " : "", key, v);
}

char *cfgdev_disk_spec(struct json_object *disk)
{
	const char *vdev = cfgdev_get(disk, "vdev"), *target = cfgdev_get(disk, "pdev_path");
	const char *format = cfgdev_get(disk, "format");
	struct json_object *v;
	char buf[CFGDEV_SPEC_MAX + 64] = "";
	bool rw = true, cdrom = false;

	if (!vdev)
		return NULL;
	if (json_object_object_get_ex(disk, "readwrite", &v))
		rw = json_object_get_int(v) != 0;
	if (json_object_object_get_ex(disk, "is_cdrom", &v))
		cdrom = json_object_get_int(v) != 0;
	cfgdev_append(buf, sizeof(buf), "format", format && strcmp(format, "empty") ? format : NULL);
	cfgdev_append(buf, sizeof(buf), "vdev", vdev);
	cfgdev_append(buf, sizeof(buf), "access", rw ? "rw" : "ro");
	cfgdev_append(buf, sizeof(buf), "devtype", cdrom ? "cdrom" : NULL);
	cfgdev_append(buf, sizeof(buf), "backendtype", cfgdev_get(disk, "backend"));
	cfgdev_append(buf, sizeof(buf), "script", cfgdev_get(disk, "script"));
	/* target= last: it takes the rest of the spec. */
	cfgdev_append(buf, sizeof(buf), "target", target);
	return strdup(buf);
}

char *cfgdev_vif_spec(struct json_object *nic)
{
	static const char *const keys[][2] = {
		{ "mac", "mac" },       { "bridge", "bridge" }, { "ip", "ip" },
		{ "model", "model" },   { "ifname", "vifname" }, { "script", "script" },
		{ "backend_domname", "backend" }, { "gatewaydev", "gatewaydev" }, { "rate", "rate" },
	};
	char buf[CFGDEV_SPEC_MAX + 64] = "", num[16];
	const char *type = cfgdev_get(nic, "nictype");
	struct json_object *v;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		cfgdev_append(buf, sizeof(buf), keys[i][1], cfgdev_get(nic, keys[i][0]));
	if (type)
		cfgdev_append(buf, sizeof(buf), "type", strcmp(type, "vif_ioemu") ? "vif" : "ioemu");
	if (json_object_object_get_ex(nic, "forward", &v) && json_object_is_type(v, json_type_array))
		for (size_t i = 0; i < json_object_array_length(v); i++)
			cfgdev_append(buf, sizeof(buf), "forward",
				      json_object_get_string(json_object_array_get_idx(v, i)));
	for (size_t i = 0; i < 2; i++) {
		const char *key = i ? "mtu" : "devid";

		if (json_object_object_get_ex(nic, key, &v) && json_object_is_type(v, json_type_int)) {
			snprintf(num, sizeof(num), "%d", json_object_get_int(v));
			cfgdev_append(buf, sizeof(buf), key, num);
		}
	}
	return strdup(buf);
}

void cfgdev_vif_unhonoured(struct json_object *nic, char *buf, size_t size)
{
	/* libxl field, xl key: accepted, but a virtio-net device has no use for them. */
	static const char *const keys[][2] = {
		{ "model", "model" },     { "nictype", "type" },  { "rate", "rate" },
		{ "backend_domname", "backend" }, { "gatewaydev", "gatewaydev" },
		{ "devid", "devid" },     { "mtu", "mtu" },       { "trusted", "trusted/untrusted" },
	};
	size_t n;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (!json_object_object_get_ex(nic, keys[i][0], NULL))
			continue;
		n = strlen(buf);
		snprintf(buf + n, size - n, "%s%s", n ? ", " : "", keys[i][1]);
	}
	if (cfgdev_get(nic, "script") && strcmp(cfgdev_get(nic, "script"), "vif-bridge") == 0) {
		n = strlen(buf);
		snprintf(buf + n, size - n, "%sscript=vif-bridge (cachetd adds the device to the "
			 "bridge itself)", n ? ", " : "");
	}
	if (json_object_object_get_ex(nic, "ip", NULL) && json_object_object_get_ex(nic, "bridge", NULL)) {
		n = strlen(buf);
		snprintf(buf + n, size - n, "%sip (with bridge=)", n ? ", " : "");
	}
}

void cfgdev_disk_unhonoured(struct json_object *disk, char *buf, size_t size)
{
	/* libxl field, xl key: accepted, but a virtio disk served by cachetd has no use for them. */
	static const char *const keys[][2] = {
		{ "backend", "backendtype" },   { "backend_domname", "backend" },
		{ "script", "script" },         { "direct_io_safe", "direct-io-safe" },
		{ "trusted", "trusted/untrusted" }, { "colo_enable", "colo" },
		{ "colo_host", "colo-host" },   { "colo_port", "colo-port" },
		{ "colo_export", "colo-export" }, { "active_disk", "active-disk" },
		{ "hidden_disk", "hidden-disk" },
	};
	const char *spec = cfgdev_get(disk, "specification");
	size_t n;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (!json_object_object_get_ex(disk, keys[i][0], NULL))
			continue;
		/* "phy" (a block device or file used as it is) is what Cachet does with raw disks. */
		if (i == 0 && strcmp(cfgdev_get(disk, "backend"), "phy") == 0)
			continue;
		n = strlen(buf);
		snprintf(buf + n, size - n, "%s%s", n ? ", " : "", keys[i][1]);
	}
	if (spec && strcmp(spec, "xen") == 0) {
		n = strlen(buf);
		snprintf(buf + n, size - n, "%sspecification=xen (the disk is virtio)", n ? ", " : "");
	}
}
