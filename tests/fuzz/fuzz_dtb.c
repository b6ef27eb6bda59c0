/*
 * Fuzzes the path of a user's device tree (cachet.cfg device_tree):
 * dtb_check_user, then dtb_adapt_user adding /chosen bootargs and the
 * initrd range as the builder does (libbuild/dtb.c over libfdt).  Beyond
 * "no crash", a tree that passes the check and is adapted is again a sound
 * tree that passes the check.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "dtb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dtb_params p = { 1, "console=ttyAMA0", 0x48000000, 0x48100000,
				{ 0x40000000, 0 }, { 64 << 20, 0 } };
	struct err_msg m = { 0 };
	const uint8_t *out = NULL;
	size_t out_len = 0;
	struct arena arena;
	uint8_t *copy;

	if (size == 0)
		return 0;
	/* libfdt reads the tree in place: give it a buffer of exactly the input's size. */
	copy = malloc(size);
	if (!copy)
		abort();
	memcpy(copy, data, size);
	arena_init(&arena);
	if (dtb_check_user(copy, size, &m) == 0) {
		if (size % 2)
			p.cmdline = NULL; /* half the runs: the tree's own bootargs stay */
		if (dtb_adapt_user(copy, size, &p, &arena, &out, &out_len, &m) == 0 &&
		    dtb_check_user(out, out_len, &m) != 0)
			abort();
	} else if (m.text[0] == '\0') {
		abort();
	}
	arena_free(&arena);
	free(copy);
	return 0;
}
