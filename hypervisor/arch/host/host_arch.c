/* Host implementation of the arch seam (see host_arch.h). */
#include <stdio.h>
#include <stdlib.h>

#include "host_arch.h"

#include "arch/pte.h"

#define HOST_MAX_EVENTS 65536

static uint8_t *host_mem;
static maddr_t host_mem_base;
static size_t host_mem_size;
static struct host_event host_log[HOST_MAX_EVENTS];
static size_t host_nevents;

void host_set_machine_memory(maddr_t base, void *mem, size_t size)
{
	host_mem_base = base;
	host_mem = mem;
	host_mem_size = size;
}

void *arch_ma_to_ptr(maddr_t ma)
{
	uint64_t off = ma_val(ma) - ma_val(host_mem_base);

	if (ma_val(ma) < ma_val(host_mem_base) || off >= host_mem_size) {
		fprintf(stderr, "host arch: machine address %#llx outside test memory\n",
			(unsigned long long)ma_val(ma));
		abort();
	}
	return host_mem + off;
}

maddr_t arch_ptr_to_ma(const void *p)
{
	const uint8_t *b = p;

	if (b < host_mem || b >= host_mem + host_mem_size) {
		fprintf(stderr, "host arch: pointer %p outside test memory\n", p);
		abort();
	}
	return ma_add(host_mem_base, (uint64_t)(b - host_mem));
}

void host_record(enum host_event_kind kind, uint64_t addr, uint64_t value)
{
	if (host_nevents < HOST_MAX_EVENTS)
		host_log[host_nevents++] = (struct host_event){ kind, addr, value };
}

void host_events_reset(void)
{
	host_nevents = 0;
}

const struct host_event *host_events(size_t *count)
{
	*count = host_nevents;
	return host_log;
}

static unsigned int host_cpu;
static unsigned int host_doorbell;

void arch_doorbell_route(unsigned int cpu)
{
	host_doorbell = cpu;
}

unsigned int host_doorbell_cpu(void)
{
	return host_doorbell;
}


unsigned int arch_cpu_index(void)
{
	return host_cpu;
}

void host_set_cpu(unsigned int cpu)
{
	host_cpu = cpu;
}

unsigned long arch_irq_save(void)
{
	return 0;
}

void arch_irq_restore(unsigned long flags)
{
	(void)flags;
}

void arch_barrier_writes(void)
{
	host_record(HOST_EV_BARRIER, 0, 0);
}

void arch_dcache_clean_range(const void *p, size_t len)
{
	host_record(HOST_EV_DC_CLEAN, (uint64_t)(uintptr_t)p, len);
}

void arch_dcache_clean_inval_range(const void *p, size_t len)
{
	host_record(HOST_EV_DC_CLEAN_INVAL, (uint64_t)(uintptr_t)p, len);
}

void arch_tlbi_hyp_va(uint64_t va)
{
	host_record(HOST_EV_TLBI_VA, va, 0);
}

void arch_tlbi_hyp_all(void)
{
	host_record(HOST_EV_TLBI_ALL, 0, 0);
}

void arch_cpu_halt(void)
{
	abort();
}

void arch_pte_write(uint64_t *entry, uint64_t value)
{
	*entry = value;
	host_record(HOST_EV_PTE_WRITE, (uint64_t)(uintptr_t)entry, value);
}

void arch_tlbi_guest_all(uint16_t vmid, maddr_t root)
{
	(void)root;
	host_record(HOST_EV_TLBI_ALL, vmid, 0);
}

void arch_tlbi_guest_ipa(uint16_t vmid, maddr_t root, uint64_t ipa)
{
	(void)root;
	host_record(HOST_EV_TLBI_VA, ipa, vmid);
}
