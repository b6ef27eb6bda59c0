# libcachet: the host library (control handle, mailbox transport, foreign
# mapping, domain builder).  Only the cachet_* API is exported; the modules'
# internal functions (xport_*, elf_*, arena_*, ...) stay inside.

LIBCACHET_SRCS = \
	libbuild/arena.c \
	libbuild/build.c \
	libbuild/builder.c \
	libbuild/decomp.c \
	libbuild/decomp_bzip2.c \
	libbuild/decomp_gzip.c \
	libbuild/decomp_lz4.c \
	libbuild/decomp_xz.c \
	libbuild/decomp_zstd.c \
	libbuild/dtb.c \
	libbuild/errors.c \
	libbuild/events.c \
	libbuild/foreign.c \
	libbuild/handle.c \
	libbuild/layout.c \
	libbuild/loader.c \
	libbuild/loader_decomp.c \
	libbuild/loader_elf.c \
	libbuild/loader_image.c \
	libbuild/loader_uimage.c \
	libbuild/loader_zimage.c \
	libbuild/ops.c \
	libbuild/ops_vdev.c \
	libbuild/transport.c

LIBCACHET_PRIV_HDRS = \
	libbuild/arena.h \
	libbuild/builder.h \
	libbuild/decomp.h \
	libbuild/dtb.h \
	libbuild/errors.h \
	libbuild/foreign.h \
	libbuild/layout.h \
	libbuild/loader.h \
	libbuild/ops.h \
	libbuild/transport.h \
	libbuild/util.h

# The image decompressors and libfdt (configure.ac checks each).
LIBCACHET_DEP_CFLAGS = $(ZLIB_CFLAGS) $(ZSTD_CFLAGS) $(LZMA_CFLAGS) $(LZ4_CFLAGS) $(YAJL_CFLAGS)
LIBCACHET_DEP_LIBS = $(ZLIB_LIBS) $(ZSTD_LIBS) $(LZMA_LIBS) $(LZ4_LIBS) $(BZ2_LIBS) $(FDT_LIBS) \
	$(YAJL_LIBS)

lib_LTLIBRARIES += libcachet.la
libcachet_la_SOURCES = $(LIBCACHET_SRCS) $(LIBCACHET_PRIV_HDRS)
libcachet_la_CPPFLAGS = -I$(top_srcdir)/include
libcachet_la_CFLAGS = $(WARN_CFLAGS) $(LIBCACHET_DEP_CFLAGS)
libcachet_la_LDFLAGS = -version-info 0:0:0 -Wl,--version-script=$(top_srcdir)/libbuild/libcachet.map
libcachet_la_DEPENDENCIES = $(top_srcdir)/libbuild/libcachet.map
EXTRA_DIST += libbuild/libcachet.map
libcachet_la_LIBADD = $(LIBCACHET_DEP_LIBS) -lpthread

cachetincludedir = $(includedir)/cachet
cachetinclude_HEADERS = include/cachet/cachet.h
cachetpublicdir = $(includedir)/cachet/public
cachetpublic_HEADERS = include/cachet/public/abi.h include/cachet/public/mbox.h \
	include/cachet/public/guest_map.h

# Unit tests (check).  They compile the library's sources themselves, with
# the sanitizers on, so ASan/UBSan watch the library code too and the tests
# can reach the internal interfaces (loaders, run coalescing) directly.
LIBCACHET_TEST_CPPFLAGS = -I$(top_srcdir)/include -I$(top_srcdir)/libbuild
LIBCACHET_TEST_CFLAGS = $(WARN_CFLAGS) $(SAN_CFLAGS) $(CHECK_CFLAGS) $(LIBCACHET_DEP_CFLAGS) -g -O1
LIBCACHET_TEST_LIBS = $(CHECK_LIBS) $(LIBCACHET_DEP_LIBS) -lpthread
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

# The loaders of compressed and Linux kernels, and the device tree.
check_PROGRAMS += tests/unit/test_lib_image tests/unit/test_lib_decomp tests/unit/test_lib_dtb
TESTS += tests/unit/test_lib_image tests/unit/test_lib_decomp tests/unit/test_lib_dtb
LIBCACHET_TEST_KIMG = tests/unit/test_lib_kimg.h tests/unit/test_lib_elf.h

tests_unit_test_lib_image_SOURCES = tests/unit/test_lib_image.c $(LIBCACHET_TEST_KIMG) \
	$(LIBCACHET_TEST_FAKE) $(LIBCACHET_SRCS) $(LIBCACHET_PRIV_HDRS)
tests_unit_test_lib_image_CPPFLAGS = $(LIBCACHET_TEST_CPPFLAGS)
tests_unit_test_lib_image_CFLAGS = $(LIBCACHET_TEST_CFLAGS)
tests_unit_test_lib_image_LDADD = $(LIBCACHET_TEST_LIBS)
tests_unit_test_lib_image_LDFLAGS = $(SAN_CFLAGS)

tests_unit_test_lib_decomp_SOURCES = tests/unit/test_lib_decomp.c $(LIBCACHET_TEST_KIMG) \
	$(LIBCACHET_TEST_FAKE) $(LIBCACHET_SRCS) $(LIBCACHET_PRIV_HDRS)
tests_unit_test_lib_decomp_CPPFLAGS = $(LIBCACHET_TEST_CPPFLAGS)
tests_unit_test_lib_decomp_CFLAGS = $(LIBCACHET_TEST_CFLAGS)
tests_unit_test_lib_decomp_LDADD = $(LIBCACHET_TEST_LIBS)
tests_unit_test_lib_decomp_LDFLAGS = $(SAN_CFLAGS)

tests_unit_test_lib_dtb_SOURCES = tests/unit/test_lib_dtb.c $(LIBCACHET_TEST_KIMG) \
	$(LIBCACHET_TEST_FAKE) $(LIBCACHET_SRCS) $(LIBCACHET_PRIV_HDRS)
tests_unit_test_lib_dtb_CPPFLAGS = $(LIBCACHET_TEST_CPPFLAGS)
tests_unit_test_lib_dtb_CFLAGS = $(LIBCACHET_TEST_CFLAGS)
tests_unit_test_lib_dtb_LDADD = $(LIBCACHET_TEST_LIBS)
tests_unit_test_lib_dtb_LDFLAGS = $(SAN_CFLAGS)

# Kernel loading benchmark (tests/bench/bench_loader.c): built with `make`,
# run by `make bench` (or `make bench-loader` alone); never part of make
# check.  It needs the Debian kernel that tests/linux/fetch-guest-assets
# fetches, and is skipped with a note when that is not there.
noinst_PROGRAMS += tests/bench/bench_loader
tests_bench_bench_loader_SOURCES = tests/bench/bench_loader.c $(LIBCACHET_TEST_FAKE)
tests_bench_bench_loader_CPPFLAGS = -I$(top_srcdir)/include -I$(top_srcdir)/tests/unit
tests_bench_bench_loader_CFLAGS = $(WARN_CFLAGS) $(CHECK_CFLAGS) -O2
tests_bench_bench_loader_LDADD = libcachet.la $(CHECK_LIBS) -lpthread

BENCH_GUEST_ASSETS = $${CACHET_GUEST_ASSETS:-$${XDG_CACHE_HOME:-$$HOME/.cache}/cachet/guest-arm64}
bench-loader: tests/bench/bench_loader$(EXEEXT)
	@dir="$(BENCH_GUEST_ASSETS)"; \
	if test -f "$$dir/Image" && test -f "$$dir/Image.gz"; then \
		tests/bench/bench_loader "$$dir"; \
	else \
		echo "bench-loader: skipped, no $$dir/Image (run tests/linux/fetch-guest-assets)"; \
	fi
bench: bench-loader
.PHONY: bench-loader

# The lifecycle event stream of cachetd (cachet_events_*) against a fake daemon.
check_PROGRAMS += tests/unit/test_lib_events
TESTS += tests/unit/test_lib_events
tests_unit_test_lib_events_SOURCES = tests/unit/test_lib_events.c $(LIBCACHET_SRCS) \
	$(LIBCACHET_PRIV_HDRS)
tests_unit_test_lib_events_CPPFLAGS = $(LIBCACHET_TEST_CPPFLAGS)
tests_unit_test_lib_events_CFLAGS = $(LIBCACHET_TEST_CFLAGS)
tests_unit_test_lib_events_LDADD = $(LIBCACHET_TEST_LIBS)
tests_unit_test_lib_events_LDFLAGS = $(SAN_CFLAGS)

# Thread safety: eight threads on one handle, and one handle each, under
# ThreadSanitizer (the library's sources and the fake built with -fsanitize=thread).
if HAVE_TSAN
check_PROGRAMS += tests/unit/test_lib_threads
TESTS += tests/unit/test_lib_threads
tests_unit_test_lib_threads_SOURCES = tests/unit/test_lib_threads.c $(LIBCACHET_TEST_FAKE) \
	$(LIBCACHET_SRCS) $(LIBCACHET_PRIV_HDRS)
tests_unit_test_lib_threads_CPPFLAGS = $(LIBCACHET_TEST_CPPFLAGS)
tests_unit_test_lib_threads_CFLAGS = $(WARN_CFLAGS) $(TSAN_CFLAGS) $(CHECK_CFLAGS) \
	$(LIBCACHET_DEP_CFLAGS) -g -O1
tests_unit_test_lib_threads_LDADD = $(LIBCACHET_TEST_LIBS)
tests_unit_test_lib_threads_LDFLAGS = $(TSAN_CFLAGS)
endif
