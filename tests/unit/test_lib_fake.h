/*
 * A fake mailbox server for libcachet's unit tests.
 *
 * It is a test double for the mailbox protocol only (cachet/public/mbox.h
 * and abi.h): a thread that watches the slots of a temporary RAM file,
 * answers requests from a tiny model of domains and guest frames, records
 * every request it sees, and can be told to stay silent or to fail chosen
 * operations.  It is not, and must not become, a copy of the hypervisor.
 *
 * It also checks what the library sends: a request with another ABI version
 * is answered -CACHET_EVERSION, and one with non-zero padding -CACHET_EINVAL;
 * both are counted in bad_requests, which every test expects to stay 0.
 */
#ifndef TEST_LIB_FAKE_H
#define TEST_LIB_FAKE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cachet/public/abi.h"
#include "cachet/public/mbox.h"

#define FAKE_RAM_SIZE (64ull << 20)
/* Guest frames the model tracks: gfns RAM0_BASE >> 12 .. + FAKE_GUEST_PAGES. */
#define FAKE_GUEST_PAGES 16384u
/* Machine frames handed to guests come from this file offset upwards. */
#define FAKE_POOL_OFFSET (4ull << 20)
#define FAKE_MAX_DOMS 64u
#define FAKE_FILL 0xaa /* what populated frames hold: they are not scrubbed */

enum fake_p2m_mode {
	FAKE_P2M_TABLE,   /* populate allocates real frames; translate reads them */
	FAKE_P2M_FORMULA, /* populate only records; translate answers gfn + FAKE_FORMULA_DELTA */
	/*
	 * populate records ranges anywhere in guest RAM (gigabytes); the first
	 * translate of a tracked page allocates its block, so only what is
	 * written costs frames.  Pages past the tracked ones are -CACHET_ERANGE.
	 */
	FAKE_P2M_LAZY,
};
#define FAKE_MAX_RANGES 16u

struct fake_range {
	uint64_t gfn, nr;
	uint32_t order;
};
#define FAKE_FORMULA_DELTA 0x100000ull

struct fake_call {
	uint32_t op;
	struct cachet_req req;
};

struct fake {
	char path[64];          /* /proc/self/fd/N: the file is already unlinked */
	int fd;
	uint8_t *ram;
	uint64_t size;
	struct cachet_mbox *mb;
	pthread_t thread;
	bool running;

	/* Controls, changed by tests while the server runs (atomic accesses). */
	int stop;
	int silent;             /* leave requests unanswered */
	int32_t force_status[CACHET_OP_MAX]; /* non-zero: answer this status */
	int bad_mfn;            /* translate answers a frame past the file */
	int no_fill;            /* hand out frames as they are (the benchmark) */
	int busy_poll;          /* yield, not sleep, between scans (the benchmark) */

	/* The model (touched by the server thread only while it runs). */
	enum fake_p2m_mode mode;
	uint64_t p2m[FAKE_GUEST_PAGES]; /* 0 = not populated */
	uint64_t pool_top;      /* next free frame is below this machine frame */
	struct fake_range ranges[FAKE_MAX_RANGES]; /* LAZY: what populate was asked for */
	unsigned int nr_ranges;
	bool dom_used[FAKE_MAX_DOMS];
	uint32_t extra_doms;    /* DOMAIN_LIST pretends ids 100.. 100+extra-1 exist */

	pthread_mutex_t log_lock;
	struct fake_call *log;
	unsigned int nlog, cap;
	unsigned int bad_requests;
};

/* Creates the (zero, sparse) RAM file with a ready header. */
void fake_init(struct fake *f, uint64_t size, unsigned int nr_slots);
/* Creates the RAM file only; the test writes the header itself. */
void fake_init_file(struct fake *f, uint64_t size);
void fake_write_header(struct fake *f, unsigned int nr_slots);
void fake_start(struct fake *f);
void fake_stop_thread(struct fake *f);
void fake_fini(struct fake *f);

void fake_set(int *ctl, int v);
void fake_force(struct fake *f, enum cachet_op op, int32_t status);
void fake_set_p2m(struct fake *f, uint64_t gfn, uint64_t mfn);
uint64_t fake_get_p2m(struct fake *f, uint64_t gfn);

/* Copies of recorded requests, under the log lock. */
unsigned int fake_count(struct fake *f, enum cachet_op op);
unsigned int fake_nlog(struct fake *f);
struct fake_call fake_call_at(struct fake *f, unsigned int i);
/* The i-th recorded request of kind @op (i from 0); false if none. */
bool fake_find(struct fake *f, enum cachet_op op, unsigned int i, struct cachet_req *out);
void fake_clear_log(struct fake *f);
unsigned int fake_live_domains(struct fake *f);

/* Reads guest memory through the model's p2m (TABLE mode). */
void fake_read_guest(struct fake *f, uint64_t gpa, void *buf, size_t len);

#endif
