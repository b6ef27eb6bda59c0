/*
 * What the hypervisor harnesses share: a host machine with the real core
 * (the unit tests' host build), one domain per input, and a byte reader
 * that turns the fuzzer's input into operations.
 */
#ifndef FUZZ_HV_HARNESS_H
#define FUZZ_HV_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "hv/domain.h"

/* The fuzzer's input, consumed front to back; reads past the end give zero. */
struct hv_input {
	const uint8_t *data;
	size_t size, pos;
};

uint64_t hv_input_bytes(struct hv_input *in, unsigned int n);
int hv_input_left(const struct hv_input *in);

/*
 * A running domain with @nr_vcpus vCPUs (1..16), all online and runnable,
 * on a machine set up once per process.  hv_domain_end() destroys it and
 * aborts unless every page came back.
 */
struct domain *hv_domain_begin(unsigned int nr_vcpus);
void hv_domain_end(struct domain *d);

/* Aborts if @val has bits above an access of @size bytes. */
void hv_check_fits(uint64_t val, unsigned int size);

#endif
