/*
 * Doorbell steering: the host rings one doorbell (a byte on the
 * hypervisor's UART) for management requests and posted device
 * interrupts alike, and its interrupt goes to CPU 0, which then kicks the
 * pCPU of the vCPU the device interrupt is for.  While a vCPU waits for
 * a device on another pCPU, that pCPU takes the doorbell itself and
 * delivers the interrupt at once: one wake-up of a host thread fewer per
 * request, and CPU 0 is not woken at all (daemon/DEVICES.md).
 */
#ifndef HV_DOORBELL_H
#define HV_DOORBELL_H

struct domain;

/* @d's driver notified a queue: its vCPUs wait for a device until @d gets an interrupt. */
void doorbell_arm(struct domain *d);
/* @d's device interrupt was raised, or @d is destroyed: nothing of it is awaited. */
void doorbell_disarm(struct domain *d);
/*
 * pCPU @cpu, with nothing to run, is about to sleep: the doorbell comes
 * here if one of its blocked vCPUs waits for a device of an armed domain,
 * and goes back to CPU 0 if it came here and none does any more.  Called
 * inside a scheduler scan.
 */
void doorbell_steer(unsigned int cpu);
/* The scheduler loop of a pCPU other than CPU 0 after the doorbell rang there. */
void doorbell_serve(void);

#endif
