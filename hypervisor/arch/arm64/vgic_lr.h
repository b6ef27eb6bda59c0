/* List registers and the virtual CPU interface (arch-internal). */
#ifndef ARCH_ARM64_VGIC_LR_H
#define ARCH_ARM64_VGIC_LR_H

#include <stdint.h>

#include "arch/vcpu_state.h"

void vgic_lr_init_cpu(void);
void vgic_lr_save(struct arch_vgic_state *s);
void vgic_lr_restore(const struct arch_vgic_state *s);
/* The loaded vCPU's ICH_VMCR_EL2; writes keep VCBPR set. */
uint64_t vgic_lr_vmcr(void);
void vgic_lr_set_vmcr(uint64_t vmcr);
/* The loaded vCPU's active priorities (ICH_AP0R0 | ICH_AP1R0), bit n for group n. */
uint64_t vgic_lr_active_priorities(void);
/* ICC_DIR_EL1: deactivates virtual interrupt @intid of the loaded vCPU. */
void vgic_lr_deactivate(uint32_t intid);

#endif
