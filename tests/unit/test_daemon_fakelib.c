/*
 * Fake libcachet (see test_daemon_fakelib.h).  It follows the header's
 * contract: negative CACHET_E* / CACHET_LIB_E* codes, a per-handle detail
 * message, rings read by absolute position.
 */
#include "test_daemon_fakelib.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct fake_hv fake;

struct cachet_handle {
	char last_error[256];
};

struct cachet_dom {
	cachet_handle *h;
	char kernel[4096];
	bool ramdisk;
	char device_tree[4096];
	uint64_t memory_mb;
	unsigned int vcpus;
	char cmdline[4096];
	bool cmdline_set;
	int policy;
	uint32_t tag;
	cachet_domid_t domid;
	bool built;
	cachet_dom_created_fn created_fn;
	void *created_arg;
	enum cachet_kernel_format kernel_format;
};

/* Appends one step to fake.trace, comma separated. */
static void fake_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fake_trace(const char *fmt, ...)
{
	size_t used = strlen(fake.trace);
	va_list ap;

	if (used && used + 1 < sizeof(fake.trace))
		fake.trace[used++] = ',';
	va_start(ap, fmt);
	vsnprintf(fake.trace + used, sizeof(fake.trace) - used, fmt, ap);
	va_end(ap);
}

void fake_reset(void)
{
	memset(&fake, 0, sizeof(fake));
	fake.next_domid = 1;
	fake.input_room = sizeof(fake.dom[0].input);
	fake.doorbell_fd = -1;
}

/* Whether this call is the one a test asked to fail. */
static int fake_should_fail(cachet_handle *h, const char *fn)
{
	int rc;

	if (!fake.fail_fn || strcmp(fake.fail_fn, fn) != 0)
		return 0;
	rc = fake.fail_rc;
	fake.fail_fn = NULL;
	if (h)
		snprintf(h->last_error, sizeof(h->last_error), "%s", fake.fail_detail);
	return rc;
}

void fake_fail(const char *fn, int rc, const char *detail)
{
	fake.fail_fn = fn;
	fake.fail_rc = rc;
	snprintf(fake.fail_detail, sizeof(fake.fail_detail), "%s", detail ? detail : "");
}

struct fake_dom *fake_find(cachet_domid_t domid)
{
	for (int i = 0; i < FAKE_DOMS; i++) {
		if (fake.dom[i].used && fake.dom[i].info.domid == domid)
			return &fake.dom[i];
	}
	return NULL;
}

void fake_console_put(cachet_domid_t domid, const char *s, size_t n)
{
	struct fake_dom *d = fake_find(domid);

	if (d && d->con_len + n <= FAKE_RING) {
		memcpy(d->con + d->con_len, s, n);
		d->con_len += n;
	}
}

void fake_event(cachet_domid_t domid, uint32_t kind, uint32_t reason, const char *detail)
{
	struct cachet_event *e = &fake.ev[fake.nev];
	struct fake_dom *d = fake_find(domid);

	memset(e, 0, sizeof(*e));
	e->seq = fake.nev++;
	e->domid = domid;
	e->kind = kind;
	e->reason = reason;
	snprintf(e->detail, sizeof(e->detail), "%s", detail ? detail : "");
	if (d && kind == CACHET_EVENT_SHUTDOWN) {
		d->info.state = CACHET_DOM_SHUTDOWN;
		d->info.shutdown_reason = reason;
	}
	if (d && kind == CACHET_EVENT_CRASH)
		d->info.state = CACHET_DOM_CRASHED;
}

void fake_vanish(cachet_domid_t domid)
{
	struct fake_dom *d = fake_find(domid);

	if (d)
		d->used = false;
}

int cachet_open(const char *ram_path, cachet_handle **out)
{
	int rc = fake_should_fail(NULL, "cachet_open");

	if (rc)
		return rc;
	if (access(ram_path, R_OK | W_OK) < 0)
		return -CACHET_LIB_ENOTREADY;
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -CACHET_LIB_ENOMEM;
}

void cachet_close(cachet_handle *h)
{
	free(h);
}

const char *cachet_strerror(int err)
{
	return err == 0 ? "success" : "fake error";
}

const char *cachet_last_error(cachet_handle *h)
{
	return h ? h->last_error : "no mailbox (fake)";
}

void cachet_set_doorbell_fd(cachet_handle *h, int fd)
{
	(void)h;
	fake.doorbell_fd = fd;
}

void cachet_set_timeout_ms(cachet_handle *h, unsigned int ms)
{
	(void)h, (void)ms;
}

int cachet_version(cachet_handle *h, struct cachet_version_out *out)
{
	int rc = fake_should_fail(h, "cachet_version");

	if (rc)
		return rc;
	memset(out, 0, sizeof(*out));
	out->abi_version = CACHET_ABI_VERSION;
	out->features = CACHET_FEAT_AARCH32;
	snprintf(out->hv_version, sizeof(out->hv_version), "fake-0.1");
	return 0;
}

int cachet_physinfo(cachet_handle *h, struct cachet_physinfo_out *out)
{
	int rc = fake_should_fail(h, "cachet_physinfo");

	if (rc)
		return rc;
	memset(out, 0, sizeof(*out));
	out->nr_cpus = FAKE_NR_CPUS;
	out->page_size = 4096;
	out->total_pages = 3072 * 256; /* 3072 MiB */
	out->free_pages = 2048 * 256;
	out->max_domains = FAKE_DOMS;
	out->max_vcpus = 8;
	return 0;
}

int cachet_domain_destroy(cachet_handle *h, cachet_domid_t domid)
{
	struct fake_dom *d = fake_find(domid);
	int rc = fake_should_fail(h, "cachet_domain_destroy");

	if (rc)
		return rc;
	if (!d)
		return -CACHET_ENOENT;
	d->used = false;
	fake.destroys++;
	fake_trace("destroy %u", domid);
	return 0;
}

static int fake_set_state(cachet_handle *h, const char *fn, cachet_domid_t domid, uint32_t from,
			  uint32_t to)
{
	struct fake_dom *d = fake_find(domid);
	int rc = fake_should_fail(h, fn);

	if (rc)
		return rc;
	if (!d)
		return -CACHET_ENOENT;
	if (d->info.state != from) {
		snprintf(h->last_error, sizeof(h->last_error), "domain %u is not %s", domid,
			 from == CACHET_DOM_RUNNING ? "running" : "paused");
		return -CACHET_EPERM;
	}
	d->info.state = to;
	return 0;
}

int cachet_domain_pause(cachet_handle *h, cachet_domid_t domid)
{
	return fake_set_state(h, "cachet_domain_pause", domid, CACHET_DOM_RUNNING, CACHET_DOM_PAUSED);
}

int cachet_domain_unpause(cachet_handle *h, cachet_domid_t domid)
{
	return fake_set_state(h, "cachet_domain_unpause", domid, CACHET_DOM_PAUSED,
			      CACHET_DOM_RUNNING);
}

int cachet_domain_getinfo(cachet_handle *h, cachet_domid_t domid, struct cachet_dominfo *out)
{
	struct fake_dom *d;
	int rc = fake_should_fail(h, "cachet_domain_getinfo");

	if (rc)
		return rc;
	d = fake_find(domid);
	if (d == NULL)
		return -CACHET_ENOENT;
	*out = d->info;
	return 0;
}

int cachet_domain_list(cachet_handle *h, cachet_domid_t first, struct cachet_dominfo *out,
		       unsigned int max)
{
	unsigned int n = 0;
	int rc = fake_should_fail(h, "cachet_domain_list");

	if (rc)
		return rc;
	/* Domain ids grow, and slots are used in id order in these tests. */
	for (int i = 0; i < FAKE_DOMS && n < max; i++) {
		if (fake.dom[i].used && fake.dom[i].info.domid >= first)
			out[n++] = fake.dom[i].info;
	}
	return (int)n;
}

static int fake_ring_read(const char *ring, size_t len, uint64_t *pos, char *buf, size_t size,
			  uint64_t *lost)
{
	size_t n;

	*lost = 0;
	if (*pos >= len)
		return 0;
	n = len - (size_t)*pos;
	if (n > size)
		n = size;
	memcpy(buf, ring + *pos, n);
	*pos += n;
	return (int)n;
}

int cachet_console_read(cachet_handle *h, cachet_domid_t domid, uint64_t *pos, char *buf,
			size_t size, uint64_t *lost)
{
	struct fake_dom *d = fake_find(domid);
	int rc = fake_should_fail(h, "cachet_console_read");

	fake.console_reads++;
	if (rc)
		return rc;
	if (!d)
		return -CACHET_ENOENT;
	rc = fake_ring_read(d->con, d->con_len, pos, buf, size, lost);
	*lost = d->con_lost;
	d->con_lost = 0;
	return rc;
}

/* As the mailbox's console heads do: false only when @pos is the domain's end. */
bool cachet_console_may_have_output(cachet_handle *h, cachet_domid_t domid, uint64_t pos)
{
	struct fake_dom *d = fake_find(domid);

	(void)h;
	return d == NULL || pos != d->con_len;
}

int cachet_console_write(cachet_handle *h, cachet_domid_t domid, const char *buf, size_t len)
{
	struct fake_dom *d = fake_find(domid);
	int rc = fake_should_fail(h, "cachet_console_write");
	size_t room;

	if (rc)
		return rc;
	if (!d)
		return -CACHET_ENOENT;
	if (len > CACHET_CONSOLE_WRITE_MAX)
		return -CACHET_E2BIG;
	room = sizeof(d->input) - d->input_len;
	if (room > fake.input_room)
		room = fake.input_room;
	if (len > room)
		len = room;
	memcpy(d->input + d->input_len, buf, len);
	d->input_len += len;
	return (int)len;
}

int cachet_log_read(cachet_handle *h, uint64_t *pos, char *buf, size_t size, uint64_t *lost)
{
	int rc = fake_should_fail(h, "cachet_log_read");

	if (rc)
		return rc;
	return fake_ring_read(fake.log, fake.log_len, pos, buf, size, lost);
}

int cachet_event_read(cachet_handle *h, uint64_t *seq, struct cachet_event *ev, unsigned int max,
		      uint64_t *lost)
{
	unsigned int n = 0;
	int rc = fake_should_fail(h, "cachet_event_read");

	fake.event_reads++;
	if (rc)
		return rc;
	*lost = 0;
	while (*seq < fake.nev && n < max)
		ev[n++] = fake.ev[(*seq)++];
	return (int)n;
}

/* As the mailbox's event head does: false only when @seq is the next event's. */
bool cachet_event_may_be_pending(cachet_handle *h, uint64_t seq)
{
	(void)h;
	return seq != fake.nev;
}

int cachet_domain_stats(cachet_handle *h, cachet_domid_t domid,
			struct cachet_domain_stats_out *out)
{
	struct fake_dom *d = fake_find(domid);
	int rc = fake_should_fail(h, "cachet_domain_stats");

	if (rc)
		return rc;
	if (!d)
		return -CACHET_ENOENT;
	memset(out, 0, sizeof(*out));
	out->nr_vcpus = d->info.max_vcpus;
	for (uint32_t i = 0; i < out->nr_vcpus && i < CACHET_STATS_VCPUS; i++)
		out->vcpu[i] = d->stats;
	return 0;
}

cachet_dom *cachet_dom_new(cachet_handle *h)
{
	cachet_dom *d = calloc(1, sizeof(*d));

	if (d)
		d->h = h;
	return d;
}

void cachet_dom_free(cachet_dom *d)
{
	free(d);
}

int cachet_dom_kernel_file(cachet_dom *d, const char *path)
{
	int rc = fake_should_fail(d->h, "cachet_dom_kernel_file");

	if (rc)
		return rc;
	if (access(path, R_OK) < 0) {
		snprintf(d->h->last_error, sizeof(d->h->last_error), "cannot open: No such file");
		return -CACHET_LIB_EIO;
	}
	snprintf(d->kernel, sizeof(d->kernel), "%s", path);
	return 0;
}

int cachet_dom_ramdisk_file(cachet_dom *d, const char *path)
{
	int rc = fake_should_fail(d->h, "cachet_dom_ramdisk_file");

	if (rc)
		return rc;
	if (access(path, R_OK) < 0) {
		snprintf(d->h->last_error, sizeof(d->h->last_error), "cannot open: No such file");
		return -CACHET_LIB_EIO;
	}
	d->ramdisk = true;
	return 0;
}

int cachet_dom_devicetree_file(cachet_dom *d, const char *path)
{
	int rc = fake_should_fail(d->h, "cachet_dom_devicetree_file");

	if (rc)
		return rc;
	if (access(path, R_OK) < 0) {
		snprintf(d->h->last_error, sizeof(d->h->last_error), "cannot open: No such file");
		return -CACHET_LIB_EIO;
	}
	snprintf(d->device_tree, sizeof(d->device_tree), "%s", path);
	return 0;
}

int cachet_dom_set_memory_mb(cachet_dom *d, uint64_t mb)
{
	d->memory_mb = mb;
	return fake_should_fail(d->h, "cachet_dom_set_memory_mb");
}

int cachet_dom_set_vcpus(cachet_dom *d, unsigned int vcpus)
{
	d->vcpus = vcpus;
	return fake_should_fail(d->h, "cachet_dom_set_vcpus");
}

int cachet_dom_set_cmdline(cachet_dom *d, const char *cmdline)
{
	snprintf(d->cmdline, sizeof(d->cmdline), "%s", cmdline);
	d->cmdline_set = true;
	return fake_should_fail(d->h, "cachet_dom_set_cmdline");
}

int cachet_dom_set_virtio_devices(cachet_dom *d, unsigned int n)
{
	fake.last_virtio_devices = n;
	return fake_should_fail(d->h, "cachet_dom_set_virtio_devices");
}

int cachet_dom_set_cache_policy(cachet_dom *d, enum cachet_cache_policy p)
{
	d->policy = (int)p;
	return fake_should_fail(d->h, "cachet_dom_set_cache_policy");
}

static struct fake_dom *fake_slot(void)
{
	for (int i = 0; i < FAKE_DOMS; i++) {
		if (!fake.dom[i].used)
			return &fake.dom[i];
	}
	return NULL;
}

int cachet_dom_build(cachet_dom *d, cachet_domid_t *domid)
{
	struct fake_dom *s = fake_slot();
	int rc;

	if (fake.before_build)
		fake.before_build();
	rc = fake_should_fail(d->h, "cachet_dom_build");
	if (rc)
		return rc;
	if (!s)
		return -CACHET_ENOSPC;
	memset(s, 0, sizeof(*s));
	s->used = true;
	s->info.domid = fake.next_domid++;
	s->info.state = CACHET_DOM_PAUSED;
	s->info.max_vcpus = d->vcpus;
	s->info.online_vcpus = d->vcpus;
	s->info.max_pages = d->memory_mb * 256;
	s->info.tot_pages = d->memory_mb * 256;
	s->info.cache_policy = (uint32_t)d->policy;
	s->info.tag = d->tag;
	s->stats.exits = 42;
	s->stats.hcr_dc = 1;
	/* vCPU 0 starts at boot; the others wait for the guest's PSCI CPU_ON. */
	for (unsigned int i = 0; i < d->vcpus && i < CACHET_STATS_VCPUS; i++) {
		s->vcpu[i].vcpu = i;
		s->vcpu[i].state = i == 0 ? CACHET_VCPU_STATE_RUNNABLE : CACHET_VCPU_STATE_OFFLINE;
		s->vcpu[i].pcpu = i % FAKE_NR_CPUS;
		s->vcpu[i].affinity = (UINT64_C(1) << FAKE_NR_CPUS) - 1;
		s->vcpu[i].cpu_time_ns = (i + 1) * UINT64_C(1500000000);
	}
	snprintf(fake.last_cmdline, sizeof(fake.last_cmdline), "%s", d->cmdline);
	fake.last_cmdline_set = d->cmdline_set;
	fake.last_memory_mb = d->memory_mb;
	fake.last_vcpus = d->vcpus;
	fake.last_policy = d->policy;
	fake.last_ramdisk = d->ramdisk;
	snprintf(fake.last_device_tree, sizeof(fake.last_device_tree), "%s", d->device_tree);
	d->domid = s->info.domid;
	if (d->created_fn)
		d->created_fn(d->created_arg, d->domid);
	d->built = true;
	*domid = d->domid;
	fake_trace("build %u", d->domid);
	return 0;
}

int cachet_dom_set_tag(cachet_dom *d, uint32_t tag)
{
	d->tag = tag;
	return fake_should_fail(d->h, "cachet_dom_set_tag");
}

int cachet_dom_set_kernel_format(cachet_dom *d, enum cachet_kernel_format f)
{
	d->kernel_format = f;
	return fake_should_fail(d->h, "cachet_dom_set_kernel_format");
}

int cachet_dom_on_created(cachet_dom *d, cachet_dom_created_fn fn, void *arg)
{
	d->created_fn = fn;
	d->created_arg = arg;
	return 0;
}

int cachet_dom_boot(cachet_dom *d)
{
	struct fake_dom *s = fake_find(d->domid);
	int rc = fake_should_fail(d->h, "cachet_dom_boot");

	if (rc)
		return rc;
	if (!d->built || !s)
		return -CACHET_LIB_EINVAL;
	s->info.state = CACHET_DOM_RUNNING;
	fake_trace("boot %u", d->domid);
	return 0;
}

int cachet_vcpu_info(cachet_handle *h, cachet_domid_t domid, struct cachet_vcpu_info_out *out)
{
	struct fake_dom *d = fake_find(domid);
	int rc = fake_should_fail(h, "cachet_vcpu_info");

	if (rc)
		return rc;
	if (!d)
		return -CACHET_ENOENT;
	memset(out, 0, sizeof(*out));
	out->nr_vcpus = d->info.max_vcpus < CACHET_STATS_VCPUS ? d->info.max_vcpus : CACHET_STATS_VCPUS;
	memcpy(out->vcpu, d->vcpu, sizeof(out->vcpu));
	return 0;
}

/* As the ABI says: a non-empty subset of the online pCPUs, for an existing vCPU. */
int cachet_vcpu_set_affinity(cachet_handle *h, cachet_domid_t domid, unsigned int vcpu,
			     uint64_t affinity)
{
	struct fake_dom *d = fake_find(domid);
	int rc = fake_should_fail(h, "cachet_vcpu_set_affinity");

	if (rc)
		return rc;
	if (!d || vcpu >= d->info.max_vcpus)
		return -CACHET_ENOENT;
	if (affinity == 0 || (affinity >> FAKE_NR_CPUS) != 0)
		return -CACHET_EINVAL;
	if (vcpu < CACHET_STATS_VCPUS)
		d->vcpu[vcpu].affinity = affinity;
	fake_trace("pin %u.%u=0x%llx", domid, vcpu, (unsigned long long)affinity);
	return 0;
}

int cachet_domain_shutdown_request(cachet_handle *h, cachet_domid_t domid, uint32_t reason)
{
	struct fake_dom *d = fake_find(domid);
	int rc = fake_should_fail(h, "cachet_domain_shutdown_request");

	if (rc)
		return rc;
	if (!d)
		return -CACHET_ENOENT;
	if (reason != CACHET_SHUTDOWN_POWEROFF && reason != CACHET_SHUTDOWN_REBOOT)
		return -CACHET_LIB_EINVAL;
	fake.shutdown_requests++;
	fake.last_shutdown_domid = domid;
	fake.last_shutdown_reason = reason;
	return 0;
}

/* The fake machine has no RAM file, so channel_open is refused. */
int cachet_ram_fd(const cachet_handle *h)
{
	(void)h;
	return -1;
}

int cachet_reclaim_slots(cachet_handle *h, const uint32_t *live, size_t nr_live)
{
	(void)h;
	(void)live;
	(void)nr_live;
	return 0;
}

/* A fixed stand-in for the planned device tree. */
int cachet_dom_plan(cachet_dom *d, struct cachet_dom_layout *out, const void **dtb,
		    size_t *dtb_len)
{
	static const uint8_t fake_dtb[4] = { 0xd0, 0x0d, 0xfe, 0xed };

	(void)d;
	if (out)
		memset(out, 0, sizeof(*out));
	if (dtb)
		*dtb = fake_dtb;
	if (dtb_len)
		*dtb_len = sizeof(fake_dtb);
	return 0;
}

/*
 * Devices: the fake hypervisor accepts them and never notifies; the guest's
 * RAM is anonymous memory, so the daemon's device threads find idle queues.
 */
int cachet_vdev_create(cachet_handle *h, const struct cachet_vdev_create_in *in)
{
	int rc = fake_should_fail(h, "cachet_vdev_create");

	if (rc == 0 && !fake_find(in->domid))
		rc = -CACHET_ENOENT;
	if (rc == 0)
		fake.vdevs_created++;
	return rc;
}

int cachet_vdev_state(cachet_handle *h, cachet_domid_t domid, uint32_t index,
		      struct cachet_vdev_state *out)
{
	(void)index;
	*out = fake.vdev_state;
	return fake_find(domid) ? fake_should_fail(h, "cachet_vdev_state") : -CACHET_ENOENT;
}

int cachet_vdev_signal(cachet_handle *h, cachet_domid_t domid, uint32_t index, uint32_t isr,
		       uint32_t flags, uint32_t resets)
{
	(void)domid;
	(void)index;
	fake.vdev_signals++;
	fake.vdev_last_isr = isr;
	fake.vdev_last_flags = flags;
	fake.vdev_last_resets = resets;
	return fake_should_fail(h, "cachet_vdev_signal");
}

int cachet_vdev_interrupt(cachet_handle *h, cachet_domid_t domid, uint32_t index, uint32_t isr,
			  uint32_t resets)
{
	return cachet_vdev_signal(h, domid, index, isr, 0, resets);
}

uint64_t cachet_vdev_notify_seq(cachet_handle *h)
{
	(void)h;
	return 0;
}

uint64_t cachet_vdev_notify_take(cachet_handle *h, cachet_domid_t domid, uint32_t index)
{
	(void)h;
	(void)domid;
	(void)index;
	return 0;
}

int cachet_map_foreign(cachet_handle *h, cachet_domid_t domid, uint64_t gfn, uint64_t nr_pages,
		       void **out)
{
	int rc = fake_should_fail(h, "cachet_map_foreign");
	void *p;

	(void)gfn;
	if (rc)
		return rc;
	if (!fake_find(domid))
		return -CACHET_ENOENT;
	p = mmap(NULL, nr_pages * 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -CACHET_LIB_ENOMEM;
	*out = p;
	return 0;
}
