/*
 * Malformed requests against the real hypervisor, sent raw (past the
 * library's own checks): a wrong ABI version, unknown operations, unknown
 * domain ids, out-of-range sizes and addresses, non-zero padding.  Each must
 * be answered with its error code, leave free memory unchanged, and leave
 * the hypervisor serving: a valid request answered afterwards proves it.
 *
 * Usage: abi_probe QEMU HV_ELF   (run by make check)
 */
#include <stdio.h>
#include <string.h>

#include "cachet/cachet.h"
#include "cachet/public/guest_map.h"
#include "hvplat.h"

static int failures, checks;

static void expect(const char *what, int got, int want)
{
	checks++;
	if (got == want)
		return;
	failures++;
	printf("FAIL: %s: status %d, expected %d\n", what, got, want);
}

static int raw(cachet_handle *h, uint32_t abi, uint32_t op, const void *in, size_t len)
{
	struct cachet_req req;
	struct cachet_rsp rsp;

	memset(&req, 0, sizeof(req));
	req.abi_version = abi;
	req.op = op;
	memcpy(req.u.raw, in, len);
	return cachet_call_raw(h, &req, &rsp);
}

static void probe_header(cachet_handle *h)
{
	expect("wrong ABI major", raw(h, 0x00020000, CACHET_OP_VERSION, "", 0), -CACHET_EVERSION);
	expect("ABI version 0", raw(h, 0, CACHET_OP_PHYSINFO, "", 0), -CACHET_EVERSION);
	expect("operation 0", raw(h, CACHET_ABI_VERSION, 0, "", 0), -CACHET_ENOSYS);
	expect("operation past the table", raw(h, CACHET_ABI_VERSION, 4096, "", 0), -CACHET_ENOSYS);
}

static void probe_ids(cachet_handle *h)
{
	struct cachet_domid_in bad = { .domid = 0xfffffff0u };
	struct cachet_populate_in pop = { .domid = 12345, .nr_pages = 1,
					  .gfn = CACHET_GUEST_RAM0_BASE >> 12 };

	expect("destroy unknown id", raw(h, CACHET_ABI_VERSION, CACHET_OP_DOMAIN_DESTROY, &bad, sizeof(bad)),
	       -CACHET_ENOENT);
	expect("unpause unknown id", raw(h, CACHET_ABI_VERSION, CACHET_OP_DOMAIN_UNPAUSE, &bad, sizeof(bad)),
	       -CACHET_ENOENT);
	expect("populate unknown id", raw(h, CACHET_ABI_VERSION, CACHET_OP_POPULATE, &pop, sizeof(pop)),
	       -CACHET_ENOENT);
	bad.pad = 7;
	bad.domid = 1;
	expect("non-zero padding", raw(h, CACHET_ABI_VERSION, CACHET_OP_DOMAIN_GETINFO, &bad, sizeof(bad)),
	       -CACHET_EINVAL);
}

static void probe_sizes(cachet_handle *h, cachet_domid_t d)
{
	struct cachet_populate_in pop = { .domid = d, .gfn = CACHET_GUEST_RAM0_BASE >> 12 };
	struct cachet_translate_in tr = { .domid = d, .gfn = CACHET_GUEST_RAM0_BASE >> 12 };
	struct cachet_ring_read_in ring = { .domid = d, .max = CACHET_RING_READ_MAX + 1 };
	struct cachet_domain_create_in cr = { .max_vcpus = 1000, .max_pages = 16 };

	pop.nr_pages = (uint64_t)CACHET_POPULATE_MAX_PAGES + 1;
	expect("populate too many pages", raw(h, CACHET_ABI_VERSION, CACHET_OP_POPULATE, &pop, sizeof(pop)),
	       -CACHET_E2BIG);
	pop.nr_pages = 1;
	pop.gfn = 0x10000; /* the device window, not RAM */
	expect("populate outside RAM", raw(h, CACHET_ABI_VERSION, CACHET_OP_POPULATE, &pop, sizeof(pop)),
	       -CACHET_ERANGE);
	pop.gfn = ~(uint64_t)0 >> 12;
	expect("populate past the IPA space", raw(h, CACHET_ABI_VERSION, CACHET_OP_POPULATE, &pop, sizeof(pop)),
	       -CACHET_ERANGE);
	tr.nr = CACHET_TRANSLATE_MAX + 1;
	expect("translate too many", raw(h, CACHET_ABI_VERSION, CACHET_OP_TRANSLATE, &tr, sizeof(tr)),
	       -CACHET_E2BIG);
	tr.nr = 1;
	expect("translate unpopulated", raw(h, CACHET_ABI_VERSION, CACHET_OP_TRANSLATE, &tr, sizeof(tr)),
	       -CACHET_EFAULT);
	expect("console read too large", raw(h, CACHET_ABI_VERSION, CACHET_OP_CONSOLE_READ, &ring, sizeof(ring)),
	       -CACHET_E2BIG);
	expect("create 1000 vCPUs", raw(h, CACHET_ABI_VERSION, CACHET_OP_DOMAIN_CREATE, &cr, sizeof(cr)),
	       -CACHET_EINVAL);
}

int main(int argc, char **argv)
{
	struct hvplat p;
	struct cachet_physinfo_out before, after;
	struct cachet_domain_create_in cr = { .max_vcpus = 1, .max_pages = 64 };
	cachet_handle *h;
	cachet_domid_t d;

	if (argc != 3) {
		fprintf(stderr, "usage: abi_probe QEMU HV_ELF\n");
		return 2;
	}
	hvplat_start(&p, argv[1], argv[2], 256, 1);
	h = hvplat_open(&p);
	expect("physinfo", cachet_physinfo(h, &before), 0);
	expect("create a domain", cachet_domain_create(h, &cr, &d), 0);
	probe_header(h);
	probe_ids(h);
	probe_sizes(h, d);
	expect("destroy the domain", cachet_domain_destroy(h, d), 0);
	expect("physinfo afterwards", cachet_physinfo(h, &after), 0);
	checks++;
	if (after.free_pages != before.free_pages) {
		failures++;
		printf("FAIL: free pages %llu after, %llu before\n", (unsigned long long)after.free_pages,
		       (unsigned long long)before.free_pages);
	}
	cachet_close(h);
	hvplat_stop(&p);
	printf("abi_probe: %d checks, %d failed\n", checks, failures);
	return failures == 0 ? 0 : 1;
}
