/*
 * The blob: BLOB_STREAM_SIZE bytes of builder-loaded data in a PT_LOAD
 * segment of its own (see blob_stream.h and blob_data.S).  Guests that link it
 * check that what they read is what the build wrote.
 */
#ifndef GUEST_BLOB_H
#define GUEST_BLOB_H

#include <stdbool.h>
#include <stdint.h>

extern const uint64_t blob_start[];
extern const uint64_t blob_end[];

/* The FNV-1a 64 hash of the blob as the guest reads it now. */
uint64_t blob_hash(void);

/*
 * Hashes the blob and compares with the hash the generator computed; prints
 *   <stage>: blob fnv1a64=0x... expected=0x... ok|MISMATCH
 * and, on a mismatch, where the first wrong word is and how many differ.
 * Returns true if the blob is intact.
 */
bool blob_verify(const char *stage);

#endif
