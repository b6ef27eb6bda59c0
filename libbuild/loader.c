/*
 * The kernel probe chain, and the raw-binary fallback.
 *
 * Order matters: a loader is asked only if every loader before it declined
 * the file: the formats with a header of their own first, the compressed
 * formats (known only by their codec's magic) last.  What a compressed
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
	{ "arm32 zImage", zimage_probe, zimage_load },
	{ "compressed", decomp_kernel_probe, decomp_kernel_load },
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
		       "Image, arm32 zImage, uImage or compressed Image); a flat binary is "
		       "loaded only when asked for (kernel_format = \"raw\")");
}
