/*
 * arm32 Linux zImage, the self-decompressing kernel of 32-bit Arm Linux
 * (arch/arm/boot/compressed/head.S).  Its header, little-endian words:
 *   0x24 magic 0x016f2818   0x28 start (link address; 0 = position
 *   independent)   0x2c end (start + the bytes the image occupies)
 *   0x30 0x04030201 on kernels new enough to say their byte order
 *   (0x01020304 for a big-endian kernel, which is refused).
 *
 * Placement follows Documentation/arch/arm/booting.rst: the decompressor
 * must sit in the first 128 MiB of RAM, and above 32 MiB it can decompress
 * the kernel to the start of RAM without moving itself first; the device
 * tree and the initramfs go just above the 128 MiB boundary, where neither
 * the decompressed kernel nor a relocated decompressor reaches, while
 * still inside the kernel's low-memory mapping (loader_image.modules_at).
 * A position-dependent zImage (start != 0) must be loaded at its start.
 * The guest is entered in ARM state at the load address.  The decompressor
 * keeps its bss, stack and heap just past its image, so the kernel claims
 * ZIMAGE_WORK_SIZE more than the file: nothing the builder places (the
 * DTB when RAM is too small for the 128 MiB rule) may sit there.
 */
#include "loader.h"
#include "util.h"

#define ZIMAGE_MAGIC 0x016f2818u
#define ZIMAGE_OFF_MAGIC 0x24
#define ZIMAGE_OFF_START 0x28
#define ZIMAGE_OFF_END 0x2c
#define ZIMAGE_OFF_ENDIAN 0x30
#define ZIMAGE_HEADER_SIZE 0x30u
#define ZIMAGE_ENDIAN_LE 0x04030201u
#define ZIMAGE_ENDIAN_BE 0x01020304u

/* booting.rst: the decompressor within the first 128 MiB, ideally above 32 MiB. */
#define ZIMAGE_WINDOW (UINT64_C(128) << 20)
#define ZIMAGE_PREFERRED_OFFSET (UINT64_C(32) << 20)
/* Below 32 MiB of room: where Xen's libxc puts it, just off the start of RAM. */
#define ZIMAGE_LOW_OFFSET 0x8000u
/* The decompressor's working memory past its image: bss, stack, 64 KiB heap (MALLOC_SIZE). */
#define ZIMAGE_WORK_SIZE (UINT64_C(1) << 20)

bool zimage_probe(const uint8_t *buf, size_t len)
{
	return len >= ZIMAGE_HEADER_SIZE && lib_le32(buf + ZIMAGE_OFF_MAGIC) == ZIMAGE_MAGIC;
}

static int zimage_check_header(const struct loader_in *in, uint64_t *size, struct err_msg *m)
{
	uint32_t start = lib_le32(in->buf + ZIMAGE_OFF_START);
	uint32_t end = lib_le32(in->buf + ZIMAGE_OFF_END);

	if (in->len >= ZIMAGE_OFF_ENDIAN + 4 &&
	    lib_le32(in->buf + ZIMAGE_OFF_ENDIAN) == ZIMAGE_ENDIAN_BE)
		return err_fmt(m, CACHET_LIB_EIMAGE, "zImage: big-endian kernel (0x%08x at 0x30); "
			       "only little-endian guests are supported", ZIMAGE_ENDIAN_BE);
	if (end <= start)
		return err_fmt(m, CACHET_LIB_EIMAGE, "zImage: end 0x%08x is not above start 0x%08x",
			       end, start);
	if (end - start > in->len)
		return err_fmt(m, CACHET_LIB_EIMAGE, "zImage: truncated (the header says %u bytes, "
			       "the file has %zu)", end - start, in->len);
	/* Bytes past the end (an appended device tree, say) are loaded with it. */
	*size = in->len;
	return 0;
}

/* A position-independent zImage: above 32 MiB if it fits below 128 MiB. */
static int zimage_place_pic(const struct loader_in *in, uint64_t size, uint64_t *gpa,
			    struct err_msg *m)
{
	uint64_t limit = LIB_MIN(in->ram_size, ZIMAGE_WINDOW), need = size + ZIMAGE_WORK_SIZE;

	if (ZIMAGE_PREFERRED_OFFSET + need <= limit)
		*gpa = in->ram_base + ZIMAGE_PREFERRED_OFFSET;
	else if (ZIMAGE_LOW_OFFSET + need <= limit)
		*gpa = in->ram_base + ZIMAGE_LOW_OFFSET;
	else
		return err_fmt(m, CACHET_LIB_ELAYOUT, "zImage of %llu bytes (and 1 MiB for its "
			       "decompressor to work in) does not fit in the first %llu MiB of "
			       "guest RAM, where the decompressor must run",
			       (unsigned long long)size, (unsigned long long)(limit >> 20));
	return 0;
}

static int zimage_place_fixed(const struct loader_in *in, uint64_t start, uint64_t size,
			      struct err_msg *m)
{
	uint64_t limit = LIB_MIN(in->ram_size, ZIMAGE_WINDOW), need = size + ZIMAGE_WORK_SIZE;

	if (start < in->ram_base || start - in->ram_base > limit ||
	    need > limit - (start - in->ram_base))
		return err_fmt(m, CACHET_LIB_ELAYOUT, "zImage linked at 0x%llx (%llu bytes, and "
			       "1 MiB for its decompressor) is not inside the first %llu MiB of "
			       "guest RAM at 0x%llx",
			       (unsigned long long)start, (unsigned long long)size,
			       (unsigned long long)(limit >> 20), (unsigned long long)in->ram_base);
	return 0;
}

int zimage_load(const struct loader_in *in, struct loader_image *img, struct err_msg *m)
{
	uint64_t start = lib_le32(in->buf + ZIMAGE_OFF_START), size = 0, gpa = start;
	struct loader_seg *seg;
	int rc = zimage_check_header(in, &size, m);

	if (rc == 0)
		rc = start ? zimage_place_fixed(in, start, size, m) : zimage_place_pic(in, size, &gpa, m);
	if (rc < 0)
		return rc;
	seg = arena_alloc(in->arena, sizeof(*seg));
	if (!seg)
		return err_fmt(m, CACHET_LIB_ENOMEM, "out of memory for the load plan");
	*seg = (struct loader_seg){ .gpa = gpa, .src = in->buf, .filesz = size, .memsz = size };
	img->format = "arm32 zImage";
	img->entry = gpa;
	img->start = gpa;
	img->end = gpa + size + ZIMAGE_WORK_SIZE;
	img->nr_segs = 1;
	img->segs = seg;
	img->aarch32 = true;
	img->modules_at = in->ram_base + ZIMAGE_WINDOW;
	return 0;
}
