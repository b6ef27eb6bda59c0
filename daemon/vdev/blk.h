/*
 * blk: where a virtio disk's blocks live.  One file per backend library:
 * blk_file.c (raw images and block devices, with the system calls) and
 * blk_nbd.c (qcow2 and the other image formats, through qemu-nbd and
 * libnbd).  Every call returns 0 or a negative errno.
 */
#ifndef CACHETD_BLK_H
#define CACHETD_BLK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

struct blk_store;

struct blk_store_ops {
	int (*readv)(struct blk_store *s, const struct iovec *iov, int n, uint64_t off);
	int (*writev)(struct blk_store *s, const struct iovec *iov, int n, uint64_t off);
	/* Written data is on stable storage when this returns 0. */
	int (*flush)(struct blk_store *s);
	/* The range may read back as zeros afterwards; -EOPNOTSUPP where not supported. */
	int (*discard)(struct blk_store *s, uint64_t off, uint64_t len);
	void (*close)(struct blk_store *s);
};

struct blk_store {
	const struct blk_store_ops *ops;
	void *priv;
	uint64_t size;          /* bytes */
	bool can_discard;
};

/* A raw image file or block device; -1 with @msg naming the file and the problem. */
int blk_file_open(const char *path, bool readonly, struct blk_store *out, char *msg,
		  size_t msglen);
/* An image of qemu-img's @format served by a qemu-nbd this process starts. */
int blk_nbd_open(const char *path, const char *format, bool readonly, struct blk_store *out,
		 char *msg, size_t msglen);

#endif
