/*
 * cfgdev: the device specs of xl.cfg's disk= and vif= lists, parsed into
 * the JSON shape libxl gives them (libxl_device_disk, libxl_device_nic in
 * `xl list -l`): only the fields a spec sets are present.
 *
 * Disk specs follow xl-disk-configuration(5): positional parameters
 * (target, format, vdev, access), KEY=VALUE parameters, flags, a final
 * target= that takes the rest of the spec, and the deprecated forms
 * "phy:/dev/x,xvda,w" (a backend or format prefix on the target) and
 * "hdc:cdrom".  Vif specs are xl-network-configuration(5)'s comma-separated
 * KEY=VALUE lists, plus Cachet's forward=PROTO:[HOSTADDR:]HOSTPORT:GUESTPORT
 * (user-mode networking; repeatable, kept as a "forward" list).
 *
 * Both return a new object, or NULL with a message naming the problem in
 * @msg.  The parsed form is what `cachet list -l` shows and what libvirt's
 * XML is made from; cachetd reads the specs themselves when it attaches.
 */
#ifndef CACHET_COMMON_CFGDEV_H
#define CACHET_COMMON_CFGDEV_H

#include <stddef.h>

#include <json.h>

struct json_object *cfgdev_disk_parse(const char *spec, char *msg, size_t msglen);
struct json_object *cfgdev_vif_parse(const char *spec, char *msg, size_t msglen);

/* The xl spec of a libxl-shaped disk or nic object (the reverse); NULL if malformed. */
char *cfgdev_disk_spec(struct json_object *disk);
char *cfgdev_vif_spec(struct json_object *nic);

/*
 * The xl keys of a parsed vif that Cachet accepts without effect ("model,
 * type"), for a warning; "" when there are none.
 */
void cfgdev_vif_unhonoured(struct json_object *nic, char *buf, size_t size);
/*
 * The same for a parsed disk: the xl keys Cachet's virtio disks have no use
 * for ("backendtype, script"); cachetd logs them and the CLI warns.
 */
void cfgdev_disk_unhonoured(struct json_object *disk, char *buf, size_t size);

#endif
