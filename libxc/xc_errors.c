/*
 * libxc's error scheme on top of libcachet's: -1 and errno, the last error
 * per interface, and a line through the logger.  The one table below maps
 * every libcachet code to the errno and xc_error_code Xen would give.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "xc_private.h"

static const struct {
	int code;                 /* libcachet code, positive */
	int err;                  /* errno */
	enum xc_error_code xc;
} xc_errmap[] = {
	/* A state the request does not fit (second unpause): Xen says EINVAL. */
	{ CACHET_EPERM, EINVAL, XC_INVALID_PARAM },
	/* Xen answers ESRCH for a domain that does not exist. */
	{ CACHET_ENOENT, ESRCH, XC_INVALID_PARAM },
	{ CACHET_E2BIG, E2BIG, XC_INVALID_PARAM },
	{ CACHET_ENOMEM, ENOMEM, XC_OUT_OF_MEMORY },
	{ CACHET_EFAULT, EFAULT, XC_INVALID_PARAM },
	{ CACHET_EBUSY, EBUSY, XC_INTERNAL_ERROR },
	{ CACHET_EEXIST, EEXIST, XC_INVALID_PARAM },
	{ CACHET_EINVAL, EINVAL, XC_INVALID_PARAM },
	{ CACHET_ENOSPC, ENOSPC, XC_OUT_OF_MEMORY },
	{ CACHET_ERANGE, EINVAL, XC_INVALID_PARAM },
	{ CACHET_ESTALE, ESTALE, XC_INTERNAL_ERROR },
	{ CACHET_ENOSYS, EOPNOTSUPP, XC_INTERNAL_ERROR },
	/* Xen refuses a domctl of another interface version with EACCES. */
	{ CACHET_EVERSION, EACCES, XC_INTERNAL_ERROR },
	{ CACHET_LIB_EIO, EIO, XC_INTERNAL_ERROR },
	{ CACHET_LIB_ETIMEDOUT, ETIMEDOUT, XC_INTERNAL_ERROR },
	{ CACHET_LIB_ENOTREADY, ENODEV, XC_INTERNAL_ERROR },
	{ CACHET_LIB_EIMAGE, EINVAL, XC_INVALID_KERNEL },
	{ CACHET_LIB_ENOMEM, ENOMEM, XC_OUT_OF_MEMORY },
	{ CACHET_LIB_EINVAL, EINVAL, XC_INVALID_PARAM },
	{ CACHET_LIB_ELAYOUT, ENOMEM, XC_OUT_OF_MEMORY },
};

static unsigned int xc_errmap_find(int rc)
{
	int code = rc < 0 ? -rc : rc;

	for (unsigned int i = 0; i < sizeof(xc_errmap) / sizeof(xc_errmap[0]); i++)
		if (xc_errmap[i].code == code)
			return i;
	return 0xffffffffu;
}

int xc_errno_of(int rc)
{
	unsigned int i = xc_errmap_find(rc);

	return i == 0xffffffffu ? EIO : xc_errmap[i].err;
}

static enum xc_error_code xc_code_of(int rc)
{
	unsigned int i = xc_errmap_find(rc);

	return i == 0xffffffffu ? XC_INTERNAL_ERROR : xc_errmap[i].xc;
}

static int xc_vfail(xc_interface *xch, enum xc_error_code code, int err, const char *fmt,
		   va_list ap)
{
	char msg[XC_MAX_ERROR_MSG_LEN];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (xch) {
		pthread_mutex_lock(&xch->err_lock);
		xch->last_error.code = code;
		memcpy(xch->last_error.message, msg, sizeof(msg));
		pthread_mutex_unlock(&xch->err_lock);
		xtl_log(xch->logger, XTL_ERROR, err, XC_CONTEXT, "%s: %s",
			xc_error_code_to_desc((int)code), msg);
	}
	errno = err;
	return -1;
}

int xc_fail(xc_interface *xch, enum xc_error_code code, int err, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = xc_vfail(xch, code, err, fmt, ap);
	va_end(ap);
	return rc;
}

int xc_fail_lib(xc_interface *xch, int rc, const char *what)
{
	const char *detail = xch ? cachet_last_error(xch->h) : cachet_last_error(NULL);

	return xc_fail(xch, xc_code_of(rc), xc_errno_of(rc), "%s: %s", what,
		       detail[0] ? detail : cachet_strerror(rc));
}

int xc_result(xc_interface *xch, int rc, const char *what)
{
	return rc < 0 ? xc_fail_lib(xch, rc, what) : 0;
}

bool xc_domid_ok(xc_interface *xch, uint32_t domid, const char *what)
{
	if (domid < DOMID_FIRST_RESERVED)
		return true;
	xc_fail(xch, XC_INVALID_PARAM, ESRCH, "%s: domain id %u is reserved", what, domid);
	return false;
}

const char *xc_error_code_to_desc(int code)
{
	switch (code) {
	case XC_ERROR_NONE:
		return "No error details";
	case XC_INTERNAL_ERROR:
		return "Internal error";
	case XC_INVALID_KERNEL:
		return "Invalid kernel";
	case XC_INVALID_PARAM:
		return "Invalid configuration";
	case XC_OUT_OF_MEMORY:
		return "Out of memory";
	}
	return "Unknown error code";
}

const char *xc_strerror(xc_interface *xch, int errcode)
{
	(void)xch;
	return strerror(errcode);
}

const xc_error *xc_get_last_error(xc_interface *xch)
{
	return xch ? &xch->last_error : NULL;
}

void xc_clear_last_error(xc_interface *xch)
{
	if (!xch)
		return;
	pthread_mutex_lock(&xch->err_lock);
	xch->last_error.code = XC_ERROR_NONE;
	xch->last_error.message[0] = '\0';
	pthread_mutex_unlock(&xch->err_lock);
}
