/*
 * Just enough of the flattened device tree format (devicetree
 * specification v0.4, chapter 5) to shrink the /memory node QEMU wrote, so
 * that the guest does not use the RAM the floor itself lives in.  The
 * floor's own code, not libfdt: it runs freestanding at EL2 with the MMU
 * off, and it only rewrites one value in place.
 */
#include <stdint.h>

#include "floor.h"

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_NOP 4u
#define FDT_END 9u

static uint32_t fdt_be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static void fdt_put_be32(void *p, uint32_t v)
{
	uint8_t *b = p;

	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

static uint32_t fdt_align4(uint32_t n)
{
	return (n + 3) & ~3u;
}

static int fdt_name_is(const char *s, const char *want)
{
	while (*want && *s == *want) {
		s++;
		want++;
	}
	return *want == '\0' && (*s == '\0' || *s == '@');
}

/* reg = <addr-hi addr-lo size-hi size-lo>, as QEMU's virt board writes it. */
static void fdt_trim_reg(uint8_t *val, uint64_t end)
{
	uint64_t base = (uint64_t)fdt_be32(val) << 32 | fdt_be32(val + 4);
	uint64_t size = (uint64_t)fdt_be32(val + 8) << 32 | fdt_be32(val + 12);

	if (base >= end || base + size <= end)
		return;
	size = end - base;
	fdt_put_be32(val + 8, (uint32_t)(size >> 32));
	fdt_put_be32(val + 12, (uint32_t)size);
}

int floor_fdt_trim_memory(void *fdt, uint64_t end)
{
	uint8_t *hdr = fdt, *p, *limit;
	const char *strings;
	int depth = 0, in_memory = 0, found = -1;

	if (fdt_be32(hdr) != FDT_MAGIC)
		return -1;
	p = hdr + fdt_be32(hdr + 8);
	strings = (const char *)hdr + fdt_be32(hdr + 12);
	limit = p + fdt_be32(hdr + 36);
	while (p + 4 <= limit) {
		uint32_t tok = fdt_be32(p), len, name;
		const char *node;

		p += 4;
		switch (tok) {
		case FDT_BEGIN_NODE:
			node = (const char *)p;
			depth++;
			in_memory = depth == 2 && fdt_name_is(node, "memory");
			while (*p)
				p++;
			p = hdr + fdt_align4((uint32_t)(p + 1 - hdr));
			break;
		case FDT_END_NODE:
			depth--;
			in_memory = 0;
			break;
		case FDT_PROP:
			len = fdt_be32(p);
			name = fdt_be32(p + 4);
			if (in_memory && len == 16 && fdt_name_is(strings + name, "reg")) {
				fdt_trim_reg(p + 8, end);
				found = 0;
			}
			p += 8 + fdt_align4(len);
			break;
		case FDT_NOP:
			break;
		default: /* FDT_END or damage */
			return found;
		}
	}
	return found;
}
