/*
 * Library error codes to JSON-RPC errors: one table, used by every method
 * handler and by the background work that logs failures.
 */
#include "errmap.h"

#include <stdlib.h>

#include "cachet/cachet.h"

#define ERRMAP(e, text) { (e), -32000 - (e), #e, (text) }

static const struct errmap_entry errmap_entries[] = {
	ERRMAP(CACHET_EPERM, "not allowed in the domain's current state"),
	ERRMAP(CACHET_ENOENT, "no such domain or vCPU"),
	ERRMAP(CACHET_E2BIG, "count or size above the limit"),
	ERRMAP(CACHET_ENOMEM, "not enough free memory in the hypervisor"),
	ERRMAP(CACHET_EFAULT, "guest address not populated"),
	ERRMAP(CACHET_EBUSY, "object in use"),
	ERRMAP(CACHET_EEXIST, "already exists"),
	ERRMAP(CACHET_ENODEV, "the CPU lacks a feature the request needs"),
	ERRMAP(CACHET_EINVAL, "malformed request"),
	ERRMAP(CACHET_ENOSPC, "no free domain id"),
	ERRMAP(CACHET_ERANGE, "address or index out of range"),
	ERRMAP(CACHET_ESTALE, "the device was reset since"),
	ERRMAP(CACHET_ENOSYS, "operation not supported by the hypervisor"),
	ERRMAP(CACHET_EVERSION, "hypervisor ABI version mismatch"),
	ERRMAP(CACHET_LIB_EIO, "I/O error"),
	ERRMAP(CACHET_LIB_ETIMEDOUT, "the hypervisor did not answer in time"),
	ERRMAP(CACHET_LIB_ENOTREADY, "the hypervisor mailbox is not ready"),
	ERRMAP(CACHET_LIB_EIMAGE, "malformed kernel or ramdisk image"),
	ERRMAP(CACHET_LIB_ENOMEM, "out of memory in the daemon"),
	ERRMAP(CACHET_LIB_EINVAL, "invalid argument"),
	ERRMAP(CACHET_LIB_ELAYOUT, "images do not fit in the guest's memory"),
};

const struct errmap_entry *errmap_find(int lib_err)
{
	int e = abs(lib_err);

	for (size_t i = 0; i < sizeof(errmap_entries) / sizeof(errmap_entries[0]); i++) {
		if (errmap_entries[i].lib_err == e)
			return &errmap_entries[i];
	}
	return NULL;
}

int errmap_code(int lib_err)
{
	const struct errmap_entry *m = errmap_find(lib_err);

	return m ? m->rpc_code : ERRMAP_UNKNOWN_CODE;
}

const char *errmap_text(int lib_err)
{
	const struct errmap_entry *m = errmap_find(lib_err);

	return m ? m->text : "unexpected library error";
}

const struct errmap_entry *errmap_table(size_t *count)
{
	*count = sizeof(errmap_entries) / sizeof(errmap_entries[0]);
	return errmap_entries;
}
