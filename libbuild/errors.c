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
 * This thread's last failure on a handle: several threads sharing a handle
 * each read their own failure, not whichever thread failed last.
 */
static __thread struct {
	const cachet_handle *h;
	struct err_msg msg;
} err_thread;
static __thread uint32_t err_domid = CACHET_ERR_NO_DOMID;

void err_set_domid(uint32_t domid)
{
	err_domid = domid;
}

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
	{ CACHET_ENODEV, "the CPU lacks a feature the request needs" },
	{ CACHET_EINVAL, "invalid request field" },
	{ CACHET_ENOSPC, "no free domain id or VMID" },
	{ CACHET_ERANGE, "address or index out of range" },
	{ CACHET_ESTALE, "the device was reset since" },
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
	m->code = -code;
	m->domid = err_domid;
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
		err_vfmt(&err_thread.msg, code, fmt, ap);
		err_thread.h = h;
		pthread_mutex_lock(&h->err_lock);
		h->err = err_thread.msg;
		pthread_mutex_unlock(&h->err_lock);
	}
	va_end(ap);
	return -code;
}

void err_save(cachet_handle *h, struct err_msg *m)
{
	if (err_thread.h == h) {
		*m = err_thread.msg;
		return;
	}
	pthread_mutex_lock(&h->err_lock);
	memcpy(m, &h->err, sizeof(*m));
	pthread_mutex_unlock(&h->err_lock);
}

/* The failure cachet_last_error(h) reports: this thread's on @h, else the handle's last. */
static const struct err_msg *err_current(cachet_handle *h)
{
	if (!h)
		return &err_no_handle;
	if (err_thread.h == h)
		return &err_thread.msg;
	err_save(h, &err_copy);
	return &err_copy;
}

const char *cachet_last_error(cachet_handle *h)
{
	return err_current(h)->text;
}

/* The operation a message names: its first word when it is followed by ": ". */
static void err_op(const char *text, char *op, size_t size)
{
	size_t n = strspn(text, "abcdefghijklmnopqrstuvwxyz_");

	if (n == 0 || n >= size || strncmp(text + n, ": ", 2) != 0)
		n = 0;
	memcpy(op, text, n);
	op[n] = '\0';
}

int cachet_last_error_info(cachet_handle *h, struct cachet_error_info *out)
{
	const struct err_msg *m;

	if (!out)
		return err_set(h, CACHET_LIB_EINVAL, "last_error_info: NULL output");
	m = err_current(h);
	out->code = m->code;
	out->domid = m->domid;
	err_op(m->text, out->op, sizeof(out->op));
	_Static_assert(sizeof(out->message) == sizeof(m->text), "message sizes");
	memcpy(out->message, m->text, sizeof(out->message));
	out->message[sizeof(out->message) - 1] = '\0';
	return 0;
}
