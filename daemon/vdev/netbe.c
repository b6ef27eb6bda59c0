/*
 * What the two network backends share (netbe.h): the choice between them
 * and the wait's timeout.
 */
#include "netbe.h"

struct netbe *netbe_new(const struct net_cfg *cfg, const struct netbe_peer *peer, char *msg,
			size_t msglen)
{
	if (cfg->bridge[0])
		return netbe_tap_new(cfg, peer, msg, msglen);
	return netbe_slirp_new(cfg, peer, msg, msglen);
}

void netbe_timeout_min(int *timeout_ms, int64_t ms)
{
	if (ms < 0)
		return;
	if (ms > INT32_MAX)
		ms = INT32_MAX;
	if (*timeout_ms < 0 || ms < *timeout_ms)
		*timeout_ms = (int)ms;
}
