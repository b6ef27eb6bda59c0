/*
 * An arena: the builder's temporary memory (image files, parsed segment
 * tables, the command line) is allocated here and released all at once by
 * arena_free(), so no error path has to free anything piecemeal.
 */
#ifndef LIBBUILD_ARENA_H
#define LIBBUILD_ARENA_H

#include <stddef.h>

struct arena_block;

/* Allocations above this size get a block of their own. */
#define ARENA_LARGE_MIN (16u * 1024u)

struct arena {
	struct arena_block *head; /* the block small allocations come from */
	size_t used;              /* bytes taken from head */
};

void arena_init(struct arena *a);
/* Zeroed memory aligned for any type, or NULL when out of memory. */
void *arena_alloc(struct arena *a, size_t size);
char *arena_strdup(struct arena *a, const char *s);
/*
 * Grows or shrinks a large allocation (@p from arena_alloc() with a size
 * above ARENA_LARGE_MIN, or NULL to allocate) to @size bytes, keeping its
 * contents like realloc(); bytes beyond the old size are not zeroed.
 * Returns NULL (and leaves @p as it was) when out of memory.
 */
void *arena_resize(struct arena *a, void *p, size_t size);
void arena_free(struct arena *a);

#endif
