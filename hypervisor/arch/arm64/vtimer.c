/*
 * The guest's EL1 virtual timer (CNTV_*_EL0, Arm ARM D11.2): the guest
 * programs the hardware timer directly; the hypervisor turns its output into
 * the virtual PPI 27 of the vCPU.  The line is computed from CNTV_CTL after
 * every exit.  While the virtual interrupt is outstanding the physical PPI
 * is disabled, so a level that stays high cannot storm the hypervisor; it is
 * enabled again once the guest has dealt with it.
 *
 * CNTVOFF_EL2 is zero for every guest, so the virtual count is the physical
 * count.  QEMU 7.2 (no FEAT_ECV, so CNTV_* cannot be trapped) computes the
 * timer's next event as CVAL + CNTVOFF in 64 bits: with any non-zero offset
 * a guest CVAL in [2^64 - CNTVOFF, 2^64) wraps to a deadline in the past
 * that never raises ISTATUS, and QEMU re-arms that timer forever (the
 * machine hangs and ignores SIGTERM).  With a zero offset no CVAL wraps.
 * The price is that a guest sees the machine's uptime in its counter.
 */
#include "arch/regs_gicv3.h"
#include "arch/regs_timer.h"
#include "arch/sysreg.h"
#include "cachet/public/guest_map.h"
#include "gicv3.h"
#include "hv/domain.h"
#include "hv/vgic.h"
#include "vtimer.h"

static bool vtimer_asserted(uint64_t ctl)
{
	return (ctl & CNT_CTL_ENABLE) && !(ctl & CNT_CTL_IMASK) && (ctl & CNT_CTL_ISTATUS);
}

void vtimer_sync(struct vcpu *v)
{
	bool level = vtimer_asserted(read_sysreg(cntv_ctl_el0));

	/* Most exits leave the line as it was: do not touch the vGIC then. */
	if (level != v->arch.vtimer.level) {
		v->arch.vtimer.level = level;
		vgic_set_level(v->dom, v, CACHET_GUEST_TIMER_VIRT_PPI, level);
	}
}

void vtimer_flush(struct vcpu *v)
{
	/*
	 * Listen for the timer only while its line is low.  While it is high
	 * the vGIC holds the level, and delivers it once the guest can take it
	 * (early in boot the guest may not have enabled the PPI yet: listening
	 * then would take the same physical interrupt on every entry, forever).
	 * A drop is seen at the next exit.  The line read at the last exit
	 * still holds: the guest has not run since, and CNTV_CTL reads are slow
	 * under QEMU.
	 */
	gicv3_set_private_enabled(CACHET_GUEST_TIMER_VIRT_PPI, !v->arch.vtimer.level);
}

void vtimer_save(struct arch_vtimer_state *s)
{
	s->ctl = read_sysreg(cntv_ctl_el0);
	s->cval = read_sysreg(cntv_cval_el0);
	/* Another vCPU's timer must not fire for this one. */
	write_sysreg(cntv_ctl_el0, 0);
	isb();
}

void vtimer_restore(const struct arch_vtimer_state *s)
{
	write_sysreg(cntv_cval_el0, s->cval);
	write_sysreg(cntv_ctl_el0, s->ctl);
	isb();
}

bool vtimer_expired(const struct arch_vtimer_state *s)
{
	uint64_t now = read_sysreg(cntpct_el0); /* CNTVOFF_EL2 is zero */

	return (s->ctl & CNT_CTL_ENABLE) && !(s->ctl & CNT_CTL_IMASK) && now >= s->cval;
}

bool vtimer_deadline(const struct arch_vtimer_state *s, uint64_t *counter)
{
	if (!(s->ctl & CNT_CTL_ENABLE) || (s->ctl & CNT_CTL_IMASK))
		return false;
	/* CNTVOFF is 0 for every guest: virtual and physical counts agree. */
	*counter = s->cval;
	return true;
}

void vtimer_irq(struct vcpu *loaded)
{
	/* Level-high until handled: stop listening, tell the vCPU. */
	gicv3_set_private_enabled(CACHET_GUEST_TIMER_VIRT_PPI, false);
	if (loaded != NULL)
		vtimer_sync(loaded);
}
