/*
 * The devices of a configuration (devcfg.h).  Disk specs are parsed with
 * the parser the client uses too (common/cfgdev.c),
 * so the daemon accepts exactly what `cachet create` checked, into libxl's
 * field names.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfgdev.h"
#include "devcfg.h"
#include "dlog.h"

/* qemu-nbd's names for xl's formats (qemu-img(1) "Disk image file formats"). */
static const struct {
	const char *xl, *qemu;
} devcfg_formats[] = {
	{ "raw", "raw" }, { "qcow2", "qcow2" }, { "qcow", "qcow" }, { "vhd", "vpc" }, { "qed", "qed" },
};

static int devcfg_fail(char *msg, size_t msglen, const char *vdev, const char *fmt,
		       const char *arg)
{
	int n = snprintf(msg, msglen, "disk %s: ", vdev);

	if (n > 0 && (size_t)n < msglen)
		snprintf(msg + n, msglen - (size_t)n, fmt, arg);
	return -1;
}

static const char *devcfg_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : NULL;
}

/*
 * The disk's index from its xl name (xvdX, sdX, hdX, and vdX as Linux
 * names virtio disks) and its xl device number; -1 if not a whole disk.
 */
static int devcfg_vdev(const char *name, unsigned int *number)
{
	static const struct {
		const char *prefix;
		unsigned int major, shift, max;
	} kinds[] = { { "xvd", 202, 4, 16 }, { "sd", 8, 4, 16 }, { "vd", 254, 4, 16 },
		      { "hd", 3, 6, 4 } };

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t n = strlen(kinds[i].prefix);
		unsigned int idx;

		if (strncmp(name, kinds[i].prefix, n) != 0 || !islower((unsigned char)name[n]) ||
		    name[n + 1] != '\0')
			continue;
		idx = (unsigned int)(name[n] - 'a');
		if (idx >= kinds[i].max)
			return -1;
		/* hdc and hdd are on the second IDE controller, major 22. */
		*number = kinds[i].major == 3 && idx >= 2 ? (22u << 8) | (idx - 2) << 6 :
							    kinds[i].major << 8 | idx << kinds[i].shift;
		return (int)idx;
	}
	return -1;
}

static void devcfg_warn_unhonoured(const char *name, const char *vdev, struct json_object *disk)
{
	char keys[256];

	cfgdev_disk_unhonoured(disk, keys, sizeof(keys));
	if (keys[0])
		dlog("%s: disk %s: ignoring %s (a disk is always a virtio disk served by cachetd)",
		     name, vdev, keys);
}

static int devcfg_format(struct devcfg_dev *d, const char *format, char *msg, size_t msglen)
{
	for (size_t i = 0; i < sizeof(devcfg_formats) / sizeof(devcfg_formats[0]); i++) {
		if (strcmp(format, devcfg_formats[i].xl) == 0) {
			d->format = devcfg_formats[i].qemu;
			return 0;
		}
	}
	return devcfg_fail(msg, msglen, d->vdev, "format '%s' is not supported", format);
}

/* One parsed disk into @d; its index (the vdev letter) or -1. */
static int devcfg_disk(const struct dom_config *c, struct json_object *disk,
		       struct devcfg_dev *d, char *msg, size_t msglen)
{
	const char *vdev = devcfg_str(disk, "vdev"), *tr = devcfg_str(disk, "transport");
	struct json_object *v;
	int idx;

	*d = (struct devcfg_dev){ .kind = DEVCFG_DISK };
	snprintf(d->vdev, sizeof(d->vdev), "%s", vdev ? vdev : "?");
	if (json_object_object_get_ex(disk, "is_cdrom", &v))
		return devcfg_fail(msg, msglen, d->vdev, "%s", "cdrom devices are not supported "
				   "(virtio-mmio has no removable media)");
	idx = vdev ? devcfg_vdev(vdev, &d->vdev_number) : -1;
	if (idx < 0)
		return devcfg_fail(msg, msglen, d->vdev, "%s", "not a whole-disk name (xvda..xvdp, "
				   "sda..sdp, vda..vdp or hda..hdd)");
	if (tr && strcmp(tr, "mmio") != 0)
		return devcfg_fail(msg, msglen, d->vdev, "transport=%s: only mmio is offered", tr);
	if (snprintf(d->target, sizeof(d->target), "%s", devcfg_str(disk, "pdev_path")) >=
	    (int)sizeof(d->target))
		return devcfg_fail(msg, msglen, d->vdev, "%s", "target path too long");
	d->readonly = json_object_object_get_ex(disk, "readwrite", &v) && !json_object_get_int(v);
	if (devcfg_format(d, devcfg_str(disk, "format"), msg, msglen) < 0)
		return -1;
	d->no_discard = json_object_object_get_ex(disk, "discard_enable", &v) &&
			strcmp(json_object_get_string(v), "False") == 0;
	devcfg_warn_unhonoured(c->name, d->vdev, disk);
	return idx;
}

/* Orders the disks by their letter, as xl numbers them; two names for one letter fail. */
static int devcfg_place(struct devcfg_dev *slot[], int idx, struct devcfg_dev *d, char *msg,
			size_t msglen)
{
	if (slot[idx])
		return devcfg_fail(msg, msglen, d->vdev, "names the same disk as %s", slot[idx]->vdev);
	slot[idx] = d;
	return 0;
}

/* Disks, vifs and the rng share the guest's CACHET_GUEST_VIRTIO_MAX windows. */
static int devcfg_too_many(const struct dom_config *c, char *msg, size_t msglen)
{
	size_t disks = c->disk ? json_object_array_length(c->disk) : 0;
	size_t vifs = c->vif ? json_object_array_length(c->vif) : 0;

	if (disks + vifs + (c->rng ? 1u : 0u) <= CACHET_GUEST_VIRTIO_MAX)
		return 0;
	snprintf(msg, msglen, "%zu disks and %zu vifs%s: at most %u virtio devices in all", disks,
		 vifs, c->rng ? " and the rng" : "", CACHET_GUEST_VIRTIO_MAX);
	return -1;
}

static int devcfg_disks(const struct dom_config *c, struct devcfg *out, char *msg, size_t msglen)
{
	size_t n = c->disk ? json_object_array_length(c->disk) : 0;
	struct devcfg_dev parsed[CACHET_GUEST_VIRTIO_MAX], *slot[16] = { 0 };
	struct json_object *keep[CACHET_GUEST_VIRTIO_MAX] = { 0 };
	int rc = 0;

	if (devcfg_too_many(c, msg, msglen) < 0)
		return -1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *spec = json_object_get_string(json_object_array_get_idx(c->disk, i));
		char why[256];
		int idx;

		keep[i] = cfgdev_disk_parse(spec ? spec : "", why, sizeof(why));
		if (!keep[i]) {
			snprintf(msg, msglen, "disk '%s': %s", spec ? spec : "", why);
			rc = -1;
			break;
		}
		idx = devcfg_disk(c, keep[i], &parsed[i], msg, msglen);
		rc = idx < 0 ? -1 : devcfg_place(slot, idx, &parsed[i], msg, msglen);
	}
	for (unsigned int i = 0; i < 16 && rc == 0; i++)
		if (slot[i])
			out->dev[out->n++] = *slot[i];
	for (size_t i = 0; i < n; i++)
		json_object_put(keep[i]);
	return rc;
}

/* The vifs, in order; their specs were checked when the configuration was read. */
static void devcfg_vifs(const struct dom_config *c, struct devcfg *out)
{
	size_t n = c->vif ? json_object_array_length(c->vif) : 0;

	for (size_t i = 0; i < n; i++) {
		struct devcfg_dev *d = &out->dev[out->n++];

		*d = (struct devcfg_dev){ .kind = DEVCFG_NET, .vdev_number = (unsigned int)i };
		snprintf(d->vdev, sizeof(d->vdev), "vif%u", d->vdev_number);
		snprintf(d->spec, sizeof(d->spec), "%s",
			 json_object_get_string(json_object_array_get_idx(c->vif, i)));
	}
}

int devcfg_get(const struct dom_config *c, struct devcfg *out, char *msg, size_t msglen)
{
	out->n = 0;
	if (devcfg_disks(c, out, msg, msglen) < 0)
		return -1;
	devcfg_vifs(c, out);
	if (c->rng)
		out->dev[out->n++] = (struct devcfg_dev){ .kind = DEVCFG_RNG, .vdev = "rng" };
	return 0;
}
