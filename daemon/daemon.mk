# cachetd: the management daemon (see daemon/PROTOCOL.md and man/cachetd.8).
#
# The sources other than main.c also form a convenience library,
# built with the sanitizers, that the unit tests link against a fake
# libcachet (tests/unit/test_daemon_fakelib.c) instead of the real one: the
# protocol, validation, state and lifecycle logic are tested without QEMU.

DAEMON_CORE_SOURCES = \
	daemon/cachetd.h \
	daemon/channel.c \
	daemon/conbuf.c daemon/conbuf.h \
	daemon/config.c daemon/config.h daemon/config_int.h daemon/config_xl.c \
	daemon/cpulist.c daemon/cpulist.h \
	daemon/create.c \
	daemon/create_job.c \
	daemon/detach.c daemon/detach.h \
	daemon/devices.c \
	daemon/dlog.c daemon/dlog.h \
	daemon/domtab.c daemon/domtab.h \
	daemon/errmap.c daemon/errmap.h \
	daemon/events.c daemon/events.h \
	daemon/lbuf.c daemon/lbuf.h \
	daemon/methods.c daemon/methods.h \
	daemon/monitor.c \
	daemon/opts.c daemon/opts.h \
	daemon/params.c \
	daemon/keeper.c daemon/keeper.h \
	daemon/platform.c daemon/platform.h \
	daemon/platform_id.c daemon/platform_id.h \
	daemon/platform_qemu.c \
	daemon/restart.c \
	daemon/rpc.c daemon/rpc.h \
	daemon/rpc_id.c \
	daemon/server.c daemon/server.h \
	daemon/server_conn.c \
	daemon/server_peer.c daemon/server_peer.h \
	daemon/state.c daemon/state.h \
	daemon/stats.c \
	daemon/testpoint.c daemon/testpoint.h \
	daemon/vcpu.c \
	daemon/vdev/backends.h \
	daemon/vdev/blk.h daemon/vdev/blk_file.c daemon/vdev/blk_nbd.c \
	daemon/vdev/devcfg.c daemon/vdev/devcfg.h \
	daemon/vdev/vdev.c daemon/vdev/vdev.h daemon/vdev/vdev_int.h \
	daemon/vdev/vdev_blk.c daemon/vdev/vdev_rng.c \
	daemon/vdev/vguest.c daemon/vdev/vguest.h \
	daemon/vdev/virtq.c daemon/vdev/virtq.h \
	$(CFGDEV_SOURCES)

# virtio-net: the device model, its two backends (libslirp, TAP) and the vif reading.
DAEMON_CORE_SOURCES += daemon/config_vif.c \
	daemon/vdev/net_spec.c daemon/vdev/net_spec.h \
	daemon/vdev/netbe.c daemon/vdev/netbe.h \
	daemon/vdev/net_slirp.c daemon/vdev/net_tap.c \
	daemon/vdev/vdev_net.c

DAEMON_CPPFLAGS = -I$(top_srcdir)/include -I$(top_srcdir)/daemon $(CFGDEV_CPPFLAGS) \
	-DCACHET_HV_BUILD_PATH='"$(abs_top_builddir)/hypervisor/cachet-hv.elf"' \
	-DCACHET_QEMU_PATH='"$(QEMU_AARCH64)"' \
	-DCACHET_QEMU_NBD_PATH='"$(QEMU_NBD)"' \
	-DCACHET_PKGDATADIR='"$(pkgdatadir)"'

sbin_PROGRAMS += daemon/cachetd
daemon_cachetd_SOURCES = $(DAEMON_CORE_SOURCES) daemon/main.c
daemon_cachetd_CPPFLAGS = $(DAEMON_CPPFLAGS)
daemon_cachetd_CFLAGS = $(WARN_CFLAGS) $(JSONC_CFLAGS) $(UUID_CFLAGS) $(YAJL_CFLAGS) $(LIBNBD_CFLAGS) $(SLIRP_CFLAGS)
daemon_cachetd_LDADD = libcachet.la $(JSONC_LIBS) $(UUID_LIBS) $(YAJL_LIBS) $(LIBNBD_LIBS) $(SLIRP_LIBS) -lpthread

EXTRA_DIST += daemon/PROTOCOL.md

# ---- Unit tests -------------------------------------------------------------

noinst_LTLIBRARIES += daemon/libcachetd-test.la
daemon_libcachetd_test_la_SOURCES = $(DAEMON_CORE_SOURCES) \
	tests/unit/test_daemon_fakelib.c tests/unit/test_daemon_fakelib.h
daemon_libcachetd_test_la_CPPFLAGS = $(DAEMON_CPPFLAGS)
daemon_libcachetd_test_la_CFLAGS = $(WARN_CFLAGS) $(SAN_CFLAGS) $(JSONC_CFLAGS) $(UUID_CFLAGS) $(YAJL_CFLAGS) $(LIBNBD_CFLAGS) $(SLIRP_CFLAGS) -g -O1

DAEMON_TEST_CPPFLAGS = $(DAEMON_CPPFLAGS) -I$(top_srcdir)/daemon -I$(top_srcdir)/tests/unit
DAEMON_TEST_CFLAGS = $(WARN_CFLAGS) $(SAN_CFLAGS) $(CHECK_CFLAGS) $(JSONC_CFLAGS) $(UUID_CFLAGS) $(YAJL_CFLAGS) -g -O1
DAEMON_TEST_LIBS = daemon/libcachetd-test.la $(CHECK_LIBS) $(JSONC_LIBS) $(UUID_LIBS) $(YAJL_LIBS) $(LIBNBD_LIBS) $(SLIRP_LIBS) -lpthread

DAEMON_TESTS = \
	tests/unit/test_daemon_rpc \
	tests/unit/test_daemon_config \
	tests/unit/test_daemon_state \
	tests/unit/test_daemon_errmap \
	tests/unit/test_daemon_methods \
	tests/unit/test_daemon_misc \
	tests/unit/test_daemon_cpulist \
	tests/unit/test_daemon_lifecycle \
	tests/unit/test_daemon_vcpu \
	tests/unit/test_daemon_libops \
	tests/unit/test_daemon_virtq \
	tests/unit/test_daemon_blkfile \
	tests/unit/test_daemon_devcfg \
	tests/unit/test_daemon_vnet
check_PROGRAMS += $(DAEMON_TESTS)
TESTS += $(DAEMON_TESTS)

tests_unit_test_daemon_rpc_SOURCES = tests/unit/test_daemon_rpc.c tests/unit/test_daemon_util.h
tests_unit_test_daemon_rpc_CPPFLAGS = $(DAEMON_TEST_CPPFLAGS)
tests_unit_test_daemon_rpc_CFLAGS = $(DAEMON_TEST_CFLAGS)
tests_unit_test_daemon_rpc_LDADD = $(DAEMON_TEST_LIBS)
tests_unit_test_daemon_rpc_LDFLAGS = $(SAN_CFLAGS)

tests_unit_test_daemon_config_SOURCES = tests/unit/test_daemon_config.c
tests_unit_test_daemon_config_CPPFLAGS = $(DAEMON_TEST_CPPFLAGS)
tests_unit_test_daemon_config_CFLAGS = $(DAEMON_TEST_CFLAGS)
tests_unit_test_daemon_config_LDADD = $(DAEMON_TEST_LIBS)
tests_unit_test_daemon_config_LDFLAGS = $(SAN_CFLAGS)

tests_unit_test_daemon_state_SOURCES = tests/unit/test_daemon_state.c tests/unit/test_daemon_util.h
tests_unit_test_daemon_state_CPPFLAGS = $(DAEMON_TEST_CPPFLAGS)
tests_unit_test_daemon_state_CFLAGS = $(DAEMON_TEST_CFLAGS)
tests_unit_test_daemon_state_LDADD = $(DAEMON_TEST_LIBS)
tests_unit_test_daemon_state_LDFLAGS = $(SAN_CFLAGS)

tests_unit_test_daemon_errmap_SOURCES = tests/unit/test_daemon_errmap.c
tests_unit_test_daemon_errmap_CPPFLAGS = $(DAEMON_TEST_CPPFLAGS)
tests_unit_test_daemon_errmap_CFLAGS = $(DAEMON_TEST_CFLAGS)
tests_unit_test_daemon_errmap_LDADD = $(DAEMON_TEST_LIBS)
tests_unit_test_daemon_errmap_LDFLAGS = $(SAN_CFLAGS)

tests_unit_test_daemon_methods_SOURCES = tests/unit/test_daemon_methods.c tests/unit/test_daemon_util.h
tests_unit_test_daemon_methods_CPPFLAGS = $(DAEMON_TEST_CPPFLAGS)
tests_unit_test_daemon_methods_CFLAGS = $(DAEMON_TEST_CFLAGS)
tests_unit_test_daemon_methods_LDADD = $(DAEMON_TEST_LIBS)
tests_unit_test_daemon_methods_LDFLAGS = $(SAN_CFLAGS)

tests_unit_test_daemon_devcfg_SOURCES = tests/unit/test_daemon_devcfg.c
tests_unit_test_daemon_devcfg_CPPFLAGS = $(DAEMON_TEST_CPPFLAGS)
tests_unit_test_daemon_devcfg_CFLAGS = $(DAEMON_TEST_CFLAGS)
tests_unit_test_daemon_devcfg_LDADD = $(DAEMON_TEST_LIBS)

# The device tests' stand-in for vguest.c.
DAEMON_FAKEGUEST = tests/unit/test_daemon_fakeguest.c tests/unit/test_daemon_fakeguest.h

tests_unit_test_daemon_vnet_SOURCES = tests/unit/test_daemon_vnet.c $(DAEMON_FAKEGUEST)
tests_unit_test_daemon_vnet_CPPFLAGS = $(DAEMON_TEST_CPPFLAGS)
tests_unit_test_daemon_vnet_CFLAGS = $(DAEMON_TEST_CFLAGS) $(SLIRP_CFLAGS)
tests_unit_test_daemon_vnet_LDADD = $(DAEMON_TEST_LIBS)

tests_unit_test_daemon_blkfile_SOURCES = tests/unit/test_daemon_blkfile.c
tests_unit_test_daemon_blkfile_CPPFLAGS = $(DAEMON_TEST_CPPFLAGS)
tests_unit_test_daemon_blkfile_CFLAGS = $(DAEMON_TEST_CFLAGS)
tests_unit_test_daemon_blkfile_LDADD = $(DAEMON_TEST_LIBS)

tests_unit_test_daemon_virtq_SOURCES = tests/unit/test_daemon_virtq.c $(DAEMON_FAKEGUEST)
tests_unit_test_daemon_virtq_CPPFLAGS = $(DAEMON_TEST_CPPFLAGS)
tests_unit_test_daemon_virtq_CFLAGS = $(DAEMON_TEST_CFLAGS)
tests_unit_test_daemon_virtq_LDADD = $(DAEMON_TEST_LIBS)

tests_unit_test_daemon_misc_SOURCES = tests/unit/test_daemon_misc.c
tests_unit_test_daemon_misc_CPPFLAGS = $(DAEMON_TEST_CPPFLAGS)
tests_unit_test_daemon_misc_CFLAGS = $(DAEMON_TEST_CFLAGS)
tests_unit_test_daemon_misc_LDADD = $(DAEMON_TEST_LIBS)
tests_unit_test_daemon_misc_LDFLAGS = $(SAN_CFLAGS)

tests_unit_test_daemon_cpulist_SOURCES = tests/unit/test_daemon_cpulist.c
tests_unit_test_daemon_cpulist_CPPFLAGS = $(DAEMON_TEST_CPPFLAGS)
tests_unit_test_daemon_cpulist_CFLAGS = $(DAEMON_TEST_CFLAGS)
tests_unit_test_daemon_cpulist_LDADD = $(DAEMON_TEST_LIBS)
tests_unit_test_daemon_cpulist_LDFLAGS = $(SAN_CFLAGS)

tests_unit_test_daemon_lifecycle_SOURCES = tests/unit/test_daemon_lifecycle.c \
	tests/unit/test_daemon_util.h
tests_unit_test_daemon_lifecycle_CPPFLAGS = $(DAEMON_TEST_CPPFLAGS)
tests_unit_test_daemon_lifecycle_CFLAGS = $(DAEMON_TEST_CFLAGS)
tests_unit_test_daemon_lifecycle_LDADD = $(DAEMON_TEST_LIBS)
tests_unit_test_daemon_lifecycle_LDFLAGS = $(SAN_CFLAGS)

tests_unit_test_daemon_vcpu_SOURCES = tests/unit/test_daemon_vcpu.c tests/unit/test_daemon_util.h
tests_unit_test_daemon_vcpu_CPPFLAGS = $(DAEMON_TEST_CPPFLAGS)
tests_unit_test_daemon_vcpu_CFLAGS = $(DAEMON_TEST_CFLAGS)
tests_unit_test_daemon_vcpu_LDADD = $(DAEMON_TEST_LIBS)
tests_unit_test_daemon_vcpu_LDFLAGS = $(SAN_CFLAGS)

# The ABI 1.1 wrappers of libcachet the daemon calls, against the library's fake server.
tests_unit_test_daemon_libops_SOURCES = tests/unit/test_daemon_libops.c \
	$(LIBCACHET_TEST_FAKE) $(LIBCACHET_SRCS) $(LIBCACHET_PRIV_HDRS)
tests_unit_test_daemon_libops_CPPFLAGS = $(LIBCACHET_TEST_CPPFLAGS)
tests_unit_test_daemon_libops_CFLAGS = $(LIBCACHET_TEST_CFLAGS)
tests_unit_test_daemon_libops_LDADD = $(LIBCACHET_TEST_LIBS)
tests_unit_test_daemon_libops_LDFLAGS = $(SAN_CFLAGS)

# ---- systemd unit -------------------------------------------------------------

systemdunitdir = $(prefix)/lib/systemd/system
systemdunit_DATA = daemon/cachetd.service
CLEANFILES += daemon/cachetd.service
EXTRA_DIST += daemon/cachetd.service.in

daemon/cachetd.service: daemon/cachetd.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) daemon && \
	sed -e 's|@sbindir[@]|$(sbindir)|g' $(srcdir)/daemon/cachetd.service.in >$@.tmp && \
	mv $@.tmp $@
