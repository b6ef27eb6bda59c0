/*
 * Raw disk images and block devices (blk.h): positioned reads and writes
 * straight between the file and guest RAM, fdatasync for FLUSH, and hole
 * punching (or BLKDISCARD on a block device) for DISCARD.
 */
#define _GNU_SOURCE /* fallocate */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "blk.h"

struct blk_file {
	int fd;
	bool bdev;
};

static int blk_file_fd(const struct blk_store *s)
{
	return ((const struct blk_file *)s->priv)->fd;
}

static ssize_t blk_file_call(int fd, const struct iovec *iov, int n, uint64_t off, bool write)
{
	return write ? pwritev(fd, iov, n, (off_t)off) : preadv(fd, iov, n, (off_t)off);
}

/*
 * Positioned I/O of the whole vector, one preadv/pwritev for all of it
 * unless the kernel transfers less; then it resumes where that stopped
 * (@done bytes into iov[i]).  A 1 MiB guest write is some 256 pages: one
 * call each made sequential writes half as fast as QEMU's.
 */
static int blk_file_io(struct blk_store *s, const struct iovec *iov, int n, uint64_t off,
		       bool write)
{
	int fd = blk_file_fd(s), i = 0;
	size_t done = 0;

	for (;;) {
		struct iovec rest;
		ssize_t r;

		while (i < n && iov[i].iov_len == done) {
			i++;
			done = 0;
		}
		if (i == n)
			return 0;
		rest = (struct iovec){ (uint8_t *)iov[i].iov_base + done, iov[i].iov_len - done };
		r = done ? blk_file_call(fd, &rest, 1, off, write) :
			   blk_file_call(fd, iov + i, n - i < IOV_MAX ? n - i : IOV_MAX, off, write);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -EIO; /* the image shrank under us */
		off += (uint64_t)r;
		for (size_t left = (size_t)r; left > 0;) {
			size_t part = iov[i].iov_len - done < left ? iov[i].iov_len - done : left;

			done += part;
			left -= part;
			if (done == iov[i].iov_len && left > 0) {
				i++;
				done = 0;
			}
		}
	}
}

static int blk_file_readv(struct blk_store *s, const struct iovec *iov, int n, uint64_t off)
{
	return blk_file_io(s, iov, n, off, false);
}

static int blk_file_writev(struct blk_store *s, const struct iovec *iov, int n, uint64_t off)
{
	return blk_file_io(s, iov, n, off, true);
}

static int blk_file_flush(struct blk_store *s)
{
	return fdatasync(blk_file_fd(s)) == 0 ? 0 : -errno;
}

static int blk_file_discard(struct blk_store *s, uint64_t off, uint64_t len)
{
	const struct blk_file *f = s->priv;
	uint64_t range[2] = { off, len };

	if (f->bdev)
		return ioctl(f->fd, BLKDISCARD, range) == 0 ? 0 : -errno;
	return fallocate(f->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)off,
			 (off_t)len) == 0 ? 0 : -errno;
}

static void blk_file_close(struct blk_store *s)
{
	struct blk_file *f = s->priv;

	close(f->fd);
	free(f);
}

static const struct blk_store_ops blk_file_ops = {
	blk_file_readv, blk_file_writev, blk_file_flush, blk_file_discard, blk_file_close,
};

static int blk_file_size(struct blk_file *f, uint64_t *size)
{
	struct stat st;

	if (fstat(f->fd, &st) < 0)
		return -errno;
	f->bdev = S_ISBLK(st.st_mode);
	if (f->bdev)
		return ioctl(f->fd, BLKGETSIZE64, size) == 0 ? 0 : -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	*size = (uint64_t)st.st_size;
	return 0;
}

int blk_file_open(const char *path, bool readonly, struct blk_store *out, char *msg,
		  size_t msglen)
{
	struct blk_file *f = malloc(sizeof(*f));
	int rc;

	if (!f) {
		snprintf(msg, msglen, "%s: out of memory", path);
		return -1;
	}
	f->fd = open(path, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	rc = f->fd < 0 ? -errno : blk_file_size(f, &out->size);
	if (rc < 0) {
		snprintf(msg, msglen, "%s: %s", path, rc == -EINVAL ? "not a regular file or block "
			 "device" : strerror(-rc));
		if (f->fd >= 0)
			close(f->fd);
		free(f);
		return -1;
	}
	*out = (struct blk_store){ &blk_file_ops, f, out->size, !readonly };
	return 0;
}
