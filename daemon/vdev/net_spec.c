/*
 * The daemon's reading of a vif spec (net_spec.h).
 */
#include "net_spec.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#define NETSPEC_MAX 1024

/* xl keys accepted without effect: the client warns about each. */
static const char *const netspec_unused[] = {
	"model", "type", "rate", "backend", "gatewaydev", "devid", "mtu", NULL,
};

static int netspec_fail(char *msg, size_t msglen, const char *key, const char *v,
			const char *why)
{
	snprintf(msg, msglen, "%s=%s: %s", key, v, why);
	return -1;
}

static int netspec_mac(const char *v, uint8_t mac[6])
{
	unsigned int b[6];
	char end;

	if (strlen(v) != 17 || sscanf(v, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
				      &b[4], &b[5], &end) != 6)
		return -1;
	for (int i = 0; i < 6; i++) {
		if (!isxdigit((unsigned char)v[i * 3]) || !isxdigit((unsigned char)v[i * 3 + 1]))
			return -1;
		mac[i] = (uint8_t)b[i];
	}
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

static int netspec_key(struct net_cfg *cfg, const char *key, const char *v, char *msg,
		       size_t msglen)
{
	if (strcmp(key, "mac") == 0 && netspec_mac(v, cfg->mac) < 0)
		return netspec_fail(msg, msglen, key, v, "not a unicast MAC address XX:XX:XX:XX:XX:XX");
	if (strcmp(key, "bridge") == 0 && netspec_ifname(v, cfg->bridge, sizeof(cfg->bridge)) < 0)
		return netspec_fail(msg, msglen, key, v, "not a network interface name");
	if (strcmp(key, "vifname") == 0 && netspec_ifname(v, cfg->ifname, sizeof(cfg->ifname)) < 0)
		return netspec_fail(msg, msglen, key, v, "not a network interface name");
	if (strcmp(key, "script") == 0 &&
	    (*v == '\0' || snprintf(cfg->script, sizeof(cfg->script), "%s", v) >= NET_SCRIPT_MAX))
		return netspec_fail(msg, msglen, key, v, "empty or too long");
	if (strcmp(key, "ip") == 0 && netspec_ip(v, cfg) < 0)
		return netspec_fail(msg, msglen, key, v,
				    "not an IPv4 address whose last octet is 1, or 4 to 254");
	if (strcmp(key, "forward") == 0) {
		if (cfg->nfwd == NET_FWD_MAX)
			return netspec_fail(msg, msglen, key, v, "more than 16 forwards");
		if (netspec_forward(v, &cfg->fwd[cfg->nfwd++]) < 0)
			return netspec_fail(msg, msglen, key, v,
					    "expected tcp|udp:[HOSTADDR:]HOSTPORT:GUESTPORT");
	}
	return 0;
}

static bool netspec_known(const char *key)
{
	static const char *const honoured[] = {
		"mac", "bridge", "vifname", "script", "ip", "forward", NULL,
	};

	for (const char *const *k = honoured; *k; k++)
		if (strcmp(key, *k) == 0)
			return true;
	for (const char *const *k = netspec_unused; *k; k++)
		if (strcmp(key, *k) == 0)
			return true;
	return false;
}

static int netspec_item(struct net_cfg *cfg, char *p, char *msg, size_t msglen)
{
	char *eq;

	while (isspace((unsigned char)*p))
		p++;
	for (char *e = p + strlen(p); e > p && isspace((unsigned char)e[-1]);)
		*--e = '\0';
	if (*p == '\0' || strcmp(p, "trusted") == 0 || strcmp(p, "untrusted") == 0)
		return 0;
	eq = strchr(p, '=');
	if (!eq) {
		snprintf(msg, msglen, "'%s' is not KEY=VALUE", p);
		return -1;
	}
	*eq = '\0';
	if (!netspec_known(p)) {
		snprintf(msg, msglen, "unknown vif key '%s'", p);
		return -1;
	}
	return netspec_key(cfg, p, eq + 1, msg, msglen);
}

int netspec_parse(const char *spec, struct net_cfg *cfg, char *msg, size_t msglen)
{
	char buf[NETSPEC_MAX + 1], *save = NULL;

	memset(cfg, 0, sizeof(*cfg));
	if (strlen(spec) > NETSPEC_MAX) {
		snprintf(msg, msglen, "longer than %d bytes", NETSPEC_MAX);
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", spec);
	for (char *p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save))
		if (netspec_item(cfg, p, msg, msglen) < 0)
			return -1;
	/* Xen's default script adds the device to the bridge: cachetd does that itself. */
	if (strcmp(cfg->script, "vif-bridge") == 0)
		cfg->script[0] = '\0';
	if (cfg->nfwd && cfg->bridge[0]) {
		snprintf(msg, msglen, "forward= is for user-mode networking, not with bridge=");
		return -1;
	}
	return 0;
}

bool netspec_has_mac(const char *spec)
{
	for (const char *p = strstr(spec, "mac="); p; p = strstr(p + 1, "mac=")) {
		const char *q = p;

		while (q > spec && isspace((unsigned char)q[-1]))
			q--;
		if (q == spec || q[-1] == ',')
			return true;
	}
	return false;
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
