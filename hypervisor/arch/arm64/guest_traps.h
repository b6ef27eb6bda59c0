/* Guest exits on arm64 (arch-internal): one handler per trap class. */
#ifndef ARCH_ARM64_GUEST_TRAPS_H
#define ARCH_ARM64_GUEST_TRAPS_H

#include <stdint.h>

struct vcpu;

void guest_trap_dispatch(struct vcpu *v, int vec);
void trap_sysreg(struct vcpu *v, uint64_t esr);
void trap_dabt(struct vcpu *v, uint64_t esr);
void trap_iabt(struct vcpu *v, uint64_t esr);
/* Steps the guest past the trapped instruction. */
void guest_skip_insn(struct vcpu *v, uint64_t esr);
void vcpu_init_cpu(void);

#endif
