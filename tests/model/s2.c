/* The model's stage 2 and the hypervisor's flush code under it (see s2.h). */
#include "s2.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/pte.h"
#include "hv/errno.h"
#include "cachet/public/guest_map.h"
#include "host_arch.h"

#define S2_TABLE_PAGES 256 /* freed tables are not reused */
#define S2_MA_BASE UINT64_C(0x80000000)

/* Guest RAM pages first, then the pool the page tables come from. */
static uint8_t s2_mem[HW_PAGES * S2_BLOCK_BYTES + S2_TABLE_PAGES * PAGE_SIZE]
	__attribute__((aligned(4096)));
static unsigned int s2_tables_used;
static struct domain s2_dom;

static int s2_table_alloc(void *ctx, maddr_t *out)
{
	(void)ctx;
	if (s2_tables_used == S2_TABLE_PAGES)
		return -ENOMEM;
	*out = ma_init(S2_MA_BASE + HW_PAGES * S2_BLOCK_BYTES + s2_tables_used++ * PAGE_SIZE);
	memset(arch_ma_to_ptr(*out), 0, PAGE_SIZE);
	return 0;
}

static void s2_table_free(void *ctx, maddr_t page)
{
	(void)ctx, (void)page; /* the pool is reset with the domain */
}

static const struct pt_alloc_ops s2_table_ops = { s2_table_alloc, s2_table_free, NULL };

uint64_t s2_line_ipa(unsigned int line)
{
	return CACHET_GUEST_RAM0_BASE + (uint64_t)line * S2_LINE_BYTES;
}

struct domain *s2_domain_new(enum cachet_cache_policy policy)
{
	const struct pt_attr ram = { PT_MEM_NORMAL, PT_PERM_R | PT_PERM_W | PT_PERM_X };
	struct domain *d = &s2_dom;

	host_set_machine_memory(ma_init(S2_MA_BASE), s2_mem, sizeof(s2_mem));
	s2_tables_used = 0;
	memset(d, 0, sizeof(*d));
	d->cache_policy = policy;
	if (pt_init(&d->p2m, PT_STAGE2, CONFIG_GUEST_IPA_BITS, &s2_table_ops) != 0 ||
	    pt_map(&d->p2m, CACHET_GUEST_RAM0_BASE, ma_init(S2_MA_BASE), HW_PAGES * S2_BLOCK_BYTES,
		   ram) != 0) {
		fprintf(stderr, "cache-model: cannot build stage 2\n");
		exit(2);
	}
	for (unsigned int i = 0; i < CONFIG_MAX_VCPUS; i++) {
		d->vcpus[i] = (struct vcpu){ .id = i, .dom = d };
		cp_init(&d->vcpus[i].cache, policy);
	}
	host_events_reset();
	return d;
}

/* The hardware's walk: a table or a valid leaf at each level. */
bool s2_line_valid(const struct domain *d, unsigned int line)
{
	uint64_t ipa = s2_line_ipa(line);
	maddr_t table = d->p2m.root;

	for (unsigned int l = d->p2m.start_level; l <= 3; l++) {
		const uint64_t *t = arch_ma_to_ptr(table);
		uint64_t e = t[(ipa >> (12 + 9 * (3 - l))) & 511];

		if (!arch_pte_is_valid(e))
			return false;
		if (!arch_pte_is_table(e, l))
			return true;
		table = arch_pte_addr(e);
	}
	return false;
}

void s2_replay_maintenance(struct hw *h)
{
	size_t n;
	const struct host_event *ev = host_events(&n);

	for (size_t i = 0; i < n; i++) {
		uint64_t off;

		if (ev[i].kind != HOST_EV_DC_CLEAN_INVAL)
			continue;
		off = ma_val(arch_ptr_to_ma((const void *)(uintptr_t)ev[i].addr)) - S2_MA_BASE;
		for (uint64_t b = off; b < off + ev[i].value; b += S2_LINE_BYTES)
			hw_clean_inval_va(h, (unsigned int)(b / S2_LINE_BYTES));
	}
	host_events_reset();
}
