/*
 * Fuzzes the hypervisor's validation of management requests: the real core
 * (hypervisor/core: mgmt.c, domain.c, the allocator, page tables, vdevs)
 * built for the host with the fake arch, as tests/unit/test_mgmt does.  An
 * input is a sequence of requests: each is one byte of opcode, one of
 * payload length (in 8-byte words) and that much payload; the ABI version
 * is right unless the opcode's top bit is set.  Domain ids in payloads are
 * steered to the domains the sequence created, so requests reach deep into
 * the handlers.  Beyond "no crash", every answer is 0 or a negative
 * CACHET_E* code, and once every domain is destroyed the hypervisor's free
 * memory is exactly what it was: no request may leak a page.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cachet/public/abi.h"
#include "host_arch.h"
#include "hv/mbox.h"
#include "hv/mm.h"
#include "hv/smp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MEM_BASE 0x40000000ULL
#define FUZZ_MEM_SIZE (64ULL << 20)
#define FUZZ_FREE_START 0x40200000ULL
#define FUZZ_MAX_REQS 32

static struct cachet_req fuzz_req;
static struct cachet_rsp fuzz_rsp;

static int32_t fuzz_call(uint32_t abi, uint32_t op, const void *in, size_t len)
{
	memset(&fuzz_req, 0, sizeof(fuzz_req));
	fuzz_req.abi_version = abi;
	fuzz_req.op = op;
	if (len)
		memcpy(fuzz_req.u.raw, in, len);
	/* As the mailbox does (hypervisor/core/mbox.c): handlers fill a zeroed answer. */
	memset(&fuzz_rsp, 0, sizeof(fuzz_rsp));
	mgmt_handle(&fuzz_req, &fuzz_rsp);
	/* Every answer is success or one of the ABI's error codes. */
	if (fuzz_rsp.status > 0 || fuzz_rsp.status < -CACHET_EVERSION)
		abort();
	return fuzz_rsp.status;
}

static void fuzz_setup(void)
{
	static uint8_t *mem;

	if (mem)
		return;
	mem = aligned_alloc(1 << 21, FUZZ_MEM_SIZE);
	if (!mem)
		abort();
	memset(mem, 0x5a, FUZZ_MEM_SIZE);
	host_set_machine_memory(ma_init(FUZZ_MEM_BASE), mem, FUZZ_MEM_SIZE);
	if (host_mm_init(ma_init(FUZZ_MEM_BASE), FUZZ_MEM_SIZE >> 12, ma_init(FUZZ_FREE_START)) != 0)
		abort();
	percpu[0].online = true;
	mbox_init();
}

static uint64_t fuzz_free_pages(void)
{
	if (fuzz_call(CACHET_ABI_VERSION, CACHET_OP_PHYSINFO, NULL, 0) != 0)
		abort();
	return fuzz_rsp.u.physinfo.free_pages;
}

/* Destroys every domain, so that each input starts from an empty hypervisor. */
static void fuzz_destroy_all(void)
{
	struct cachet_domain_list_in l = { 0, CACHET_LIST_MAX };

	for (;;) {
		struct cachet_domid_in d = { 0, 0 };

		if (fuzz_call(CACHET_ABI_VERSION, CACHET_OP_DOMAIN_LIST, &l, sizeof(l)) != 0)
			abort();
		if (fuzz_rsp.u.list.count == 0)
			return;
		d.domid = fuzz_rsp.u.list.dom[0].domid;
		if (fuzz_call(CACHET_ABI_VERSION, CACHET_OP_DOMAIN_DESTROY, &d, sizeof(d)) != 0)
			abort();
	}
}

/* Points the request's domain id (its first field, in every op that has one) at a live one. */
static void fuzz_steer_domid(uint8_t *payload, size_t len, uint8_t pick)
{
	struct cachet_domain_list_in l = { 0, CACHET_LIST_MAX };
	cachet_domid_t id;

	if (len < sizeof(id) || (pick & 3) == 0)
		return;
	if (fuzz_call(CACHET_ABI_VERSION, CACHET_OP_DOMAIN_LIST, &l, sizeof(l)) != 0 ||
	    fuzz_rsp.u.list.count == 0)
		return;
	id = fuzz_rsp.u.list.dom[pick % fuzz_rsp.u.list.count].domid;
	memcpy(payload, &id, sizeof(id));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t payload[CACHET_PAYLOAD_SIZE];
	uint64_t before;
	size_t off = 0;

	fuzz_setup();
	before = fuzz_free_pages();
	for (int n = 0; n < FUZZ_MAX_REQS && off + 2 <= size; n++) {
		uint8_t op = data[off], words = data[off + 1];
		size_t len = (size_t)words * 8;

		off += 2;
		if (len > size - off)
			len = size - off;
		if (len > sizeof(payload))
			len = sizeof(payload);
		memset(payload, 0, sizeof(payload));
		memcpy(payload, data + off, len);
		off += len;
		fuzz_steer_domid(payload, len, words);
		fuzz_call(op & 0x80 ? CACHET_ABI_VERSION + 1 : CACHET_ABI_VERSION, op & 0x7f, payload,
			  sizeof(payload));
	}
	fuzz_destroy_all();
	if (fuzz_free_pages() != before)
		abort(); /* a request leaked hypervisor memory */
	return 0;
}
