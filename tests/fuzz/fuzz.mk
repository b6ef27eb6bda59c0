# libFuzzer harnesses, built with $(FUZZ_CC) (clang) when configure found
# libFuzzer; see tests/fuzz/README.md for how to add one.
#
# A harness NAME is tests/fuzz/fuzz_NAME.c plus the sources it drives:
#   FUZZERS += NAME
#   fuzz_NAME_SRCS = tests/fuzz/fuzz_NAME.c daemon/x.c ...   (from top_srcdir)
#   fuzz_NAME_CPPFLAGS = -I...        (optional)
#   fuzz_NAME_LIBS = $(JSONC_LIBS)    (optional)
# Its seed corpus is tests/fuzz/corpus/NAME/ and the inputs that once
# crashed it are kept in tests/fuzz/regress/NAME/ (run first, every time).
FUZZERS =
FUZZ_BIN = tests/fuzz/bin
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer -I$(top_srcdir)/include
FUZZ_SECONDS = 60

# Area fragments register their harnesses here.
include $(srcdir)/tests/fuzz/daemon.mk
include $(srcdir)/tests/fuzz/host.mk
include $(srcdir)/tests/fuzz/hv.mk

FUZZ_PROGS = $(addprefix $(FUZZ_BIN)/fuzz_,$(FUZZERS))

# One rule builds every harness from its own source list.
.SECONDEXPANSION:
$(FUZZ_BIN)/fuzz_%: $$(fuzz_$$*_SRCS)
	@$(MKDIR_P) $(FUZZ_BIN)
	$(AM_V_CC)$(FUZZ_CC) $(FUZZ_FLAGS) $(fuzz_$*_CPPFLAGS) -o $@ $(filter %.c,$^) \
		$(fuzz_$*_LIBS)

if HAVE_LIBFUZZER
check_DATA = $(FUZZ_PROGS)
fuzz: $(FUZZ_PROGS)
	$(SHELL) $(srcdir)/tests/fuzz/run.sh --seconds $(FUZZ_SECONDS) \
		--srcdir $(srcdir) $(FUZZ_PROGS)
else
fuzz:
	@echo "make fuzz: configure found no clang with libFuzzer (install clang)" >&2; exit 1
endif
.PHONY: fuzz

# The smoke test: every harness for a few seconds, in make check.
TESTS += tests/fuzz/smoke.sh
EXTRA_DIST += tests/fuzz/smoke.sh tests/fuzz/run.sh tests/fuzz/README.md \
	tests/fuzz/corpus tests/fuzz/regress

clean-local: clean-fuzz
clean-fuzz:
	-rm -rf $(FUZZ_BIN) tests/fuzz/work
.PHONY: clean-fuzz
