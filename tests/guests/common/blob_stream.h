/*
 * The deterministic data of the mmu-off-read blob, shared by the host
 * generator (blobgen.c) and the guests: a fixed-seed xorshift64 stream
 * (Marsaglia, "Xorshift RNGs", 2003, shifts 13/7/17) stored as
 * little-endian 64-bit words, and the FNV-1a 64-bit hash that checks it.
 * Plain C with <stdint.h> only, so both compilers take it.
 */
#ifndef GUEST_BLOB_STREAM_H
#define GUEST_BLOB_STREAM_H

#include <stdint.h>

#define BLOB_STREAM_SIZE (1024u * 1024u) /* bytes; a multiple of 8 */
#define BLOB_STREAM_SEED UINT64_C(0x4361636865742142) /* "Cachet!B" */

#define FNV1A64_OFFSET UINT64_C(0xcbf29ce484222325)
#define FNV1A64_PRIME UINT64_C(0x00000100000001b3)

/* Advances *state (never 0) and returns the next word of the stream. */
static inline uint64_t blob_stream_next(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

/* Folds the 8 bytes of word w, least significant first, into hash h. */
static inline uint64_t blob_stream_hash_word(uint64_t h, uint64_t w)
{
	for (unsigned int i = 0; i < 8; i++) {
		h ^= (w >> (8 * i)) & 0xff;
		h *= FNV1A64_PRIME;
	}
	return h;
}

#endif
