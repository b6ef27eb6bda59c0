/* The hypervisor harnesses' shared machine and input reader (hv_harness.h). */
#include "hv_harness.h"

#include <stdlib.h>
#include <string.h>

#include "host_arch.h"
#include "hv/mm.h"
#include "hv/palloc.h"
#include "hv/scrub.h"
#include "hv/smp.h"

#define HV_MEM_BASE 0x40000000ULL
#define HV_MEM_SIZE (8ULL << 20)
#define HV_FREE_START 0x40200000ULL

static uint8_t *hv_mem;

uint64_t hv_input_bytes(struct hv_input *in, unsigned int n)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < n; i++) {
		uint64_t b = in->pos < in->size ? in->data[in->pos] : 0;

		in->pos += in->pos < in->size;
		v |= b << (8 * i);
	}
	return v;
}

int hv_input_left(const struct hv_input *in)
{
	return in->pos < in->size;
}

static void hv_machine_init(void)
{
	if (hv_mem != NULL)
		return;
	hv_mem = aligned_alloc(1 << 21, HV_MEM_SIZE);
	if (hv_mem == NULL)
		abort();
	host_set_machine_memory(ma_init(HV_MEM_BASE), hv_mem, HV_MEM_SIZE);
	if (host_mm_init(ma_init(HV_MEM_BASE), HV_MEM_SIZE >> 12, ma_init(HV_FREE_START)) != 0)
		abort();
	percpu[0].online = true;
}

static uint64_t hv_free_pages;

/* Free memory as the hypervisor reports it: pages waiting for their scrub count. */
static uint64_t hv_free_now(void)
{
	struct palloc_stats st;

	scrub_get_stats(&st);
	return st.free_pages;
}

struct domain *hv_domain_begin(unsigned int nr_vcpus)
{
	struct cachet_domain_create_in in = { .max_vcpus = nr_vcpus, .max_pages = 64 };
	struct domain *d;

	hv_machine_init();
	hv_free_pages = hv_free_now();
	if (domain_create(&in, &d) != 0)
		abort();
	d->state = CACHET_DOM_RUNNING;
	for (unsigned int i = 0; i < nr_vcpus; i++)
		d->vcpus[i].state = VCPU_RUNNABLE;
	return d;
}

void hv_domain_end(struct domain *d)
{
	d->state = CACHET_DOM_PAUSED;
	for (unsigned int i = 0; i < d->max_vcpus; i++)
		d->vcpus[i].running = false;
	if (domain_destroy(d) != 0 || hv_free_now() != hv_free_pages)
		abort();
}

void hv_check_fits(uint64_t val, unsigned int size)
{
	if (size < 8 && (val >> (8 * size)) != 0)
		abort();
}
