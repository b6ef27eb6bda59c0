/*
 * Legacy U-Boot uImage (mkimage -A arm64|arm -T kernel), after U-Boot's
 * include/image.h.  A 64-byte big-endian header:
 *   0x00 ih_magic 0x27051956   0x04 ih_hcrc (CRC32 of the header, this
 *   field zeroed)   0x08 ih_time   0x0c ih_size (payload bytes)
 *   0x10 ih_load   0x14 ih_ep   0x18 ih_dcrc (CRC32 of the payload)
 *   0x1c ih_os   0x1d ih_arch   0x1e ih_type   0x1f ih_comp   0x20 ih_name[32]
 * then the payload.  Both CRCs are checked, the type must be a kernel, the
 * architecture arm64, and the payload — decompressed as ih_comp says — goes
 * through the loaders again: it must be an arm64 Image (or an ELF).
 *
 * ih_load and ih_ep are not used: like U-Boot's bootm for arm64 Linux
 * (which hands the payload to booti_setup), the Image header decides where
 * the kernel goes.
 */
#include <string.h>
#include <zlib.h>

#include "loader.h"
#include "util.h"

#define UIMAGE_MAGIC 0x27051956u
#define UIMAGE_HEADER_SIZE 64u
#define UIMAGE_ARCH_ARM 2u
#define UIMAGE_ARCH_ARM64 22u
#define UIMAGE_TYPE_KERNEL 2u
#define UIMAGE_TYPE_KERNEL_NOLOAD 14u

enum uimage_comp {
	UIMAGE_COMP_NONE = 0,
	UIMAGE_COMP_GZIP = 1,
	UIMAGE_COMP_BZIP2 = 2,
	UIMAGE_COMP_LZMA = 3,
	UIMAGE_COMP_LZO = 4,
	UIMAGE_COMP_LZ4 = 5,
	UIMAGE_COMP_ZSTD = 6,
};

struct uimage_header {
	uint32_t hcrc, size, dcrc;
	uint8_t arch, type, comp;
};

bool uimage_probe(const uint8_t *buf, size_t len)
{
	return len >= 4 && lib_be32(buf) == UIMAGE_MAGIC;
}

static uint32_t uimage_crc(const uint8_t *p, size_t len)
{
	return (uint32_t)crc32_z(crc32_z(0, Z_NULL, 0), p, len);
}

static int uimage_check_header(const struct loader_in *in, struct uimage_header *h,
			       struct err_msg *m)
{
	uint8_t copy[UIMAGE_HEADER_SIZE];
	uint32_t crc;

	if (in->len < UIMAGE_HEADER_SIZE)
		return err_fmt(m, CACHET_LIB_EIMAGE, "uImage: truncated header (%zu bytes, need "
			       "%u)", in->len, UIMAGE_HEADER_SIZE);
	memcpy(copy, in->buf, sizeof(copy));
	memset(copy + 4, 0, 4);
	h->hcrc = lib_be32(in->buf + 0x04);
	h->size = lib_be32(in->buf + 0x0c);
	h->dcrc = lib_be32(in->buf + 0x18);
	h->arch = in->buf[0x1d];
	h->type = in->buf[0x1e];
	h->comp = in->buf[0x1f];
	crc = uimage_crc(copy, sizeof(copy));
	if (crc != h->hcrc)
		return err_fmt(m, CACHET_LIB_EIMAGE, "uImage: header CRC mismatch (header says "
			       "0x%08x, computed 0x%08x)", h->hcrc, crc);
	return 0;
}

static int uimage_check_payload(const struct loader_in *in, const struct uimage_header *h,
				struct err_msg *m)
{
	uint32_t crc;

	if (h->size > in->len - UIMAGE_HEADER_SIZE)
		return err_fmt(m, CACHET_LIB_EIMAGE, "uImage: payload of %u bytes runs past the "
			       "end of the file (%zu bytes after the header)", h->size,
			       in->len - UIMAGE_HEADER_SIZE);
	crc = uimage_crc(in->buf + UIMAGE_HEADER_SIZE, h->size);
	if (crc != h->dcrc)
		return err_fmt(m, CACHET_LIB_EIMAGE, "uImage: data CRC mismatch (header says "
			       "0x%08x, computed 0x%08x)", h->dcrc, crc);
	if (h->type != UIMAGE_TYPE_KERNEL && h->type != UIMAGE_TYPE_KERNEL_NOLOAD)
		return err_fmt(m, CACHET_LIB_EIMAGE, "uImage: image type %u is not a kernel "
			       "(%u, or %u for kernel_noload)", h->type, UIMAGE_TYPE_KERNEL,
			       UIMAGE_TYPE_KERNEL_NOLOAD);
	if (h->arch != UIMAGE_ARCH_ARM64 && h->arch != UIMAGE_ARCH_ARM)
		return err_fmt(m, CACHET_LIB_EIMAGE, "uImage: architecture %u is neither arm64 (%u) "
			       "nor arm (%u)", h->arch, UIMAGE_ARCH_ARM64, UIMAGE_ARCH_ARM);
	return 0;
}

/*
 * The codec for ih_comp.  U-Boot's "lzma" is the legacy .lzma format, but
 * an xz payload is taken too; its "lz4" is the frame format, and Linux's
 * legacy format is taken too.  NULL with a message if none fits.
 */
static const struct decomp_codec *uimage_codec(const struct uimage_header *h,
					       const uint8_t *p, size_t len, struct err_msg *m)
{
	switch (h->comp) {
	case UIMAGE_COMP_GZIP:
		return &decomp_gzip;
	case UIMAGE_COMP_BZIP2:
		return &decomp_bzip2;
	case UIMAGE_COMP_LZMA:
		return decomp_xz.probe(p, len) ? &decomp_xz : &decomp_lzma;
	case UIMAGE_COMP_LZ4:
		return decomp_lz4_legacy.probe(p, len) ? &decomp_lz4_legacy : &decomp_lz4;
	case UIMAGE_COMP_ZSTD:
		return &decomp_zstd;
	case UIMAGE_COMP_LZO:
		err_fmt(m, CACHET_LIB_EIMAGE, "uImage: LZO compression (%u) is not supported",
			h->comp);
		return NULL;
	default:
		err_fmt(m, CACHET_LIB_EIMAGE, "uImage: unknown compression type %u", h->comp);
		return NULL;
	}
}

static int uimage_load_arm(const struct loader_in *payload, const struct uimage_header *h,
			   struct loader_image *img, struct err_msg *m)
{
	if (h->comp != UIMAGE_COMP_NONE)
		return err_fmt(m, CACHET_LIB_EIMAGE, "uImage: arm payload with compression %u; "
			       "only an uncompressed zImage (compression none) is supported",
			       h->comp);
	if (!zimage_probe(payload->buf, payload->len))
		return err_fmt(m, CACHET_LIB_EIMAGE, "uImage: arm payload is not a zImage (no "
			       "magic 0x016f2818 at 0x24)");
	return zimage_load(payload, img, m);
}

static int uimage_load_payload(const struct loader_in *in, const struct uimage_header *h,
			       struct loader_image *img, struct err_msg *m)
{
	struct loader_in payload = *in;
	const struct decomp_codec *c;

	payload.buf = in->buf + UIMAGE_HEADER_SIZE;
	payload.len = h->size;
	if (h->arch == UIMAGE_ARCH_ARM)
		return uimage_load_arm(&payload, h, img, m);
	if (h->comp == UIMAGE_COMP_NONE)
		return loader_load_inner(&payload, "uImage payload", img, m);
	c = uimage_codec(h, payload.buf, payload.len, m);
	if (!c)
		return -CACHET_LIB_EIMAGE;
	if (c->probe && !c->probe(payload.buf, payload.len))
		return err_fmt(m, CACHET_LIB_EIMAGE, "uImage: the header says %s compression, "
			       "but the payload is not %s data", c->name, c->name);
	return decomp_kernel_load_with(&payload, c, img, m);
}

int uimage_load(const struct loader_in *in, struct loader_image *img, struct err_msg *m)
{
	struct uimage_header h = { 0 };
	int rc = uimage_check_header(in, &h, m);

	if (rc == 0)
		rc = uimage_check_payload(in, &h, m);
	if (rc == 0)
		rc = uimage_load_payload(in, &h, img, m);
	return rc;
}
