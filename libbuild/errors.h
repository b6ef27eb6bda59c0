/*
 * Error messages inside libcachet.
 *
 * Every failing path returns a negative code and leaves one sentence saying
 * what went wrong.  Code that has a handle records it there (err_set); pure
 * code without a handle (image loaders) fills a struct err_msg, which the
 * caller then copies onto its handle.  Both helpers return the negated code
 * so that a failure is a one-liner: return err_set(h, CODE, "...", ...).
 */
#ifndef LIBBUILD_ERRORS_H
#define LIBBUILD_ERRORS_H

#include <stdint.h>

#include "cachet/cachet.h"

#define ERR_MSG_LEN 512

struct err_msg {
	char text[ERR_MSG_LEN];
	int code;               /* the negative code returned, 0 for none */
	uint32_t domid;         /* the domain concerned, or CACHET_ERR_NO_DOMID */
};

int err_fmt(struct err_msg *m, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* @h may be NULL: the message then goes where cachet_last_error(NULL) finds it. */
int err_set(cachet_handle *h, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * The domain the calling thread's current request concerns, recorded with
 * any failure until err_set_domid(CACHET_ERR_NO_DOMID) (the transport sets
 * it around each request that names a domain).
 */
void err_set_domid(uint32_t domid);
/* Copies the handle's current message into @m (to keep it across cleanup calls). */
void err_save(cachet_handle *h, struct err_msg *m);

#endif
