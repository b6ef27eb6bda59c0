/*
 * Fuzzes what a guest reaches through HVC (PSCI over the SMC Calling
 * Convention) and the trapped SGI register, with the scheduler's side of
 * CPU_ON run between calls as a pCPU would.  Checks what PSCI promises:
 * results are PSCI codes, a started vCPU begins at the entry it was given
 * (for CPU_ON's 32-bit form, the low half of x2 whatever the upper half
 * holds, and the vCPU the low half of x1 names), and AFFINITY_INFO agrees
 * with every vCPU's state.
 */
#include <stdlib.h>
#include <string.h>

#include "hv_harness.h"
#include "hv/sched.h"
#include "hv/vdev.h"
#include "hv/vgic.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SMCCC_64 (1u << 30)
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON 0x84000003u
#define PSCI_AFFINITY_INFO 0x84000004u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u

/* Function ids worth hitting often; the rest of the space is random. */
static const uint32_t fns[] = { 0x84000000, PSCI_CPU_OFF, PSCI_CPU_ON, PSCI_CPU_ON | SMCCC_64,
				PSCI_AFFINITY_INFO, PSCI_AFFINITY_INFO | SMCCC_64, 0x84000006,
				0x8400000a, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET };

static void check_result(uint32_t fn, int64_t r)
{
	switch (fn & ~SMCCC_64) {
	case PSCI_CPU_ON:
		if (r != 0 && r != -2 && r != -4)
			abort();
		break;
	case PSCI_AFFINITY_INFO:
		if (r != 0 && r != 1 && r != -2)
			abort();
		break;
	default:
		break;
	}
}

/* The vCPU a CPU_ON names, as the caller meant it (or -1). */
static int cpu_on_target(const struct domain *d, uint32_t fn, uint64_t mpidr)
{
	uint64_t m = (fn & SMCCC_64) ? mpidr : (uint32_t)mpidr;
	uint64_t id = ((m >> 8) & 0xff) * 16 + (m & 0xff);

	if ((m & 0xff) >= 16 || (m & 0xff00ff0000ULL) != 0 || id >= d->max_vcpus)
		return -1;
	return (int)id;
}

/* What the vCPU's pCPU does before running it again: starts it where told. */
static void run_pending_power_on(struct domain *d, const uint64_t *expect)
{
	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = &d->vcpus[i];

		if (!domain_vcpu_on_pending(v))
			continue;
		domain_vcpu_power_on(v);
		if (v->arch.pc != expect[i] || v->state != VCPU_RUNNABLE)
			abort();
	}
}

static void check_affinity(struct domain *d, unsigned int caller)
{
	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		uint64_t regs[31] = { PSCI_AFFINITY_INFO, i };

		vpsci_call(&d->vcpus[caller], regs);
		if ((int64_t)regs[0] != (d->vcpus[i].state == VCPU_OFFLINE ? 1 : 0))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hv_input in = { data, size, 0 };
	struct domain *d = hv_domain_begin(1 + (unsigned int)(hv_input_bytes(&in, 1) % 4));
	uint64_t expect[CONFIG_MAX_VCPUS] = { 0 };

	while (hv_input_left(&in) && domain_runnable(d)) {
		unsigned int caller = (unsigned int)(hv_input_bytes(&in, 1) % d->max_vcpus);
		uint64_t regs[31] = { 0 }, args[4];
		uint32_t fn;

		if (d->vcpus[caller].state == VCPU_OFFLINE)
			continue; /* an offline vCPU makes no calls */
		if (hv_input_bytes(&in, 1) & 1) {
			vgic_sgi1r_write(&d->vcpus[caller], hv_input_bytes(&in, 8));
			continue;
		}
		fn = (hv_input_bytes(&in, 1) & 1) ? fns[hv_input_bytes(&in, 1) % 10]
						   : (uint32_t)hv_input_bytes(&in, 4);
		regs[0] = (hv_input_bytes(&in, 4) << 32) | fn;
		for (unsigned int i = 1; i < 4; i++)
			regs[i] = hv_input_bytes(&in, 8);
		memcpy(args, regs, sizeof(args));
		if (vpsci_call(&d->vcpus[caller], regs))
			check_result(fn, (int64_t)regs[0]);
		if ((fn & ~SMCCC_64) == PSCI_CPU_ON && regs[0] == 0) {
			int t = cpu_on_target(d, fn, args[1]);

			if (t < 0)
				abort();
			expect[t] = (fn & SMCCC_64) ? args[2] : (uint32_t)args[2];
		}
		run_pending_power_on(d, expect);
		check_affinity(d, caller);
	}
	hv_domain_end(d);
	return 0;
}
