/*
 * The daemon's copy of a domain's console: the tail (at most cap bytes) of
 * everything the guest wrote, addressed by absolute byte position so that
 * clients can resume reading where they stopped and learn what they lost.
 */
#ifndef CACHETD_CONBUF_H
#define CACHETD_CONBUF_H

#include <stddef.h>
#include <stdint.h>

#define CONBUF_CAP (1024 * 1024)

struct conbuf {
	char *data;               /* owned; grows up to cap, then is a ring */
	size_t alloc;             /* bytes allocated */
	size_t cap;               /* most bytes kept */
	size_t len;               /* bytes held */
	size_t head;              /* index of the oldest byte held */
	uint64_t end;             /* absolute position after the newest byte */
};

void conbuf_init(struct conbuf *b, size_t cap);
void conbuf_free(struct conbuf *b);
/* Appends, dropping the oldest bytes beyond cap; -1 if memory ran out. */
int conbuf_append(struct conbuf *b, const char *p, size_t n);
/* Empties the buffer so that the next byte appended has position end. */
void conbuf_reset(struct conbuf *b, uint64_t end);
/* Absolute position of the oldest byte still held. */
uint64_t conbuf_start(const struct conbuf *b);
/*
 * Copies at most max bytes from absolute position pos.  Sets *next to the
 * position after the last byte copied and *lost to the bytes between pos
 * and the oldest byte held.  A pos beyond the end reads nothing from end.
 */
size_t conbuf_read(const struct conbuf *b, uint64_t pos, char *out, size_t max, uint64_t *next,
		   uint64_t *lost);

#endif
