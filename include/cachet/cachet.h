/*
 * libcachet: control of a Cachet hypervisor from host software.
 *
 * Errors: every function returning int returns 0 (or a count where said) on
 * success and a negative CACHET_E* / CACHET_LIB_E* code on failure;
 * cachet_strerror() names a code and cachet_last_error() returns the detail
 * message of the last failure on that handle (per handle; a handle may be
 * shared between threads, calls on it are serialised inside the library).
 * The library never prints and never exits.
 */
#ifndef CACHET_CACHET_H
#define CACHET_CACHET_H

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

/* Opens the mailbox transport over QEMU's shared RAM file at @ram_path. */
int cachet_open(const char *ram_path, cachet_handle **out);
void cachet_close(cachet_handle *h);
const char *cachet_strerror(int err);
const char *cachet_last_error(cachet_handle *h);
/*
 * A file descriptor the library writes one byte to after posting each
 * request, to wake the hypervisor at once (the daemon passes the serial
 * socket; the hypervisor treats UART input as a doorbell).  Without it the
 * hypervisor still finds requests on its next timer tick.
 */
void cachet_set_doorbell_fd(cachet_handle *h, int fd);
/* How long a request may wait for its answer (default 5000 ms). */
void cachet_set_timeout_ms(cachet_handle *h, unsigned int ms);

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
int cachet_populate(cachet_handle *h, cachet_domid_t domid, uint64_t gfn, uint64_t nr_pages,
		    unsigned int order);
/* Machine frames behind [gfn, gfn + nr); any nr (split into requests). */
int cachet_translate(cachet_handle *h, cachet_domid_t domid, uint64_t gfn, uint64_t nr,
		     uint64_t *mfns);
int cachet_vcpu_set_context(cachet_handle *h, cachet_domid_t domid, unsigned int vcpu,
			    uint32_t flags, const struct cachet_vcpu_context *ctx);
/* Reads ring bytes from *pos; advances *pos; returns bytes read. */
int cachet_console_read(cachet_handle *h, cachet_domid_t domid, uint64_t *pos, char *buf,
			size_t size, uint64_t *lost);
int cachet_console_write(cachet_handle *h, cachet_domid_t domid, const char *buf, size_t len);
int cachet_log_read(cachet_handle *h, uint64_t *pos, char *buf, size_t size, uint64_t *lost);
/* Events from *seq on; advances *seq; returns the number stored. */
int cachet_event_read(cachet_handle *h, uint64_t *seq, struct cachet_event *ev, unsigned int max,
		      uint64_t *lost);
int cachet_domain_stats(cachet_handle *h, cachet_domid_t domid,
			struct cachet_domain_stats_out *out);
int cachet_cache_flush(cachet_handle *h, cachet_domid_t domid, uint64_t gfn, uint64_t nr_pages);

/*
 * Foreign mapping: guest pages [gfn, gfn + nr_pages) of a domain mapped
 * into this process, backed by the domain's own machine frames (no copy).
 * cachet_unmap_foreign() unmaps and asks the hypervisor to clean the range
 * to the PoC (the role of Xen's cacheflush domctl).
 */
int cachet_map_foreign(cachet_handle *h, cachet_domid_t domid, uint64_t gfn, uint64_t nr_pages,
		       void **out);
int cachet_unmap_foreign(cachet_handle *h, cachet_domid_t domid, void *addr, uint64_t gfn,
			 uint64_t nr_pages);

/*
 * The domain builder: a staged pipeline.
 *   cachet_dom_new -> cachet_dom_kernel_* / cachet_dom_ramdisk_* / setters
 *   -> cachet_dom_build (create, populate, load, set registers; paused)
 *   -> cachet_dom_boot (unpause) -> cachet_dom_free.
 */
typedef struct cachet_dom cachet_dom;

cachet_dom *cachet_dom_new(cachet_handle *h);
void cachet_dom_free(cachet_dom *d);
int cachet_dom_kernel_file(cachet_dom *d, const char *path);
int cachet_dom_kernel_mem(cachet_dom *d, const void *buf, size_t len);
int cachet_dom_ramdisk_file(cachet_dom *d, const char *path);
int cachet_dom_set_memory_mb(cachet_dom *d, uint64_t mb);
int cachet_dom_set_vcpus(cachet_dom *d, unsigned int vcpus);
int cachet_dom_set_cmdline(cachet_dom *d, const char *cmdline);
int cachet_dom_set_cache_policy(cachet_dom *d, enum cachet_cache_policy p);
int cachet_dom_build(cachet_dom *d, cachet_domid_t *domid);
int cachet_dom_boot(cachet_dom *d);
/* Where the builder put things (valid after build). */
struct cachet_dom_layout {
	uint64_t kernel_start, kernel_end, entry;
	uint64_t ramdisk_start, ramdisk_end;
	uint64_t dtb_start, dtb_end;
	uint64_t ram_base, ram_size;
};
int cachet_dom_get_layout(const cachet_dom *d, struct cachet_dom_layout *out);

#ifdef __cplusplus
}
#endif

#endif
