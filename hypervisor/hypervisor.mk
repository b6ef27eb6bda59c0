# The EL2 hypervisor: freestanding aarch64 code built with $(HV_CC).
# Automake knows only the host compiler, so these rules are spelled out.
# cachet-hv.elf is the hypervisor; cachet-hv-fault.elf differs only in
# core/main.c (CACHET_FAULT_TEST) and exists for the panic-path test.

HV_SRCS = \
	hypervisor/arch/arm64/head.S \
	hypervisor/arch/arm64/vectors.S \
	hypervisor/arch/arm64/cpu.c \
	hypervisor/arch/arm64/guest_entry.S \
	hypervisor/arch/arm64/aa32_decode.c \
	hypervisor/arch/arm64/guest_traps.c \
	hypervisor/arch/arm64/gicv3.c \
	hypervisor/arch/arm64/irq.c \
	hypervisor/arch/arm64/mmu.c \
	hypervisor/arch/arm64/psci.c \
	hypervisor/arch/arm64/pte.c \
	hypervisor/arch/arm64/timer.c \
	hypervisor/arch/arm64/trap_aa32.c \
	hypervisor/arch/arm64/trap_dabt.c \
	hypervisor/arch/arm64/trap_sysreg.c \
	hypervisor/arch/arm64/trap_tlbi.c \
	hypervisor/arch/arm64/tlbi_decode.c \
	hypervisor/arch/arm64/tlbi_track.c \
	hypervisor/arch/arm64/sysreg_emul.c \
	hypervisor/arch/arm64/traps.c \
	hypervisor/arch/arm64/vcpu.c \
	hypervisor/arch/arm64/vcpu_context.c \
	hypervisor/arch/arm64/vgic_lr.c \
	hypervisor/arch/arm64/vgic_cpuif.c \
	hypervisor/arch/arm64/vtimer.c \
	hypervisor/core/cache_policy.c \
	hypervisor/core/flush.c \
	hypervisor/core/domain.c \
	hypervisor/core/doorbell.c \
	hypervisor/core/event.c \
	hypervisor/core/exitprof.c \
	hypervisor/core/fmt.c \
	hypervisor/core/log.c \
	hypervisor/core/main.c \
	hypervisor/core/mbox.c \
	hypervisor/core/mgmt.c \
	hypervisor/core/mm.c \
	hypervisor/core/palloc.c \
	hypervisor/core/palloc_selftest.c \
	hypervisor/core/panic.c \
	hypervisor/core/pt.c \
	hypervisor/core/sched.c \
	hypervisor/core/scrub.c \
	hypervisor/core/selftest.c \
	hypervisor/core/smp.c \
	hypervisor/core/string.c \
	hypervisor/core/time.c \
	hypervisor/core/vdev/mmio.c \
	hypervisor/core/vdev/vgic.c \
	hypervisor/core/vdev/vgic_mmio.c \
	hypervisor/core/vdev/vpsci.c \
	hypervisor/core/vdev/vuart.c \
	hypervisor/core/vdev/vvirtio_mmio.c \
	hypervisor/drivers/pl011.c \
	hypervisor/platform/qemu-virt/board.c \
	hypervisor/platform/qemu-virt/dt_memory.c \
	hypervisor/platform/qemu-virt/fw_cfg.c

HV_LDS = $(srcdir)/hypervisor/arch/arm64/hv.lds
HV_GEN = hypervisor/obj/include
HV_CPPFLAGS = -I$(srcdir)/hypervisor/include -I$(srcdir)/hypervisor/arch/arm64/include \
	-I$(srcdir)/include \
	-I$(HV_GEN) -DCACHET_VERSION='"$(PACKAGE_VERSION)"'
HV_CFLAGS = -std=gnu11 -O2 -g $(WARN_CFLAGS) -ffreestanding -fno-pic -fno-pie \
	-fno-stack-protector -fno-omit-frame-pointer -fno-common -mgeneral-regs-only \
	-mstrict-align -mno-outline-atomics -mbranch-protection=none
HV_LINK_FLAGS = -nostdlib -static -no-pie -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
	-Wl,-T,$(HV_LDS)

HV_OBJS = $(patsubst hypervisor/%,hypervisor/obj/std/%.o,$(basename $(HV_SRCS)))
HV_FAULT_OBJS = $(filter-out hypervisor/obj/std/core/main.o,$(HV_OBJS)) \
	hypervisor/obj/fault/core/main.o

hv_v_ld = $(hv_v_ld_@AM_V@)
hv_v_ld_ = $(hv_v_ld_@AM_DEFAULT_V@)
hv_v_ld_0 = @echo "  HVLD    " $@;
hv_v_cc = $(hv_v_cc_@AM_V@)
hv_v_cc_ = $(hv_v_cc_@AM_DEFAULT_V@)
hv_v_cc_0 = @echo "  HVCC    " $@;

$(HV_GEN)/asm-offsets.h: $(srcdir)/hypervisor/arch/arm64/asm-offsets.c \
		$(srcdir)/hypervisor/arch/arm64/include/arch/frame.h $(srcdir)/hypervisor/include/hv/config.h
	@mkdir -p $(@D)
	$(hv_v_cc)$(HV_CC) $(HV_CPPFLAGS) $(HV_CFLAGS) -S -o $@.s $<
	$(AM_V_at){ echo '/* Generated from asm-offsets.c: do not edit. */'; \
	  sed -n 's/.*->\([A-Z_0-9]*\) #\{0,1\}\([0-9]*\).*/#define \1 \2/p' $@.s; } > $@.tmp
	$(AM_V_at)rm -f $@.s && mv $@.tmp $@

hypervisor/obj/std/%.o: $(srcdir)/hypervisor/%.c | $(HV_GEN)/asm-offsets.h
	@mkdir -p $(@D)
	$(hv_v_cc)$(HV_CC) $(HV_CPPFLAGS) $(HV_CFLAGS) -MMD -MP -c -o $@ $<

hypervisor/obj/std/%.o: $(srcdir)/hypervisor/%.S | $(HV_GEN)/asm-offsets.h
	@mkdir -p $(@D)
	$(hv_v_cc)$(HV_CC) $(HV_CPPFLAGS) -D__ASSEMBLER__ -MMD -MP -c -o $@ $<

hypervisor/obj/fault/%.o: $(srcdir)/hypervisor/%.c | $(HV_GEN)/asm-offsets.h
	@mkdir -p $(@D)
	$(hv_v_cc)$(HV_CC) $(HV_CPPFLAGS) -DCACHET_FAULT_TEST $(HV_CFLAGS) -MMD -MP -c -o $@ $<

hypervisor/cachet-hv.elf: $(HV_OBJS) $(HV_LDS)
	$(hv_v_ld)$(HV_CC) $(HV_CFLAGS) $(HV_LINK_FLAGS) -o $@ $(HV_OBJS)

hypervisor/cachet-hv-fault.elf: $(HV_FAULT_OBJS) $(HV_LDS)
	$(hv_v_ld)$(HV_CC) $(HV_CFLAGS) $(HV_LINK_FLAGS) -o $@ $(HV_FAULT_OBJS)

-include $(HV_OBJS:.o=.d) hypervisor/obj/fault/core/main.d

all-local: hypervisor/cachet-hv.elf hypervisor/cachet-hv-fault.elf

hvdir = $(pkgdatadir)
install-data-local: hypervisor/cachet-hv.elf
	$(MKDIR_P) '$(DESTDIR)$(hvdir)'
	$(INSTALL_DATA) hypervisor/cachet-hv.elf '$(DESTDIR)$(hvdir)/cachet-hv.elf'

uninstall-local:
	rm -f '$(DESTDIR)$(hvdir)/cachet-hv.elf'

clean-local:
	rm -rf hypervisor/obj hypervisor/cachet-hv.elf hypervisor/cachet-hv-fault.elf

# Every header, also those only the hypervisor build reads (frame.h for asm-offsets).
HV_HDRS = \
	hypervisor/arch/arm64/aa32.h \
	hypervisor/arch/arm64/gicv3.h \
	hypervisor/arch/arm64/guest_traps.h \
	hypervisor/arch/arm64/include/arch/asm_macros.h \
	hypervisor/arch/arm64/include/arch/bits.h \
	hypervisor/arch/arm64/include/arch/frame.h \
	hypervisor/arch/arm64/include/arch/pte.h \
	hypervisor/arch/arm64/include/arch/regs_esr.h \
	hypervisor/arch/arm64/include/arch/regs_gicv3.h \
	hypervisor/arch/arm64/include/arch/regs_hcr.h \
	hypervisor/arch/arm64/include/arch/regs_id.h \
	hypervisor/arch/arm64/include/arch/regs_sctlr.h \
	hypervisor/arch/arm64/include/arch/regs_tcr.h \
	hypervisor/arch/arm64/include/arch/regs_timer.h \
	hypervisor/arch/arm64/include/arch/regs_vtcr.h \
	hypervisor/arch/arm64/include/arch/sysreg.h \
	hypervisor/arch/arm64/include/arch/vcpu_state.h \
	hypervisor/arch/arm64/irq.h \
	hypervisor/arch/arm64/timer.h \
	hypervisor/arch/arm64/vgic_lr.h \
	hypervisor/arch/arm64/vtimer.h \
	hypervisor/arch/host/arch/vcpu_state.h \
	hypervisor/arch/host/host_arch.h \
	hypervisor/include/hv/arch.h \
	hypervisor/include/hv/arch_vcpu.h \
	hypervisor/include/hv/cache_policy.h \
	hypervisor/include/hv/config.h \
	hypervisor/include/hv/domain.h \
	hypervisor/include/hv/errno.h \
	hypervisor/include/hv/event.h \
	hypervisor/include/hv/fmt.h \
	hypervisor/include/hv/log.h \
	hypervisor/include/hv/mbox.h \
	hypervisor/include/hv/mm.h \
	hypervisor/include/hv/mmio.h \
	hypervisor/include/hv/palloc.h \
	hypervisor/include/hv/palloc_selftest.h \
	hypervisor/include/hv/panic.h \
	hypervisor/include/hv/pl011.h \
	hypervisor/include/hv/plat.h \
	hypervisor/include/hv/pt.h \
	hypervisor/include/hv/sched.h \
	hypervisor/include/hv/selftest.h \
	hypervisor/include/hv/smp.h \
	hypervisor/include/hv/spinlock.h \
	hypervisor/include/hv/string.h \
	hypervisor/include/hv/time.h \
	hypervisor/include/hv/types.h \
	hypervisor/include/hv/vdev.h \
	hypervisor/include/hv/vvirtio.h \
	hypervisor/include/hv/vgic.h \
	hypervisor/platform/qemu-virt/dt_memory.h \
	hypervisor/platform/qemu-virt/fw_cfg.h
EXTRA_DIST += $(HV_SRCS) $(HV_LDS) $(HV_HDRS) hypervisor/arch/arm64/asm-offsets.c
