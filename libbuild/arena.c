/*
 * The builder's arena.  Small allocations are carved from 64 KiB blocks;
 * large ones (kernel and ramdisk files) get a block of their own, linked
 * behind the current one so the small-allocation block stays in use.
 */
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

#define ARENA_BLOCK_SIZE (64u * 1024u)
#define ARENA_ALIGN alignof(max_align_t)

_Static_assert(ARENA_LARGE_MIN == ARENA_BLOCK_SIZE / 4, "large allocations are a quarter block");

struct arena_block {
	struct arena_block *next;
	size_t size;
	alignas(max_align_t) unsigned char data[];
};

void arena_init(struct arena *a)
{
	a->head = NULL;
	a->used = 0;
}

static struct arena_block *arena_new_block(size_t size)
{
	struct arena_block *b;

	if (size > SIZE_MAX - sizeof(*b))
		return NULL;
	b = calloc(1, sizeof(*b) + size);
	if (b)
		b->size = size;
	return b;
}

/* A large allocation: its own block, kept out of the way of the bump block. */
static void *arena_alloc_large(struct arena *a, size_t size)
{
	struct arena_block *b = arena_new_block(size);

	if (!b)
		return NULL;
	if (a->head) {
		b->next = a->head->next;
		a->head->next = b;
	} else {
		b->next = NULL;
		a->head = b;
		a->used = size;
	}
	return b->data;
}

void *arena_alloc(struct arena *a, size_t size)
{
	size_t need;
	struct arena_block *b;

	if (size > ARENA_LARGE_MIN)
		return arena_alloc_large(a, size);
	need = size ? (size + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1) : ARENA_ALIGN;
	if (!a->head || a->head->size - a->used < need) {
		b = arena_new_block(ARENA_BLOCK_SIZE);
		if (!b)
			return NULL;
		b->next = a->head;
		a->head = b;
		a->used = 0;
	}
	a->used += need;
	return a->head->data + a->used - need;
}

void *arena_resize(struct arena *a, void *p, size_t size)
{
	struct arena_block **link = &a->head;
	struct arena_block *b;

	if (size <= ARENA_LARGE_MIN || size > SIZE_MAX - sizeof(*b))
		return NULL;
	if (!p)
		return arena_alloc_large(a, size);
	while (*link && (*link)->data != (unsigned char *)p)
		link = &(*link)->next;
	if (!*link)
		return NULL;
	b = realloc(*link, sizeof(*b) + size);
	if (!b)
		return NULL;
	b->size = size;
	/* A large block that heads the list is full: keep small allocations out of it. */
	if (link == &a->head)
		a->used = size;
	*link = b;
	return b->data;
}

char *arena_strdup(struct arena *a, const char *s)
{
	size_t len = strlen(s) + 1;
	char *p = arena_alloc(a, len);

	if (p)
		memcpy(p, s, len);
	return p;
}

void arena_free(struct arena *a)
{
	struct arena_block *b = a->head;

	while (b) {
		struct arena_block *next = b->next;

		free(b);
		b = next;
	}
	arena_init(a);
}
