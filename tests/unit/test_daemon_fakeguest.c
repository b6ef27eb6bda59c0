/* The accessors of vdev_int.h over test_daemon_fakeguest.h's struct vguest. */
#include "test_daemon_fakeguest.h"

cachet_handle *vguest_handle(const struct vguest *g)
{
	return g->h;
}

cachet_domid_t vguest_domid(const struct vguest *g)
{
	(void)g;
	return 1;
}

const char *vguest_name(const struct vguest *g)
{
	(void)g;
	return "test";
}

const struct vdev_mem *vguest_mem(const struct vguest *g)
{
	return &g->mem;
}
