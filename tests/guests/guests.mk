# Bare-metal test guests: small AArch64 EL1 programs that each probe one
# behaviour of the hypervisor (see tests/guests/common/guest.h for what they
# share and print).  Like the hypervisor they are freestanding code built
# with $(HV_CC), so the rules are spelled out here.
#
# Outputs, in the build tree:
#   tests/guests/NAME.elf          the guest, for Cachet's guest map
#   tests/guests/NAME.cfg          its xl.cfg-style domain config (kernel =
#                                  absolute path of NAME.elf)
#   tests/guests/direct/NAME.elf   the same guest for running directly on
#                                  QEMU's virt board at EL1, without Cachet
#                                  (virt's PL011 as console; see qemu-direct.sh)
# Objects and generated files live under tests/guests/obj/.

GUEST_NAMES = hello mmu-off-read m-before-c tvm crash setway idle idle-slow marker \
	flushcost setway-loop hostile spin virtio-hostile
# Guests that carry the generated 1 MiB blob in a PT_LOAD segment of its own.
GUEST_BLOB_NAMES = mmu-off-read m-before-c
GUEST_PLAIN_NAMES = $(filter-out $(GUEST_BLOB_NAMES),$(GUEST_NAMES))

GUEST_COMMON_SRCS = \
	tests/guests/common/start.S \
	tests/guests/common/vectors.S \
	tests/guests/common/console.c \
	tests/guests/common/guest.c \
	tests/guests/common/mmu.c \
	tests/guests/common/pattern.c \
	tests/guests/common/psci.c \
	tests/guests/common/setway_ops.c \
	tests/guests/common/string.c \
	tests/guests/common/vmreg.c
GUEST_BLOB_SRCS = \
	tests/guests/common/blob.c \
	tests/guests/common/blob_data.S
GUEST_HDRS = \
	tests/guests/common/arm64.h \
	tests/guests/common/blob.h \
	tests/guests/common/blob_stream.h \
	tests/guests/common/console.h \
	tests/guests/common/guest.h \
	tests/guests/common/mmu.h \
	tests/guests/common/pattern.h \
	tests/guests/common/psci.h \
	tests/guests/common/setway_ops.h \
	tests/guests/common/vmreg.h

GUEST_GEN = tests/guests/obj/gen
GUEST_CPPFLAGS = -I$(top_srcdir)/include -I$(srcdir)/tests/guests/common -I$(GUEST_GEN)
GUEST_CFLAGS = -std=gnu11 -O2 -g $(WARN_CFLAGS) -ffreestanding -fno-pic -fno-pie \
	-fno-stack-protector -fno-omit-frame-pointer -fno-common -mgeneral-regs-only \
	-mstrict-align -mno-outline-atomics -mbranch-protection=none
GUEST_LINK_FLAGS = -nostdlib -static -no-pie -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
	-Wl,-z,max-page-size=4096

# The direct build: QEMU virt's PL011 instead of Cachet's emulated UART, and
# a crash target that is unassigned on virt (0x10000000 is its PCIe window,
# which reads as all-ones instead of faulting).
GUEST_DIRECT_CPPFLAGS = -DUART_BASE=0x09000000UL -DCRASH_IPA=0x09800000UL

guest_srcs_to_objs = $(patsubst tests/guests/%,tests/guests/obj/$(1)/%.o,$(basename $(2)))
GUEST_COMMON_OBJS = $(call guest_srcs_to_objs,cachet,$(GUEST_COMMON_SRCS))
GUEST_BLOB_OBJS = $(call guest_srcs_to_objs,cachet,$(GUEST_BLOB_SRCS))
GUEST_DIRECT_COMMON_OBJS = $(call guest_srcs_to_objs,direct,$(GUEST_COMMON_SRCS))
GUEST_DIRECT_BLOB_OBJS = $(call guest_srcs_to_objs,direct,$(GUEST_BLOB_SRCS))
GUEST_ALL_OBJS = $(GUEST_COMMON_OBJS) $(GUEST_BLOB_OBJS) \
	$(GUEST_DIRECT_COMMON_OBJS) $(GUEST_DIRECT_BLOB_OBJS) \
	$(GUEST_NAMES:%=tests/guests/obj/cachet/%.o) $(GUEST_NAMES:%=tests/guests/obj/direct/%.o)

GUEST_ELFS = $(GUEST_NAMES:%=tests/guests/%.elf)
GUEST_CFGS = $(GUEST_NAMES:%=tests/guests/%.cfg)
GUEST_DIRECT_ELFS = $(GUEST_NAMES:%=tests/guests/direct/%.elf)

guest_v_cc = $(guest_v_cc_@AM_V@)
guest_v_cc_ = $(guest_v_cc_@AM_DEFAULT_V@)
guest_v_cc_0 = @echo "  GUESTCC " $@;
guest_v_ld = $(guest_v_ld_@AM_V@)
guest_v_ld_ = $(guest_v_ld_@AM_DEFAULT_V@)
guest_v_ld_0 = @echo "  GUESTLD " $@;

# The blob generator runs on the build machine.
noinst_PROGRAMS += tests/guests/blobgen
tests_guests_blobgen_SOURCES = tests/guests/blobgen.c tests/guests/common/blob_stream.h
tests_guests_blobgen_CPPFLAGS = -I$(top_srcdir)/tests/guests/common

# blobgen writes blob.bin and then blob_sum.h (its hash): blob_sum.h is the
# target, and a missing blob.bin is remade by remaking blob_sum.h.
$(GUEST_GEN)/blob_sum.h: tests/guests/blobgen$(EXEEXT)
	@mkdir -p $(@D)
	$(AM_V_GEN)tests/guests/blobgen$(EXEEXT) $(GUEST_GEN)/blob.bin $@
$(GUEST_GEN)/blob.bin: $(GUEST_GEN)/blob_sum.h
	@test -f $@ || { rm -f $(GUEST_GEN)/blob_sum.h; \
	  $(MAKE) $(AM_MAKEFLAGS) $(GUEST_GEN)/blob_sum.h; }

$(GUEST_GEN)/guest.lds: $(srcdir)/tests/guests/guest.lds.S
	@mkdir -p $(@D)
	$(AM_V_GEN)$(HV_CC) -E -P -undef -x c -o $@ $<
$(GUEST_GEN)/guest-blob.lds: $(srcdir)/tests/guests/guest.lds.S
	@mkdir -p $(@D)
	$(AM_V_GEN)$(HV_CC) -E -P -undef -x c -DGUEST_BLOB -o $@ $<

tests/guests/obj/cachet/%.o: $(srcdir)/tests/guests/%.c
	@mkdir -p $(@D)
	$(guest_v_cc)$(HV_CC) $(GUEST_CPPFLAGS) $(GUEST_CFLAGS) -MMD -MP -c -o $@ $<
tests/guests/obj/cachet/%.o: $(srcdir)/tests/guests/%.S
	@mkdir -p $(@D)
	$(guest_v_cc)$(HV_CC) $(GUEST_CPPFLAGS) -D__ASSEMBLER__ -MMD -MP -c -o $@ $<
tests/guests/obj/direct/%.o: $(srcdir)/tests/guests/%.c
	@mkdir -p $(@D)
	$(guest_v_cc)$(HV_CC) $(GUEST_CPPFLAGS) $(GUEST_DIRECT_CPPFLAGS) $(GUEST_CFLAGS) \
	  -MMD -MP -c -o $@ $<
tests/guests/obj/direct/%.o: $(srcdir)/tests/guests/%.S
	@mkdir -p $(@D)
	$(guest_v_cc)$(HV_CC) $(GUEST_CPPFLAGS) $(GUEST_DIRECT_CPPFLAGS) -D__ASSEMBLER__ \
	  -MMD -MP -c -o $@ $<

# The blob's users need the generated files before they can be compiled.
$(GUEST_BLOB_NAMES:%=tests/guests/obj/cachet/%.o) \
$(GUEST_BLOB_NAMES:%=tests/guests/obj/direct/%.o) \
$(GUEST_BLOB_OBJS) $(GUEST_DIRECT_BLOB_OBJS): $(GUEST_GEN)/blob_sum.h $(GUEST_GEN)/blob.bin

# Each guest links its own object with the common ones; the rules below add
# the linker script and, for the blob's users, the blob objects.  Static
# pattern rules name every object, so make keeps them (no intermediates).
$(GUEST_ELFS): tests/guests/%.elf: tests/guests/obj/cachet/%.o $(GUEST_COMMON_OBJS)
	$(guest_v_ld)$(HV_CC) $(GUEST_CFLAGS) $(GUEST_LINK_FLAGS) \
	  -Wl,-T,$(filter %.lds,$^) -o $@ $(filter %.o,$^)
$(GUEST_DIRECT_ELFS): tests/guests/direct/%.elf: tests/guests/obj/direct/%.o \
		$(GUEST_DIRECT_COMMON_OBJS)
	@mkdir -p $(@D)
	$(guest_v_ld)$(HV_CC) $(GUEST_CFLAGS) $(GUEST_LINK_FLAGS) \
	  -Wl,-T,$(filter %.lds,$^) -o $@ $(filter %.o,$^)

$(GUEST_PLAIN_NAMES:%=tests/guests/%.elf) $(GUEST_PLAIN_NAMES:%=tests/guests/direct/%.elf): \
	$(GUEST_GEN)/guest.lds
$(GUEST_BLOB_NAMES:%=tests/guests/%.elf): $(GUEST_GEN)/guest-blob.lds $(GUEST_BLOB_OBJS)
$(GUEST_BLOB_NAMES:%=tests/guests/direct/%.elf): $(GUEST_GEN)/guest-blob.lds \
	$(GUEST_DIRECT_BLOB_OBJS)

# The config sits next to the ELF in the build tree and names it by
# absolute path, so it works from any directory.
$(GUEST_CFGS): tests/guests/%.cfg: $(srcdir)/tests/guests/guest.cfg.in
	$(AM_V_GEN)sed -e 's|[@]NAME[@]|$*|g' \
	  -e 's|[@]KERNEL[@]|$(abs_top_builddir)/tests/guests/$*.elf|g' $< >$@.tmp && \
	  mv $@.tmp $@

-include $(GUEST_ALL_OBJS:.o=.d)

# hypervisor.mk owns the recipes of all-local and clean-local; these rules
# only add prerequisites.
all-local: guests-all
clean-local: guests-clean

guests-all: $(GUEST_ELFS) $(GUEST_CFGS) $(GUEST_DIRECT_ELFS) $(A32_GUEST_OUTPUTS)

# Generated files only, by name: an in-tree build keeps its sources here.
guests-clean:
	rm -rf tests/guests/obj tests/guests/direct tests/guests/logs
	rm -f $(GUEST_ELFS) $(GUEST_CFGS) tests/guests/a32-probe.zimage tests/guests/a32-probe.cfg

.PHONY: guests-all guests-clean

# The AArch32 test guest: one position-independent A32/T32 assembly file,
# linked at 0 and written out flat, its own zImage header included.
A32_GUEST_SRC = tests/guests/a32/a32-probe.S
A32_GUEST_OUTPUTS =
if HAVE_A32_GUEST
A32_GUEST_OUTPUTS += tests/guests/a32-probe.zimage tests/guests/a32-probe.cfg

tests/guests/obj/a32/a32-probe.o: $(srcdir)/$(A32_GUEST_SRC)
	@mkdir -p $(@D)
	$(guest_v_cc)$(A32_CC) -c -o $@ $<
tests/guests/obj/a32/a32-probe.elf: tests/guests/obj/a32/a32-probe.o
	$(guest_v_ld)$(A32_LD) -Ttext=0 -e _start -o $@ $<
tests/guests/a32-probe.zimage: tests/guests/obj/a32/a32-probe.elf
	$(AM_V_GEN)$(A32_OBJCOPY) -O binary -j .text $< $@
tests/guests/a32-probe.cfg: $(srcdir)/tests/guests/guest.cfg.in
	$(AM_V_GEN)sed -e 's|[@]NAME[@]|a32-probe|g' \
	  -e 's|[@]KERNEL[@]|$(abs_top_builddir)/tests/guests/a32-probe.zimage|g' \
	  -e 's|^vcpus = 1$$|vcpus = 2|' $< >$@.tmp && mv $@.tmp $@
endif

# Runs every direct build on QEMU's virt board at EL1 and checks what it
# prints: the guests' own smoke test, independent of the hypervisor.
TESTS += tests/guests/qemu-direct.sh

EXTRA_DIST += $(GUEST_COMMON_SRCS) $(GUEST_BLOB_SRCS) $(GUEST_HDRS) \
	$(GUEST_NAMES:%=tests/guests/%.c) \
	tests/guests/guest.lds.S \
	tests/guests/guest.cfg.in \
	tests/guests/qemu-direct.sh \
	$(A32_GUEST_SRC)
