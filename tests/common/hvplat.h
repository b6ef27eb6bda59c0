/*
 * Test and benchmark helper: a QEMU virt machine running the Cachet
 * hypervisor, with its RAM in a shared file and its serial port on a UNIX
 * socket (the hypervisor console, and the doorbell), owned by this process.
 */
#ifndef TESTS_COMMON_HVPLAT_H
#define TESTS_COMMON_HVPLAT_H

#include <stdbool.h>
#include <sys/types.h>

#include "cachet/cachet.h"

struct hvplat {
	pid_t qemu;
	int serial;
	char ram[96];
	char sock[96];
};

/* Starts QEMU; exits the program with a message if it cannot. */
void hvplat_start(struct hvplat *p, const char *qemu, const char *hv, unsigned int ram_mb,
		  unsigned int cpus);
/* Waits for the mailbox and opens it with the doorbell set; exits on failure. */
cachet_handle *hvplat_open(struct hvplat *p);
/* Reads and discards what the hypervisor printed, so QEMU never blocks on it. */
void hvplat_drain(struct hvplat *p);
/*
 * Reads what the hypervisor prints until a line contains @text; false
 * after @timeout_ms without it.
 */
bool hvplat_wait_for(struct hvplat *p, const char *text, unsigned int timeout_ms);
void hvplat_stop(struct hvplat *p);

#endif
