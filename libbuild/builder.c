/*
 * The domain builder pipeline: creation, inputs (kernel, ramdisk, settings),
 * boot, layout query and release.  The build stage itself is in build.c.
 *
 * Inputs are copied into the builder's arena, so callers may free their
 * buffers at once, and cachet_dom_free() releases everything in one go.
 * Settings can change only before the build.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builder.h"
#include "dtb.h"
#include "errors.h"
#include "layout.h"
#include "util.h"

/* Nothing bigger than the first RAM bank can be loaded into it. */
#define DOM_MAX_IMAGE CACHET_GUEST_RAM0_SIZE

/* An input and its size limit, as the messages name it. */
struct dom_input {
	const char *what;    /* the API call */
	uint64_t max;
	const char *max_why;
};

cachet_dom *cachet_dom_new(cachet_handle *h)
{
	cachet_dom *d;

	if (!h) {
		err_set(NULL, CACHET_LIB_EINVAL, "dom_new: NULL handle");
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		err_set(h, CACHET_LIB_ENOMEM, "dom_new: out of memory");
		return NULL;
	}
	d->h = h;
	d->kernel_file.fd = -1;
	arena_init(&d->arena);
	d->mem_bytes = (uint64_t)DOM_DEFAULT_MEMORY_MB * LIB_MiB;
	d->vcpus = 1;
	d->policy = CACHET_CACHE_DC_TVM;
	d->stage = DOM_STAGE_NEW;
	return d;
}

static void dom_kernel_file_close(cachet_dom *d)
{
	if (d->kernel_file.fd >= 0)
		close(d->kernel_file.fd);
	d->kernel_file.fd = -1;
}

void cachet_dom_free(cachet_dom *d)
{
	if (!d)
		return;
	dom_kernel_file_close(d);
	arena_free(&d->arena);
	free(d);
}

/* Common guard of the input stage; @what names the call in messages. */
static int dom_check_new(cachet_dom *d, const char *what)
{
	if (!d)
		return err_set(NULL, CACHET_LIB_EINVAL, "%s: NULL builder", what);
	if (d->stage != DOM_STAGE_NEW)
		return err_set(d->h, CACHET_LIB_EINVAL, "%s: the domain is already built", what);
	return 0;
}

/* What a file that is neither a regular file nor a block device is. */
static const char *dom_file_kind(mode_t mode)
{
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISDIR(mode))
		return "a directory";
	return "not a regular file";
}

/* The size of a regular file or block device (fstat gives 0 for the latter). */
static int dom_file_size(cachet_dom *d, const struct dom_input *w, const char *path, int fd,
			 struct stat *st)
{
	if (fstat(fd, st) != 0)
		return err_set(d->h, CACHET_LIB_EIO, "%s: cannot stat %s: %s", w->what, path,
			       strerror(errno));
	if (S_ISBLK(st->st_mode))
		st->st_size = lseek(fd, 0, SEEK_END);
	else if (!S_ISREG(st->st_mode))
		return err_set(d->h, CACHET_LIB_EIO, "%s: %s is %s; give a regular file or a block "
			       "device", w->what, path, dom_file_kind(st->st_mode));
	if (st->st_size < 0)
		return err_set(d->h, CACHET_LIB_EIO, "%s: cannot size %s: %s", w->what, path,
			       strerror(errno));
	return 0;
}

static int dom_read_fd(cachet_dom *d, const struct dom_input *w, const char *path, int fd,
		       struct dom_blob *out)
{
	struct stat st;
	uint8_t *buf;
	size_t done = 0;
	int rc = dom_file_size(d, w, path, fd, &st);

	if (rc < 0)
		return rc;
	if (st.st_size == 0)
		return err_set(d->h, CACHET_LIB_EIMAGE, "%s: %s is empty", w->what, path);
	if ((uint64_t)st.st_size > w->max)
		return err_set(d->h, CACHET_LIB_EIMAGE, "%s: %s is %llu bytes, larger than %s",
			       w->what, path, (unsigned long long)st.st_size, w->max_why);
	buf = arena_alloc(&d->arena, (size_t)st.st_size);
	if (!buf)
		return err_set(d->h, CACHET_LIB_ENOMEM, "%s: no memory for %s (%llu bytes)",
			       w->what, path, (unsigned long long)st.st_size);
	while (done < (size_t)st.st_size) {
		ssize_t n = pread(fd, buf + done, (size_t)st.st_size - done, (off_t)done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return err_set(d->h, CACHET_LIB_EIO, "%s: reading %s failed: %s", w->what,
				       path, n < 0 ? strerror(errno) : "file shrank while reading");
		done += (size_t)n;
	}
	out->buf = buf;
	out->len = done;
	return 0;
}

static int dom_open_file(cachet_dom *d, const struct dom_input *w, const char *path, int *fd)
{
	if (!path)
		return err_set(d->h, CACHET_LIB_EINVAL, "%s: NULL path", w->what);
	/* O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused just after). */
	*fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (*fd < 0)
		return err_set(d->h, CACHET_LIB_EIO, "%s: cannot open %s: %s", w->what, path,
			       strerror(errno));
	return 0;
}

static int dom_read_file(cachet_dom *d, const struct dom_input *w, const char *path,
			 struct dom_blob *out)
{
	int fd;
	int rc = dom_open_file(d, w, path, &fd);

	if (rc < 0)
		return rc;
	rc = dom_read_fd(d, w, path, fd, out);
	close(fd);
	return rc;
}

static int dom_copy_mem(cachet_dom *d, const struct dom_input *w, const void *buf, size_t len,
			struct dom_blob *out)
{
	uint8_t *copy;

	if (!buf || len == 0)
		return err_set(d->h, CACHET_LIB_EINVAL, "%s: %s", w->what,
			       buf ? "empty image" : "NULL buffer");
	if (len > w->max)
		return err_set(d->h, CACHET_LIB_EIMAGE, "%s: %zu bytes, larger than %s", w->what,
			       len, w->max_why);
	copy = arena_alloc(&d->arena, len);
	if (!copy)
		return err_set(d->h, CACHET_LIB_ENOMEM, "%s: no memory for %zu bytes", w->what,
			       len);
	memcpy(copy, buf, len);
	out->buf = copy;
	out->len = len;
	return 0;
}

static const struct dom_input dom_in_kernel_file = {
	"dom_kernel_file", DOM_MAX_IMAGE, "guest RAM can be",
};
static const struct dom_input dom_in_kernel_mem = {
	"dom_kernel_mem", DOM_MAX_IMAGE, "guest RAM can be",
};
static const struct dom_input dom_in_ramdisk_file = {
	"dom_ramdisk_file", DOM_MAX_IMAGE, "guest RAM can be",
};
static const struct dom_input dom_in_ramdisk_mem = {
	"dom_ramdisk_mem", DOM_MAX_IMAGE, "guest RAM can be",
};
static const struct dom_input dom_in_dtb_file = {
	"dom_devicetree_file", DTB_USER_MAX, "the 2 MiB the arm64 boot protocol allows",
};
static const struct dom_input dom_in_dtb_mem = {
	"dom_devicetree_mem", DTB_USER_MAX, "the 2 MiB the arm64 boot protocol allows",
};

/* Keeps a device tree input only if libfdt finds it sound. */
static int dom_check_dtb(cachet_dom *d, const struct dom_input *w, struct dom_blob *b)
{
	struct err_msg m;
	int rc = dtb_check_user(b->buf, b->len, &m);

	if (rc < 0) {
		b->buf = NULL;
		b->len = 0;
		return err_set(d->h, -rc, "%s: %s", w->what, m.text);
	}
	return 0;
}

/*
 * Keeps @fd as the kernel when the probe chain gives the file to the arm64
 * Image loader (builder.h): 1 if kept (and @fd owned), 0 if the whole file
 * is to be read, or a library error.
 */
static int dom_kernel_keep_image(cachet_dom *d, const char *path, int fd)
{
	struct stat st;
	uint8_t *prefix;
	char *name;
	int rc = dom_file_size(d, &dom_in_kernel_file, path, fd, &st);

	if (rc < 0)
		return rc;
	/* Anything unusual is left to the whole-file read, which reports it. */
	if (!S_ISREG(st.st_mode) || st.st_size <= (off_t)IMAGE_PREFIX_SIZE ||
	    (uint64_t)st.st_size > dom_in_kernel_file.max)
		return 0;
	prefix = arena_alloc(&d->arena, IMAGE_PREFIX_SIZE);
	name = arena_alloc(&d->arena, strlen(path) + 1);
	if (!prefix || !name)
		return err_set(d->h, CACHET_LIB_ENOMEM, "dom_kernel_file: out of memory");
	if (pread(fd, prefix, IMAGE_PREFIX_SIZE, 0) != (ssize_t)IMAGE_PREFIX_SIZE ||
	    !loader_picks_image(prefix, IMAGE_PREFIX_SIZE))
		return 0;
	memcpy(name, path, strlen(path) + 1);
	d->kernel = (struct dom_blob){ prefix, IMAGE_PREFIX_SIZE };
	d->kernel_file = (struct loader_file){ fd, name };
	d->kernel_file_len = (uint64_t)st.st_size;
	return 1;
}

int cachet_dom_kernel_file(cachet_dom *d, const char *path)
{
	int rc = dom_check_new(d, "dom_kernel_file");
	int fd;

	if (rc == 0)
		rc = dom_open_file(d, &dom_in_kernel_file, path, &fd);
	if (rc < 0)
		return rc;
	dom_kernel_file_close(d);
	rc = dom_kernel_keep_image(d, path, fd);
	if (rc == 0)
		rc = dom_read_fd(d, &dom_in_kernel_file, path, fd, &d->kernel);
	if (rc != 1)
		close(fd);
	return rc < 0 ? rc : 0;
}

int dom_kernel_read_rest(cachet_dom *d)
{
	int rc;

	if (d->kernel_file.fd < 0)
		return 0;
	rc = dom_read_fd(d, &dom_in_kernel_file, d->kernel_file.path, d->kernel_file.fd,
			 &d->kernel);
	dom_kernel_file_close(d);
	return rc;
}

int cachet_dom_kernel_mem(cachet_dom *d, const void *buf, size_t len)
{
	int rc = dom_check_new(d, "dom_kernel_mem");

	if (rc == 0)
		rc = dom_copy_mem(d, &dom_in_kernel_mem, buf, len, &d->kernel);
	if (rc == 0)
		dom_kernel_file_close(d);
	return rc;
}

int cachet_dom_ramdisk_file(cachet_dom *d, const char *path)
{
	int rc = dom_check_new(d, "dom_ramdisk_file");

	return rc < 0 ? rc : dom_read_file(d, &dom_in_ramdisk_file, path, &d->ramdisk);
}

int cachet_dom_ramdisk_mem(cachet_dom *d, const void *buf, size_t len)
{
	int rc = dom_check_new(d, "dom_ramdisk_mem");

	return rc < 0 ? rc : dom_copy_mem(d, &dom_in_ramdisk_mem, buf, len, &d->ramdisk);
}

int cachet_dom_devicetree_file(cachet_dom *d, const char *path)
{
	struct dom_blob b = { NULL, 0 };
	int rc = dom_check_new(d, dom_in_dtb_file.what);

	if (rc == 0)
		rc = dom_read_file(d, &dom_in_dtb_file, path, &b);
	if (rc == 0)
		rc = dom_check_dtb(d, &dom_in_dtb_file, &b);
	if (rc == 0)
		d->user_dtb = b;
	return rc;
}

int cachet_dom_devicetree_mem(cachet_dom *d, const void *buf, size_t len)
{
	struct dom_blob b = { NULL, 0 };
	int rc = dom_check_new(d, dom_in_dtb_mem.what);

	if (rc == 0)
		rc = dom_copy_mem(d, &dom_in_dtb_mem, buf, len, &b);
	if (rc == 0)
		rc = dom_check_dtb(d, &dom_in_dtb_mem, &b);
	if (rc == 0)
		d->user_dtb = b;
	return rc;
}

int cachet_dom_set_memory_mb(cachet_dom *d, uint64_t mb)
{
	int rc = dom_check_new(d, "dom_set_memory_mb");

	if (rc < 0)
		return rc;
	/* Both RAM banks of guest_map.h; the hypervisor may allow less (at build). */
	if (mb == 0 || mb > LAYOUT_MAX_MEMORY / LIB_MiB)
		return err_set(d->h, CACHET_LIB_EINVAL, "dom_set_memory_mb: %llu MiB not in "
			       "1..%llu", (unsigned long long)mb,
			       (unsigned long long)(LAYOUT_MAX_MEMORY / LIB_MiB));
	d->mem_bytes = mb * LIB_MiB;
	return 0;
}

int cachet_dom_set_vcpus(cachet_dom *d, unsigned int vcpus)
{
	int rc = dom_check_new(d, "dom_set_vcpus");

	if (rc < 0)
		return rc;
	if (vcpus == 0 || vcpus > CACHET_MAX_VCPUS)
		return err_set(d->h, CACHET_LIB_EINVAL, "dom_set_vcpus: %u not in 1..%u", vcpus,
			       CACHET_MAX_VCPUS);
	d->vcpus = vcpus;
	return 0;
}

int cachet_dom_set_kernel_format(cachet_dom *d, enum cachet_kernel_format f)
{
	int rc = dom_check_new(d, "dom_set_kernel_format");

	if (rc < 0)
		return rc;
	if (f != CACHET_KERNEL_AUTO && f != CACHET_KERNEL_RAW)
		return err_set(d->h, CACHET_LIB_EINVAL, "dom_set_kernel_format: unknown format %d",
			       (int)f);
	d->kernel_format = f;
	return 0;
}

int cachet_dom_set_virtio_devices(cachet_dom *d, unsigned int n)
{
	int rc = dom_check_new(d, "dom_set_virtio_devices");

	if (rc < 0)
		return rc;
	if (n > CACHET_GUEST_VIRTIO_MAX)
		return err_set(d->h, CACHET_LIB_EINVAL, "dom_set_virtio_devices: %u, at most %u "
			       "(one per SPI %u..%u)", n, CACHET_GUEST_VIRTIO_MAX,
			       CACHET_GUEST_VIRTIO_MMIO_SPI_FIRST, CACHET_GUEST_VIRTIO_MMIO_SPI_LAST);
	d->virtio_devices = n;
	return 0;
}

int cachet_dom_set_cmdline(cachet_dom *d, const char *cmdline)
{
	int rc = dom_check_new(d, "dom_set_cmdline");
	const char *copy;

	if (rc < 0)
		return rc;
	if (!cmdline)
		return err_set(d->h, CACHET_LIB_EINVAL, "dom_set_cmdline: NULL command line");
	if (strlen(cmdline) >= DOM_MAX_CMDLINE)
		return err_set(d->h, CACHET_LIB_EINVAL, "dom_set_cmdline: %zu bytes, the limit is "
			       "%u", strlen(cmdline), DOM_MAX_CMDLINE - 1);
	copy = arena_strdup(&d->arena, cmdline);
	if (!copy)
		return err_set(d->h, CACHET_LIB_ENOMEM, "dom_set_cmdline: out of memory");
	d->cmdline = copy;
	return 0;
}

int cachet_dom_set_cache_policy(cachet_dom *d, enum cachet_cache_policy p)
{
	int rc = dom_check_new(d, "dom_set_cache_policy");

	if (rc < 0)
		return rc;
	if ((unsigned int)p >= CACHET_CACHE_POLICY_MAX)
		return err_set(d->h, CACHET_LIB_EINVAL, "dom_set_cache_policy: unknown policy %u",
			       (unsigned int)p);
	d->policy = p;
	return 0;
}

int cachet_dom_set_tag(cachet_dom *d, uint32_t tag)
{
	int rc = dom_check_new(d, "dom_set_tag");

	if (rc < 0)
		return rc;
	d->tag = tag;
	return 0;
}

int cachet_dom_adopt(cachet_dom *d, cachet_domid_t domid)
{
	int rc = dom_check_new(d, "dom_adopt");

	if (rc < 0)
		return rc;
	d->domid = domid;
	d->adopted = true;
	return 0;
}

int cachet_dom_set_dtb_memory(cachet_dom *d, int on)
{
	int rc = dom_check_new(d, "dom_set_dtb_memory");

	if (rc < 0)
		return rc;
	d->dtb_memory = on != 0;
	return 0;
}

int cachet_dom_boot(cachet_dom *d)
{
	int rc;

	if (!d)
		return err_set(NULL, CACHET_LIB_EINVAL, "dom_boot: NULL builder");
	if (d->stage != DOM_STAGE_BUILT)
		return err_set(d->h, CACHET_LIB_EINVAL, "dom_boot: the domain is %s",
			       d->stage == DOM_STAGE_NEW ? "not built yet" : "already booted");
	rc = cachet_domain_unpause(d->h, d->domid);
	if (rc == 0)
		d->stage = DOM_STAGE_BOOTED;
	return rc;
}

int cachet_dom_get_layout(const cachet_dom *d, struct cachet_dom_layout *out)
{
	if (!d || !out)
		return err_set(d ? d->h : NULL, CACHET_LIB_EINVAL, "dom_get_layout: NULL %s",
			       d ? "output" : "builder");
	if (d->stage == DOM_STAGE_NEW)
		return err_set(d->h, CACHET_LIB_EINVAL, "dom_get_layout: the domain is not built");
	*out = d->layout;
	return 0;
}
