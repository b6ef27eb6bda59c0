# libcachet: the host library (control handle, mailbox transport, foreign
# mapping, domain builder).  Only the cachet_* API is exported; the modules'
# internal functions (xport_*, elf_*, arena_*, ...) stay inside.

LIBCACHET_SRCS = \
	libbuild/arena.c \
	libbuild/build.c \
	libbuild/builder.c \
	libbuild/errors.c \
	libbuild/foreign.c \
	libbuild/handle.c \
	libbuild/loader.c \
	libbuild/loader_elf.c \
	libbuild/ops.c \
	libbuild/transport.c

LIBCACHET_PRIV_HDRS = \
	libbuild/arena.h \
	libbuild/builder.h \
	libbuild/errors.h \
	libbuild/foreign.h \
	libbuild/loader.h \
	libbuild/transport.h \
	libbuild/util.h

lib_LTLIBRARIES += libcachet.la
libcachet_la_SOURCES = $(LIBCACHET_SRCS) $(LIBCACHET_PRIV_HDRS)
libcachet_la_CPPFLAGS = -I$(top_srcdir)/include
libcachet_la_CFLAGS = $(WARN_CFLAGS)
libcachet_la_LDFLAGS = -version-info 0:0:0 -export-symbols-regex '^cachet_'
libcachet_la_LIBADD = -lpthread

cachetincludedir = $(includedir)/cachet
cachetinclude_HEADERS = include/cachet/cachet.h
cachetpublicdir = $(includedir)/cachet/public
cachetpublic_HEADERS = include/cachet/public/abi.h include/cachet/public/mbox.h \
	include/cachet/public/guest_map.h

# Unit tests (check).  They compile the library's sources themselves, with
# the sanitizers on, so ASan/UBSan watch the library code too and the tests
# can reach the internal interfaces (loaders, run coalescing) directly.
LIBCACHET_TEST_CPPFLAGS = -I$(top_srcdir)/include -I$(top_srcdir)/libbuild
LIBCACHET_TEST_CFLAGS = $(WARN_CFLAGS) $(SAN_CFLAGS) $(CHECK_CFLAGS) -g -O1
LIBCACHET_TEST_LIBS = $(CHECK_LIBS) -lpthread
LIBCACHET_TEST_FAKE = tests/unit/test_lib_fake.c tests/unit/test_lib_fake.h

check_PROGRAMS += tests/unit/test_lib_loader tests/unit/test_lib_transport \
	tests/unit/test_lib_foreign tests/unit/test_lib_builder
TESTS += tests/unit/test_lib_loader tests/unit/test_lib_transport \
	tests/unit/test_lib_foreign tests/unit/test_lib_builder

tests_unit_test_lib_loader_SOURCES = tests/unit/test_lib_loader.c tests/unit/test_lib_elf.h \
	$(LIBCACHET_SRCS) $(LIBCACHET_PRIV_HDRS)
tests_unit_test_lib_loader_CPPFLAGS = $(LIBCACHET_TEST_CPPFLAGS)
tests_unit_test_lib_loader_CFLAGS = $(LIBCACHET_TEST_CFLAGS)
tests_unit_test_lib_loader_LDADD = $(LIBCACHET_TEST_LIBS)
tests_unit_test_lib_loader_LDFLAGS = $(SAN_CFLAGS)

tests_unit_test_lib_transport_SOURCES = tests/unit/test_lib_transport.c \
	$(LIBCACHET_TEST_FAKE) $(LIBCACHET_SRCS) $(LIBCACHET_PRIV_HDRS)
tests_unit_test_lib_transport_CPPFLAGS = $(LIBCACHET_TEST_CPPFLAGS)
tests_unit_test_lib_transport_CFLAGS = $(LIBCACHET_TEST_CFLAGS)
tests_unit_test_lib_transport_LDADD = $(LIBCACHET_TEST_LIBS)
tests_unit_test_lib_transport_LDFLAGS = $(SAN_CFLAGS)

tests_unit_test_lib_foreign_SOURCES = tests/unit/test_lib_foreign.c \
	$(LIBCACHET_TEST_FAKE) $(LIBCACHET_SRCS) $(LIBCACHET_PRIV_HDRS)
tests_unit_test_lib_foreign_CPPFLAGS = $(LIBCACHET_TEST_CPPFLAGS)
tests_unit_test_lib_foreign_CFLAGS = $(LIBCACHET_TEST_CFLAGS)
tests_unit_test_lib_foreign_LDADD = $(LIBCACHET_TEST_LIBS)
tests_unit_test_lib_foreign_LDFLAGS = $(SAN_CFLAGS)

tests_unit_test_lib_builder_SOURCES = tests/unit/test_lib_builder.c tests/unit/test_lib_elf.h \
	$(LIBCACHET_TEST_FAKE) $(LIBCACHET_SRCS) $(LIBCACHET_PRIV_HDRS)
tests_unit_test_lib_builder_CPPFLAGS = $(LIBCACHET_TEST_CPPFLAGS)
tests_unit_test_lib_builder_CFLAGS = $(LIBCACHET_TEST_CFLAGS)
tests_unit_test_lib_builder_LDADD = $(LIBCACHET_TEST_LIBS)
tests_unit_test_lib_builder_LDFLAGS = $(SAN_CFLAGS)
