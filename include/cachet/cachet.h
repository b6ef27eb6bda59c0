/*
 * libcachet: control of a Cachet hypervisor from host software.
 *
 * Errors: every function returning int returns 0 (or a count where said) on
 * success and a negative CACHET_E* / CACHET_LIB_E* code on failure;
 * cachet_strerror() names a code and cachet_last_error() returns the detail
 * message of the last failure on that handle (per handle; a handle may be
 * shared between threads: calls on it are thread-safe, and up to one
 * request per mailbox slot is in flight at once).
 * The library never prints and never exits.
 *
 * Every call checks its arguments before anything reaches the hypervisor:
 * a NULL pointer, a zero count or a range outside guest RAM (guest_map.h)
 * is -CACHET_LIB_EINVAL.  Every call that talks to the hypervisor can also
 * return -CACHET_LIB_ETIMEDOUT (no answer within the timeout), and
 * -CACHET_LIB_ENOTREADY (the hypervisor rebooted since cachet_open: the
 * handle is dead, open a new one), -CACHET_LIB_EIO (malformed answer), and
 * any negative CACHET_E* status the hypervisor returns for that operation
 * (e.g. -CACHET_ENOENT for an unknown domain, -CACHET_EVERSION).  The
 * per-function comments below list the errors beyond these.
 */
#ifndef CACHET_CACHET_H
#define CACHET_CACHET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cachet/public/abi.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Library-side errors, beyond the hypervisor's CACHET_E* codes. */
#define CACHET_LIB_EIO 1001        /* I/O error on the transport or a file */
#define CACHET_LIB_ETIMEDOUT 1002  /* the hypervisor did not answer in time */
#define CACHET_LIB_ENOTREADY 1003  /* no hypervisor mailbox in that RAM */
#define CACHET_LIB_EIMAGE 1004     /* kernel / ramdisk image malformed */
#define CACHET_LIB_ENOMEM 1005     /* host out of memory */
#define CACHET_LIB_EINVAL 1006     /* bad argument to a library call */
#define CACHET_LIB_ELAYOUT 1007    /* images do not fit the guest's memory */

typedef struct cachet_handle cachet_handle;

/*
 * Opens the mailbox transport over QEMU's shared RAM file at @ram_path
 * (mapped whole, shared, read/write).  Errors: -CACHET_LIB_EIO (cannot
 * open or map the file), -CACHET_LIB_ENOTREADY (file too small, no mailbox,
 * mailbox not ready yet, other ABI major version, bad slot layout),
 * -CACHET_LIB_ENOMEM.  On failure the reason is in cachet_last_error(NULL).
 */
int cachet_open(const char *ram_path, cachet_handle **out);
/*
 * The same over a RAM file descriptor received from cachetd (the
 * "channel_open" method of daemon/PROTOCOL.md), with the owner id cachetd
 * gave this client for the mailbox slots (cachet/public/mbox.h; ids 0 and
 * 1 are not a client's: -CACHET_LIB_EINVAL).  The handle takes the
 * descriptor and closes it in cachet_close(), also on failure.
 */
int cachet_open_fd(int ram_fd, uint32_t owner, cachet_handle **out);
/* The RAM file descriptor of the handle (for cachetd to pass on), or -1. */
int cachet_ram_fd(const cachet_handle *h);
/*
 * For the process that owns the channel (cachetd): frees the mailbox slots
 * whose owner is neither this handle nor in @live and that are CLAIMED or
 * DONE (their owner's connection closed); a slot still in REQUEST is freed
 * by a later call once the hypervisor has answered it.  Returns the number
 * freed.
 */
int cachet_reclaim_slots(cachet_handle *h, const uint32_t *live, size_t nr_live);
/* Unmaps the RAM file; foreign mappings still in place stay valid. */
void cachet_close(cachet_handle *h);
/* Names a code; takes it negated or not; "unknown error" for others. */
const char *cachet_strerror(int err);
/*
 * The detail message of this thread's last failure on the handle, or when
 * this thread has had none there, of the handle's last failure in any
 * thread (empty if none).  With
 * h == NULL: this thread's last failure that had no handle (cachet_open,
 * or a call given a NULL handle).  The string is a per-thread copy, valid
 * until this thread calls cachet_last_error() again.
 */
const char *cachet_last_error(cachet_handle *h);

/* The domain field of a failure that concerned no domain. */
#define CACHET_ERR_NO_DOMID UINT32_MAX

/* A failure, in parts, for programs that report errors in their own words. */
struct cachet_error_info {
	int code;          /* the negative code the call returned; 0 if nothing failed */
	uint32_t domid;    /* the domain the call concerned, or CACHET_ERR_NO_DOMID */
	char op[32];       /* the operation ("domain_pause", "populate", ...), or "" */
	char message[512]; /* the detail message, as cachet_last_error() gives it */
};
/*
 * The same failure cachet_last_error(@h) describes (@h may be NULL), in
 * parts.  Returns 0, or -CACHET_LIB_EINVAL for a NULL @out.
 */
int cachet_last_error_info(cachet_handle *h, struct cachet_error_info *out);
/*
 * A file descriptor the library writes one byte to after posting each
 * request, to wake the hypervisor at once (the daemon passes the serial
 * socket; the hypervisor treats UART input as a doorbell).  Without it the
 * hypervisor still finds requests on its timer tick: within a second for
 * the first after 10 s without such requests, within 10 ms for the next.
 */
void cachet_set_doorbell_fd(cachet_handle *h, int fd);
/*
 * How long a request may wait for its answer (default 5000 ms; 0 means
 * 1 ms).  A request that times out keeps its mailbox slot out of use until
 * the hypervisor answers it, since the hypervisor may still be reading it.
 */
void cachet_set_timeout_ms(cachet_handle *h, unsigned int ms);

/*
 * Sends @req exactly as given, without the library's argument checks, and
 * copies the answer to @rsp: for tests and tools that exercise the
 * hypervisor's own validation.  Returns the hypervisor's status (0 or
 * -CACHET_E*) or a transport error.
 */
int cachet_call_raw(cachet_handle *h, struct cachet_req *req, struct cachet_rsp *rsp);

/* One wrapper per ABI operation (see cachet/public/abi.h for the fields). */
int cachet_version(cachet_handle *h, struct cachet_version_out *out);
int cachet_physinfo(cachet_handle *h, struct cachet_physinfo_out *out);
int cachet_domain_create(cachet_handle *h, const struct cachet_domain_create_in *in,
			 cachet_domid_t *domid);
int cachet_domain_destroy(cachet_handle *h, cachet_domid_t domid);
int cachet_domain_pause(cachet_handle *h, cachet_domid_t domid);
int cachet_domain_unpause(cachet_handle *h, cachet_domid_t domid);
int cachet_domain_getinfo(cachet_handle *h, cachet_domid_t domid, struct cachet_dominfo *out);
/* Fills up to @max entries with domains whose id >= @first; returns the count. */
int cachet_domain_list(cachet_handle *h, cachet_domid_t first, struct cachet_dominfo *out,
		       unsigned int max);
/*
 * Split into CACHET_POPULATE_MAX_PAGES requests.  -CACHET_LIB_EINVAL if
 * order > 9 or gfn / nr_pages are not aligned to 2^order pages.
 */
int cachet_populate(cachet_handle *h, cachet_domid_t domid, uint64_t gfn, uint64_t nr_pages,
		    unsigned int order);
/* Machine frames behind [gfn, gfn + nr); any nr (split into requests). */
int cachet_translate(cachet_handle *h, cachet_domid_t domid, uint64_t gfn, uint64_t nr,
		     uint64_t *mfns);
int cachet_vcpu_set_context(cachet_handle *h, cachet_domid_t domid, unsigned int vcpu,
			    uint32_t flags, const struct cachet_vcpu_context *ctx);
/*
 * Reads ring bytes from *pos (at most CACHET_RING_READ_MAX per call);
 * advances *pos; returns bytes read.  @lost may be NULL.
 */
int cachet_console_read(cachet_handle *h, cachet_domid_t domid, uint64_t *pos, char *buf,
			size_t size, uint64_t *lost);
/*
 * Whether the domain may have console output beyond *@pos, from the head
 * the hypervisor publishes in the mailbox (cachet/public/mbox.h), without a
 * request: false only when the published head is the domain's own and
 * equals @pos.  Lets a poller skip quiet consoles; it should still read
 * every console now and then (see mbox.h).
 */
bool cachet_console_may_have_output(cachet_handle *h, cachet_domid_t domid, uint64_t pos);
/* Returns the bytes accepted; fewer than @len when the input buffer is full. */
int cachet_console_write(cachet_handle *h, cachet_domid_t domid, const char *buf, size_t len);
int cachet_log_read(cachet_handle *h, uint64_t *pos, char *buf, size_t size, uint64_t *lost);
/* Events from *seq on; advances *seq; returns the number stored.  @lost may be NULL. */
int cachet_event_read(cachet_handle *h, uint64_t *seq, struct cachet_event *ev, unsigned int max,
		      uint64_t *lost);
/*
 * Whether EVENT_READ from @seq may return an event (or report some lost),
 * from the event head the hypervisor publishes in the mailbox
 * (cachet/public/mbox.h), without a request: false only when @seq is the
 * sequence number the next event will get.  Lets a poller ask for events
 * only when there are some.
 */
bool cachet_event_may_be_pending(cachet_handle *h, uint64_t seq);
int cachet_domain_stats(cachet_handle *h, cachet_domid_t domid,
			struct cachet_domain_stats_out *out);
int cachet_cache_flush(cachet_handle *h, cachet_domid_t domid, uint64_t gfn, uint64_t nr_pages);
int cachet_vcpu_info(cachet_handle *h, cachet_domid_t domid, struct cachet_vcpu_info_out *out);
int cachet_vcpu_set_affinity(cachet_handle *h, cachet_domid_t domid, unsigned int vcpu,
			     uint64_t affinity);
/* @reason: CACHET_SHUTDOWN_POWEROFF or CACHET_SHUTDOWN_REBOOT. */
int cachet_domain_shutdown_request(cachet_handle *h, cachet_domid_t domid, uint32_t reason);

/*
 * Marks the domain shut down with @reason (CACHET_SHUTDOWN_POWEROFF,
 * _REBOOT or _CRASH) at once, without asking the guest (ABI 1.2).
 * -CACHET_EPERM if it is already shut down or crashed.
 */
int cachet_domain_shutdown(cachet_handle *h, cachet_domid_t domid, uint32_t reason);
/* The domain's memory limit for later populate requests (ABI 1.2). */
int cachet_domain_set_max_pages(cachet_handle *h, cachet_domid_t domid, uint64_t max_pages);

/*
 * Virtual devices (ABI 1.3, abi.h "Virtual devices").  cachet_vdev_create
 * checks @in's sizes first (-CACHET_LIB_EINVAL); the hypervisor answers
 * -CACHET_EEXIST (index taken), -CACHET_EPERM (the domain has run),
 * -CACHET_EINVAL / -CACHET_ERANGE (malformed description).
 * cachet_vdev_signal: -CACHET_ESTALE if the driver reset the device since
 * @resets was read.  Both others: -CACHET_ENOENT for no such device.
 */
int cachet_vdev_create(cachet_handle *h, const struct cachet_vdev_create_in *in);
int cachet_vdev_state(cachet_handle *h, cachet_domid_t domid, uint32_t index,
		      struct cachet_vdev_state *out);
int cachet_vdev_signal(cachet_handle *h, cachet_domid_t domid, uint32_t index, uint32_t isr,
		       uint32_t flags, uint32_t resets);
/*
 * Notifications without a request (mbox.h "Device notifications"): the
 * count of notifications posted so far (it only grows; wait for it to
 * change), and the pending bits of one device, taken (cleared) at once:
 * bit q for queue q, CACHET_MBOX_VDEV_EV_STATE for a state change.  0 when
 * nothing is pending or the word belongs to another domain.
 */
uint64_t cachet_vdev_notify_seq(cachet_handle *h);
/*
 * Raises the device's interrupt with InterruptStatus bits @isr without
 * waiting for the hypervisor (mbox.h, vdev_irq): posted in the mailbox with
 * a doorbell, or, when the device's word holds another device's request,
 * sent as VDEV_SIGNAL.  0 once posted; -CACHET_LIB_EINVAL for bad bits.
 */
int cachet_vdev_interrupt(cachet_handle *h, cachet_domid_t domid, uint32_t index, uint32_t isr,
			  uint32_t resets);
uint64_t cachet_vdev_notify_take(cachet_handle *h, cachet_domid_t domid, uint32_t index);

/*
 * Foreign mapping: guest pages [gfn, gfn + nr_pages) of a domain mapped
 * into this process, backed by the domain's own machine frames (no copy).
 * cachet_unmap_foreign() unmaps and asks the hypervisor to clean the range
 * to the PoC (the role of Xen's cacheflush domctl).
 * map errors: -CACHET_LIB_EIO if the hypervisor names a frame outside the
 * RAM file (or inside the mailbox), -CACHET_LIB_ENOMEM (address space),
 * -CACHET_LIB_EINVAL if the host page size is not 4 KiB.
 */
int cachet_map_foreign(cachet_handle *h, cachet_domid_t domid, uint64_t gfn, uint64_t nr_pages,
		       void **out);
int cachet_unmap_foreign(cachet_handle *h, cachet_domid_t domid, void *addr, uint64_t gfn,
			 uint64_t nr_pages);
/*
 * The same mapping placed at @at (page aligned, an area the caller
 * reserved and owns; replaced with MAP_FIXED) with protection @prot
 * (PROT_READ and/or PROT_WRITE): for mapping scattered frames into one
 * area (libxc's foreign mapping).  The caller unmaps with munmap().
 */
int cachet_map_foreign_at(cachet_handle *h, cachet_domid_t domid, uint64_t gfn,
			  uint64_t nr_pages, int prot, void *at);

/*
 * The domain builder: a staged pipeline.
 *   cachet_dom_new -> cachet_dom_kernel_* / cachet_dom_ramdisk_* / setters
 *   -> cachet_dom_build (create, populate, load, set registers; paused)
 *   -> cachet_dom_boot (unpause) -> cachet_dom_free.
 * A builder is used by one thread at a time; its errors are recorded on its
 * handle.  Inputs are copied, so callers may free their buffers at once.
 * Defaults: 128 MiB, 1 vCPU, CACHET_CACHE_DC_TVM.  Inputs and settings are
 * refused (-CACHET_LIB_EINVAL) once the domain is built.
 *
 * Kernel formats, tried in this order:
 *  - ELF64 little-endian AArch64 executables (the test guests): loaded at
 *    each PT_LOAD segment's physical address, entered at e_entry;
 *  - arm64 Image (Linux's Documentation/arch/arm64/booting.rst, EFI stub or
 *    not): loaded text_offset above the 2 MiB-aligned start of RAM, with
 *    image_size bytes kept for it, entered at its first byte;
 *  - legacy U-Boot uImage (type kernel; header and data CRCs checked):
 *    arch arm64 holding an Image or ELF, compressed as its header says, or
 *    arch arm holding an uncompressed zImage;
 *  - arm32 zImage (Linux's Documentation/arch/arm/booting.rst): makes the
 *    domain AArch32 (-CACHET_ENODEV from cachet_dom_build on a CPU without
 *    AArch32 at EL1); loaded 32 MiB into RAM when it fits below 128 MiB,
 *    else at RAM + 0x8000 (a zImage linked for a fixed address goes
 *    there), entered at its first byte in ARM state; big-endian refused;
 *  - compressed Image (or ELF): gzip, zlib, zstd, xz, lz4 (frame and the
 *    legacy format of Linux's Image.lz4), bzip2; at most 1 GiB and the
 *    guest's RAM once decompressed;
 *  - raw binaries (only when asked for: loaded at guest RAM base + 0x80000
 *    and entered there).
 * A malformed image is -CACHET_LIB_EIMAGE with a message naming the fault;
 * images that do not fit the memory size are -CACHET_LIB_ELAYOUT.
 *
 * Memory: RAM bank 0 (guest_map.h, 3 GiB at 1 GiB) first, bank 1 for the
 * rest.  The kernel, the DTB and the ramdisk all go in bank 0: the kernel
 * at its start, the DTB at the next 2 MiB boundary after the kernel's
 * image_size (in a 2 MiB region of its own), the ramdisk 2 MiB after that;
 * for a zImage both at 128 MiB into RAM when they fit there (clear of the
 * decompressed kernel), else after it.  vCPU 0 starts with x0 = the DTB's
 * address, x1..x3 = 0, EL1h, DAIF masked; for a zImage with r0 = 0, r1 =
 * 0xffffffff (no machine type), r2 = the DTB's address, SVC mode with A,
 * I and F masked.
 *
 * Device tree: generated (cpus started by PSCI over HVC, memory, GICv3,
 * timer, the SBSA UART, /chosen with bootargs, stdout-path and the initrd
 * range), or the user's (cachet_dom_devicetree_*), given to the guest as
 * is except that /chosen gets bootargs if a command line was set and
 * linux,initrd-start/-end if a ramdisk was given.
 */
typedef struct cachet_dom cachet_dom;

/* NULL on failure (reason in cachet_last_error(h), or (NULL) if h is NULL). */
cachet_dom *cachet_dom_new(cachet_handle *h);
/* Frees the builder; a built domain is left as it is (destroy it explicitly). */
void cachet_dom_free(cachet_dom *d);
/*
 * Reads the whole file: -CACHET_LIB_EIO, -CACHET_LIB_EIMAGE (empty, too
 * large).  An uncompressed arm64 Image is the exception: only its first
 * 4 KiB are read now; the file stays open until cachet_dom_free() and the
 * build reads the rest straight into guest memory (a file that shrank
 * meanwhile fails the build with -CACHET_LIB_EIO).
 */
int cachet_dom_kernel_file(cachet_dom *d, const char *path);
int cachet_dom_kernel_mem(cachet_dom *d, const void *buf, size_t len);
int cachet_dom_ramdisk_file(cachet_dom *d, const char *path);
int cachet_dom_ramdisk_mem(cachet_dom *d, const void *buf, size_t len);
/*
 * A device tree blob to give the guest instead of the generated one.
 * Errors beyond the kernel's: -CACHET_LIB_EIMAGE if it is not a sound
 * flattened device tree (libfdt's fdt_check_full) or is above 2 MiB.
 */
int cachet_dom_devicetree_file(cachet_dom *d, const char *path);
int cachet_dom_devicetree_mem(cachet_dom *d, const void *buf, size_t len);
/*
 * 1 .. 1043456 MiB (both guest RAM banks); the hypervisor refuses, at
 * build, more than it allows a domain.
 */
int cachet_dom_set_memory_mb(cachet_dom *d, uint64_t mb);
/* 1 .. CACHET_MAX_VCPUS; vCPU 0 starts, the others wait for PSCI CPU_ON. */
int cachet_dom_set_vcpus(cachet_dom *d, unsigned int vcpus);
/* At most 2047 bytes (Linux arm64's COMMAND_LINE_SIZE); goes into the DTB. */
int cachet_dom_set_cmdline(cachet_dom *d, const char *cmdline);
/*
 * The generated device tree describes @n virtio-mmio transports, windows
 * and SPIs 0..n-1 of guest_map.h (default 0); the caller creates the
 * devices themselves (cachet_vdev_create) before booting.
 * -CACHET_LIB_EINVAL above CACHET_GUEST_VIRTIO_MAX.
 */
int cachet_dom_set_virtio_devices(cachet_dom *d, unsigned int n);
int cachet_dom_set_cache_policy(cachet_dom *d, enum cachet_cache_policy p);
/*
 * The tag DOMAIN_CREATE gives the domain (cachet/public/abi.h; default 0,
 * none), which cachet_domain_getinfo and cachet_domain_list report back.
 * Ignored by a build into an adopted domain.
 */
int cachet_dom_set_tag(cachet_dom *d, uint32_t tag);
/*
 * How the kernel file is read: by its format (ELF, arm64 Image, uImage,
 * compressed Image; anything else is refused), or, only when asked for, as
 * a flat binary loaded at RAM base + 0x80000 and entered at its first byte.
 */
enum cachet_kernel_format {
	CACHET_KERNEL_AUTO = 0,
	CACHET_KERNEL_RAW = 1,
};
int cachet_dom_set_kernel_format(cachet_dom *d, enum cachet_kernel_format f);
/*
 * Creates the domain, populates its RAM, loads the images, sets vCPU 0's
 * registers; the domain is left paused.  Image and layout errors come
 * before the domain is created, with one exception: a compressed kernel
 * whose file records its decompressed size is decompressed straight into
 * guest memory, so damage inside its compressed data is found then.  After
 * creation, any failure destroys the domain, so a failed build leaves
 * nothing behind.  @domid may be NULL.
 */
int cachet_dom_build(cachet_dom *d, cachet_domid_t *domid);
/*
 * Has cachet_dom_build call @fn(@arg, domid) as soon as the domain exists,
 * before it is populated and loaded.  A caller that must survive its own
 * crash cannot rely on recording the id here (it may die before @fn runs):
 * it records a tag before the build instead (cachet_dom_set_tag) and looks
 * for domains carrying it afterwards.  -CACHET_LIB_EINVAL once built.
 */
typedef void (*cachet_dom_created_fn)(void *arg, cachet_domid_t domid);
int cachet_dom_on_created(cachet_dom *d, cachet_dom_created_fn fn, void *arg);
/* Unpauses a built domain (-CACHET_LIB_EINVAL if not built or already booted). */
int cachet_dom_boot(cachet_dom *d);
/*
 * Where the builder put things (valid after build; guest physical
 * addresses, ends exclusive).  kernel_end includes the memory the kernel
 * claims beyond its file (bss, an Image's image_size).  ramdisk_* are 0
 * without a ramdisk.  ram_base/ram_size is RAM bank 0; ram1_* bank 1, 0
 * when the memory fits in bank 0.
 */
struct cachet_dom_layout {
	uint64_t kernel_start, kernel_end, entry;
	uint64_t ramdisk_start, ramdisk_end;
	uint64_t dtb_start, dtb_end;
	uint64_t ram_base, ram_size;
	uint64_t ram1_base, ram1_size;
};
int cachet_dom_get_layout(const cachet_dom *d, struct cachet_dom_layout *out);
/*
 * The plan stage alone (no hypercall): parses the kernel, places
 * everything and makes the DTB the guest would get; @out, @dtb (valid
 * until the builder is freed) and @dtb_len may be NULL.  Errors as
 * cachet_dom_build's before creation.
 */
int cachet_dom_plan(cachet_dom *d, struct cachet_dom_layout *out, const void **dtb,
		    size_t *dtb_len);
/*
 * Builds into domain @domid, which the caller created (paused, with enough
 * vCPUs and memory, and with CACHET_DOMF_AARCH32 exactly when the kernel is
 * an arm32 zImage, else -CACHET_LIB_EINVAL) instead of creating one:
 * cachet_dom_build then populates, loads and sets registers, and leaves
 * the domain on failure.
 */
int cachet_dom_adopt(cachet_dom *d, cachet_domid_t domid);
/*
 * With @on, a user's device tree also gets a memory@BASE node (reg) for
 * each RAM bank the builder populates (libxc's xc_dom_build_image does
 * this; `cachet create` leaves the user's memory nodes alone).
 */
int cachet_dom_set_dtb_memory(cachet_dom *d, int on);

/*
 * Lifecycle events from cachetd, for an external event loop (libvirt's,
 * GLib's): cachet_events_open() connects to the daemon's socket and
 * subscribes; cachet_events_fd() is a descriptor to poll for POLLIN;
 * cachet_events_read() then returns the events that arrived, without
 * blocking.  No thread is started.  A subscription is used by one thread at
 * a time (or guarded by the caller); different subscriptions are
 * independent.  Events of one subscription come in the daemon's order and
 * their seq numbers increase.
 */
typedef struct cachet_events cachet_events;

enum cachet_lifecycle {
	CACHET_LC_CREATED,   /* the domain exists (built) */
	CACHET_LC_STARTED,   /* its vCPU 0 runs: after create, or after a restart */
	CACHET_LC_PAUSED,
	CACHET_LC_RESUMED,
	CACHET_LC_SHUTDOWN,  /* the guest stopped; detail: "poweroff" or "reboot" */
	CACHET_LC_CRASHED,   /* the guest crashed; detail: the hypervisor's reason */
	CACHET_LC_REBOOTED,  /* built again by on_*; detail: "restart" or "rename-restart" */
	CACHET_LC_DESTROYED, /* gone; detail says how */
};

#define CACHET_EVENT_NAME_LEN 64
#define CACHET_EVENT_UUID_LEN 37
#define CACHET_EVENT_DETAIL_LEN 128

struct cachet_lifecycle_event {
	uint64_t seq;                              /* the daemon's event number, from 1 */
	enum cachet_lifecycle type;
	uint32_t domid;
	char name[CACHET_EVENT_NAME_LEN];          /* "" for a domain cachetd did not create */
	char uuid[CACHET_EVENT_UUID_LEN];          /* "" likewise */
	char detail[CACHET_EVENT_DETAIL_LEN];      /* may be cut to fit */
};

/*
 * Connects to cachetd at @sock_path (STATE_DIR/cachetd.sock) and subscribes,
 * waiting up to 5 s for the daemon's answer.  Errors: -CACHET_LIB_EINVAL
 * (NULL argument, path too long), -CACHET_LIB_EIO (cannot connect, or the
 * daemon refused or answered something else), -CACHET_LIB_ETIMEDOUT,
 * -CACHET_LIB_ENOMEM; the reason is in cachet_last_error(NULL).
 */
int cachet_events_open(const char *sock_path, cachet_events **out);
/* The descriptor to poll; it stays the same for the subscription's life. */
int cachet_events_fd(const cachet_events *ev);
/*
 * The next event, without blocking: 1 with *@out filled, 0 when none has
 * arrived yet (poll the descriptor), -CACHET_LIB_EIO when the daemon has
 * gone or sent a malformed line (the subscription is then dead; events
 * already received are still returned first), -CACHET_LIB_EINVAL for NULL
 * arguments.  The reason is in cachet_last_error(NULL).
 */
int cachet_events_read(cachet_events *ev, struct cachet_lifecycle_event *out);
/* The name of an event type ("created", ..., "destroyed"), or "unknown". */
const char *cachet_lifecycle_name(enum cachet_lifecycle type);
/* Closes the connection; the subscription ends. */
void cachet_events_close(cachet_events *ev);

#ifdef __cplusplus
}
#endif

#endif
