/*
 * A read-only walk of a flattened device tree (Devicetree Specification
 * v0.4, chapter 5) for one fact: the size of the RAM bank at RAM base.
 * The host side uses libfdt; the freestanding hypervisor has no build of it,
 * and this is all the board needs.  Every offset is bounds-checked, so a
 * missing or damaged tree yields 0, never a wild read.
 */
#include "dt_memory.h"

#include <stdbool.h>
#include <stddef.h>

#include "hv/string.h"

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_NOP 4u
#define FDT_END 9u

struct dt_walk {
	const uint8_t *base;
	uint32_t struct_off, struct_size;
	uint32_t strings_off, strings_size;
};

static uint32_t be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static uint64_t be_cells(const uint8_t *p, uint32_t cells)
{
	uint64_t v = 0;

	for (uint32_t i = 0; i < cells; i++)
		v = (v << 32) | be32(p + 4 * i);
	return v;
}

static bool dt_header_ok(struct dt_walk *w, const uint8_t *fdt, uint64_t limit)
{
	uint32_t total;

	if (limit < 40 || be32(fdt) != FDT_MAGIC)
		return false;
	total = be32(fdt + 4);
	w->base = fdt;
	w->struct_off = be32(fdt + 8);
	w->strings_off = be32(fdt + 12);
	w->strings_size = be32(fdt + 32);
	w->struct_size = be32(fdt + 36);
	return total <= limit && w->struct_off <= total && w->struct_size <= total - w->struct_off &&
	       w->strings_off <= total && w->strings_size <= total - w->strings_off;
}

/* The property name at @nameoff, or NULL if it is not inside the strings block. */
static const char *dt_string(const struct dt_walk *w, uint32_t nameoff)
{
	const char *s = (const char *)w->base + w->strings_off + nameoff;

	if (nameoff >= w->strings_size)
		return NULL;
	for (uint32_t i = nameoff; i < w->strings_size; i++) {
		if (w->base[w->strings_off + i] == '\0')
			return s;
	}
	return NULL;
}

/* Length of the node name at @off including its NUL, padded to 4; 0 if unterminated. */
static uint32_t dt_name_len(const struct dt_walk *w, uint32_t off)
{
	for (uint32_t i = off; i < w->struct_size; i++) {
		if (w->base[w->struct_off + i] == '\0')
			return (i - off + 1 + 3) & ~3u;
	}
	return 0;
}

struct dt_state {
	int depth;
	bool in_memory;
	uint32_t addr_cells, size_cells;
};

static uint64_t dt_memory_prop(const struct dt_walk *w, struct dt_state *st, uint32_t off,
			       uint32_t len, const char *name, uint64_t ram_base)
{
	const uint8_t *v = w->base + w->struct_off + off;
	uint32_t entry = 4 * (st->addr_cells + st->size_cells);

	if (st->depth == 1 && len == 4 && strcmp(name, "#address-cells") == 0)
		st->addr_cells = be32(v);
	if (st->depth == 1 && len == 4 && strcmp(name, "#size-cells") == 0)
		st->size_cells = be32(v);
	if (st->depth != 2 || !st->in_memory || strcmp(name, "reg") != 0 || entry == 0 ||
	    st->addr_cells > 2 || st->size_cells > 2)
		return 0;
	for (uint32_t i = 0; i + entry <= len; i += entry) {
		if (be_cells(v + i, st->addr_cells) == ram_base)
			return be_cells(v + i + 4 * st->addr_cells, st->size_cells);
	}
	return 0;
}

uint64_t dt_memory_size(const void *fdt, uint64_t limit, uint64_t ram_base)
{
	struct dt_walk w;
	struct dt_state st = { 0, false, 2, 1 };
	uint32_t off = 0;

	if (!dt_header_ok(&w, fdt, limit))
		return 0;
	while (off + 4 <= w.struct_size) {
		uint32_t token = be32(w.base + w.struct_off + off), n, len;
		uint64_t size;

		off += 4;
		switch (token) {
		case FDT_BEGIN_NODE:
			n = dt_name_len(&w, off);
			if (n == 0)
				return 0;
			st.depth++;
			if (st.depth == 2)
				st.in_memory = memcmp(w.base + w.struct_off + off, "memory", 6) == 0;
			off += n;
			break;
		case FDT_END_NODE:
			st.depth--;
			break;
		case FDT_PROP:
			if (off + 8 > w.struct_size)
				return 0;
			len = be32(w.base + w.struct_off + off);
			n = be32(w.base + w.struct_off + off + 4);
			off += 8;
			if (len > w.struct_size - off || dt_string(&w, n) == NULL)
				return 0;
			size = dt_memory_prop(&w, &st, off, len, dt_string(&w, n), ram_base);
			if (size != 0)
				return size;
			off += (len + 3) & ~3u;
			break;
		case FDT_NOP:
			break;
		default:
			return 0; /* FDT_END or garbage */
		}
	}
	return 0;
}
