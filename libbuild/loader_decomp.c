/*
 * Compressed kernels: Image.gz, Image.zst, Image.xz, Image.lz4, Image.bz2
 * as Linux's arch/arm64/boot/Makefile makes them (arm64 kernels have no
 * decompressor of their own: booting.rst leaves it to the loader), and
 * zlib, lz4 frame or legacy .lzma data as other tools make it.
 *
 * What is inside must be an arm64 Image, or an ELF for the test guests;
 * it is never decompressed twice.  The header is decompressed at plan time
 * in any case, so a file that holds something else is refused at once.
 * Then:
 *  - if the file records the decompressed size, the Image is planned from
 *    its header and the builder decompresses it straight into guest memory
 *    through the foreign mapping (no copy of the kernel in this process);
 *  - otherwise the kernel is decompressed into an arena buffer now, which
 *    grows as needed, and the result goes through the loaders again.
 * Either way output is limited to 1 GiB (xc_dom's XC_DOM_DECOMPRESS_MAX)
 * and to the guest's RAM.
 */
#include <stdio.h>

#include "loader.h"
#include "util.h"

#define DECOMP_FORMAT_LEN 48u

bool decomp_kernel_probe(const uint8_t *buf, size_t len)
{
	return decomp_find(buf, len) != NULL;
}

static uint64_t decomp_limit(const struct loader_in *in)
{
	return LIB_MIN(DECOMP_MAX_OUTPUT, in->ram_size);
}

/* "arm64 Image (gzip)": the format names the container too. */
static void decomp_name(const struct loader_in *in, const struct decomp_codec *c,
			struct loader_image *img)
{
	char *name = arena_alloc(in->arena, DECOMP_FORMAT_LEN);

	if (!name)
		return;
	snprintf(name, DECOMP_FORMAT_LEN, "%s (%s)", img->format, c->name);
	img->format = name;
}

/* The Image is decompressed by the builder, into guest memory. */
static int decomp_plan_streamed(const struct loader_in *in, const struct decomp_codec *c,
				const uint8_t *hdr, size_t hdr_len, uint64_t size,
				struct loader_image *img, struct err_msg *m)
{
	struct decomp_src *src;
	int rc = image_plan(in, hdr, hdr_len, size, img, m);

	if (rc < 0)
		return rc;
	src = arena_alloc(in->arena, sizeof(*src));
	if (!src)
		return err_fmt(m, CACHET_LIB_ENOMEM, "out of memory for the load plan");
	src->codec = c;
	src->in = in->buf;
	src->len = in->len;
	img->segs[0].stream = src;
	return 0;
}

static int decomp_plan_buffered(const struct loader_in *in, const struct decomp_codec *c,
				struct loader_image *img, struct err_msg *m)
{
	struct loader_in inner = *in;
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc = decomp_to_arena(c, in->buf, in->len, decomp_limit(in), in->arena, &buf, &len, m);

	if (rc < 0)
		return rc;
	inner.buf = buf;
	inner.len = len;
	return loader_load_inner(&inner, "decompressed kernel", img, m);
}

static int decomp_plan(const struct loader_in *in, const struct decomp_codec *c,
		       struct loader_image *img, struct err_msg *m)
{
	uint8_t hdr[IMAGE_PREFIX_SIZE];
	size_t got = 0;
	uint64_t size = 0;
	bool known = c->size(in->buf, in->len, &size);
	int rc = decomp_prefix(c, in->buf, in->len, hdr, sizeof(hdr), &got, m);

	if (rc < 0)
		return rc;
	if (!image_probe(hdr, got) && !elf_probe(hdr, got))
		return err_fmt(m, CACHET_LIB_EIMAGE, "decompressed kernel is not an arm64 Image "
			       "(no ARM\\x64 magic at 0x38)");
	if (known && size > decomp_limit(in) && !c->size_is_hint)
		return err_fmt(m, CACHET_LIB_EIMAGE, "%s data records %llu bytes decompressed, "
			       "above the limit of %llu (1 GiB or the guest's RAM)", c->name,
			       (unsigned long long)size, (unsigned long long)decomp_limit(in));
	/* An ELF is read whole, and a hint above the limit is no size at all. */
	if (known && size <= decomp_limit(in) && image_probe(hdr, got))
		return decomp_plan_streamed(in, c, hdr, got, size, img, m);
	return decomp_plan_buffered(in, c, img, m);
}

int decomp_kernel_load_with(const struct loader_in *in, const struct decomp_codec *c,
			    struct loader_image *img, struct err_msg *m)
{
	int rc = decomp_plan(in, c, img, m);

	if (rc == 0)
		decomp_name(in, c, img);
	return rc;
}

int decomp_kernel_load(const struct loader_in *in, struct loader_image *img, struct err_msg *m)
{
	return decomp_kernel_load_with(in, decomp_find(in->buf, in->len), img, m);
}
