/*
 * netspec: the daemon's reading of one xl vif spec (xl-network-configuration(5)),
 * the comma-separated KEY=VALUE list of vif=, into what it attaches
 * (struct net_cfg).  Honoured: mac, bridge, vifname, script, ip (user-mode
 * networking), and Cachet's forward=PROTO:[HOSTADDR:]HOSTPORT:GUESTPORT
 * (repeatable).  The other xl keys (model, type, rate, backend, gatewaydev,
 * devid, mtu, trusted, untrusted) are accepted and have no effect: the
 * client warns about them, and about script=vif-bridge (Xen's default
 * script, which needs xenstore), dropped because cachetd adds the TAP
 * device to the bridge itself.  An unknown key or a malformed value is an
 * error.
 *
 * Returns 0, or -1 with a message naming the problem in @msg.
 */
#ifndef CACHETD_NET_SPEC_H
#define CACHETD_NET_SPEC_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A port forward from the host into a user-mode guest (vif forward=). */
struct net_fwd {
	bool udp;
	struct in_addr host;     /* where the host listens; 127.0.0.1 by default */
	uint16_t host_port;
	uint16_t guest_port;
};

#define NET_FWD_MAX 16
#define NET_SCRIPT_MAX 4096

/* One vif, as the daemon attaches it (parsed from the xl vif spec). */
struct net_cfg {
	uint8_t mac[6];
	bool mac_given;          /* mac= was in the spec */
	char bridge[IFNAMSIZ];   /* "" for user-mode networking */
	char ifname[IFNAMSIZ];   /* TAP name (vifname=); "" picks one */
	char script[NET_SCRIPT_MAX]; /* run after the TAP device is up; "" none */
	bool ip_given;
	struct in_addr ip;       /* user mode: the address DHCP gives the guest */
	unsigned int nfwd;
	struct net_fwd fwd[NET_FWD_MAX];
};

int netspec_parse(const char *spec, struct net_cfg *cfg, char *msg, size_t msglen);
/* A MAC address as xl makes one: 00:16:3e (Xen's OUI), then 23 random bits. */
int netspec_random_mac(uint8_t mac[6]);

#endif
