/*
 * The kernel probe chain, and the raw-binary fallback.
 *
 * Order matters: a loader is asked only if every loader before it declined
 * the file, so specific formats (identified by magic numbers) come first and
 * the chain ends with the formats recognised only to be refused by name.  What a compressed
 * kernel or a uImage holds goes through loader_load_inner() instead, which
 * takes only an arm64 Image or an ELF: never a second layer of compression,
 * never a raw binary.
 *
 * Raw images: only when the caller asks for it (CACHET_KERNEL_RAW) is a file
 * taken as a flat binary; a file no loader recognises is refused, since
 * guessing "raw" boots whatever a damaged or mistaken file holds.  A flat
 * binary is loaded at guest RAM base + 0x80000 (LOADER_RAW_OFFSET, the text_offset
 * Linux arm64 Images used before v5.8 and what bare-metal test guests are
 * linked for) and entered at its first byte.
 */
#include <string.h>

#include "loader.h"

/* Formats whose loaders are still to come; see loader_chain[]. */
struct loader_magic {
	const char *name;
	size_t offset;
	size_t len;
	const char *bytes;
};

static const struct loader_magic loader_known[] = {
	{ "arm32 zImage", 0x24, 4, "\x18\x28\x6f\x01" }, /* 0x016f2818 little-endian */
};

static const struct loader_magic *loader_known_match(const uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < sizeof(loader_known) / sizeof(loader_known[0]); i++) {
		const struct loader_magic *k = &loader_known[i];

		if (len >= k->offset + k->len && memcmp(buf + k->offset, k->bytes, k->len) == 0)
			return k;
	}
	return NULL;
}

static bool loader_known_probe(const uint8_t *buf, size_t len)
{
	return loader_known_match(buf, len) != NULL;
}

/*
 * Refuse rather than misload: loaded as a raw binary, an arm32 zImage would
 * start an AArch64 vCPU on A32 code.
 */
static int loader_known_load(const struct loader_in *in, struct loader_image *img,
			     struct err_msg *m)
{
	(void)img;
	return err_fmt(m, CACHET_LIB_EIMAGE, "%s kernel recognised, but this version of "
		       "libcachet cannot load that format yet", loader_known_match(in->buf,
		       in->len)->name);
}

int loader_raw_load(const struct loader_in *in, struct loader_image *img, struct err_msg *m)
{
	struct loader_seg *seg;

	if (in->len == 0)
		return err_fmt(m, CACHET_LIB_EIMAGE, "kernel image is empty");
	if (in->ram_size < LOADER_RAW_OFFSET || in->len > in->ram_size - LOADER_RAW_OFFSET)
		return err_fmt(m, CACHET_LIB_ELAYOUT, "raw kernel image of %zu bytes does not fit "
			       "in guest RAM above 0x%llx (%llu bytes of RAM)", in->len,
			       (unsigned long long)(in->ram_base + LOADER_RAW_OFFSET),
			       (unsigned long long)in->ram_size);
	seg = arena_alloc(in->arena, sizeof(*seg));
	if (!seg)
		return err_fmt(m, CACHET_LIB_ENOMEM, "out of memory for the load plan");
	seg->gpa = in->ram_base + LOADER_RAW_OFFSET;
	seg->src = in->buf;
	seg->filesz = in->len;
	seg->memsz = in->len;
	img->format = "raw";
	img->entry = seg->gpa;
	img->start = seg->gpa;
	img->end = seg->gpa + seg->memsz;
	img->nr_segs = 1;
	img->segs = seg;
	return 0;
}

static const struct loader loader_chain[] = {
	{ "ELF", elf_probe, elf_load },
	{ "arm64 Image", image_probe, image_load },
	{ "legacy uImage", uimage_probe, uimage_load },
	{ "compressed", decomp_kernel_probe, decomp_kernel_load },
	/* The arm32 zImage loader goes here; until then, such files are refused by name. */
	{ "recognised format", loader_known_probe, loader_known_load },
};

int loader_load_inner(const struct loader_in *in, const char *what, struct loader_image *img,
		      struct err_msg *m)
{
	memset(img, 0, sizeof(*img));
	if (image_probe(in->buf, in->len))
		return image_load(in, img, m);
	if (elf_probe(in->buf, in->len))
		return elf_load(in, img, m);
	return err_fmt(m, CACHET_LIB_EIMAGE, "%s is not an arm64 Image (no ARM\\x64 magic at "
		       "0x38)", what);
}

bool loader_picks_image(const uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < sizeof(loader_chain) / sizeof(loader_chain[0]); i++)
		if (loader_chain[i].probe(buf, len))
			return loader_chain[i].load == image_load;
	return false;
}

int loader_load(const struct loader_in *in, struct loader_image *img, struct err_msg *m)
{
	memset(img, 0, sizeof(*img));
	if (in->raw)
		return loader_raw_load(in, img, m);
	for (size_t i = 0; i < sizeof(loader_chain) / sizeof(loader_chain[0]); i++)
		if (loader_chain[i].probe(in->buf, in->len))
			return loader_chain[i].load(in, img, m);
	return err_fmt(m, CACHET_LIB_EIMAGE, "kernel format not recognised (not an ELF, arm64 "
		       "Image, uImage or compressed Image); a flat binary is loaded only when "
		       "asked for (kernel_format = \"raw\")");
}
