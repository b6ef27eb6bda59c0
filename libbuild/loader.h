/*
 * Kernel loaders: a probe chain that turns a kernel file into a load plan
 * (segments to copy into guest memory, and an entry point).
 *
 * Loaders only parse and validate; they never touch the hypervisor.  The
 * builder copies the plan into guest memory through foreign mappings, so a
 * malformed image is rejected before any domain exists.  A segment's source
 * bytes may point into the file or into arena memory the loader produced
 * (a decompressed image, for the loaders still to come).
 */
#ifndef LIBBUILD_LOADER_H
#define LIBBUILD_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "errors.h"

/* Where legacy raw images are loaded: Linux arm64's historic text_offset. */
#define LOADER_RAW_OFFSET 0x80000ull

struct loader_in {
	const uint8_t *buf;     /* the whole kernel file */
	size_t len;
	uint64_t ram_base;      /* guest RAM the image must fit in */
	uint64_t ram_size;
	struct arena *arena;    /* for the plan and any derived data */
};

struct loader_seg {
	uint64_t gpa;           /* guest physical load address */
	const uint8_t *src;     /* filesz bytes to copy */
	uint64_t filesz;
	uint64_t memsz;         /* filesz..memsz is zeroed (bss) */
};

struct loader_image {
	const char *format;     /* name of the loader that accepted the file */
	uint64_t entry;         /* guest physical entry point */
	uint64_t start, end;    /* lowest and highest guest address used */
	unsigned int nr_segs;
	struct loader_seg *segs;
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

/* The individual loaders, exposed for the unit tests. */
bool elf_probe(const uint8_t *buf, size_t len);
int elf_load(const struct loader_in *in, struct loader_image *img, struct err_msg *m);
bool loader_raw_probe(const uint8_t *buf, size_t len);
int loader_raw_load(const struct loader_in *in, struct loader_image *img, struct err_msg *m);

#endif
