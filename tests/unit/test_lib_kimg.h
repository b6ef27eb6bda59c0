/*
 * Synthetic arm64 Images for libcachet's loader tests: the 64-byte header
 * of Documentation/arch/arm64/booting.rst ("MZ" code0 as EFI-stub kernels
 * have it), then bytes that compress about as well as a kernel does; and
 * arm32 zImages with the same body.
 */
#ifndef TEST_LIB_KIMG_H
#define TEST_LIB_KIMG_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define KIMG_FLAG_ANYWHERE 0x8u /* flags bit 3: any 2 MiB-aligned base */
#define KIMG_FLAGS_DEBIAN 0xau  /* 4 KiB pages, anywhere: what Debian 12 ships */

static inline void kimg_put(uint8_t *p, uint64_t v, unsigned int bytes)
{
	for (unsigned int i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Runs copied from earlier in the body, and a little noise: about 3:1, like code. */
static inline void kimg_body(uint8_t *buf, size_t len)
{
	uint32_t x = 0x12345678u;
	size_t i = 0;

	while (i < len) {
		size_t run, back;

		x = x * 1103515245u + 12345u;
		run = 4 + ((x >> 8) & 31);
		back = 1 + ((x >> 13) & 4095);
		for (size_t k = 0; k < run && i < len; k++, i++)
			buf[i] = (i < 4096 || (x >> 29) == 0) ? (uint8_t)(x >> (k & 15)) :
								  buf[i - back];
	}
}

/* Fills @buf with an Image header and a body; @len >= 64. */
static inline void kimg_write(uint8_t *buf, size_t len, uint64_t text_offset,
			      uint64_t image_size, uint64_t flags)
{
	kimg_body(buf, len);
	memset(buf, 0, 64);
	buf[0] = 'M';
	buf[1] = 'Z';
	kimg_put(buf + 0x08, text_offset, 8);
	kimg_put(buf + 0x10, image_size, 8);
	kimg_put(buf + 0x18, flags, 8);
	memcpy(buf + 0x38, "ARM\x64", 4);
}

static inline uint8_t *kimg_new(size_t len, uint64_t text_offset, uint64_t image_size,
				uint64_t flags)
{
	uint8_t *buf = malloc(len);

	if (buf)
		kimg_write(buf, len, text_offset, image_size, flags);
	return buf;
}

/*
 * An arm32 zImage of @len bytes (Linux's arch/arm/boot/compressed/head.S
 * header): magic at 0x24, start at 0x28 (0: position independent), end at
 * 0x2c, the little-endian mark at 0x30.
 */
#define ZIMG_MAGIC 0x016f2818u
#define ZIMG_LE_MARK 0x04030201u
static inline void zimg_write(uint8_t *buf, size_t len, uint32_t start, uint32_t end)
{
	kimg_body(buf, len);
	memset(buf, 0, 0x34);
	kimg_put(buf + 0x24, ZIMG_MAGIC, 4);
	kimg_put(buf + 0x28, start, 4);
	kimg_put(buf + 0x2c, end, 4);
	kimg_put(buf + 0x30, ZIMG_LE_MARK, 4);
}

#endif
