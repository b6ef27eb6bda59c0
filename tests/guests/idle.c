/*
 * idle: a guest that keeps running until it is destroyed.  It prints a
 * heartbeat line about every 100 ms of counter time and sleeps in WFI in
 * between, so tests can run it next to other guests (two guests at once,
 * a crash that must leave it running) and see that it still makes progress.
 * It polls the counter with no interrupt enabled, as some bare-metal code
 * does: WFI may then wait forever, so the hypervisor wakes it at each tick.
 *
 * idle-slow.c builds the same guest with a heartbeat a second, for runs of
 * many guests, and waits as an OS does instead: the virtual timer's PPI is
 * enabled in the GIC (IRQs stay masked at the CPU, which WFI ignores), so
 * only its own timer wakes it.
 */
#include <stdint.h>

#include "arm64.h"
#include "cachet/public/guest_map.h"
#include "console.h"
#include "guest.h"

#ifndef IDLE_NAME
#define IDLE_NAME "idle"
#define IDLE_BEAT_MS 100
#endif

const char guest_name[] = IDLE_NAME;

static uint64_t counter_now(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v));
	return v;
}

static uint64_t counter_freq(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

#ifdef IDLE_WAKE_BY_TIMER
/* GICv3 (Arm IHI 0069): the registers this guest touches, and the CPU interface by encoding. */
#define IDLE_GICD_CTLR_GRP1 (1u << 1)
#define IDLE_GICR_SGI_FRAME 0x10000
#define IDLE_GICR_IGROUPR0 0x0080
#define IDLE_GICR_ISENABLER0 0x0100
#define ICC_PMR_EL1_ENC S3_0_C4_C6_0
#define ICC_IAR1_EL1_ENC S3_0_C12_C12_0
#define ICC_EOIR1_EL1_ENC S3_0_C12_C12_1
#define ICC_IGRPEN1_EL1_ENC S3_0_C12_C12_7
#define IDLE_SPURIOUS 1020
#define CNTV_CTL_ENABLE 1u

static void mmio_set32(uint64_t addr, uint32_t bits)
{
	volatile uint32_t *r = (volatile uint32_t *)addr;

	*r |= bits;
}

/* vCPU 0's redistributor: the timer's PPI in group 1, enabled. */
static void idle_timer_irq_setup(void)
{
	uint64_t sgi = CACHET_GUEST_GICR_BASE + IDLE_GICR_SGI_FRAME;

	mmio_set32(CACHET_GUEST_GICD_BASE, IDLE_GICD_CTLR_GRP1);
	mmio_set32(sgi + IDLE_GICR_IGROUPR0, 1u << CACHET_GUEST_TIMER_VIRT_PPI);
	mmio_set32(sgi + IDLE_GICR_ISENABLER0, 1u << CACHET_GUEST_TIMER_VIRT_PPI);
	write_sysreg(ICC_PMR_EL1_ENC, 0xff);
	write_sysreg(ICC_IGRPEN1_EL1_ENC, 1);
	isb();
}

/* Sleeps until the counter reaches @when: the timer fires, the interrupt is acknowledged. */
static void idle_sleep_until(uint64_t when)
{
	uint64_t intid;

	write_sysreg(cntv_cval_el0, when);
	write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE);
	isb();
	while (counter_now() < when)
		wfi();
	write_sysreg(cntv_ctl_el0, 0); /* the line drops */
	isb();
	intid = read_sysreg(ICC_IAR1_EL1_ENC);
	if (intid < IDLE_SPURIOUS)
		write_sysreg(ICC_EOIR1_EL1_ENC, intid);
}
#else
static void idle_timer_irq_setup(void)
{
}

static void idle_sleep_until(uint64_t when)
{
	while (counter_now() < when)
		wfi();
}
#endif

int main(void)
{
	uint64_t step = counter_freq() / 1000 * IDLE_BEAT_MS;
	uint64_t next = counter_now() + step;

	idle_timer_irq_setup();
	console_puts(IDLE_NAME ": running until destroyed\n");
	for (uint64_t beat = 1;; beat++) {
		idle_sleep_until(next);
		console_printf(IDLE_NAME ": alive %llu\n", (unsigned long long)beat);
		next += step;
	}
}
