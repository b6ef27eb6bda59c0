/*
 * An arena: the builder's temporary memory (image files, parsed segment
 * tables, the command line) is allocated here and released all at once by
 * arena_free(), so no error path has to free anything piecemeal.
 */
#ifndef LIBBUILD_ARENA_H
#define LIBBUILD_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head; /* the block small allocations come from */
	size_t used;              /* bytes taken from head */
};

void arena_init(struct arena *a);
/* Zeroed memory aligned for any type, or NULL when out of memory. */
void *arena_alloc(struct arena *a, size_t size);
char *arena_strdup(struct arena *a, const char *s);
void arena_free(struct arena *a);

#endif
