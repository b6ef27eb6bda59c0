/*
 * CPU lists as xl writes them (xl.cfg(5) "cpus=", `xl vcpu-pin`): "all",
 * or items separated by commas, each N or N-M, optionally prefixed with '^'
 * to take those CPUs away again.  Items apply from left to right, so
 * "0-3,^1" is {0, 2, 3}.  A mask has one bit per physical CPU, as the ABI's
 * vCPU affinity has (bit N: pCPU N), so at most 64 CPUs.
 */
#ifndef CACHETD_CPULIST_H
#define CACHETD_CPULIST_H

#include <stddef.h>
#include <stdint.h>

#define CPULIST_MAX_CPUS 64        /* bits in the ABI's affinity mask */
#define CPULIST_TEXT_MAX 1024      /* bytes of a list the daemon accepts */
#define CPULIST_FORMAT_MAX 192     /* bytes cpulist_format may need ("0,2,4,...,62") */

/*
 * Parses @s against a machine of @nr_cpus pCPUs (1..CPULIST_MAX_CPUS) into
 * *mask.  Every CPU named must exist, "^all" and NUMA node items are
 * refused, and a list that leaves no CPU is an error.  Returns 0, or -1
 * with msg set to a sentence naming the fault (without the key's name).
 */
int cpulist_parse(const char *s, unsigned int nr_cpus, uint64_t *mask, char *msg, size_t msglen);
/* Every pCPU of a machine with @nr_cpus CPUs. */
uint64_t cpulist_all(unsigned int nr_cpus);
/*
 * Writes @mask as xl prints an affinity: "all" when it holds every pCPU,
 * "none" when it holds none, else ranges ("0-3,5").  Bits at or above
 * @nr_cpus are ignored, as xl ignores bits beyond the host's CPUs.
 */
void cpulist_format(uint64_t mask, unsigned int nr_cpus, char *buf, size_t size);

#endif
