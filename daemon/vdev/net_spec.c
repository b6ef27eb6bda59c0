/*
 * The daemon's reading of a vif spec (net_spec.h): the parser the client
 * uses too (common/cfgdev.c) splits it into libxl's nic
 * fields, so the daemon accepts exactly what `cachet create` checked; what
 * is read here is what only attaching needs (a unicast MAC, interface
 * names Linux takes, an address slirp can serve, the forwards).
 */
#include "net_spec.h"

#include "cfgdev.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>


static int netspec_fail(char *msg, size_t msglen, const char *key, const char *v,
			const char *why)
{
	snprintf(msg, msglen, "%s=%s: %s", key, v, why);
	return -1;
}

/* The client's parser checked the form XX:XX:XX:XX:XX:XX (cfgdev.c). */
static int netspec_mac(const char *v, uint8_t mac[6])
{
	unsigned int b[6];

	if (sscanf(v, "%2x:%2x:%2x:%2x:%2x:%2x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	/* A NIC's own address is unicast (IEEE 802: bit 0 of the first octet). */
	return (mac[0] & 1) ? -1 : 0;
}

/* A network interface name as Linux takes one (dev_valid_name). */
static int netspec_ifname(const char *v, char *out, size_t size)
{
	if (*v == '\0' || strlen(v) >= size || strcmp(v, ".") == 0 || strcmp(v, "..") == 0)
		return -1;
	for (const char *p = v; *p; p++)
		if (*p == '/' || *p == ':' || isspace((unsigned char)*p) || !isprint((unsigned char)*p))
			return -1;
	snprintf(out, size, "%s", v);
	return 0;
}

static int netspec_port(const char *s, uint16_t *port)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 1 || v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

/* PROTO:[HOSTADDR:]HOSTPORT:GUESTPORT, HOSTADDR an IPv4 address (127.0.0.1 when left out). */
static int netspec_forward(const char *v, struct net_fwd *f)
{
	char buf[64], *field[4], *save = NULL;
	int n = 0;

	if (strlen(v) >= sizeof(buf))
		return -1;
	snprintf(buf, sizeof(buf), "%s", v);
	for (char *p = strtok_r(buf, ":", &save); p; p = strtok_r(NULL, ":", &save)) {
		if (n == 4)
			return -1;
		field[n++] = p;
	}
	if (n < 3)
		return -1;
	if (strcmp(field[0], "tcp") != 0 && strcmp(field[0], "udp") != 0)
		return -1;
	f->udp = field[0][0] == 'u';
	f->host.s_addr = htonl(INADDR_LOOPBACK);
	if (n == 4 && inet_pton(AF_INET, field[1], &f->host) != 1)
		return -1;
	return netspec_port(field[n - 2], &f->host_port) < 0 ||
			       netspec_port(field[n - 1], &f->guest_port) < 0 ?
		       -1 :
		       0;
}

/* ip=: the first address of xl's space-separated list, in a /24 slirp can serve. */
static int netspec_ip(const char *v, struct net_cfg *cfg)
{
	char first[INET_ADDRSTRLEN];
	size_t len = strcspn(v, " ");
	uint32_t host;

	if (len == 0 || len >= sizeof(first))
		return -1;
	memcpy(first, v, len);
	first[len] = '\0';
	if (inet_pton(AF_INET, first, &cfg->ip) != 1)
		return -1;
	/* .2 is the host, .3 the DNS relay; .0 and .255 are the network and broadcast. */
	host = ntohl(cfg->ip.s_addr) & 0xffu;
	if (host == 0 || host == 2 || host == 3 || host == 255)
		return -1;
	cfg->ip_given = true;
	return 0;
}

static const char *netspec_str(struct json_object *nic, const char *field)
{
	struct json_object *v;

	return json_object_object_get_ex(nic, field, &v) && json_object_is_type(v, json_type_string) ?
		       json_object_get_string(v) : NULL;
}

/* mac, bridge, vifname and script into @cfg. */
static int netspec_names(struct json_object *nic, struct net_cfg *cfg, char *msg, size_t msglen)
{
	const char *v;

	if ((v = netspec_str(nic, "mac")) != NULL) {
		if (netspec_mac(v, cfg->mac) < 0)
			return netspec_fail(msg, msglen, "mac", v, "not a unicast MAC address");
		cfg->mac_given = true;
	}
	if ((v = netspec_str(nic, "bridge")) != NULL &&
	    netspec_ifname(v, cfg->bridge, sizeof(cfg->bridge)) < 0)
		return netspec_fail(msg, msglen, "bridge", v, "not a network interface name");
	if ((v = netspec_str(nic, "ifname")) != NULL &&
	    netspec_ifname(v, cfg->ifname, sizeof(cfg->ifname)) < 0)
		return netspec_fail(msg, msglen, "vifname", v, "not a network interface name");
	if ((v = netspec_str(nic, "script")) != NULL &&
	    (*v == '\0' || snprintf(cfg->script, sizeof(cfg->script), "%s", v) >= NET_SCRIPT_MAX))
		return netspec_fail(msg, msglen, "script", v, "empty or too long");
	/* Xen's default script adds the device to the bridge: cachetd does that itself. */
	if (strcmp(cfg->script, "vif-bridge") == 0)
		cfg->script[0] = '\0';
	return 0;
}

/* ip= and the forward= list into @cfg. */
static int netspec_user(struct json_object *nic, struct net_cfg *cfg, char *msg, size_t msglen)
{
	struct json_object *list;
	const char *v;

	if ((v = netspec_str(nic, "ip")) != NULL && netspec_ip(v, cfg) < 0)
		return netspec_fail(msg, msglen, "ip", v,
				    "not an IPv4 address whose last octet is 1, or 4 to 254");
	if (!json_object_object_get_ex(nic, "forward", &list))
		return 0;
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		v = json_object_get_string(json_object_array_get_idx(list, i));
		if (cfg->nfwd == NET_FWD_MAX)
			return netspec_fail(msg, msglen, "forward", v, "more than 16 forwards");
		if (netspec_forward(v, &cfg->fwd[cfg->nfwd++]) < 0)
			return netspec_fail(msg, msglen, "forward", v,
					    "expected tcp|udp:[HOSTADDR:]HOSTPORT:GUESTPORT");
	}
	if (cfg->nfwd && cfg->bridge[0]) {
		snprintf(msg, msglen, "forward= is for user-mode networking, not with bridge=");
		return -1;
	}
	return 0;
}

int netspec_parse(const char *spec, struct net_cfg *cfg, char *msg, size_t msglen)
{
	struct json_object *nic = cfgdev_vif_parse(spec, msg, msglen);
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	if (!nic)
		return -1;
	rc = netspec_names(nic, cfg, msg, msglen);
	if (rc == 0)
		rc = netspec_user(nic, cfg, msg, msglen);
	json_object_put(nic);
	return rc;
}

int netspec_random_mac(uint8_t mac[6])
{
	uint8_t r[3];

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		return -1;
	mac[0] = 0x00;
	mac[1] = 0x16;
	mac[2] = 0x3e;
	/* xl keeps the top bit of the fourth octet clear. */
	mac[3] = r[0] & 0x7f;
	mac[4] = r[1];
	mac[5] = r[2];
	return 0;
}
