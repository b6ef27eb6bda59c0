/* PSCI calls over HVC (Arm DEN0022, "Power State Coordination Interface"). */
#ifndef GUEST_PSCI_H
#define GUEST_PSCI_H

#include <stdint.h>

#define PSCI_0_2_FN_PSCI_VERSION 0x84000000u
#define PSCI_0_2_FN_SYSTEM_OFF 0x84000008u

/* Returns PSCI_VERSION's result: major in bits [31:16], minor in [15:0]. */
int64_t psci_version(void);

/* Powers the guest off.  Returns only if the call failed, with its result. */
int64_t psci_system_off(void);

#endif
