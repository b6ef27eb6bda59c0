/* MDCR_EL2 and PMCR_EL0 (Arm ARM D19.2 "MDCR_EL2", D19.4 "PMCR_EL0"). */
#ifndef ARCH_REGS_MDCR_H
#define ARCH_REGS_MDCR_H

#include "arch/bits.h"

#define MDCR_EL2_HPMN_SHIFT 0
#define MDCR_EL2_HPMN_MASK GENMASK(4, 0)
#define MDCR_EL2_TPMCR BIT(5)  /* trap PMCR_EL0 */
#define MDCR_EL2_TPM BIT(6)    /* trap every PMU register */
#define MDCR_EL2_HPME BIT(7)   /* counters reserved for EL2 enabled: left clear */
#define MDCR_EL2_TDA BIT(9)    /* trap debug registers (MDSCR_EL1, DBGB*, DBGW*, ...) */
#define MDCR_EL2_TDOSA BIT(10) /* trap the OS lock and power-down registers */
#define MDCR_EL2_TDRA BIT(11)  /* trap the debug ROM address register */

#define PMCR_EL0_N_SHIFT 11
#define PMCR_EL0_N_MASK GENMASK(15, 11)

#endif
