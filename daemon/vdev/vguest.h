/*
 * vguest: the virtio devices of the daemon's guests, as the rest of cachetd
 * sees them.  A guest's devices come from its configuration (disk = [...]
 * and rng, devcfg.h); vguest_start opens their backends, describes them to
 * the hypervisor (unless resuming after a daemon restart, when the
 * hypervisor has them already) and starts the guest's service thread,
 * which maps the guest's RAM once a device needs it.  vguest_stop must come before the domain is
 * destroyed: the mapping would otherwise reach frames the hypervisor gives
 * to others.
 */
#ifndef CACHETD_VGUEST_H
#define CACHETD_VGUEST_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "cachet/cachet.h"
#include "config.h"

/*
 * Opens the devices of @c for domain @domid (paused, built) and starts
 * serving them.  @resume: the devices exist in the hypervisor already.
 * 0, or -1 with @msg naming the device and the problem (nothing is left).
 * A configuration without devices is 0 and starts nothing.
 */
int vguest_start(cachet_handle *h, cachet_domid_t domid, const struct dom_config *c, bool resume,
		 char *msg, size_t msglen);
/* Stops serving @domid's devices and closes them; nothing if it has none. */
void vguest_stop(cachet_domid_t domid);
/* Stops every guest's service (daemon exit: the devices stay in the hypervisor). */
void vguest_stop_all(void);
/* An array of the devices of @domid with their statistics, or NULL if it has none. */
struct json_object *vguest_stats(cachet_domid_t domid);

#endif
