/*
 * A stand-in for a guest's device set (vguest.c) in the device unit tests:
 * the transport and the device models reach their guest only through the
 * accessors of vdev_int.h, which test_daemon_fakeguest.c answers from this
 * structure (domain 1, named "test").
 */
#ifndef TEST_DAEMON_FAKEGUEST_H
#define TEST_DAEMON_FAKEGUEST_H

#include "vdev/vdev_int.h"

struct vguest {
	cachet_handle *h;
	struct vdev_mem mem;
};

#endif
