/*
 * Line buffer.  Lines are handed out in place; consumed bytes are dropped
 * when new bytes arrive, and the search for '\n' resumes where it stopped,
 * so a client trickling a long line costs linear time.
 */
#include "lbuf.h"

#include <stdlib.h>
#include <string.h>

void lbuf_init(struct lbuf *b, size_t cap)
{
	memset(b, 0, sizeof(*b));
	b->cap = cap;
}

void lbuf_free(struct lbuf *b)
{
	free(b->data);
	lbuf_init(b, b->cap);
}

size_t lbuf_pending(const struct lbuf *b)
{
	return b->len - b->start;
}

static void lbuf_compact(struct lbuf *b)
{
	if (b->start == 0)
		return;
	memmove(b->data, b->data + b->start, b->len - b->start);
	b->len -= b->start;
	b->start = 0;
}

int lbuf_append(struct lbuf *b, const char *p, size_t n)
{
	lbuf_compact(b);
	if (b->len + n > b->alloc) {
		size_t want = b->alloc ? b->alloc : 4096;
		char *q;

		while (want < b->len + n)
			want *= 2;
		q = realloc(b->data, want);
		if (!q)
			return -1;
		b->data = q;
		b->alloc = want;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	return 0;
}

int lbuf_next(struct lbuf *b, const char **line, size_t *len)
{
	size_t avail = b->len - b->start;
	char *nl = avail > b->scanned ? memchr(b->data + b->start + b->scanned, '\n',
					       avail - b->scanned) : NULL;

	if (!nl) {
		b->scanned = avail;
		return avail > b->cap ? -1 : 0;
	}
	*line = b->data + b->start;
	*len = (size_t)(nl - *line);
	if (*len > b->cap)
		return -1;
	b->start += *len + 1;
	b->scanned = 0;
	return 1;
}
