/*
 * A fake libcachet for the daemon's unit tests: the functions of
 * cachet/cachet.h that cachetd calls, backed by an in-memory hypervisor
 * whose domains, console rings, log and events the tests control.
 */
#ifndef TEST_DAEMON_FAKELIB_H
#define TEST_DAEMON_FAKELIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cachet/cachet.h"

#define FAKE_DOMS 16
#define FAKE_RING 8192
#define FAKE_EVENTS 64
#define FAKE_NR_CPUS 4            /* what physinfo reports */
#define FAKE_TRACE 1024

struct fake_dom {
	bool used;
	struct cachet_dominfo info;
	char con[FAKE_RING];      /* console output (not a ring: tests stay small) */
	size_t con_len;
	uint64_t con_lost;        /* reported once by the next console read: the ring overwrote it */
	char input[4096];         /* what console_write delivered */
	size_t input_len;
	struct cachet_vcpu_stats stats;
	struct cachet_vcpu_info vcpu[CACHET_STATS_VCPUS];
};

struct fake_hv {
	struct fake_dom dom[FAKE_DOMS];
	cachet_domid_t next_domid;
	struct cachet_event ev[FAKE_EVENTS];
	unsigned int nev;
	char log[FAKE_RING];
	size_t log_len;
	/* The next call of the function named fail_fn returns fail_rc. */
	const char *fail_fn;
	int fail_rc;
	char fail_detail[128];
	size_t input_room;        /* console_write accepts at most this many bytes per call */
	/* What the last build was given. */
	char last_cmdline[4096];
	bool last_cmdline_set;    /* whether the builder was given a command line at all */
	uint64_t last_memory_mb;
	unsigned int last_vcpus;
	int last_policy;
	bool last_ramdisk;
	char last_device_tree[4096];
	unsigned int destroys;
	unsigned int last_virtio_devices; /* what the last build's device tree was to describe */
	unsigned int vdevs_created;      /* VDEV_CREATE calls that succeeded */
	struct cachet_vdev_state vdev_state; /* what VDEV_STATE answers for every device */
	unsigned int vdev_signals;       /* VDEV_SIGNAL calls, and the last one's arguments */
	uint32_t vdev_last_isr, vdev_last_flags, vdev_last_resets;
	unsigned int console_reads;
	unsigned int event_reads;
	int doorbell_fd;
	/* Shutdown requests: how many, and the last one. */
	unsigned int shutdown_requests;
	cachet_domid_t last_shutdown_domid;
	uint32_t last_shutdown_reason;
	/* Called by cachet_dom_build before it makes the domain (what exists on disk by then). */
	void (*before_build)(void);
	/* "build 3,pin 3.0=0x2,boot 3,destroy 3,...": the order of lifecycle calls. */
	char trace[FAKE_TRACE];
};

extern struct fake_hv fake;

void fake_reset(void);
struct fake_dom *fake_find(cachet_domid_t domid);
void fake_console_put(cachet_domid_t domid, const char *s, size_t n);
void fake_event(cachet_domid_t domid, uint32_t kind, uint32_t reason, const char *detail);
void fake_fail(const char *fn, int rc, const char *detail);
/* Makes a domain disappear without an event (as if events were lost). */
void fake_vanish(cachet_domid_t domid);

#endif
