/*
 * arm64 Image loader, after Linux's Documentation/arch/arm64/booting.rst
 * ("Call the kernel image" and "Setup the kernel image").
 *
 * The 64-byte header, little-endian:
 *   0x00 code0, code1   0x08 text_offset   0x10 image_size   0x18 flags
 *   0x20 res2..res4     0x38 magic "ARM\x64"   0x3c res5 (PE header offset)
 * Images with an EFI stub start with "MZ" in code0; it does not matter here,
 * the kernel is entered at its first byte either way.
 *
 * How much of the file must be there: image_size counts the BSS and early
 * page tables too, so it is more than the file holds (Debian's 32,956,352
 * byte Image says 33,619,968).  The exact rule comes from the PE/COFF
 * header of the EFI stub, at the offset in res5 (PE/COFF specification,
 * "Section Table"): every section's raw data, PointerToRawData +
 * SizeOfRawData, and the headers (SizeOfHeaders) must lie within the file.
 * An Image without an EFI stub describes nothing beyond its header.
 *
 * flags bit 0 is the kernel's endianness (1: big-endian): a big-endian
 * kernel would fault at its first instruction fetch on a little-endian
 * vCPU, so it is refused.
 *
 * Placement: the Image goes text_offset bytes above a 2 MiB-aligned base,
 * and image_size bytes from its start must be free for the kernel (bss and
 * early page tables).  flags bit 3 clear asks for the base to be as close
 * to the start of RAM as possible (pre-v4.6 kernels cannot use memory
 * below themselves); set, the base may be anywhere.  The lowest base
 * satisfies both, so that is where every Image goes.
 */
#include <string.h>

#include "loader.h"
#include "util.h"

#define IMAGE_MAGIC_OFFSET 0x38u
#define IMAGE_MAGIC "ARM\x64"
#define IMAGE_MAGIC_LEN 4u
#define IMAGE_TEXT_ALIGN UINT64_C(0x1000)
#define IMAGE_BASE_ALIGN LIB_2M
/*
 * Before v3.17 image_size is 0 and text_offset is 0x80000 "in the
 * endianness of the kernel" (booting.rst), so the field is not read.  How
 * much such a kernel needs is unknown: U-Boot's booti assumes 16 MiB.
 */
#define IMAGE_LEGACY_TEXT_OFFSET UINT64_C(0x80000)
#define IMAGE_LEGACY_SIZE (16 * LIB_MiB)
#define IMAGE_FLAG_BE UINT64_C(1)      /* flags bit 0: big-endian kernel */
#define IMAGE_PE_OFFSET 0x3cu          /* res5: where the PE header is */

/* PE/COFF header fields, from the "PE\0\0" signature. */
#define PE_SIG "PE\0\0"
#define PE_NSECTIONS 6u                /* u16 */
#define PE_OPT_SIZE 20u                /* u16: size of the optional header */
#define PE_OPT 24u                     /* the optional header */
#define PE_OPT_SIZE_OF_HEADERS 60u     /* u32, PE32+ */
#define PE_SECTION_SIZE 40u
#define PE_SEC_RAW_SIZE 16u            /* u32: SizeOfRawData */
#define PE_SEC_RAW_PTR 20u             /* u32: PointerToRawData */

struct image_header {
	uint64_t text_offset;
	uint64_t image_size;  /* 0 for pre-v3.17 kernels */
	uint64_t flags;
};

bool image_probe(const uint8_t *buf, size_t len)
{
	return len >= IMAGE_MAGIC_OFFSET + IMAGE_MAGIC_LEN &&
	       memcmp(buf + IMAGE_MAGIC_OFFSET, IMAGE_MAGIC, IMAGE_MAGIC_LEN) == 0;
}

static int image_parse(const uint8_t *hdr, size_t hdr_len, struct image_header *h,
		       struct err_msg *m)
{
	if (hdr_len < IMAGE_HEADER_SIZE)
		return err_fmt(m, CACHET_LIB_EIMAGE, "arm64 Image: truncated header (%zu bytes, "
			       "need %u)", hdr_len, IMAGE_HEADER_SIZE);
	if (!image_probe(hdr, hdr_len))
		return err_fmt(m, CACHET_LIB_EIMAGE, "not an arm64 Image (no ARM\\x64 magic at "
			       "0x38)");
	h->text_offset = lib_le64(hdr + 0x08);
	h->image_size = lib_le64(hdr + 0x10);
	h->flags = lib_le64(hdr + 0x18);
	if (h->image_size == 0)
		h->text_offset = IMAGE_LEGACY_TEXT_OFFSET;
	/* Before v3.17 (image_size 0) the flags field does not exist. */
	if (h->image_size != 0 && (h->flags & IMAGE_FLAG_BE))
		return err_fmt(m, CACHET_LIB_EIMAGE, "arm64 Image: big-endian kernel (flags bit 0 "
			       "set); guests run little-endian");
	if (h->text_offset & (IMAGE_TEXT_ALIGN - 1))
		return err_fmt(m, CACHET_LIB_EIMAGE, "arm64 Image: text_offset 0x%llx not 4 KiB "
			       "aligned", (unsigned long long)h->text_offset);
	return 0;
}

static uint16_t image_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/*
 * The end of the data the PE/COFF header describes (0 when there is no PE
 * header, or when it lies beyond the @hdr_len bytes at hand: a compressed
 * Image only has its first bytes decompressed before it is loaded).
 */
static int image_pe_end(const uint8_t *hdr, size_t hdr_len, uint64_t file_len, uint64_t *end,
			struct err_msg *m)
{
	uint32_t pe = lib_le32(hdr + IMAGE_PE_OFFSET);
	uint64_t sections, nsec;

	*end = 0;
	if (pe == 0)
		return 0;
	if ((uint64_t)pe + PE_OPT > file_len)
		return err_fmt(m, CACHET_LIB_EIMAGE, "arm64 Image: truncated: its PE header at 0x%x "
			       "lies beyond the end of the file (%llu bytes)", pe,
			       (unsigned long long)file_len);
	if ((uint64_t)pe + PE_OPT > hdr_len || memcmp(hdr + pe, PE_SIG, 4) != 0)
		return 0;
	nsec = image_le16(hdr + pe + PE_NSECTIONS);
	sections = (uint64_t)pe + PE_OPT + image_le16(hdr + pe + PE_OPT_SIZE);
	if (sections + nsec * PE_SECTION_SIZE > hdr_len)
		return sections + nsec * PE_SECTION_SIZE > file_len
			       ? err_fmt(m, CACHET_LIB_EIMAGE, "arm64 Image: truncated within its "
					 "PE section table (file of %llu bytes)",
					 (unsigned long long)file_len)
			       : 0;
	if (image_le16(hdr + pe + PE_OPT_SIZE) >= PE_OPT_SIZE_OF_HEADERS + 4)
		*end = lib_le32(hdr + pe + PE_OPT + PE_OPT_SIZE_OF_HEADERS);
	for (uint64_t i = 0; i < nsec; i++) {
		const uint8_t *sec = hdr + sections + i * PE_SECTION_SIZE;
		uint64_t sec_end = (uint64_t)lib_le32(sec + PE_SEC_RAW_PTR) +
				   lib_le32(sec + PE_SEC_RAW_SIZE);

		*end = LIB_MAX(*end, sec_end);
	}
	return 0;
}

/* The file must hold every byte its headers describe (see the top of this file). */
static int image_check_complete(const uint8_t *hdr, size_t hdr_len, uint64_t file_len,
				struct err_msg *m)
{
	uint64_t end;
	int rc = image_pe_end(hdr, hdr_len, file_len, &end, m);

	if (rc < 0)
		return rc;
	if (end > file_len)
		return err_fmt(m, CACHET_LIB_EIMAGE, "arm64 Image: truncated: its PE/COFF sections "
			       "end at byte %llu, but the file has %llu bytes",
			       (unsigned long long)end, (unsigned long long)file_len);
	return 0;
}

/* What the kernel claims from its start: image_size, or the file if that is longer. */
static uint64_t image_footprint(const struct image_header *h, uint64_t file_len)
{
	return LIB_MAX(file_len, h->image_size ? h->image_size : IMAGE_LEGACY_SIZE);
}

static int image_fit(const struct loader_in *in, const struct image_header *h, uint64_t base,
		     uint64_t need, struct err_msg *m)
{
	uint64_t above = in->ram_base + in->ram_size - base;
	uint64_t room = h->text_offset < above ? above - h->text_offset : 0;
	uint64_t at = base + h->text_offset;

	if (need <= room)
		return 0;
	return err_fmt(m, CACHET_LIB_ELAYOUT, "arm64 Image needs 0x%llx bytes (%s) at 0x%llx, "
		       "but the guest has only 0x%llx bytes of RAM there",
		       (unsigned long long)need,
		       h->image_size ? "image_size" : "image_size 0: assumed 16 MiB",
		       (unsigned long long)at, (unsigned long long)room);
}

int image_plan(const struct loader_in *in, const uint8_t *hdr, size_t hdr_len,
	       uint64_t file_len, struct loader_image *img, struct err_msg *m)
{
	struct image_header h = { 0 };
	struct loader_seg *seg;
	uint64_t base = lib_align_up(in->ram_base, IMAGE_BASE_ALIGN);
	uint64_t need;
	int rc = image_parse(hdr, hdr_len, &h, m);

	if (rc == 0)
		rc = image_check_complete(hdr, hdr_len, file_len, m);
	if (rc < 0)
		return rc;
	need = image_footprint(&h, file_len);
	rc = image_fit(in, &h, base, need, m);
	if (rc < 0)
		return rc;
	seg = arena_alloc(in->arena, sizeof(*seg));
	if (!seg)
		return err_fmt(m, CACHET_LIB_ENOMEM, "out of memory for the load plan");
	/*
	 * Only the file is written.  The rest of image_size must be free, not
	 * zero (booting.rst): the kernel clears its own BSS, and guest memory
	 * is zero when populated anyway.  Writing it cost a second window (two
	 * more requests, and a 2 MiB block to scrub) for Debian's Image, and
	 * up to 16 MiB of zeroes for a pre-v3.17 one.
	 */
	seg->gpa = base + h.text_offset;
	seg->filesz = file_len;
	seg->memsz = file_len;
	img->format = "arm64 Image";
	img->entry = seg->gpa;
	img->start = seg->gpa;
	img->end = seg->gpa + need;
	img->nr_segs = 1;
	img->segs = seg;
	return 0;
}

int image_load(const struct loader_in *in, struct loader_image *img, struct err_msg *m)
{
	int rc = image_plan(in, in->buf, in->len, in->len, img, m);

	if (rc == 0)
		img->segs[0].src = in->buf;
	return rc;
}
