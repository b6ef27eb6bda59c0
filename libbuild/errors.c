/*
 * Error codes and messages: cachet_strerror(), cachet_last_error(), and the
 * helpers the rest of the library uses to record a failure.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "errors.h"
#include "transport.h"

/*
 * Failures that happen before a handle exists (cachet_open) or with a NULL
 * handle are kept per thread, so that two threads opening handles at once
 * each see their own reason through cachet_last_error(NULL).
 */
static __thread struct err_msg err_no_handle;
/*
 * cachet_last_error() hands out a per-thread copy of the handle's message:
 * the handle's buffer can be rewritten at any moment by another thread.
 */
static __thread struct err_msg err_copy;
/*
 * This thread's last failure on a handle: a handle shared by threads (a
 * daemon building on one thread while serving on another) keeps each
 * thread's detail apart, as errno does.
 */
static __thread const cachet_handle *err_thread_h;
static __thread struct err_msg err_thread;

struct err_name {
	int code;
	const char *text;
};

static const struct err_name err_names[] = {
	{ 0, "success" },
	{ CACHET_EPERM, "operation not allowed in the object's current state" },
	{ CACHET_ENOENT, "no such domain or vCPU" },
	{ CACHET_E2BIG, "count or size above the operation's limit" },
	{ CACHET_ENOMEM, "hypervisor out of memory" },
	{ CACHET_EFAULT, "guest address not populated" },
	{ CACHET_EBUSY, "object in use" },
	{ CACHET_EEXIST, "already exists or already populated" },
	{ CACHET_EINVAL, "invalid request field" },
	{ CACHET_ENOSPC, "no free domain id or VMID" },
	{ CACHET_ERANGE, "address or index out of range" },
	{ CACHET_ENOSYS, "operation not implemented by the hypervisor" },
	{ CACHET_EVERSION, "ABI version mismatch" },
	{ CACHET_LIB_EIO, "I/O error on the transport or a file" },
	{ CACHET_LIB_ETIMEDOUT, "the hypervisor did not answer in time" },
	{ CACHET_LIB_ENOTREADY, "no ready hypervisor mailbox" },
	{ CACHET_LIB_EIMAGE, "malformed kernel or ramdisk image" },
	{ CACHET_LIB_ENOMEM, "host out of memory" },
	{ CACHET_LIB_EINVAL, "invalid argument" },
	{ CACHET_LIB_ELAYOUT, "images do not fit the guest's memory" },
};

const char *cachet_strerror(int err)
{
	int code = err < 0 ? -err : err;

	for (size_t i = 0; i < sizeof(err_names) / sizeof(err_names[0]); i++)
		if (err_names[i].code == code)
			return err_names[i].text;
	return "unknown error";
}

static int err_vfmt(struct err_msg *m, int code, const char *fmt, va_list ap)
{
	vsnprintf(m->text, sizeof(m->text), fmt, ap);
	return -code;
}

int err_fmt(struct err_msg *m, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vfmt(m, code, fmt, ap);
	va_end(ap);
	return -code;
}

int err_set(cachet_handle *h, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (!h) {
		err_vfmt(&err_no_handle, code, fmt, ap);
	} else {
		pthread_mutex_lock(&h->err_lock);
		err_vfmt(&h->err, code, fmt, ap);
		memcpy(&err_thread, &h->err, sizeof(err_thread));
		err_thread_h = h;
		pthread_mutex_unlock(&h->err_lock);
	}
	va_end(ap);
	return -code;
}

void err_save(cachet_handle *h, struct err_msg *m)
{
	if (err_thread_h == h) {
		memcpy(m, &err_thread, sizeof(*m));
		return;
	}
	pthread_mutex_lock(&h->err_lock);
	memcpy(m, &h->err, sizeof(*m));
	pthread_mutex_unlock(&h->err_lock);
}

const char *cachet_last_error(cachet_handle *h)
{
	if (!h)
		return err_no_handle.text;
	err_save(h, &err_copy);
	return err_copy.text;
}
