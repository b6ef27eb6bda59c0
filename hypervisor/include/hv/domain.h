/*
 * Domains and their vCPUs.
 *
 * All management operations run on CPU 0 (the mailbox is served there);
 * vCPUs run on their assigned pCPU.  The domain lock protects state changes
 * that both sides make (pause, crash, shutdown); a vCPU's registers belong
 * to the pCPU running it.
 */
#ifndef HV_DOMAIN_H
#define HV_DOMAIN_H

#include "arch/vcpu_state.h"
#include "cachet/public/abi.h"
#include "hv/cache_policy.h"
#include "hv/config.h"
#include "hv/flush.h"
#include "hv/pt.h"
#include "hv/spinlock.h"
#include "hv/vdev.h"
#include "hv/vgic.h"
#include "hv/vvirtio.h"

#define DOMAIN_CONSOLE_SIZE 16384
#define DOMAIN_INPUT_SIZE 256

enum vcpu_state {
	VCPU_OFFLINE,   /* never started, or turned off by the guest */
	VCPU_RUNNABLE,
	VCPU_BLOCKED,   /* waiting in WFI */
};

struct domain;

/*
 * A CPU_ON the vCPU's own pCPU has yet to carry out: only the pCPU that
 * runs a vCPU may reset its registers (it may still be leaving the guest
 * after CPU_OFF when CPU_ON arrives from another pCPU).
 */
struct vcpu_power_on {
	bool pending;
	uint64_t entry;
	uint64_t context;
};

struct vcpu {
	unsigned int id;
	struct domain *dom;
	enum vcpu_state state;
	unsigned int pcpu;           /* where it runs */
	bool running;                /* a pCPU is executing it right now */
	uint64_t affinity;           /* pCPUs it may run on (bit per pCPU) */
	unsigned int pcpu_next;      /* where it must move (== pcpu when staying) */
	uint64_t block_tick;         /* tick count when it blocked */
	struct vgic_cpu vgic;
	struct cp_state cache;
	struct flush_job flush;      /* hv/flush.h */
	struct cachet_vcpu_stats stats;
	uint32_t prof_rng;           /* which exits the profile times (hv/exitprof.h) */
	uint64_t cpu_time_ns;
	uint64_t throttle_until_us;  /* not before then: it spent the time flushing */
	struct vcpu_power_on power_on;
	struct arch_vcpu arch;
};

struct byte_ring {
	char *buf;
	uint32_t size;
	uint64_t total;              /* bytes ever written */
};

struct domain {
	bool in_use;
	cachet_domid_t domid;
	uint16_t vmid;
	uint32_t flags;
	uint32_t state;              /* enum cachet_dom_state */
	uint32_t shutdown_reason;
	uint32_t cache_policy;       /* enum cachet_cache_policy */
	uint32_t tag;                /* the creator's, reported as given (abi.h) */
	uint64_t max_pages;
	uint64_t tot_pages;
	unsigned int max_vcpus;
	struct vcpu vcpus[CONFIG_MAX_VCPUS];
	struct pt p2m;
	spinlock_t p2m_lock;         /* access tracking and flushes (hv/flush.h) */
	bool s2_tracking;            /* RAM accesses tracked since the first unpause */
	spinlock_t lock;
	struct vdev_mmio mmio[CONFIG_MAX_MMIO];
	unsigned int nr_mmio;
	struct byte_ring console;
	char console_buf[DOMAIN_CONSOLE_SIZE];
	char input_buf[DOMAIN_INPUT_SIZE];
	uint32_t input_head, input_len;
	bool input_break;            /* a BREAK precedes the next input byte */
	struct vdev_uart uart;
	struct vgic_dist vgic;
	struct vvirtio virtio[CACHET_GUEST_VIRTIO_MAX];
	bool vdev_waiting;           /* a queue notified, no device interrupt since (doorbell.c) */
	/* Each pCPU's scan sequence when the slot was freed (sched_slot_retire). */
	uint64_t retire_seq[CONFIG_MAX_CPUS];
};

/* Management side (CPU 0).  Errors are negative errno. */
int domain_create(const struct cachet_domain_create_in *in, struct domain **out);
int domain_destroy(struct domain *d);
int domain_pause(struct domain *d);
int domain_unpause(struct domain *d);
struct domain *domain_find(cachet_domid_t domid);
/* The next domain with id >= @first, or NULL. */
struct domain *domain_next(cachet_domid_t first);
void domain_get_info(const struct domain *d, struct cachet_dominfo *out);
int domain_populate(struct domain *d, uint64_t gfn, uint64_t nr_pages, unsigned int order);
int domain_translate(struct domain *d, uint64_t gfn, uint32_t nr, uint64_t *mfns);
int domain_cache_flush(struct domain *d, uint64_t gfn, uint64_t nr_pages);
int domain_set_vcpu_context(struct domain *d, unsigned int vcpu, uint32_t flags,
			    const struct cachet_vcpu_context *ctx);
unsigned int domain_count(void);
int domain_set_affinity(struct domain *d, unsigned int vcpu, uint64_t affinity);
/* Appends what the guest wrote to its console ring and tells host software. */
void domain_console_output(struct domain *d, const char *buf, size_t len);
/* Types @len bytes into the guest's console input; returns how many fitted. */
uint32_t domain_console_input(struct domain *d, const char *buf, uint32_t len, bool with_break);

/* Guest side (the pCPU running a vCPU of @d). */
/* The guest powered off or asked for a reset: stop it, tell the daemon. */
void domain_shutdown(struct domain *d, enum cachet_shutdown_reason reason);
/* The management request: also a paused domain; -EPERM if already stopped. */
int domain_shutdown_now(struct domain *d, enum cachet_shutdown_reason reason);
/* The guest did something illegal: stop it and report why. */
void domain_crash(struct domain *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Whether vCPUs of @d may run (state RUNNING). */
bool domain_runnable(const struct domain *d);
/*
 * PSCI CPU_ON: starts vCPU @id at @entry with x0 = @context.  PSCI codes.
 * The vCPU's pCPU carries it out with domain_vcpu_power_on() before it
 * next runs the vCPU.
 */
int64_t domain_vcpu_on(struct domain *d, unsigned int id, uint64_t entry, uint64_t context);
/* Whether a CPU_ON waits for @v's pCPU (read without the domain lock). */
bool domain_vcpu_on_pending(const struct vcpu *v);
/* On @v's own pCPU, before running it: applies a pending CPU_ON. */
void domain_vcpu_power_on(struct vcpu *v);
/* The vCPU whose MPIDR affinity is @mpidr, or NULL. */
struct vcpu *domain_vcpu_by_mpidr(struct domain *d, uint64_t mpidr);

void byte_ring_put(struct byte_ring *r, const char *s, size_t n);
/* Copies from absolute position *pos; see struct cachet_ring_read_out. */
size_t byte_ring_read(const struct byte_ring *r, uint64_t *pos, char *buf, size_t size,
		      uint64_t *lost);

#endif
