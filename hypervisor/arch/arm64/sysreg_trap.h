/*
 * Trapped system register accesses (EC 0x18): the ISS layout, encodings
 * built from it, and the emulation the trap handler dispatches to
 * (arch-internal).  Arm ARM D17.2.37, "ISS encoding for an exception from
 * MSR, MRS, or System instruction execution in AArch64 state".
 */
#ifndef ARCH_ARM64_SYSREG_TRAP_H
#define ARCH_ARM64_SYSREG_TRAP_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/bits.h"

#define SYS_DIR_READ BIT(0)
#define SYS_CRM_SHIFT 1
#define SYS_CRM_MASK GENMASK(4, 1)
#define SYS_RT_SHIFT 5
#define SYS_RT_MASK GENMASK(9, 5)
#define SYS_CRN_SHIFT 10
#define SYS_CRN_MASK GENMASK(13, 10)
#define SYS_OP1_SHIFT 14
#define SYS_OP1_MASK GENMASK(16, 14)
#define SYS_OP2_SHIFT 17
#define SYS_OP2_MASK GENMASK(19, 17)
#define SYS_OP0_SHIFT 20
#define SYS_OP0_MASK GENMASK(21, 20)
#define SYS_ENCODING_MASK (SYS_OP0_MASK | SYS_OP2_MASK | SYS_OP1_MASK | SYS_CRN_MASK | SYS_CRM_MASK)

#define SYS_ENC(op0, op1, crn, crm, op2)                                                  \
	(FIELD_PREP(SYS_OP0, op0) | FIELD_PREP(SYS_OP1, op1) | FIELD_PREP(SYS_CRN, crn) | \
	 FIELD_PREP(SYS_CRM, crm) | FIELD_PREP(SYS_OP2, op2))

struct vcpu;

/*
 * One trapped access: @enc is the register (SYS_ENC), @val the value
 * written, or where the value read goes.  Returns false if the register is
 * not one the handler emulates.
 */
typedef bool (*sysreg_access_fn)(struct vcpu *v, uint64_t enc, bool read, uint64_t *val);

/*
 * Emulates one access, whichever state the guest runs in: the TVM and
 * set/way writes that feed the cache policy, SGIs, the GIC CPU interface
 * and sysreg_emulate's registers (trap_sysreg.c).
 */
bool trap_sysreg_emulate(struct vcpu *v, uint64_t enc, bool read, uint64_t *val);
/* The live value of a register HCR_EL2.TVM traps; false if @enc is not one. */
bool tvm_reg_read(uint64_t enc, uint64_t *val);

/* Debug, PMU, ID and IMPDEF registers the guest sees through EL2 (sysreg_emul.c). */
bool sysreg_emulate(struct vcpu *v, uint64_t enc, bool read, uint64_t *val);
/* The GIC CPU interface registers ICH_HCR_EL2.TC traps (vgic_cpuif.c). */
bool vgic_cpuif_access(struct vcpu *v, uint64_t enc, bool read, uint64_t *val);

#endif
