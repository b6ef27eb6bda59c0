/*
 * Disk images in qemu's formats (qcow2, qcow, vpc, qed), served by the
 * real implementation: cachetd starts qemu-nbd for the image with libnbd's
 * systemd socket activation (a private socket pair, no path anyone else can
 * reach; qemu-nbd exits when the connection closes, daemon crash included)
 * and speaks NBD to it.  FLUSH is NBD_CMD_FLUSH (qemu-nbd then flushes the
 * image file); DISCARD is NBD_CMD_TRIM with qemu-nbd's --discard=unmap.
 */
#include <errno.h>
#include <libnbd.h>
#include <stdio.h>
#include <string.h>

#include "blk.h"

#ifndef CACHET_QEMU_NBD_PATH
#define CACHET_QEMU_NBD_PATH "qemu-nbd"
#endif

static struct nbd_handle *blk_nbd(const struct blk_store *s)
{
	return s->priv;
}

/* libnbd's calls return -1 with its own errno. */
static int blk_nbd_err(void)
{
	int e = nbd_get_errno();

	return -(e ? e : EIO);
}

static int blk_nbd_io(struct blk_store *s, const struct iovec *iov, int n, uint64_t off,
		      bool write)
{
	for (int i = 0; i < n; i++) {
		int r = write ? nbd_pwrite(blk_nbd(s), iov[i].iov_base, iov[i].iov_len, off, 0) :
				nbd_pread(blk_nbd(s), iov[i].iov_base, iov[i].iov_len, off, 0);

		if (r < 0)
			return blk_nbd_err();
		off += iov[i].iov_len;
	}
	return 0;
}

static int blk_nbd_readv(struct blk_store *s, const struct iovec *iov, int n, uint64_t off)
{
	return blk_nbd_io(s, iov, n, off, false);
}

static int blk_nbd_writev(struct blk_store *s, const struct iovec *iov, int n, uint64_t off)
{
	return blk_nbd_io(s, iov, n, off, true);
}

static int blk_nbd_flush(struct blk_store *s)
{
	return nbd_flush(blk_nbd(s), 0) == 0 ? 0 : blk_nbd_err();
}

static int blk_nbd_discard(struct blk_store *s, uint64_t off, uint64_t len)
{
	return nbd_trim(blk_nbd(s), len, off, 0) == 0 ? 0 : blk_nbd_err();
}

static void blk_nbd_close(struct blk_store *s)
{
	nbd_close(blk_nbd(s));
}

static const struct blk_store_ops blk_nbd_ops = {
	blk_nbd_readv, blk_nbd_writev, blk_nbd_flush, blk_nbd_discard, blk_nbd_close,
};

static int blk_nbd_connect(struct nbd_handle *h, const char *path, const char *format,
			   bool readonly)
{
	char *argv[] = { (char *)CACHET_QEMU_NBD_PATH, (char *)"-f", (char *)format,
			 (char *)"--discard=unmap", (char *)"--cache=writeback",
			 (char *)(readonly ? "--read-only" : "--aio=threads"), (char *)path, NULL };

	return nbd_connect_systemd_socket_activation(h, argv);
}

int blk_nbd_open(const char *path, const char *format, bool readonly, struct blk_store *out,
		 char *msg, size_t msglen)
{
	struct nbd_handle *h = nbd_create();
	int64_t size;

	if (!h || blk_nbd_connect(h, path, format, readonly) < 0 || (size = nbd_get_size(h)) < 0) {
		snprintf(msg, msglen, "%s (%s, through %s): %s", path, format, CACHET_QEMU_NBD_PATH,
			 h ? nbd_get_error() : "out of memory");
		if (h)
			nbd_close(h);
		return -1;
	}
	*out = (struct blk_store){ &blk_nbd_ops, h, (uint64_t)size,
				   !readonly && nbd_can_trim(h) == 1 };
	return 0;
}
