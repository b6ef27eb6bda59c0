# Harnesses for what hostile input reaches on the host side and in the
# hypervisor's request validation (issue 10): the xl.cfg parser, the
# daemon's JSON-RPC and parameter validation, every kernel loader and
# decompressor, a user's device tree, and the hypervisor's management
# requests (its core built for the host, as tests/unit/test_mgmt is).

# xl.cfg (cli/cfg.c).
FUZZERS += cfg
fuzz_cfg_SRCS = tests/fuzz/fuzz_cfg.c cli/cfg.c cli/cfg_keys.c common/cfgdev.c cli/cfg_write.c \
	cli/xljson.c cli/utf8.c
fuzz_cfg_CPPFLAGS = -I$(top_srcdir)/cli $(CFGDEV_CPPFLAGS) $(JSONC_CFLAGS) $(UUID_CFLAGS) $(YAJL_CFLAGS)
fuzz_cfg_LIBS = $(JSONC_LIBS) $(UUID_LIBS) $(YAJL_LIBS)

# JSON-RPC envelope, ids, batches, parameters and CONFIG (daemon/rpc*.c, params.c, config.c).
FUZZERS += rpc
fuzz_rpc_SRCS = tests/fuzz/fuzz_rpc.c daemon/rpc.c daemon/rpc_id.c daemon/params.c \
	daemon/config.c daemon/config_xl.c daemon/config_vif.c daemon/vdev/net_spec.c \
	common/cfgdev.c daemon/cpulist.c daemon/errmap.c
fuzz_rpc_CPPFLAGS = -I$(top_srcdir)/daemon $(CFGDEV_CPPFLAGS) $(JSONC_CFLAGS) $(UUID_CFLAGS) $(YAJL_CFLAGS)
fuzz_rpc_LIBS = $(JSONC_LIBS) $(UUID_LIBS) $(YAJL_LIBS)

# Kernel loaders and decompressors (libbuild/loader*.c, decomp*.c).
FUZZ_LIB_LOADER_SRCS = libbuild/arena.c libbuild/errors.c libbuild/loader.c \
	libbuild/loader_decomp.c libbuild/loader_elf.c libbuild/loader_image.c \
	libbuild/loader_uimage.c libbuild/loader_zimage.c libbuild/decomp.c libbuild/decomp_bzip2.c \
	libbuild/decomp_gzip.c libbuild/decomp_lz4.c libbuild/decomp_xz.c libbuild/decomp_zstd.c
FUZZERS += loader
fuzz_loader_SRCS = tests/fuzz/fuzz_loader.c $(FUZZ_LIB_LOADER_SRCS)
fuzz_loader_CPPFLAGS = -I$(top_srcdir)/libbuild $(LIBCACHET_DEP_CFLAGS)
fuzz_loader_LIBS = $(LIBCACHET_DEP_LIBS) -lpthread

# A user's device tree (libbuild/dtb.c).
FUZZERS += dtb
fuzz_dtb_SRCS = tests/fuzz/fuzz_dtb.c libbuild/dtb.c libbuild/arena.c libbuild/errors.c
fuzz_dtb_CPPFLAGS = -I$(top_srcdir)/libbuild
fuzz_dtb_LIBS = $(FDT_LIBS) -lpthread

# The hypervisor's management requests (hypervisor/core/mgmt.c and what it drives).
FUZZERS += mgmt
fuzz_mgmt_SRCS = tests/fuzz/fuzz_mgmt.c $(HV_HOST_CORE_SRCS)
fuzz_mgmt_CPPFLAGS = $(HV_HOST_CPPFLAGS) -DCACHET_VERSION='"$(PACKAGE_VERSION)"'

EXTRA_DIST += tests/fuzz/fuzz_cfg.c tests/fuzz/fuzz_rpc.c tests/fuzz/fuzz_loader.c \
	tests/fuzz/fuzz_dtb.c tests/fuzz/fuzz_mgmt.c
