/*
 * Console tail buffer.  It grows with the output and becomes a ring only
 * once it holds cap bytes, so a quiet domain (or one long gone whose output
 * is kept for `cachet console`) costs what it printed, not the cap.
 */
#include "conbuf.h"

#include <stdlib.h>
#include <string.h>

void conbuf_init(struct conbuf *b, size_t cap)
{
	memset(b, 0, sizeof(*b));
	b->cap = cap;
}

void conbuf_free(struct conbuf *b)
{
	free(b->data);
	conbuf_init(b, b->cap);
}

void conbuf_reset(struct conbuf *b, uint64_t end)
{
	b->len = 0;
	b->head = 0;
	b->end = end;
}

uint64_t conbuf_start(const struct conbuf *b)
{
	return b->end - b->len;
}

/* Grows the linear (not yet wrapped) buffer towards cap to hold want bytes. */
static int conbuf_grow(struct conbuf *b, size_t want)
{
	size_t n = b->alloc ? b->alloc : 4096;
	char *p;

	if (want <= b->alloc || b->alloc == b->cap)
		return 0;
	while (n < want)
		n *= 2;
	if (n > b->cap)
		n = b->cap;
	p = realloc(b->data, n);
	if (!p)
		return -1;
	b->data = p;
	b->alloc = n;
	return 0;
}

int conbuf_append(struct conbuf *b, const char *p, size_t n)
{
	b->end += n;
	if (n >= b->cap) {
		/* Only the last cap bytes can survive. */
		p += n - b->cap;
		n = b->cap;
		b->len = 0;
		b->head = 0;
	}
	if (conbuf_grow(b, b->len + n) < 0) {
		conbuf_reset(b, b->end);
		return -1;
	}
	for (size_t done = 0; done < n;) {
		size_t tail = (b->head + b->len) % b->alloc;
		size_t chunk = b->alloc - tail;

		if (chunk > n - done)
			chunk = n - done;
		memcpy(b->data + tail, p + done, chunk);
		done += chunk;
		b->len += chunk;
		if (b->len > b->alloc) {
			/* Overwrote the oldest bytes: the ring is full. */
			b->head = (b->head + b->len - b->alloc) % b->alloc;
			b->len = b->alloc;
		}
	}
	return 0;
}

size_t conbuf_read(const struct conbuf *b, uint64_t pos, char *out, size_t max, uint64_t *next,
		   uint64_t *lost)
{
	uint64_t start = conbuf_start(b);
	size_t off, n, first;

	*lost = pos < start ? start - pos : 0;
	if (pos < start)
		pos = start;
	if (pos >= b->end) {
		*next = b->end;
		return 0;
	}
	off = (size_t)(pos - start);
	n = b->len - off;
	if (n > max)
		n = max;
	off = (b->head + off) % b->alloc;
	first = b->alloc - off < n ? b->alloc - off : n;
	memcpy(out, b->data + off, first);
	memcpy(out + first, b->data, n - first);
	*next = pos + n;
	return n;
}
