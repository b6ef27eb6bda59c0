/*
 * The domain builder's state, shared by builder.c (the pipeline's inputs
 * and stages) and build.c (the build itself).
 */
#ifndef LIBBUILD_BUILDER_H
#define LIBBUILD_BUILDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "cachet/cachet.h"
#include "loader.h"

#define DOM_DEFAULT_MEMORY_MB 128u
#define DOM_MAX_CMDLINE 2048u /* Linux arm64 COMMAND_LINE_SIZE, NUL included */
#define DOM_MAX_CMDLINE_ARM 1024u /* Linux arm COMMAND_LINE_SIZE: longer is cut silently */

enum dom_stage {
	DOM_STAGE_NEW,    /* accepting inputs */
	DOM_STAGE_BUILT,  /* domain exists, paused, registers set */
	DOM_STAGE_BOOTED, /* unpaused */
};

struct dom_blob {
	const uint8_t *buf; /* in the arena */
	size_t len;
};

struct cachet_dom {
	cachet_handle *h;
	struct arena arena;
	struct dom_blob kernel;
	struct dom_blob ramdisk;
	struct dom_blob user_dtb;     /* cachet_dom_devicetree_*; none: generate one */
	struct dom_blob dtb;          /* the tree the guest gets, made by the plan stage */
	uint64_t mem_bytes;
	unsigned int vcpus;
	const char *cmdline;
	enum cachet_cache_policy policy;
	uint32_t tag;                 /* cachet_dom_set_tag: DOMAIN_CREATE's tag */
	enum dom_stage stage;
	cachet_domid_t domid;
	bool adopted;                 /* cachet_dom_adopt: build into an existing domain */
	bool dtb_memory;              /* cachet_dom_set_dtb_memory */
	unsigned int virtio_devices;  /* cachet_dom_set_virtio_devices */
	struct cachet_dom_layout layout;
	bool aarch32;                 /* the kernel runs in AArch32 state (an arm32 zImage) */
	enum cachet_kernel_format kernel_format;
	cachet_dom_created_fn created_fn; /* cachet_dom_on_created, or NULL */
	void *created_arg;
	/*
	 * A kernel file the probe chain gives to the arm64 Image loader: kernel
	 * holds its first IMAGE_PREFIX_SIZE bytes only, and the build reads the
	 * rest from the file straight into guest memory (one copy, no 32 MiB
	 * buffer to fault in).  file.fd is -1 otherwise.
	 */
	struct loader_file kernel_file;
	uint64_t kernel_file_len;
};

/* Reads the rest of a kernel kept as a file (kernel_file), for a loader that needs all of it. */
int dom_kernel_read_rest(cachet_dom *d);

#endif
