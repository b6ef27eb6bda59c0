/*
 * domxml: libvirt's domain XML (formatdomain) for an Arm Xen guest, read
 * and written with libxml2, to and from the CONFIG object of cachet.cfg(5).
 *
 * Read: <domain type='xen'> with name, uuid, memory/currentMemory (any
 * unit), vcpu (current, cpuset), cputune/vcpupin, os (type arch='aarch64',
 * kernel, initrd, cmdline, dtb), on_poweroff/on_reboot/on_crash, and
 * devices: disk, interface, console, serial.  Anything else is reported by
 * name in one warning; what contradicts an Arm Xen guest (another domain
 * type or architecture, a disk without a target) is an error.
 *
 * Written: the same elements, in the order libvirt writes them, as
 * `virsh domxml-from-native xen-xl` would.
 */
#ifndef CACHET_CLI_DOMXML_H
#define CACHET_CLI_DOMXML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json.h>

/*
 * The CONFIG the XML document @text describes, in *@config (new), and in
 * *@warning (new, or NULL) what it holds that Cachet ignores.  -1 with
 * @msg on a malformed document or one Cachet cannot honour.
 */
int domxml_to_config(const char *text, struct json_object **config, char **warning, char *msg,
		     size_t msglen);

/*
 * The XML document of @config (a domain with id @domid when @domid >= 0),
 * malloc'd; NULL with @msg when a value cannot be expressed.
 */
char *domxml_from_config(struct json_object *config, int64_t domid, char *msg, size_t msglen);

#endif
