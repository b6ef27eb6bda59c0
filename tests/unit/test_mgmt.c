/*
 * The hypervisor's management path, run on the host: the real mailbox,
 * request validation, domains, memory and events of hypervisor/core, with
 * only the arch layer faked.  Each test writes requests into mailbox slots
 * as the daemon does, lets the core serve them, and checks the answers and
 * the state left behind.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cachet/public/guest_map.h"
#include "cachet/public/mbox.h"
#include "host_arch.h"
#include "hv/domain.h"
#include "hv/flush.h"
#include "hv/mbox.h"
#include "hv/mm.h"
#include "hv/scrub.h"
#include "hv/smp.h"

#define MEM_BASE 0x40000000ULL
#define MEM_SIZE (64ULL << 20)
#define FREE_START 0x40200000ULL
#define RAM0_GFN (CACHET_GUEST_RAM0_BASE >> 12)

static uint8_t *mem;
static struct cachet_mbox *mb;
static struct cachet_rsp rsp;

static void setup(void)
{
	mem = aligned_alloc(1 << 21, MEM_SIZE);
	ck_assert_ptr_nonnull(mem);
	memset(mem, 0x5a, MEM_SIZE);
	host_set_machine_memory(ma_init(MEM_BASE), mem, MEM_SIZE);
	ck_assert_int_eq(host_mm_init(ma_init(MEM_BASE), MEM_SIZE >> 12, ma_init(FREE_START)), 0);
	percpu[0].online = true;
	mbox_init();
	mb = (struct cachet_mbox *)(mem + (CACHET_MBOX_ADDR - MEM_BASE));
}

static void teardown(void)
{
	free(mem);
}

/* Sends one request through slot 3 and returns the status. */
static int32_t call_raw(uint32_t abi, uint32_t op, const void *in, size_t len)
{
	struct cachet_mbox_slot *s = &mb->slot[3];

	memset(&s->u.req, 0, sizeof(s->u.req));
	s->u.req.abi_version = abi;
	s->u.req.op = op;
	if (len != 0)
		memcpy(s->u.req.u.raw, in, len);
	__atomic_store_n(&s->state, CACHET_SLOT_REQUEST, __ATOMIC_RELEASE);
	mbox_poll();
	ck_assert_uint_eq(__atomic_load_n(&s->state, __ATOMIC_ACQUIRE), CACHET_SLOT_DONE);
	rsp = s->u.rsp;
	s->state = CACHET_SLOT_FREE;
	return rsp.status;
}

static int32_t call(uint32_t op, const void *in, size_t len)
{
	return call_raw(CACHET_ABI_VERSION, op, in, len);
}

static uint64_t free_pages(void)
{
	ck_assert_int_eq(call(CACHET_OP_PHYSINFO, NULL, 0), 0);
	return rsp.u.physinfo.free_pages;
}

static cachet_domid_t create(uint32_t vcpus, uint64_t pages)
{
	struct cachet_domain_create_in in = { .max_vcpus = vcpus, .max_pages = pages };

	ck_assert_int_eq(call(CACHET_OP_DOMAIN_CREATE, &in, sizeof(in)), 0);
	return rsp.u.create.domid;
}

static int32_t populate(cachet_domid_t d, uint64_t gfn, uint64_t nr, uint32_t order)
{
	struct cachet_populate_in in = { .domid = d, .order = order, .gfn = gfn, .nr_pages = nr };

	return call(CACHET_OP_POPULATE, &in, sizeof(in));
}

static int32_t dom_op(uint32_t op, cachet_domid_t d)
{
	struct cachet_domid_in in = { .domid = d };

	return call(op, &in, sizeof(in));
}

static uint64_t translate1(cachet_domid_t d, uint64_t gfn)
{
	struct cachet_translate_in in = { .domid = d, .nr = 1, .gfn = gfn };

	ck_assert_int_eq(call(CACHET_OP_TRANSLATE, &in, sizeof(in)), 0);
	return rsp.u.translate.mfn[0];
}

START_TEST(test_header_and_version)
{
	ck_assert_uint_eq(mb->magic, CACHET_MBOX_MAGIC);
	ck_assert_uint_eq(mb->ready, CACHET_MBOX_READY);
	ck_assert_uint_eq(mb->slot_size, sizeof(struct cachet_mbox_slot));
	ck_assert_int_eq(call(CACHET_OP_VERSION, NULL, 0), 0);
	ck_assert_uint_eq(rsp.u.version.abi_version, CACHET_ABI_VERSION);
	ck_assert_int_eq(call_raw(CACHET_ABI_VERSION + 1, CACHET_OP_VERSION, NULL, 0),
			 -CACHET_EVERSION);
	ck_assert_int_eq(call(0, NULL, 0), -CACHET_ENOSYS);
	ck_assert_int_eq(call(CACHET_OP_MAX, NULL, 0), -CACHET_ENOSYS);
	ck_assert_int_eq(call(0xffffffffu, NULL, 0), -CACHET_ENOSYS);
}
END_TEST

START_TEST(test_create_validation)
{
	struct cachet_domain_create_in in = { .max_vcpus = 1, .max_pages = 256 };
	struct cachet_domain_create_in bad;

	bad = in, bad.max_vcpus = 0;
	ck_assert_int_eq(call(CACHET_OP_DOMAIN_CREATE, &bad, sizeof(bad)), -CACHET_EINVAL);
	bad = in, bad.max_vcpus = 17;
	ck_assert_int_eq(call(CACHET_OP_DOMAIN_CREATE, &bad, sizeof(bad)), -CACHET_EINVAL);
	bad = in, bad.max_pages = 0;
	ck_assert_int_eq(call(CACHET_OP_DOMAIN_CREATE, &bad, sizeof(bad)), -CACHET_EINVAL);
	bad = in, bad.max_pages = MEM_SIZE; /* far more pages than exist */
	ck_assert_int_eq(call(CACHET_OP_DOMAIN_CREATE, &bad, sizeof(bad)), -CACHET_E2BIG);
	bad = in, bad.flags = 0x80;
	ck_assert_int_eq(call(CACHET_OP_DOMAIN_CREATE, &bad, sizeof(bad)), -CACHET_EINVAL);
	bad = in, bad.cache_policy = CACHET_CACHE_POLICY_MAX;
	ck_assert_int_eq(call(CACHET_OP_DOMAIN_CREATE, &bad, sizeof(bad)), -CACHET_EINVAL);
	/* The host fake CPU has no FEAT_S2FWB, and no AArch32 at EL1. */
	bad = in, bad.cache_policy = CACHET_CACHE_S2FWB;
	ck_assert_int_eq(call(CACHET_OP_DOMAIN_CREATE, &bad, sizeof(bad)), -CACHET_ENODEV);
	bad = in, bad.flags = CACHET_DOMF_AARCH32;
	ck_assert_int_eq(call(CACHET_OP_DOMAIN_CREATE, &bad, sizeof(bad)), -CACHET_ENODEV);
	ck_assert_int_eq(call(CACHET_OP_DOMAIN_LIST, &(struct cachet_domain_list_in){ 0, 8 }, 8), 0);
	ck_assert_uint_eq(rsp.u.list.count, 0); /* no failed create left a domain */
}
END_TEST

/* The creator's tag comes back unchanged from GETINFO and DOMAIN_LIST (abi.h, 1.4). */
START_TEST(test_create_tag_reported)
{
	struct cachet_domain_create_in in = { .max_vcpus = 1, .max_pages = 16, .tag = 0xc0ffee01u };
	cachet_domid_t tagged, plain;

	ck_assert_int_eq(call(CACHET_OP_DOMAIN_CREATE, &in, sizeof(in)), 0);
	tagged = rsp.u.create.domid;
	plain = create(1, 16);
	ck_assert_int_eq(dom_op(CACHET_OP_DOMAIN_GETINFO, tagged), 0);
	ck_assert_uint_eq(rsp.u.info.tag, 0xc0ffee01u);
	ck_assert_int_eq(call(CACHET_OP_DOMAIN_LIST, &(struct cachet_domain_list_in){ 0, 8 }, 8), 0);
	ck_assert_uint_eq(rsp.u.list.count, 2);
	ck_assert_uint_eq(rsp.u.list.dom[0].domid, tagged);
	ck_assert_uint_eq(rsp.u.list.dom[0].tag, 0xc0ffee01u);
	ck_assert_uint_eq(rsp.u.list.dom[1].domid, plain);
	ck_assert_uint_eq(rsp.u.list.dom[1].tag, 0);
	ck_assert_int_eq(dom_op(CACHET_OP_DOMAIN_DESTROY, tagged), 0);
	ck_assert_int_eq(dom_op(CACHET_OP_DOMAIN_DESTROY, plain), 0);
}
END_TEST

START_TEST(test_unknown_ids)
{
	ck_assert_int_eq(dom_op(CACHET_OP_DOMAIN_DESTROY, 42), -CACHET_ENOENT);
	ck_assert_int_eq(dom_op(CACHET_OP_DOMAIN_UNPAUSE, 0), -CACHET_ENOENT);
	ck_assert_int_eq(dom_op(CACHET_OP_DOMAIN_GETINFO, 0xffffffffu), -CACHET_ENOENT);
	ck_assert_int_eq(populate(7, RAM0_GFN, 1, 0), -CACHET_ENOENT);
}
END_TEST

START_TEST(test_populate_rules)
{
	cachet_domid_t d = create(1, 1024);

	ck_assert_int_eq(populate(d, RAM0_GFN + 1, 512, 9), -CACHET_EINVAL); /* unaligned */
	ck_assert_int_eq(populate(d, RAM0_GFN, 512, 10), -CACHET_EINVAL);    /* order > 9 */
	ck_assert_int_eq(populate(d, 0x1000, 16, 0), -CACHET_ERANGE);         /* not RAM */
	ck_assert_int_eq(populate(d, RAM0_GFN, 0, 0), -CACHET_E2BIG);
	ck_assert_int_eq(populate(d, RAM0_GFN, 2048, 0), -CACHET_ENOMEM);     /* > max_pages */
	ck_assert_int_eq(populate(d, RAM0_GFN, 512, 9), 0);
	ck_assert_int_eq(populate(d, RAM0_GFN + 256, 16, 0), -CACHET_EEXIST);
	ck_assert_int_eq(dom_op(CACHET_OP_DOMAIN_GETINFO, d), 0);
	ck_assert_uint_eq(rsp.u.info.tot_pages, 512);
	/* A 2 MiB block backs a 2 MiB-aligned range: frames are contiguous. */
	ck_assert_uint_eq(translate1(d, RAM0_GFN + 7), translate1(d, RAM0_GFN) + 7);
}
END_TEST

START_TEST(test_translate_rules)
{
	cachet_domid_t d = create(1, 64);
	struct cachet_translate_in in = { .domid = d, .nr = 0, .gfn = RAM0_GFN };

	ck_assert_int_eq(call(CACHET_OP_TRANSLATE, &in, sizeof(in)), -CACHET_E2BIG);
	in.nr = CACHET_TRANSLATE_MAX + 1;
	ck_assert_int_eq(call(CACHET_OP_TRANSLATE, &in, sizeof(in)), -CACHET_E2BIG);
	in.nr = 1;
	ck_assert_int_eq(call(CACHET_OP_TRANSLATE, &in, sizeof(in)), -CACHET_EFAULT);
	ck_assert_int_eq(populate(d, RAM0_GFN, 64, 0), 0);
	in.nr = 64;
	ck_assert_int_eq(call(CACHET_OP_TRANSLATE, &in, sizeof(in)), 0);
	for (unsigned int i = 0; i < 64; i++) {
		uint64_t ma = rsp.u.translate.mfn[i] << 12;

		ck_assert(ma >= FREE_START && ma < MEM_BASE + MEM_SIZE);
	}
}
END_TEST

/* Frames of a range that mixes 2 MiB blocks and pages, in several leaves. */
START_TEST(test_translate_across_blocks_and_pages)
{
	cachet_domid_t d = create(1, 1024 + 8);
	struct cachet_translate_in in = { .domid = d, .nr = 24, .gfn = RAM0_GFN + 1024 - 16 };
	uint64_t want[24];

	ck_assert_int_eq(populate(d, RAM0_GFN, 1024, 9), 0);
	ck_assert_int_eq(populate(d, RAM0_GFN + 1024, 8, 0), 0);
	for (unsigned int i = 0; i < 24; i++)
		want[i] = translate1(d, in.gfn + i);
	/* The last pages of a block, then single pages wherever they came from. */
	ck_assert_uint_eq(want[1], want[0] + 1);
	ck_assert_int_eq(call(CACHET_OP_TRANSLATE, &in, sizeof(in)), 0);
	for (unsigned int i = 0; i < 24; i++)
		ck_assert_uint_eq(rsp.u.translate.mfn[i], want[i]);
	/* One frame past the populated range makes the whole call fail. */
	in.nr = 25;
	ck_assert_int_eq(call(CACHET_OP_TRANSLATE, &in, sizeof(in)), -CACHET_EFAULT);
}
END_TEST

START_TEST(test_pages_are_scrubbed)
{
	cachet_domid_t d = create(1, 16);
	uint64_t mfn;
	uint8_t *page;

	ck_assert_int_eq(populate(d, RAM0_GFN, 16, 0), 0);
	mfn = translate1(d, RAM0_GFN + 3);
	page = mem + ((mfn << 12) - MEM_BASE);
	/* setup() filled memory with 0x5a: the guest must get zeroes. */
	for (unsigned int i = 0; i < 4096; i++)
		ck_assert_uint_eq(page[i], 0);
	memset(page, 0xc3, 4096);
	ck_assert_int_eq(dom_op(CACHET_OP_DOMAIN_DESTROY, d), 0);
	/* Destroy leaves the scrub to idle pCPUs; once they are done, it is zero. */
	while (scrub_step())
		;
	ck_assert_uint_eq(scrub_pending_pages(), 0);
	for (unsigned int i = 0; i < 4096; i++)
		ck_assert_uint_eq(page[i], 0);
}
END_TEST

/* Memory waiting for its scrub is never handed out as it is. */
START_TEST(test_pending_pages_never_mapped_dirty)
{
	uint64_t before = free_pages();
	cachet_domid_t a = create(1, 64), b;

	ck_assert_int_eq(populate(a, RAM0_GFN, 64, 0), 0);
	for (unsigned int p = 0; p < 64; p++)
		memset(mem + ((translate1(a, RAM0_GFN + p) << 12) - MEM_BASE), 0xc3, 4096);
	ck_assert_int_eq(dom_op(CACHET_OP_DOMAIN_DESTROY, a), 0);
	/* Pending pages count as free at once: destroy returns every page. */
	ck_assert_uint_eq(free_pages(), before);
	ck_assert_uint_gt(scrub_pending_pages(), 0);
	b = create(1, 64);
	ck_assert_int_eq(populate(b, RAM0_GFN, 64, 0), 0);
	for (unsigned int p = 0; p < 64; p++) {
		const uint8_t *page = mem + ((translate1(b, RAM0_GFN + p) << 12) - MEM_BASE);

		for (unsigned int i = 0; i < 4096; i++)
			ck_assert_uint_eq(page[i], 0);
	}
	ck_assert_int_eq(dom_op(CACHET_OP_DOMAIN_DESTROY, b), 0);
}
END_TEST

/*
 * Guest memory nobody can have written goes back to the free lists as it
 * is; a block whose frames were handed out, or that the guest touched, is
 * scrubbed.  Every page comes back either way.
 */
START_TEST(test_unwritten_memory_skips_the_scrub)
{
	uint64_t before = free_pages(), pending, added;
	cachet_domid_t d = create(1, 2048);
	struct domain *dom;

	ck_assert_int_eq(populate(d, RAM0_GFN, 2048, 9), 0); /* four 2 MiB blocks */
	translate1(d, RAM0_GFN + 5);                          /* block 0: the builder's */
	ck_assert_int_eq(dom_op(CACHET_OP_DOMAIN_UNPAUSE, d), 0);
	dom = domain_find(d);
	ck_assert_ptr_nonnull(dom);
	/* The guest's first access to block 2, as its stage-2 fault. */
	ck_assert(flush_s2_fault(&dom->vcpus[0], CACHET_GUEST_RAM0_BASE + 0x400040));
	pending = scrub_pending_pages();
	ck_assert_int_eq(dom_op(CACHET_OP_DOMAIN_DESTROY, d), 0);
	ck_assert_uint_eq(free_pages(), before);
	/* Blocks 0 and 2 wait for their scrub, with the table pages; 1 and 3 do not. */
	added = scrub_pending_pages() - pending;
	ck_assert_msg(added >= 1024 && added < 1024 + 8, "%llu pages wait for a scrub",
		      (unsigned long long)added);
	ck_assert_int_eq(palloc_audit(&mm_ram), 0);
}
END_TEST

START_TEST(test_destroy_returns_every_page)
{
	uint64_t before = free_pages();

	for (unsigned int round = 0; round < 100; round++) {
		cachet_domid_t d = create(2, 2048);

		ck_assert_int_eq(populate(d, RAM0_GFN, 1024, 9), 0);
		ck_assert_int_eq(populate(d, RAM0_GFN + 1024, 3, 0), 0);
		ck_assert_int_eq(populate(d, (CACHET_GUEST_RAM1_BASE >> 12) + 5, 1, 0), 0);
		ck_assert_uint_lt(free_pages(), before - 1028);
		ck_assert_int_eq(dom_op(CACHET_OP_DOMAIN_DESTROY, d), 0);
		ck_assert_uint_eq(free_pages(), before);
	}
	ck_assert_int_eq(palloc_audit(&mm_ram), 0);
}
END_TEST

/* Any order the ABI allows (0..9) is returned whole on destroy, not only 0 and 9. */
START_TEST(test_destroy_returns_blocks_of_every_order)
{
	uint64_t before = free_pages();

	for (uint32_t order = 0; order <= 9; order++) {
		cachet_domid_t d = create(1, 1024);

		ck_assert_int_eq(populate(d, RAM0_GFN, 1u << order, order), 0);
		ck_assert_int_eq(dom_op(CACHET_OP_DOMAIN_DESTROY, d), 0);
		ck_assert_msg(free_pages() == before, "order %u leaked %llu pages", order,
			      (unsigned long long)(before - free_pages()));
	}
	ck_assert_int_eq(palloc_audit(&mm_ram), 0);
}
END_TEST

START_TEST(test_ids_not_reused_and_listed)
{
	cachet_domid_t a = create(1, 8), b = create(1, 8), c;

	ck_assert_uint_ne(a, b);
	ck_assert_int_eq(dom_op(CACHET_OP_DOMAIN_DESTROY, a), 0);
	c = create(1, 8);
	ck_assert_uint_ne(c, a);
	ck_assert_int_eq(call(CACHET_OP_DOMAIN_LIST, &(struct cachet_domain_list_in){ 0, 32 }, 8), 0);
	ck_assert_uint_eq(rsp.u.list.count, 2);
	ck_assert_uint_eq(rsp.u.list.dom[0].domid, b);
	ck_assert_uint_eq(rsp.u.list.dom[1].domid, c);
	ck_assert_int_eq(call(CACHET_OP_DOMAIN_LIST, &(struct cachet_domain_list_in){ 0, 33 }, 8),
			 -CACHET_EINVAL);
}
END_TEST

/* A 32-bit domain where the CPU runs AArch32 at EL1: its vCPUs start in SVC mode only. */
START_TEST(test_aarch32_domain)
{
	struct cachet_domain_create_in c = { .max_vcpus = 1, .max_pages = 256,
					     .flags = CACHET_DOMF_AARCH32 };
	struct cachet_vcpu_set_context_in in = { .vcpu = 0, .flags = CACHET_VCPU_ONLINE };

	host_set_features(&(struct arch_features){ .aarch32_el1 = true });
	ck_assert_int_eq(call(CACHET_OP_DOMAIN_CREATE, &c, sizeof(c)), 0);
	in.domid = rsp.u.create.domid;
	in.ctx.pstate = 0x3c5; /* AArch64 EL1h: not for a 32-bit vCPU */
	ck_assert_int_eq(call(CACHET_OP_VCPU_SET_CONTEXT, &in, sizeof(in)), -CACHET_EINVAL);
	in.ctx.pstate = 0x1da; /* AArch32 HYP */
	ck_assert_int_eq(call(CACHET_OP_VCPU_SET_CONTEXT, &in, sizeof(in)), -CACHET_EINVAL);
	in.ctx.pstate = 0x1d3; /* AArch32 SVC, A, I and F masked */
	in.ctx.pc = 0x100000000ull; /* beyond 32 bits */
	ck_assert_int_eq(call(CACHET_OP_VCPU_SET_CONTEXT, &in, sizeof(in)), -CACHET_EINVAL);
	in.ctx.pc = 0x42000000;
	ck_assert_int_eq(call(CACHET_OP_VCPU_SET_CONTEXT, &in, sizeof(in)), 0);
	host_set_features(&(struct arch_features){ 0 });
}
END_TEST

START_TEST(test_vcpu_context_rules)
{
	cachet_domid_t d = create(2, 8);
	struct cachet_vcpu_set_context_in in = { .domid = d, .vcpu = 0, .flags = CACHET_VCPU_ONLINE };

	in.ctx.pstate = 0x3c5; /* EL1h, DAIF masked */
	ck_assert_int_eq(call(CACHET_OP_VCPU_SET_CONTEXT, &in, sizeof(in)), 0);
	in.vcpu = 2;
	ck_assert_int_eq(call(CACHET_OP_VCPU_SET_CONTEXT, &in, sizeof(in)), -CACHET_ENOENT);
	in.vcpu = 1;
	in.ctx.pstate = 0x3c9; /* EL2h: not for a guest */
	ck_assert_int_eq(call(CACHET_OP_VCPU_SET_CONTEXT, &in, sizeof(in)), -CACHET_EINVAL);
	in.ctx.pstate = 0x3c5 | (1u << 20); /* a reserved bit */
	ck_assert_int_eq(call(CACHET_OP_VCPU_SET_CONTEXT, &in, sizeof(in)), -CACHET_EINVAL);
	in.ctx.pstate = 0x3c5;
	in.flags = 0x10;
	ck_assert_int_eq(call(CACHET_OP_VCPU_SET_CONTEXT, &in, sizeof(in)), -CACHET_EINVAL);
	/* Registers may only be set while the domain is paused. */
	in.flags = CACHET_VCPU_ONLINE;
	ck_assert_int_eq(dom_op(CACHET_OP_DOMAIN_UNPAUSE, d), 0);
	ck_assert_int_eq(call(CACHET_OP_VCPU_SET_CONTEXT, &in, sizeof(in)), -CACHET_EPERM);
	ck_assert_int_eq(dom_op(CACHET_OP_DOMAIN_UNPAUSE, d), -CACHET_EPERM);
	ck_assert_int_eq(dom_op(CACHET_OP_DOMAIN_PAUSE, d), 0);
	ck_assert_int_eq(dom_op(CACHET_OP_DOMAIN_GETINFO, d), 0);
	ck_assert_uint_eq(rsp.u.info.state, CACHET_DOM_PAUSED);
	ck_assert_uint_eq(rsp.u.info.online_vcpus, 1);
}
END_TEST

START_TEST(test_console_and_events)
{
	cachet_domid_t d = create(1, 8);
	struct cachet_console_write_in w = { .domid = d, .len = 5 };
	struct cachet_ring_read_in r = { .domid = d, .max = CACHET_RING_READ_MAX + 1 };
	struct cachet_event_read_in e = { .seq = 0 };

	memcpy(w.data, "ls -l", 5);
	ck_assert_int_eq(call(CACHET_OP_CONSOLE_WRITE, &w, sizeof(w)), 0);
	ck_assert_uint_eq(rsp.u.console_write.accepted, 5);
	w.len = CACHET_CONSOLE_WRITE_MAX + 1;
	ck_assert_int_eq(call(CACHET_OP_CONSOLE_WRITE, &w, sizeof(w)), -CACHET_E2BIG);
	ck_assert_int_eq(call(CACHET_OP_CONSOLE_READ, &r, sizeof(r)), -CACHET_E2BIG);
	r.max = 64;
	ck_assert_int_eq(call(CACHET_OP_CONSOLE_READ, &r, sizeof(r)), 0);
	ck_assert_uint_eq(rsp.u.ring.len, 0);
	ck_assert_int_eq(dom_op(CACHET_OP_DOMAIN_DESTROY, d), 0);
	ck_assert_int_eq(call(CACHET_OP_EVENT_READ, &e, sizeof(e)), 0);
	ck_assert_uint_ge(rsp.u.events.count, 1);
	ck_assert_uint_eq(rsp.u.events.ev[rsp.u.events.count - 1].kind, CACHET_EVENT_DESTROYED);
	ck_assert_uint_eq(rsp.u.events.ev[rsp.u.events.count - 1].domid, d);
	/* The mailbox's event head (ABI 1.5) names the event after the last one posted. */
	ck_assert_uint_eq(mb->event_next, rsp.u.events.next);
	ck_assert_uint_eq(mb->event_next, rsp.u.events.ev[rsp.u.events.count - 1].seq + 1);
}
END_TEST

/*
 * Idle CPU 0 needs no tick while every request says a doorbell follows
 * (ABI 1.5), once the boot is 10 s behind; one that does not keeps the
 * tick 10 s, for the client's next ones.
 */
START_TEST(test_tick_kept_for_requests_without_doorbell)
{
	const uint64_t keep_ns = 10000000001ull;
	uint64_t backstop;

	ck_assert(mbox_needs_tick());
	host_advance_counter(keep_ns);
	ck_assert(!mbox_needs_tick());
	mb->slot[3].flags = CACHET_SLOT_F_DOORBELL;
	ck_assert_int_eq(call(CACHET_OP_VERSION, NULL, 0), 0);
	ck_assert(!mbox_needs_tick());
	backstop = mbox_backstop();
	ck_assert_uint_gt(backstop, arch_counter_now());
	ck_assert_uint_eq(mbox_backstop(), backstop);
	mb->slot[3].flags = 0;
	ck_assert_int_eq(call(CACHET_OP_VERSION, NULL, 0), 0);
	ck_assert(mbox_needs_tick());
	host_advance_counter(keep_ns);
	ck_assert(!mbox_needs_tick());
	ck_assert_uint_gt(mbox_backstop(), backstop);
}
END_TEST

/* ABI 1.2: the limit a populate is checked against can be changed later. */
START_TEST(test_set_max_pages)
{
	cachet_domid_t d = create(1, 8);
	struct cachet_max_pages_in in = { .domid = d, .max_pages = 512 };
	struct cachet_max_pages_in bad;

	ck_assert_int_eq(populate(d, RAM0_GFN, 512, 9), -CACHET_ENOMEM);
	bad = in, bad.max_pages = 0;
	ck_assert_int_eq(call(CACHET_OP_DOMAIN_SET_MAX_PAGES, &bad, sizeof(bad)), -CACHET_EINVAL);
	bad = in, bad.max_pages = MEM_SIZE;
	ck_assert_int_eq(call(CACHET_OP_DOMAIN_SET_MAX_PAGES, &bad, sizeof(bad)), -CACHET_E2BIG);
	bad = in, bad.pad = 1;
	ck_assert_int_eq(call(CACHET_OP_DOMAIN_SET_MAX_PAGES, &bad, sizeof(bad)), -CACHET_EINVAL);
	bad = in, bad.domid = 99;
	ck_assert_int_eq(call(CACHET_OP_DOMAIN_SET_MAX_PAGES, &bad, sizeof(bad)), -CACHET_ENOENT);
	ck_assert_int_eq(call(CACHET_OP_DOMAIN_SET_MAX_PAGES, &in, sizeof(in)), 0);
	ck_assert_int_eq(populate(d, RAM0_GFN, 512, 9), 0);
	ck_assert_int_eq(dom_op(CACHET_OP_DOMAIN_GETINFO, d), 0);
	ck_assert_uint_eq(rsp.u.info.max_pages, 512);
	ck_assert_int_eq(dom_op(CACHET_OP_DOMAIN_DESTROY, d), 0);
}
END_TEST

/* ABI 1.2: a paused domain is marked shut down at once, with the reason given, once. */
START_TEST(test_shutdown_now)
{
	cachet_domid_t d = create(1, 8);
	struct cachet_shutdown_req_in in = { .domid = d, .reason = CACHET_SHUTDOWN_REBOOT };
	struct cachet_shutdown_req_in bad = in;

	bad.reason = CACHET_SHUTDOWN_NONE;
	ck_assert_int_eq(call(CACHET_OP_DOMAIN_SHUTDOWN, &bad, sizeof(bad)), -CACHET_EINVAL);
	ck_assert_int_eq(call(CACHET_OP_DOMAIN_SHUTDOWN, &in, sizeof(in)), 0);
	ck_assert_int_eq(dom_op(CACHET_OP_DOMAIN_GETINFO, d), 0);
	ck_assert_uint_eq(rsp.u.info.state, CACHET_DOM_SHUTDOWN);
	ck_assert_uint_eq(rsp.u.info.shutdown_reason, CACHET_SHUTDOWN_REBOOT);
	ck_assert_int_eq(call(CACHET_OP_DOMAIN_SHUTDOWN, &in, sizeof(in)), -CACHET_EPERM);
	ck_assert_int_eq(dom_op(CACHET_OP_DOMAIN_UNPAUSE, d), -CACHET_EPERM);
	ck_assert_int_eq(dom_op(CACHET_OP_DOMAIN_DESTROY, d), 0);
}
END_TEST

START_TEST(test_stats_and_flush)
{
	cachet_domid_t d = create(3, 8);
	struct cachet_cache_flush_in f = { .domid = d, .gfn = RAM0_GFN, .nr_pages = 8 };

	ck_assert_int_eq(dom_op(CACHET_OP_DOMAIN_STATS, d), 0);
	ck_assert_uint_eq(rsp.u.stats.nr_vcpus, 3);
	ck_assert_uint_eq(rsp.u.stats.vcpu[0].hcr_dc, 1);
	ck_assert_uint_eq(rsp.u.stats.vcpu[0].hcr_tvm, 1);
	ck_assert_int_eq(call(CACHET_OP_CACHE_FLUSH, &f, sizeof(f)), -CACHET_EFAULT);
	ck_assert_int_eq(populate(d, RAM0_GFN, 8, 0), 0);
	ck_assert_int_eq(call(CACHET_OP_CACHE_FLUSH, &f, sizeof(f)), 0);
	f.nr_pages = 0;
	ck_assert_int_eq(call(CACHET_OP_CACHE_FLUSH, &f, sizeof(f)), -CACHET_E2BIG);
}
END_TEST

START_TEST(test_domain_table_full)
{
	for (unsigned int i = 0; i < CONFIG_MAX_DOMAINS; i++)
		create(1, 1);
	ck_assert_int_eq(call(CACHET_OP_DOMAIN_CREATE,
			      &(struct cachet_domain_create_in){ .max_vcpus = 1, .max_pages = 1 },
			      sizeof(struct cachet_domain_create_in)),
			 -CACHET_ENOSPC);
}
END_TEST

static Suite *mgmt_suite(void)
{
	Suite *s = suite_create("mgmt");
	TCase *tc = tcase_create("mailbox");

	/* Each test gets a fresh process (check's fork mode) and so a fresh core. */
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_header_and_version);
	tcase_add_test(tc, test_create_validation);
	tcase_add_test(tc, test_create_tag_reported);
	tcase_add_test(tc, test_unknown_ids);
	tcase_add_test(tc, test_populate_rules);
	tcase_add_test(tc, test_translate_rules);
	tcase_add_test(tc, test_translate_across_blocks_and_pages);
	tcase_add_test(tc, test_pages_are_scrubbed);
	tcase_add_test(tc, test_pending_pages_never_mapped_dirty);
	tcase_add_test(tc, test_unwritten_memory_skips_the_scrub);
	tcase_add_test(tc, test_destroy_returns_every_page);
	tcase_add_test(tc, test_destroy_returns_blocks_of_every_order);
	tcase_add_test(tc, test_ids_not_reused_and_listed);
	tcase_add_test(tc, test_vcpu_context_rules);
	tcase_add_test(tc, test_aarch32_domain);
	tcase_add_test(tc, test_console_and_events);
	tcase_add_test(tc, test_tick_kept_for_requests_without_doorbell);
	tcase_add_test(tc, test_stats_and_flush);
	tcase_add_test(tc, test_set_max_pages);
	tcase_add_test(tc, test_shutdown_now);
	tcase_add_test(tc, test_domain_table_full);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(mgmt_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
