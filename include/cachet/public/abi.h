/*
 * The Cachet hypercall ABI: the one definition of every management
 * operation, shared by the hypervisor and host code.
 *
 * Rules of the layout:
 *  - Every structure is little-endian, fixed-size, naturally aligned, with
 *    explicit padding; sizes are checked at compile time below.  Only
 *    <stdint.h> types are used, so the same header serves the freestanding
 *    hypervisor and any host.
 *  - Every request carries CACHET_ABI_VERSION.  A request with another
 *    version is answered with -CACHET_EVERSION and nothing else happens.
 *  - A request's payload is struct cachet_req; the answer overwrites it with
 *    struct cachet_rsp.  status is 0 or a negative CACHET_E* code.
 *  - Padding and reserved fields must be zero; the hypervisor rejects a
 *    request with non-zero padding (-CACHET_EINVAL), so they can gain a
 *    meaning in a later version.
 *
 * The ABI says nothing about how requests travel: see mbox.h for the
 * shared-memory mailbox used on the QEMU platform.
 */
#ifndef CACHET_PUBLIC_ABI_H
#define CACHET_PUBLIC_ABI_H

#include <stdint.h>

#define CACHET_ABI_VERSION 0x00010005u /* major 1, minor 5 */

/* Error codes (returned negated in status). */
#define CACHET_EPERM 1      /* not allowed in the object's current state */
#define CACHET_ENOENT 2     /* no such domain or vCPU */
#define CACHET_E2BIG 7      /* count or size above the operation's limit */
#define CACHET_ENOMEM 12    /* not enough free memory */
#define CACHET_EFAULT 14    /* guest address not populated */
#define CACHET_EBUSY 16     /* object in use */
#define CACHET_EEXIST 17    /* already populated / already exists */
#define CACHET_ENODEV 19    /* the CPU lacks a feature the request needs */
#define CACHET_EINVAL 22    /* malformed field */
#define CACHET_ENOSPC 28    /* no free domain id or VMID */
#define CACHET_ERANGE 34    /* address or index out of range */
#define CACHET_ESTALE 116   /* the device was reset since (VDEV_SIGNAL) */
#define CACHET_ENOSYS 38    /* unknown operation */
#define CACHET_EVERSION 132 /* ABI version mismatch */

typedef uint32_t cachet_domid_t;

/* Operations. */
enum cachet_op {
	CACHET_OP_VERSION = 1,
	CACHET_OP_PHYSINFO = 2,
	CACHET_OP_DOMAIN_CREATE = 3,
	CACHET_OP_DOMAIN_DESTROY = 4,
	CACHET_OP_DOMAIN_PAUSE = 5,
	CACHET_OP_DOMAIN_UNPAUSE = 6,
	CACHET_OP_DOMAIN_GETINFO = 7,
	CACHET_OP_DOMAIN_LIST = 8,
	CACHET_OP_POPULATE = 9,
	CACHET_OP_TRANSLATE = 10,
	CACHET_OP_VCPU_SET_CONTEXT = 11,
	CACHET_OP_CONSOLE_READ = 12,
	CACHET_OP_LOG_READ = 13,
	CACHET_OP_EVENT_READ = 14,
	CACHET_OP_DOMAIN_STATS = 15,
	CACHET_OP_CACHE_FLUSH = 16,
	CACHET_OP_CONSOLE_WRITE = 17,
	CACHET_OP_VCPU_INFO = 18,
	CACHET_OP_VCPU_SET_AFFINITY = 19,
	CACHET_OP_DOMAIN_SHUTDOWN_REQ = 20,
	CACHET_OP_DOMAIN_SHUTDOWN = 21,    /* since 1.2 */
	CACHET_OP_DOMAIN_SET_MAX_PAGES = 22, /* since 1.2 */
	CACHET_OP_VDEV_CREATE = 23,        /* since 1.3 */
	CACHET_OP_VDEV_STATE = 24,         /* since 1.3 */
	CACHET_OP_VDEV_SIGNAL = 25,        /* since 1.3 */
	CACHET_OP_MAX
};

/* ---- VERSION: no input. */
#define CACHET_FEAT_S2FWB (1u << 0)  /* the CPU has FEAT_S2FWB */
#define CACHET_FEAT_AARCH32 (1u << 1) /* AArch32 EL1 guests possible */
struct cachet_version_out {
	uint32_t abi_version;
	uint32_t features;        /* CACHET_FEAT_* */
	char hv_version[24];      /* NUL-terminated */
};

/* ---- PHYSINFO: no input. */
struct cachet_physinfo_out {
	uint32_t nr_cpus;
	uint32_t page_size;
	uint64_t total_pages;     /* RAM the allocator manages */
	uint64_t free_pages;
	uint64_t counter_hz;      /* system counter frequency */
	uint32_t max_domains;
	uint32_t max_vcpus;       /* per domain */
};

/*
 * vCPUs per domain: the hypervisor's limit, the one definition the CLI,
 * the daemon and the library check against (physinfo.max_vcpus reports
 * it; the guest map leaves room for more, CACHET_GUEST_MAX_VCPUS).
 */
#define CACHET_MAX_VCPUS 16

/* ---- DOMAIN_CREATE. */
#define CACHET_DOMF_AARCH32 (1u << 0) /* vCPUs run AArch32 at EL1 */

/* How guest memory is kept coherent while caches are off (DESIGN.md 1). */
enum cachet_cache_policy {
	CACHET_CACHE_DC_TVM = 0,      /* HCR_EL2.DC until M, TVM until M+C (default) */
	CACHET_CACHE_S2_FAULT = 1,    /* clean to PoC on stage-2 fault while caches off */
	CACHET_CACHE_FLUSH_LOAD = 2,  /* builder flush only (negative control) */
	CACHET_CACHE_S2FWB = 3,       /* stage-2 forced write-back */
	CACHET_CACHE_NONE = 4,        /* no coherency measure at all (negative control) */
	CACHET_CACHE_POLICY_MAX
};

/*
 * tag (since 1.4; the padding of 1.3, so 0 there): an opaque value the
 * creator chooses and GETINFO / DOMAIN_LIST report back, 0 for none.  The
 * hypervisor only keeps it.  It lets a creator that died between the
 * create and its own record of it recognise the domain afterwards: cachetd
 * writes a fresh tag to disk before the create (cachetd(8), RECOVERY).
 */
struct cachet_domain_create_in {
	uint32_t max_vcpus;       /* 1 .. physinfo.max_vcpus */
	uint32_t flags;           /* CACHET_DOMF_* */
	uint64_t max_pages;       /* memory limit in 4 KiB pages */
	uint32_t cache_policy;    /* enum cachet_cache_policy */
	uint32_t tag;             /* since 1.4: the creator's tag, 0 for none */
};
struct cachet_domain_create_out {
	cachet_domid_t domid;
	uint32_t pad;
};

/* ---- DOMAIN_DESTROY / PAUSE / UNPAUSE / GETINFO / STATS. */
struct cachet_domid_in {
	cachet_domid_t domid;
	uint32_t pad;
};

enum cachet_dom_state {
	CACHET_DOM_PAUSED = 1,    /* built or paused: no vCPU runs */
	CACHET_DOM_RUNNING = 2,
	CACHET_DOM_SHUTDOWN = 3,  /* guest powered off or asked for a reset */
	CACHET_DOM_CRASHED = 4,   /* stopped by the hypervisor for an illegal act */
};

enum cachet_shutdown_reason {
	CACHET_SHUTDOWN_NONE = 0,
	CACHET_SHUTDOWN_POWEROFF = 1,
	CACHET_SHUTDOWN_REBOOT = 2,
	CACHET_SHUTDOWN_CRASH = 3,
};

struct cachet_dominfo {
	cachet_domid_t domid;
	uint32_t state;           /* enum cachet_dom_state */
	uint32_t shutdown_reason; /* enum cachet_shutdown_reason */
	uint32_t flags;           /* CACHET_DOMF_* */
	uint32_t max_vcpus;
	uint32_t online_vcpus;
	uint64_t max_pages;
	uint64_t tot_pages;       /* populated pages */
	uint64_t cpu_time_ns;     /* sum over vCPUs */
	uint32_t cache_policy;
	uint32_t tag;             /* since 1.4: DOMAIN_CREATE's tag */
};

/* ---- DOMAIN_LIST: domains with domid >= first, at most max. */
#define CACHET_LIST_MAX 32
struct cachet_domain_list_in {
	cachet_domid_t first;
	uint32_t max;
};
struct cachet_domain_list_out {
	uint32_t count;
	uint32_t pad;
	struct cachet_dominfo dom[CACHET_LIST_MAX];
};

/*
 * ---- POPULATE: back [gfn, gfn + nr_pages) with fresh, scrubbed RAM.  The
 * range must lie in guest RAM (guest_map.h), be aligned to 1 << order pages
 * and not be populated yet.  Memory comes in blocks of 2^order pages where
 * order <= 9 (2 MiB); the hypervisor may use smaller blocks.  Pages are
 * cleaned to the PoC before they are mapped.
 */
#define CACHET_POPULATE_MAX_PAGES (1u << 18) /* 1 GiB per request */
struct cachet_populate_in {
	cachet_domid_t domid;
	uint32_t order;
	uint64_t gfn;
	uint64_t nr_pages;
};

/*
 * ---- TRANSLATE: the machine frames backing [gfn, gfn + nr).  This is the
 * foreign-mapping primitive: the caller writes guest memory through them.
 */
#define CACHET_TRANSLATE_MAX 448
struct cachet_translate_in {
	cachet_domid_t domid;
	uint32_t nr;
	uint64_t gfn;
};
struct cachet_translate_out {
	uint32_t nr;
	uint32_t pad;
	uint64_t mfn[CACHET_TRANSLATE_MAX];
};

/* ---- VCPU_SET_CONTEXT: initial registers of a vCPU of a paused domain. */
#define CACHET_VCPU_ONLINE (1u << 0) /* start this vCPU at unpause */
struct cachet_vcpu_context {
	uint64_t x[31];           /* AArch32: the AArch64 view (r0..r12 in x[0..12], SVC's r13/r14 in x[19]/x[18]) */
	uint64_t sp_el1;
	uint64_t pc;
	uint64_t pstate;          /* SPSR format: mode and DAIF */
	uint64_t sctlr_el1;       /* 0 = architectural reset value */
};
struct cachet_vcpu_set_context_in {
	cachet_domid_t domid;
	uint32_t vcpu;
	uint32_t flags;           /* CACHET_VCPU_* */
	uint32_t pad;
	struct cachet_vcpu_context ctx;
};

/*
 * ---- CONSOLE_READ / LOG_READ: bytes from a ring, from absolute position
 * pos (bytes ever written).  next is where to read from next time; lost
 * counts bytes overwritten before they could be read.
 */
#define CACHET_RING_READ_MAX 3072
struct cachet_ring_read_in {
	cachet_domid_t domid;     /* ignored by LOG_READ */
	uint32_t max;             /* at most CACHET_RING_READ_MAX */
	uint64_t pos;
};
struct cachet_ring_read_out {
	uint64_t next;
	uint64_t lost;
	uint32_t len;
	uint32_t pad;
	char data[CACHET_RING_READ_MAX];
};

/* ---- CONSOLE_WRITE: bytes typed into a domain's console (its UART input). */
#define CACHET_CONSOLE_WRITE_MAX 1024
struct cachet_console_write_in {
	cachet_domid_t domid;
	uint32_t len;
	char data[CACHET_CONSOLE_WRITE_MAX];
};
struct cachet_console_write_out {
	uint32_t accepted;        /* bytes that fit in the input buffer */
	uint32_t pad;
};

/* ---- EVENT_READ: domain events from sequence number seq on. */
enum cachet_event_kind {
	CACHET_EVENT_SHUTDOWN = 1, /* reason: enum cachet_shutdown_reason */
	CACHET_EVENT_CRASH = 2,
	CACHET_EVENT_DESTROYED = 3,
};
#define CACHET_EVENT_MAX 32
struct cachet_event {
	uint64_t seq;
	cachet_domid_t domid;
	uint32_t kind;            /* enum cachet_event_kind */
	uint32_t reason;
	uint32_t pad;
	char detail[48];          /* NUL-terminated, e.g. the crash cause */
};
struct cachet_event_read_in {
	uint64_t seq;
};
struct cachet_event_read_out {
	uint64_t next;
	uint64_t lost;
	uint32_t count;
	uint32_t pad;
	struct cachet_event ev[CACHET_EVENT_MAX];
};

/* ---- DOMAIN_STATS: per-vCPU counters of traps and cache maintenance. */
#define CACHET_STATS_VCPUS CACHET_MAX_VCPUS
struct cachet_vcpu_stats {
	uint64_t exits;           /* every guest exit */
	uint64_t tvm_traps;       /* trapped writes to VM control registers */
	uint64_t sctlr_writes;
	uint64_t setway_traps;    /* DC ISW/CSW/CISW */
	uint64_t hvc_calls;
	uint64_t mmio_exits;
	uint64_t wfx_exits;
	uint64_t irq_exits;
	uint64_t dc_clears;       /* HCR_EL2.DC dropped (SCTLR.M set) */
	uint64_t dc_sets;         /* HCR_EL2.DC set again (SCTLR.M cleared) */
	uint64_t tvm_clears;      /* TVM dropped: M and C both set */
	uint64_t tvm_sets;        /* TVM re-armed (set/way op, caches off) */
	uint64_t flush_dc_drop;   /* VM flushes because DC dropped with C = 0 */
	uint64_t flush_toggle;    /* VM flushes at a cache on/off toggle */
	uint64_t flush_setway;    /* VM flushes for set/way operations */
	uint64_t flushed_pages;   /* pages cleaned+invalidated by all flushes */
	uint64_t traps_after_mmu_on; /* TVM traps taken with M and C already set */
	uint64_t s2_faults;       /* stage-2 faults on parked RAM (access tracking, s2-fault) */
	uint64_t flush_slices;    /* preemptible slices the flushes ran in */
	uint32_t hcr_dc;          /* current HCR_EL2.DC */
	uint32_t hcr_tvm;         /* current HCR_EL2.TVM */
	/*
	 * The exit profile: mmio_exits, sysreg_exits, wfx_exits, irq_exits and
	 * other_exits add up to exits; each *_ticks is the time at EL2 from
	 * such an exit to the end of its handling, in system counter ticks
	 * (counter_hz a second), estimated from a random one in
	 * CACHET_EXIT_PROFILE_SAMPLE of the vCPU's exits (reading the counter
	 * is itself slow under emulation).
	 */
	uint64_t sysreg_exits;    /* since ABI 1.4: trapped system register or coprocessor accesses */
	uint64_t other_exits;     /* HVC, SMC, stage-2 faults on RAM, the rest */
	uint64_t mmio_ticks;
	uint64_t sysreg_ticks;
	uint64_t wfx_ticks;       /* the handling only, not the time blocked */
	uint64_t irq_ticks;
	uint64_t other_ticks;
	uint64_t counter_hz;
};
#define CACHET_EXIT_PROFILE_SAMPLE 32
struct cachet_domain_stats_out {
	uint32_t nr_vcpus;
	uint32_t pad;
	struct cachet_vcpu_stats vcpu[CACHET_STATS_VCPUS];
};

/* ---- VCPU_INFO (input: struct cachet_domid_in): where each vCPU runs. */
enum cachet_vcpu_state {
	CACHET_VCPU_STATE_OFFLINE = 0,
	CACHET_VCPU_STATE_RUNNABLE = 1, /* running or waiting for its pCPU */
	CACHET_VCPU_STATE_BLOCKED = 2,  /* in WFI with nothing pending */
};
struct cachet_vcpu_info {
	uint32_t vcpu;
	uint32_t state;           /* enum cachet_vcpu_state */
	uint32_t pcpu;            /* the pCPU it runs (or last ran) on */
	uint32_t pad;
	uint64_t affinity;        /* bit N: may run on pCPU N */
	uint64_t cpu_time_ns;
};
struct cachet_vcpu_info_out {
	uint32_t nr_vcpus;
	uint32_t pad;
	struct cachet_vcpu_info vcpu[CACHET_STATS_VCPUS];
};

/*
 * ---- VCPU_SET_AFFINITY: the pCPUs a vCPU may run on (a non-empty subset of
 * the online pCPUs); it moves at its next scheduling point.
 */
struct cachet_vcpu_affinity_in {
	cachet_domid_t domid;
	uint32_t vcpu;
	uint64_t affinity;
};

/*
 * ---- DOMAIN_SHUTDOWN_REQ: ask the guest to power off or reboot.  The
 * request reaches the guest through its console: a serial BREAK followed by
 * the SysRq key ('o' power off, 'b' reboot), which Linux answers with PSCI
 * SYSTEM_OFF or SYSTEM_RESET.  A guest that ignores it keeps running.
 */
struct cachet_shutdown_req_in {
	cachet_domid_t domid;
	uint32_t reason;          /* CACHET_SHUTDOWN_POWEROFF or _REBOOT */
};

/*
 * ---- DOMAIN_SHUTDOWN (input: struct cachet_shutdown_req_in): mark a
 * running or paused domain shut down with the given reason (POWEROFF,
 * REBOOT or CRASH) at once, without asking the guest: its vCPUs stop and
 * the SHUTDOWN event is posted, as when the guest itself powers off.
 * -EPERM if it is already shut down or crashed.  (Xen's SCHEDOP_remote_shutdown.)
 */

/*
 * ---- DOMAIN_SET_MAX_PAGES: the domain's memory limit from now on.  Pages
 * already populated stay; only later POPULATE requests are checked.
 */
struct cachet_max_pages_in {
	cachet_domid_t domid;
	uint32_t pad;
	uint64_t max_pages;       /* 1 .. the machine's total pages */
};

/* ---- CACHE_FLUSH: clean+invalidate [gfn, gfn + nr_pages) to the PoC. */
struct cachet_cache_flush_in {
	cachet_domid_t domid;
	uint32_t pad;
	uint64_t gfn;
	uint64_t nr_pages;
};

/*
 * ---- Virtual devices (virtio-mmio, virtio 1.x "modern" transport, Version
 * 2; see daemon/DEVICES.md).  The hypervisor emulates each device's register
 * file from a description given once (VDEV_CREATE); the host serves the
 * virtqueues in guest RAM.  A guest's QueueNotify, and its writes that
 * change the device's state (Status, QueueReady, DriverFeatures), are
 * published to the host in the mailbox (mbox.h, vdev_notify); the host
 * reads the register state with VDEV_STATE and raises interrupts (or marks
 * the device broken) with VDEV_SIGNAL, or posts interrupts in the mailbox
 * without waiting (mbox.h, vdev_irq).  Device @index is the guest's
 * virtio-mmio window @index and SPI (guest_map.h, CACHET_GUEST_VIRTIO_*).
 */
#define CACHET_VDEV_MAX_QUEUES 8
#define CACHET_VDEV_QUEUE_MAX 32768  /* virtio's largest split queue */
#define CACHET_VDEV_CONFIG_MAX 256   /* bytes of device config space */
#define CACHET_VDEV_F_VERSION_1 (1ull << 32) /* virtio 1.x: every device offers it */

/*
 * VDEV_CREATE: adds device @index to a paused domain that has never run.
 * device_id is the virtio device type (1 net, 2 block, 4 entropy ...);
 * queue_num_max a power of two; features must include VERSION_1.
 * -EEXIST if the index is taken, -EPERM once the domain has run.
 */
struct cachet_vdev_create_in {
	cachet_domid_t domid;
	uint32_t index;           /* 0 .. CACHET_GUEST_VIRTIO_MAX - 1 */
	uint32_t device_id;
	uint32_t nr_queues;       /* 1 .. CACHET_VDEV_MAX_QUEUES */
	uint32_t queue_num_max;   /* 1 .. CACHET_VDEV_QUEUE_MAX, a power of two */
	uint32_t config_len;      /* 0 .. CACHET_VDEV_CONFIG_MAX */
	uint64_t features;        /* DeviceFeatures (both 32-bit halves) */
	uint8_t config[CACHET_VDEV_CONFIG_MAX];
};

/* VDEV_STATE (input: struct cachet_vdev_in): the register state the driver set. */
struct cachet_vdev_in {
	cachet_domid_t domid;
	uint32_t index;
};
struct cachet_vdev_queue {
	uint32_t num;             /* QueueNum (0: not set) */
	uint32_t ready;           /* QueueReady */
	uint64_t desc;            /* QueueDesc: the descriptor table's guest address */
	uint64_t driver;          /* QueueDriver: the available ring */
	uint64_t device;          /* QueueDevice: the used ring */
};
/* Status bits of the virtio spec (1.2, 2.1), as the host needs them. */
#define CACHET_VDEV_STATUS_DRIVER_OK 0x04u
#define CACHET_VDEV_STATUS_FEATURES_OK 0x08u
#define CACHET_VDEV_STATUS_NEEDS_RESET 0x40u
#define CACHET_VDEV_STATUS_FAILED 0x80u
struct cachet_vdev_state {
	uint32_t device_id;
	uint32_t status;          /* the Status register */
	uint32_t isr;             /* InterruptStatus */
	uint32_t resets;          /* times the driver reset the device (Status = 0) */
	uint32_t nr_queues;
	uint32_t queue_num_max;
	uint64_t driver_features; /* DriverFeatures, both halves */
	struct cachet_vdev_queue queue[CACHET_VDEV_MAX_QUEUES];
};

/*
 * VDEV_SIGNAL: sets InterruptStatus bits and so asserts the device's SPI
 * (a level the driver lowers by acknowledging every bit); with
 * CACHET_VDEV_SIG_NEEDS_RESET also sets Status.DEVICE_NEEDS_RESET and the
 * configuration-change bit (virtio 1.2, 2.1.2).  resets must equal the
 * device's current count: a signal meant for a device the driver has reset
 * since is dropped with -ESTALE.
 */
#define CACHET_VDEV_ISR_VRING 0x1u  /* a used buffer was added */
#define CACHET_VDEV_ISR_CONFIG 0x2u /* the configuration changed */
#define CACHET_VDEV_SIG_NEEDS_RESET (1u << 0)
struct cachet_vdev_signal_in {
	cachet_domid_t domid;
	uint32_t index;
	uint32_t isr;             /* CACHET_VDEV_ISR_* */
	uint32_t flags;           /* CACHET_VDEV_SIG_* */
	uint32_t resets;
	uint32_t pad;
};

/* The request and response as they sit in a transport slot. */
#define CACHET_PAYLOAD_SIZE 4032
struct cachet_req {
	uint32_t abi_version;
	uint32_t op;              /* enum cachet_op */
	union {
		struct cachet_domain_create_in create;
		struct cachet_domid_in dom;
		struct cachet_domain_list_in list;
		struct cachet_populate_in populate;
		struct cachet_translate_in translate;
		struct cachet_vcpu_set_context_in vcpu_ctx;
		struct cachet_ring_read_in ring;
		struct cachet_console_write_in console_write;
		struct cachet_event_read_in events;
		struct cachet_cache_flush_in flush;
		struct cachet_vcpu_affinity_in affinity;
		struct cachet_shutdown_req_in shutdown;
		struct cachet_max_pages_in max_pages;
		struct cachet_vdev_create_in vdev_create;
		struct cachet_vdev_in vdev;
		struct cachet_vdev_signal_in vdev_signal;
		uint8_t raw[CACHET_PAYLOAD_SIZE];
	} u;
};
struct cachet_rsp {
	int32_t status;           /* 0 or -CACHET_E* */
	uint32_t pad;
	union {
		struct cachet_version_out version;
		struct cachet_physinfo_out physinfo;
		struct cachet_domain_create_out create;
		struct cachet_dominfo info;
		struct cachet_domain_list_out list;
		struct cachet_translate_out translate;
		struct cachet_ring_read_out ring;
		struct cachet_console_write_out console_write;
		struct cachet_event_read_out events;
		struct cachet_domain_stats_out stats;
		struct cachet_vcpu_info_out vcpus;
		struct cachet_vdev_state vdev_state;
		uint8_t raw[CACHET_PAYLOAD_SIZE];
	} u;
};

/* Layout checks, for C and C++ consumers alike. */
#ifdef __cplusplus
#define CACHET_ABI_ASSERT(c, m) static_assert(c, m)
#else
#define CACHET_ABI_ASSERT(c, m) _Static_assert(c, m)
#endif
CACHET_ABI_ASSERT(sizeof(struct cachet_version_out) == 32, "version_out");
CACHET_ABI_ASSERT(sizeof(struct cachet_physinfo_out) == 40, "physinfo_out");
CACHET_ABI_ASSERT(sizeof(struct cachet_domain_create_in) == 24, "create_in");
CACHET_ABI_ASSERT(sizeof(struct cachet_dominfo) == 56, "dominfo");
CACHET_ABI_ASSERT(sizeof(struct cachet_domain_list_out) == 8 + 32 * 56, "list_out");
CACHET_ABI_ASSERT(sizeof(struct cachet_populate_in) == 24, "populate_in");
CACHET_ABI_ASSERT(sizeof(struct cachet_translate_out) == 8 + 8 * 448, "translate_out");
CACHET_ABI_ASSERT(sizeof(struct cachet_vcpu_context) == 8 * 35, "vcpu_context");
CACHET_ABI_ASSERT(sizeof(struct cachet_vcpu_set_context_in) == 16 + 8 * 35, "set_context_in");
CACHET_ABI_ASSERT(sizeof(struct cachet_ring_read_out) == 24 + 3072, "ring_read_out");
CACHET_ABI_ASSERT(sizeof(struct cachet_event) == 72, "event");
CACHET_ABI_ASSERT(sizeof(struct cachet_event_read_out) == 24 + 32 * 72, "event_read_out");
CACHET_ABI_ASSERT(sizeof(struct cachet_vcpu_stats) == 19 * 8 + 8 + 8 * 8, "vcpu_stats");
CACHET_ABI_ASSERT(sizeof(struct cachet_domain_stats_out) == 8 + 16 * 224, "stats_out");
CACHET_ABI_ASSERT(sizeof(struct cachet_vcpu_info) == 32, "vcpu_info");
CACHET_ABI_ASSERT(sizeof(struct cachet_vcpu_info_out) == 8 + 16 * 32, "vcpu_info_out");
CACHET_ABI_ASSERT(sizeof(struct cachet_vcpu_affinity_in) == 16, "affinity_in");
CACHET_ABI_ASSERT(sizeof(struct cachet_shutdown_req_in) == 8, "shutdown_req_in");
CACHET_ABI_ASSERT(sizeof(struct cachet_max_pages_in) == 16, "max_pages_in");
CACHET_ABI_ASSERT(sizeof(struct cachet_vdev_create_in) == 32 + 256, "vdev_create_in");
CACHET_ABI_ASSERT(sizeof(struct cachet_vdev_queue) == 32, "vdev_queue");
CACHET_ABI_ASSERT(sizeof(struct cachet_vdev_state) == 32 + 8 * 32, "vdev_state");
CACHET_ABI_ASSERT(sizeof(struct cachet_vdev_signal_in) == 24, "vdev_signal_in");
CACHET_ABI_ASSERT(sizeof(struct cachet_req) == 8 + CACHET_PAYLOAD_SIZE, "req");
CACHET_ABI_ASSERT(sizeof(struct cachet_rsp) == 8 + CACHET_PAYLOAD_SIZE, "rsp");

#endif
