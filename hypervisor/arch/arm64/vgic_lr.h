/* List registers and the virtual CPU interface (arch-internal). */
#ifndef ARCH_ARM64_VGIC_LR_H
#define ARCH_ARM64_VGIC_LR_H

#include "arch/vcpu_state.h"

void vgic_lr_init_cpu(void);
void vgic_lr_save(struct arch_vgic_state *s);
void vgic_lr_restore(const struct arch_vgic_state *s);

#endif
