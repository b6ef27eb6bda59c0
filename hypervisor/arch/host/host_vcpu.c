/*
 * Host fakes for the parts of the arch seam that run guests, and for the
 * board: enough for the management path of the real core (mailbox, domains,
 * memory) to run in unit tests.  Nothing here runs guest code.
 */
#include <string.h>
#include <time.h>

#include "host_arch.h"
#include "hv/arch_vcpu.h"
#include "hv/domain.h"
#include "hv/plat.h"

const struct plat_board plat_board = { .name = "host", .ram_base = 0x40000000 };

void plat_console_write(const char *s, size_t n)
{
	(void)s;
	(void)n;
}

uint64_t plat_cpu_mpidr(unsigned int index)
{
	return index;
}

void arch_vcpu_reset(struct vcpu *v, const struct cachet_vcpu_context *ctx, bool aarch32)
{
	(void)aarch32;
	memcpy(v->arch.x, ctx->x, sizeof(v->arch.x));
	v->arch.pc = ctx->pc;
	v->arch.pstate = ctx->pstate;
	v->arch.sctlr = ctx->sctlr_el1;
}

void arch_vcpu_switch(struct vcpu *prev, struct vcpu *v)
{
	(void)prev;
	(void)v;
}

void arch_vcpu_forget(struct vcpu *v)
{
	(void)v;
}

void arch_vcpu_run(struct vcpu *v)
{
	(void)v;
}

static unsigned int host_kicks[CONFIG_MAX_CPUS];

void arch_kick_cpu(unsigned int cpu)
{
	if (cpu < CONFIG_MAX_CPUS)
		host_kicks[cpu]++;
}

unsigned int host_kick_count(unsigned int cpu)
{
	return host_kicks[cpu];
}

void host_kicks_reset(void)
{
	memset(host_kicks, 0, sizeof(host_kicks));
}

void arch_page_zero(void *page)
{
	memset(page, 0, PAGE_SIZE);
}

unsigned int arch_vmid_count(void)
{
	return 256;
}

static struct arch_features host_features;

void host_set_features(const struct arch_features *f)
{
	host_features = *f;
}

void arch_probe_features(struct arch_features *f)
{
	*f = host_features;
}

static uint64_t host_counter_offset; /* host_advance_counter */

void host_advance_counter(uint64_t ns)
{
	host_counter_offset += ns;
}

uint64_t arch_counter_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec + host_counter_offset;
}

uint64_t arch_counter_freq(void)
{
	return 1000000000u;
}

void arch_wait_for_interrupt(void)
{
}

void arch_tick_stop_until(uint64_t counter)
{
	(void)counter;
}

void arch_tick_restart(void)
{
}

bool arch_vcpu_timer_deadline(const struct vcpu *v, uint64_t *counter)
{
	(void)v;
	(void)counter;
	return false;
}

bool arch_irq_pending(void)
{
	return false;
}

void arch_take_pending_irqs(void)
{
}

int arch_cpu_start(unsigned int index, uint64_t mpidr)
{
	(void)index;
	(void)mpidr;
	return -1;
}

void arch_stop_other_cpus(void)
{
}

void arch_icache_inval_all(void)
{
}

void arch_vcpu_put(struct vcpu *v)
{
	(void)v;
}

struct vcpu *arch_loaded_vcpu(void)
{
	return NULL;
}

bool arch_vcpu_poll_timer(struct vcpu *v)
{
	(void)v;
	return false;
}
