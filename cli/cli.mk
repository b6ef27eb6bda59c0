# cli: cachet, the xl-like command-line tool (a client of cachetd), and its
# unit tests (check) under tests/unit/test_cli_*.c.

# Everything but main(), so that the tests run the real command code.
CLI_CORE_SOURCES = \
	cli/cli.h cli/cli.c cli/cmdtable.c \
	cli/cfg.h cli/cfg_int.h cli/cfg.c cli/cfg_keys.c $(CFGDEV_SOURCES) \
	cli/cfg_write.h cli/cfg_write.c cli/cfg_source.h cli/cfg_source.c cli/xljson.h cli/xljson.c \
	cli/domxml.h cli/domxml_int.h cli/domxml_read.c cli/domxml_write.c cli/cmd_xml.c cli/cmd_events.c \
	cli/rpc.h cli/rpc.c cli/utf8.h cli/utf8.c \
	cli/cmd_domain.c cli/cmd_list.c cli/cmd_console.c cli/cmd_host.c cli/cmd_stats.c \
	cli/cmd_vcpu.c cli/cmd_dev.c

bin_PROGRAMS += cli/cachet
cli_cachet_SOURCES = cli/main.c $(CLI_CORE_SOURCES)
cli_cachet_CPPFLAGS = -I$(top_srcdir)/include $(CFGDEV_CPPFLAGS)
cli_cachet_CFLAGS = $(WARN_CFLAGS) $(JSONC_CFLAGS) $(UUID_CFLAGS) $(YAJL_CFLAGS) $(XML2_CFLAGS)
cli_cachet_LDADD = libcachet.la $(JSONC_LIBS) $(UUID_LIBS) $(YAJL_LIBS) $(XML2_LIBS)

# The tests build the same sources with ASan/UBSan.
CLI_TEST_CPPFLAGS = -I$(top_srcdir)/include -I$(top_srcdir)/cli $(CFGDEV_CPPFLAGS)
CLI_TEST_CFLAGS = $(WARN_CFLAGS) $(SAN_CFLAGS) $(JSONC_CFLAGS) $(UUID_CFLAGS) $(YAJL_CFLAGS) $(XML2_CFLAGS) $(CHECK_CFLAGS) -g -O1 -pthread
CLI_TEST_LIBS = libcachet.la $(JSONC_LIBS) $(UUID_LIBS) $(YAJL_LIBS) $(XML2_LIBS) $(CHECK_LIBS)
CLI_TEST_LINK_FLAGS = $(SAN_CFLAGS) -pthread

# The xl.cfg parser: syntax, each error class, overrides, path resolution.
check_PROGRAMS += tests/unit/test_cli_cfg
TESTS += tests/unit/test_cli_cfg
tests_unit_test_cli_cfg_SOURCES = tests/unit/test_cli_cfg.c tests/unit/test_cli_util.h \
	tests/unit/test_cli_util.c $(CLI_CORE_SOURCES)
tests_unit_test_cli_cfg_CPPFLAGS = $(CLI_TEST_CPPFLAGS)
tests_unit_test_cli_cfg_CFLAGS = $(CLI_TEST_CFLAGS)
tests_unit_test_cli_cfg_LDADD = $(CLI_TEST_LIBS)
tests_unit_test_cli_cfg_LDFLAGS = $(CLI_TEST_LINK_FLAGS)

# The command table, generated help, usage errors and exit statuses.
check_PROGRAMS += tests/unit/test_cli_cmd
TESTS += tests/unit/test_cli_cmd
tests_unit_test_cli_cmd_SOURCES = tests/unit/test_cli_cmd.c tests/unit/test_cli_util.h \
	tests/unit/test_cli_util.c $(CLI_CORE_SOURCES)
tests_unit_test_cli_cmd_CPPFLAGS = $(CLI_TEST_CPPFLAGS)
tests_unit_test_cli_cmd_CFLAGS = $(CLI_TEST_CFLAGS)
tests_unit_test_cli_cmd_LDADD = $(CLI_TEST_LIBS)
tests_unit_test_cli_cmd_LDFLAGS = $(CLI_TEST_LINK_FLAGS)

# End to end: the commands against a fake cachetd on a temporary UNIX socket.
check_PROGRAMS += tests/unit/test_cli_rpc
TESTS += tests/unit/test_cli_rpc
tests_unit_test_cli_rpc_SOURCES = tests/unit/test_cli_rpc.c tests/unit/test_cli_util.h \
	tests/unit/test_cli_util.c tests/unit/test_cli_fake.h tests/unit/test_cli_fake.c \
	$(CLI_CORE_SOURCES)
tests_unit_test_cli_rpc_CPPFLAGS = $(CLI_TEST_CPPFLAGS)
tests_unit_test_cli_rpc_CFLAGS = $(CLI_TEST_CFLAGS)
tests_unit_test_cli_rpc_LDADD = $(CLI_TEST_LIBS)
tests_unit_test_cli_rpc_LDFLAGS = $(CLI_TEST_LINK_FLAGS)

# The lifecycle and vCPU commands (shutdown, reboot, vcpu-list, vcpu-pin,
# list -l with the stored configuration) against the fake cachetd.
check_PROGRAMS += tests/unit/test_cli_domctl
TESTS += tests/unit/test_cli_domctl
tests_unit_test_cli_domctl_SOURCES = tests/unit/test_cli_domctl.c tests/unit/test_cli_util.h \
	tests/unit/test_cli_util.c tests/unit/test_cli_fake.h tests/unit/test_cli_fake.c \
	$(CLI_CORE_SOURCES)
tests_unit_test_cli_domctl_CPPFLAGS = $(CLI_TEST_CPPFLAGS)
tests_unit_test_cli_domctl_CFLAGS = $(CLI_TEST_CFLAGS)
tests_unit_test_cli_domctl_LDADD = $(CLI_TEST_LIBS)
tests_unit_test_cli_domctl_LDFLAGS = $(CLI_TEST_LINK_FLAGS)

# The xl.cfg corpus through `cachet create -n`: PV-style and HVM-style
# configurations, Arm ones, typos and values Cachet cannot honour, each with
# the output, warnings and exit status expected (tests/xlcfg/NAME.expected).
XLCFG_CORPUS = tests/xlcfg/pv-linux.cfg tests/xlcfg/hvm-x86.cfg tests/xlcfg/arm-guest.cfg \
	tests/xlcfg/typos.cfg tests/xlcfg/gic-v2.cfg tests/xlcfg/maxmem.cfg \
	tests/xlcfg/wrong-type.cfg tests/xlcfg/bad-disk.cfg tests/xlcfg/no-kernel.cfg
TESTS += tests/xlcfg/corpus.sh
EXTRA_DIST += tests/xlcfg/corpus.sh $(XLCFG_CORPUS) $(XLCFG_CORPUS:.cfg=.expected)

# libvirt domain XML <-> xl.cfg: pairs converted both ways, and documents
# as libvirt writes them (or malformed, or for KVM or x86) with the
# expected output (tests/xml/).
XML_PAIRS = tests/xml/pv-linux.cfg tests/xml/arm-pinned.cfg tests/xml/user-net.cfg
XML_INPUTS = tests/xml/libvirt-input.xml tests/xml/libvirt-kvm.xml tests/xml/libvirt-x86.xml \
	tests/xml/libvirt-coredump.xml tests/xml/libvirt-broken.xml tests/xml/libvirt-memory.xml \
	tests/xml/libvirt-portforward.xml tests/xml/libvirt-portforward-bad.xml \
	tests/xml/libvirt-portforward-range.xml
TESTS += tests/xml/roundtrip.sh
EXTRA_DIST += tests/xml/roundtrip.sh $(XML_PAIRS) $(XML_PAIRS:.cfg=.xml) $(XML_INPUTS) \
	$(XML_INPUTS:.xml=.expected)
