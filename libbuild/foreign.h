/*
 * Foreign mapping internals, exposed for the unit tests.
 */
#ifndef LIBBUILD_FOREIGN_H
#define LIBBUILD_FOREIGN_H

#include <stddef.h>
#include <stdint.h>

/*
 * Length of the run of machine-contiguous frames starting at mfns[0]
 * (at least 1 for n >= 1): each run becomes one mmap() of the RAM file.
 */
size_t foreign_run_len(const uint64_t *mfns, size_t n);

#endif
