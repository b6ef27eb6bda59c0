/*
 * Kernel loaders: a probe chain that turns a kernel file into a load plan
 * (segments to copy into guest memory, and an entry point).
 *
 * Loaders only parse and validate; they never touch the hypervisor.  The
 * builder copies the plan into guest memory through foreign mappings, so a
 * malformed image is rejected before any domain exists.  A segment's bytes
 * come from the file, from arena memory the loader produced (a kernel
 * decompressed at plan time), or from a decompressor the builder runs
 * while it writes the segment (a compressed kernel whose size the file
 * records): then only damage inside the compressed data can still be found
 * after the domain exists.
 *
 * The plan is deliberately general: a list of segments, an entry point and
 * the range the kernel claims (start .. end, bss included), which is all
 * the builder uses to place the DTB and the ramdisk.  An arm32 zImage
 * is one segment placed by its own rules; it also says that the guest
 * runs in AArch32 state and where its modules belong.
 */
#ifndef LIBBUILD_LOADER_H
#define LIBBUILD_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "decomp.h"
#include "errors.h"

/* Where legacy raw images are loaded: Linux arm64's historic text_offset. */
#define LOADER_RAW_OFFSET 0x80000ull

struct loader_in {
	const uint8_t *buf;     /* the whole kernel file */
	size_t len;
	uint64_t ram_base;      /* guest RAM the image must fit in */
	uint64_t ram_size;
	struct arena *arena;    /* for the plan and any derived data */
	bool raw;               /* asked for a flat binary (CACHET_KERNEL_RAW) */
};

/* A file the builder reads a segment from, straight into guest memory. */
struct loader_file {
	int fd;
	const char *path;       /* for messages */
};

struct loader_seg {
	uint64_t gpa;           /* guest physical load address */
	const uint8_t *src;     /* filesz bytes to copy, or NULL when stream or file is set */
	const struct decomp_src *stream; /* decompresses to exactly filesz bytes */
	const struct loader_file *file; /* filesz bytes from its start */
	uint64_t filesz;
	uint64_t memsz;         /* filesz..memsz is zeroed (bss) */
};

struct loader_image {
	const char *format;     /* name of the loader that accepted the file */
	uint64_t entry;         /* guest physical entry point */
	uint64_t start, end;    /* lowest guest address used, and the end of the last (bss too) */
	unsigned int nr_segs;
	struct loader_seg *segs;
	bool aarch32;           /* the kernel is entered in AArch32 state */
	uint64_t modules_at;    /* lowest address for the DTB and ramdisk when it fits; 0: none */
};

struct loader {
	const char *name;
	/* Cheap identification (magic numbers); true means "this file is mine". */
	bool (*probe)(const uint8_t *buf, size_t len);
	/* Full validation and the load plan; -CACHET_LIB_EIMAGE with a message. */
	int (*load)(const struct loader_in *in, struct loader_image *img, struct err_msg *m);
};

/* Runs the probe chain; the first loader whose probe accepts the file loads it. */
int loader_load(const struct loader_in *in, struct loader_image *img, struct err_msg *m);
/*
 * Whether the probe chain hands a file starting with @buf to the arm64
 * Image loader, which needs only the file's first IMAGE_PREFIX_SIZE bytes
 * to plan (image_plan): the rest can go from the file to guest memory.
 */
bool loader_picks_image(const uint8_t *buf, size_t len);
/*
 * What a compressed kernel or a uImage payload may contain: an arm64 Image
 * or an ELF (test guests); anything else is refused with @what in the
 * message ("decompressed kernel", "uImage payload").
 */
int loader_load_inner(const struct loader_in *in, const char *what, struct loader_image *img,
		      struct err_msg *m);

/* The individual loaders, exposed for the unit tests. */
bool elf_probe(const uint8_t *buf, size_t len);
int elf_load(const struct loader_in *in, struct loader_image *img, struct err_msg *m);
int loader_raw_load(const struct loader_in *in, struct loader_image *img, struct err_msg *m);

/* arm64 Image (loader_image.c). */
#define IMAGE_HEADER_SIZE 64u
/* What a compressed Image is decompressed of before loading: its header and PE/COFF tables. */
#define IMAGE_PREFIX_SIZE 4096u
bool image_probe(const uint8_t *buf, size_t len);
int image_load(const struct loader_in *in, struct loader_image *img, struct err_msg *m);
/*
 * Plans an Image of @file_len bytes whose header is @hdr (@hdr_len bytes
 * available) without its data: the single segment's source is left empty
 * for the caller to set.
 */
int image_plan(const struct loader_in *in, const uint8_t *hdr, size_t hdr_len,
	       uint64_t file_len, struct loader_image *img, struct err_msg *m);

/* Compressed kernels (loader_decomp.c). */
bool decomp_kernel_probe(const uint8_t *buf, size_t len);
int decomp_kernel_load(const struct loader_in *in, struct loader_image *img, struct err_msg *m);
/* A kernel compressed with @c (named by a uImage header, say). */
int decomp_kernel_load_with(const struct loader_in *in, const struct decomp_codec *c,
			    struct loader_image *img, struct err_msg *m);

/* arm32 Linux zImage (loader_zimage.c). */
bool zimage_probe(const uint8_t *buf, size_t len);
int zimage_load(const struct loader_in *in, struct loader_image *img, struct err_msg *m);

/* Legacy U-Boot uImage (loader_uimage.c). */
bool uimage_probe(const uint8_t *buf, size_t len);
int uimage_load(const struct loader_in *in, struct loader_image *img, struct err_msg *m);

#endif
