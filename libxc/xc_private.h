/*
 * Cachet's libxc compatibility layer, shared between its files: the
 * interface handle and the one error scheme.  Every xc_* call is a short
 * adapter onto libcachet; a libcachet result becomes libxc's -1 + errno +
 * last error + a logged message in one place, xc_fail_lib() (xc_errors.c),
 * through one table mapping libcachet codes to errno values.
 */
#ifndef LIBXC_XC_PRIVATE_H
#define LIBXC_XC_PRIVATE_H

#include <pthread.h>
#include <stdbool.h>

#include "cachet/cachet.h"
#include "xenctrl.h"

#define XC_CONTEXT "xc"

struct xc_interface_core {
	cachet_handle *h;
	int sock;                       /* connection to cachetd, kept open */
	int doorbell;                   /* -1 if cachetd passed none */
	uint32_t client_id;             /* our mailbox owner id */
	xentoollog_logger *logger;
	xentoollog_logger *dombuild_logger;
	xentoollog_logger *own_logger;  /* the default one, destroyed at close */
	pthread_mutex_t err_lock;
	xc_error last_error;
	unsigned int nr_cpus;           /* from physinfo at open */
	uint64_t console_cleared;       /* log position of the last clearing read */
};

/*
 * Records a failure: code and message in the last error, the message to
 * the logger, errno = @err.  Returns -1 for the caller to return.
 */
int xc_fail(xc_interface *xch, enum xc_error_code code, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The same for a negative libcachet result @rc of operation @what. */
int xc_fail_lib(xc_interface *xch, int rc, const char *what);
/* errno for a libcachet code (negated or not). */
int xc_errno_of(int rc);
/* A libcachet result as libxc returns it: 0, or -1 with everything set. */
int xc_result(xc_interface *xch, int rc, const char *what);
/* A domain id libxc may name (below DOMID_FIRST_RESERVED); else fails with ESRCH. */
bool xc_domid_ok(xc_interface *xch, uint32_t domid, const char *what);

/*
 * Maps guest frames arr[0..pages) of @dom into one new area (xc_foreign.c);
 * with @err, frames that fail get their errno there and stay inaccessible;
 * without, any failure fails the call.  NULL with errno set on failure.
 */
void *xc_foreign_map(xc_interface *xch, uint32_t dom, int prot, size_t pages,
		     const xen_pfn_t *arr, int *err);

/* Connects to cachetd and opens the channel it hands over (xc_channel.c). */
int xc_channel_open(xc_interface *xch);
void xc_channel_close(xc_interface *xch);

#endif
