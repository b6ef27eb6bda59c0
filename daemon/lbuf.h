/*
 * Input framing of a client connection: bytes in, '\n'-terminated lines
 * out, with the pending line capped so that a client cannot make the daemon
 * buffer without bound (PROTOCOL.md: a request line is at most 1 MiB).
 */
#ifndef CACHETD_LBUF_H
#define CACHETD_LBUF_H

#include <stddef.h>

struct lbuf {
	char *data;               /* owned */
	size_t alloc;
	size_t start;             /* first byte not yet returned as a line */
	size_t len;               /* bytes held, from data[0] */
	size_t scanned;           /* bytes from start known to hold no '\n' */
	size_t cap;               /* longest line accepted, '\n' excluded */
};

void lbuf_init(struct lbuf *b, size_t cap);
void lbuf_free(struct lbuf *b);
/* Appends received bytes; -1 if memory ran out. */
int lbuf_append(struct lbuf *b, const char *p, size_t n);
/*
 * The next complete line: 1 with *line and *len set (without the '\n'; valid
 * until the next lbuf_* call on b), 0 when no complete line is held, -1
 * when the line being received is already longer than cap (the connection
 * is hopeless).
 */
int lbuf_next(struct lbuf *b, const char **line, size_t *len);
/* Bytes held that have not been returned as lines. */
size_t lbuf_pending(const struct lbuf *b);

#endif
