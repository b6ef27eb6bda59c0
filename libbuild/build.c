/*
 * cachet_dom_build(): from inputs to a paused domain ready to boot.
 *
 *   plan      split RAM over the banks, parse the kernel (probe chain),
 *             place the DTB and the ramdisk, make the DTB; no hypercall
 *             yet, so a bad image or layout leaves nothing behind
 *   create    DOMAIN_CREATE
 *   populate  each RAM bank, 2 MiB blocks where aligned
 *   load      kernel segments (decompressing on the way when the plan
 *             says so, reading an Image kept as a file straight from it),
 *             DTB and ramdisk, all through foreign mappings;
 *             each window is cleaned to the PoC when it is unmapped
 *   vcpu      vCPU 0 registers per the arm64 boot protocol, or the arm32
 *             one for a zImage (which also makes the domain AArch32:
 *             chosen by the kernel's format, as Xen does)
 *
 * Any failure after create destroys the domain, so a failed build leaves
 * no domain behind, and the caller sees the first error.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "builder.h"
#include "dtb.h"
#include "errors.h"
#include "layout.h"
#include "loader.h"
#include "util.h"

/*
 * Initial PSTATE (SPSR format): D, A, I and F masked, EL1 with SP_EL1
 * (EL1h), as Documentation/arch/arm64/booting.rst requires at kernel entry.
 */
#define BUILD_PSTATE_EL1H_DAIF 0x3c5ull
/*
 * AArch32 (Documentation/arch/arm/booting.rst): SVC mode (0x13, with M[4]
 * set for AArch32), A, I and F masked (bits 8..6), ARM state, little-endian.
 */
#define BUILD_PSTATE_SVC_AIF 0x1d3ull
/* r1: the machine type, "none" for a device-tree-only platform. */
#define BUILD_ARM_MACH_NONE 0xffffffffull
/* Guest memory is written in windows this size: it bounds the frame list. */
#define BUILD_WINDOW_PAGES 8192ull /* 32 MiB */
#define BUILD_POPULATE_ORDER 9u    /* 2 MiB blocks */

/* A segment being written, and its decompressor when it has one. */
struct build_src {
	const struct loader_seg *seg;
	struct decomp z;
};

static int build_check(cachet_dom *d)
{
	if (d->stage != DOM_STAGE_NEW)
		return err_set(d->h, CACHET_LIB_EINVAL, "dom_build: the domain is already built");
	if (!d->kernel.buf)
		return err_set(d->h, CACHET_LIB_EINVAL, "dom_build: no kernel given");
	return 0;
}

/* An Image kept as a file (builder.h): planned from its first bytes, loaded from the file. */
static int build_plan_image_file(cachet_dom *d, const struct loader_in *in,
				 struct loader_image *img, struct err_msg *m)
{
	int rc;

	memset(img, 0, sizeof(*img));
	rc = image_plan(in, d->kernel.buf, d->kernel.len, d->kernel_file_len, img, m);
	if (rc == 0)
		img->segs[0].file = &d->kernel_file;
	return rc;
}

static int build_plan_kernel(cachet_dom *d, struct loader_image *img)
{
	bool raw = d->kernel_format == CACHET_KERNEL_RAW;
	struct loader_in in;
	struct err_msg m;
	/* A flat binary is all data: read the whole file now. */
	int rc = raw ? dom_kernel_read_rest(d) : 0;

	if (rc < 0)
		return rc;
	in = (struct loader_in){ .buf = d->kernel.buf, .len = d->kernel.len,
				 .ram_base = d->layout.ram_base, .ram_size = d->layout.ram_size,
				 .arena = &d->arena, .raw = raw };
	if (d->kernel_file.fd >= 0)
		rc = build_plan_image_file(d, &in, img, &m);
	else
		rc = loader_load(&in, img, &m);
	if (rc < 0)
		return err_set(d->h, -rc, "kernel: %s", m.text);
	d->layout.kernel_start = img->start;
	d->layout.kernel_end = img->end;
	d->layout.entry = img->entry;
	d->aarch32 = img->aarch32;
	if (d->aarch32 && d->cmdline && strlen(d->cmdline) >= DOM_MAX_CMDLINE_ARM)
		return err_set(d->h, CACHET_LIB_EINVAL, "command line of %zu bytes is longer than "
			       "the %u an arm32 kernel keeps", strlen(d->cmdline),
			       DOM_MAX_CMDLINE_ARM - 1);
	rc = layout_modules(&d->layout, d->ramdisk.len, img->modules_at, &m);
	return rc < 0 ? err_set(d->h, -rc, "%s", m.text) : 0;
}

static int build_plan_dtb(cachet_dom *d)
{
	const struct cachet_dom_layout *l = &d->layout;
	struct dtb_params p = {
		.vcpus = d->vcpus,
		.cmdline = d->cmdline,
		.initrd_start = l->ramdisk_start,
		.initrd_end = l->ramdisk_end,
		.ram_base = { l->ram_base, l->ram1_base },
		.ram_size = { l->ram_size, l->ram1_size },
		.user_memory = d->dtb_memory,
		.virtio_devices = d->virtio_devices,
	};
	struct err_msg m;
	uint8_t *made = NULL;
	int rc;

	if (d->user_dtb.buf) {
		rc = dtb_adapt_user(d->user_dtb.buf, d->user_dtb.len, &p, &d->arena,
				    &d->dtb.buf, &d->dtb.len, &m);
	} else {
		rc = dtb_generate(&p, &d->arena, &made, &d->dtb.len, &m);
		d->dtb.buf = made;
	}
	if (rc == 0)
		rc = layout_set_dtb(&d->layout, d->dtb.len, &m);
	return rc < 0 ? err_set(d->h, -rc, "%s", m.text) : 0;
}

static int build_plan(cachet_dom *d, struct loader_image *img)
{
	int rc;

	memset(&d->layout, 0, sizeof(d->layout));
	layout_banks(d->mem_bytes, &d->layout);
	rc = build_plan_kernel(d, img);
	if (rc == 0)
		rc = build_plan_dtb(d);
	return rc;
}

static int build_create(cachet_dom *d)
{
	struct cachet_domain_create_in in;
	int rc;

	memset(&in, 0, sizeof(in));
	in.max_vcpus = d->vcpus;
	in.max_pages = d->mem_bytes >> LIB_PAGE_SHIFT;
	in.cache_policy = (uint32_t)d->policy;
	in.flags = d->aarch32 ? CACHET_DOMF_AARCH32 : 0;
	in.tag = d->tag;
	rc = cachet_domain_create(d->h, &in, &d->domid);
	if (rc == -CACHET_ENODEV && d->aarch32)
		return err_set(d->h, CACHET_ENODEV, "the kernel is an arm32 zImage, but this CPU "
			       "cannot run AArch32 at EL1 (ID_AA64PFR0_EL1.EL1 is not 2); under "
			       "QEMU, cortex-a57, cortex-a72 and max can");
	if (rc == -CACHET_ENODEV && d->policy == CACHET_CACHE_S2FWB)
		return err_set(d->h, CACHET_ENODEV, "cache policy s2fwb needs FEAT_S2FWB, which this CPU lacks "
			       "(under QEMU 7.2 only -cpu max has it: cachetd --cpu-model "
			       "max,sve=off,sme=off,pauth=off)");
	return rc;
}

/*
 * An adopted domain was created by its caller, with or without
 * CACHET_DOMF_AARCH32: it must match the kernel, whose format decides.
 */
static int build_check_adopted(cachet_dom *d)
{
	struct cachet_dominfo info;
	bool aarch32;
	int rc = cachet_domain_getinfo(d->h, d->domid, &info);

	if (rc < 0)
		return rc;
	aarch32 = info.flags & CACHET_DOMF_AARCH32;
	if (aarch32 == d->aarch32)
		return 0;
	return err_set(d->h, CACHET_LIB_EINVAL, "the kernel is %s, but domain %u was created %s",
		       d->aarch32 ? "an arm32 zImage (a 32-bit guest)" : "a 64-bit one", d->domid,
		       aarch32 ? "32-bit (CACHET_DOMF_AARCH32)" : "64-bit (without CACHET_DOMF_AARCH32)");
}

/* Bank bases are 2 MiB aligned: every whole 2 MiB is populated as a block. */
static int build_populate_bank(cachet_dom *d, uint64_t base, uint64_t size)
{
	uint64_t gfn = base >> LIB_PAGE_SHIFT;
	uint64_t pages = size >> LIB_PAGE_SHIFT;
	uint64_t blocks = pages & ~((UINT64_C(1) << BUILD_POPULATE_ORDER) - 1);
	int rc = 0;

	if (blocks)
		rc = cachet_populate(d->h, d->domid, gfn, blocks, BUILD_POPULATE_ORDER);
	if (rc == 0 && pages > blocks)
		rc = cachet_populate(d->h, d->domid, gfn + blocks, pages - blocks, 0);
	return rc;
}

static int build_populate(cachet_dom *d)
{
	int rc = build_populate_bank(d, d->layout.ram_base, d->layout.ram_size);

	if (rc == 0 && d->layout.ram1_size)
		rc = build_populate_bank(d, d->layout.ram1_base, d->layout.ram1_size);
	return rc;
}

/* The next @len bytes of a compressed segment, which must not end early. */
static int build_inflate(cachet_dom *d, struct build_src *s, uint8_t *out, size_t len)
{
	struct err_msg m;
	size_t got;
	int rc = decomp_read(&s->z, out, len, &got, &m);

	if (rc == 0 && got < len)
		rc = err_fmt(&m, CACHET_LIB_EIMAGE, "%s data ended after %llu bytes, but the file "
			     "records %llu", s->z.codec->name, (unsigned long long)s->z.out_total,
			     (unsigned long long)s->seg->filesz);
	return rc < 0 ? err_set(d->h, -rc, "kernel: %s", m.text) : 0;
}

/* @len bytes of a segment's file from offset @off, which the file must still hold. */
static int build_read_file(cachet_dom *d, const struct loader_file *f, uint8_t *out, size_t len,
			   uint64_t off)
{
	while (len > 0) {
		ssize_t n = pread(f->fd, out, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return err_set(d->h, CACHET_LIB_EIO, "kernel: reading %s failed: %s", f->path,
				       n < 0 ? strerror(errno) : "the file shrank after it was opened");
		out += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

/*
 * Fills the part of one mapped window that the segment [gpa, gpa + memsz)
 * covers: file bytes up to filesz, zeroes (bss) after.  Fresh pages are
 * already scrubbed by the hypervisor, but the ELF contract is that bss
 * reads as zero, so it is written rather than assumed.
 */
static int build_fill_window(cachet_dom *d, uint8_t *win, uint64_t win_gpa, uint64_t win_len,
			     struct build_src *s)
{
	const struct loader_seg *seg = s->seg;
	uint64_t lo = LIB_MAX(win_gpa, seg->gpa);
	uint64_t hi = LIB_MIN(win_gpa + win_len, seg->gpa + seg->memsz);
	uint64_t file_end = LIB_MIN(hi, seg->gpa + seg->filesz);
	uint64_t zero_lo = LIB_MAX(lo, seg->gpa + seg->filesz);
	int rc = 0;

	if (lo < file_end && seg->stream)
		rc = build_inflate(d, s, win + (lo - win_gpa), (size_t)(file_end - lo));
	else if (lo < file_end && seg->file)
		rc = build_read_file(d, seg->file, win + (lo - win_gpa), (size_t)(file_end - lo),
				     lo - seg->gpa);
	else if (lo < file_end)
		memcpy(win + (lo - win_gpa), seg->src + (lo - seg->gpa), (size_t)(file_end - lo));
	if (zero_lo < hi)
		memset(win + (zero_lo - win_gpa), 0, (size_t)(hi - zero_lo));
	return rc;
}

static int build_write_windows(cachet_dom *d, struct build_src *s)
{
	const struct loader_seg *seg = s->seg;
	uint64_t gfn = seg->gpa >> LIB_PAGE_SHIFT;
	uint64_t last = (seg->gpa + seg->memsz - 1) >> LIB_PAGE_SHIFT;
	void *win;
	int rc, unmap_rc;

	while (gfn <= last) {
		uint64_t n = LIB_MIN(last - gfn + 1, BUILD_WINDOW_PAGES);

		rc = cachet_map_foreign(d->h, d->domid, gfn, n, &win);
		if (rc < 0)
			return rc;
		rc = build_fill_window(d, win, gfn << LIB_PAGE_SHIFT, n << LIB_PAGE_SHIFT, s);
		/* Unmapped (and cleaned) even after a failure, and the first error kept. */
		unmap_rc = cachet_unmap_foreign(d->h, d->domid, win, gfn, n);
		if (rc < 0 || unmap_rc < 0)
			return rc < 0 ? rc : unmap_rc;
		gfn += n;
	}
	return 0;
}

/* Compressed data must end exactly where the file said it would. */
static int build_stream_end(cachet_dom *d, struct build_src *s)
{
	struct err_msg m;
	int rc = decomp_expect_end(&s->z, "the file records", &m);

	return rc < 0 ? err_set(d->h, -rc, "kernel: %s", m.text) : 0;
}

static int build_write(cachet_dom *d, const struct loader_seg *seg)
{
	struct build_src s = { .seg = seg };
	struct err_msg m;
	int rc;

	if (seg->memsz == 0)
		return 0;
	if (!seg->stream)
		return build_write_windows(d, &s);
	rc = decomp_open(&s.z, seg->stream->codec, seg->stream->in, seg->stream->len, &m);
	if (rc < 0)
		return err_set(d->h, -rc, "kernel: %s", m.text);
	rc = build_write_windows(d, &s);
	if (rc == 0)
		rc = build_stream_end(d, &s);
	decomp_close(&s.z);
	return rc;
}

/* Writes @len bytes from @buf at @gpa (the DTB, the ramdisk). */
static int build_write_blob(cachet_dom *d, uint64_t gpa, const uint8_t *buf, size_t len)
{
	struct loader_seg seg = { .gpa = gpa, .src = buf, .filesz = len, .memsz = len };

	return build_write(d, &seg);
}

static int build_load(cachet_dom *d, const struct loader_image *img)
{
	int rc = 0;

	for (unsigned int i = 0; i < img->nr_segs && rc == 0; i++)
		rc = build_write(d, &img->segs[i]);
	if (rc == 0)
		rc = build_write_blob(d, d->layout.dtb_start, d->dtb.buf, d->dtb.len);
	if (rc == 0 && d->ramdisk.len)
		rc = build_write_blob(d, d->layout.ramdisk_start, d->ramdisk.buf, d->ramdisk.len);
	return rc;
}

/*
 * vCPU 0 per the arm64 boot protocol: x0 = the DTB's physical address,
 * x1..x3 = 0, EL1h with DAIF masked; or per the arm32 one: r0 = 0, r1 =
 * machine type none, r2 = the DTB's address, SVC mode with A, I and F
 * masked.  SCTLR_EL1 at its reset value (MMU and caches off) either way.
 * The other vCPUs stay offline until the guest starts them with PSCI
 * CPU_ON.
 */
static int build_vcpu0(cachet_dom *d)
{
	struct cachet_vcpu_context ctx;

	memset(&ctx, 0, sizeof(ctx));
	ctx.pc = d->layout.entry;
	if (d->aarch32) {
		ctx.x[1] = BUILD_ARM_MACH_NONE;
		ctx.x[2] = d->layout.dtb_start;
		ctx.pstate = BUILD_PSTATE_SVC_AIF;
	} else {
		ctx.x[0] = d->layout.dtb_start;
		ctx.pstate = BUILD_PSTATE_EL1H_DAIF;
	}
	ctx.sctlr_el1 = 0;
	return cachet_vcpu_set_context(d->h, d->domid, 0, CACHET_VCPU_ONLINE, &ctx);
}

static int build_fill(cachet_dom *d, const struct loader_image *img)
{
	int rc = build_populate(d);

	if (rc == 0)
		rc = build_load(d, img);
	if (rc == 0)
		rc = build_vcpu0(d);
	return rc;
}

/* Destroys the half-built domain, keeping the error that caused it. */
static void build_undo(cachet_dom *d, int rc)
{
	struct err_msg cause, why;

	err_save(d->h, &cause);
	if (cachet_domain_destroy(d->h, d->domid) == 0) {
		err_set(d->h, -rc, "%s", cause.text);
		return;
	}
	err_save(d->h, &why);
	err_set(d->h, -rc, "%s (and destroying the half-built domain %u failed: %s)",
		cause.text, d->domid, why.text);
}

int cachet_dom_plan(cachet_dom *d, struct cachet_dom_layout *out, const void **dtb,
		    size_t *dtb_len)
{
	struct loader_image img = { 0 };
	int rc;

	if (!d)
		return err_set(NULL, CACHET_LIB_EINVAL, "dom_plan: NULL builder");
	rc = build_check(d);
	if (rc == 0)
		rc = build_plan(d, &img);
	if (rc < 0)
		return rc;
	if (out)
		*out = d->layout;
	if (dtb)
		*dtb = d->dtb.buf;
	if (dtb_len)
		*dtb_len = d->dtb.len;
	return 0;
}

int cachet_dom_on_created(cachet_dom *d, cachet_dom_created_fn fn, void *arg)
{
	if (!d)
		return err_set(NULL, CACHET_LIB_EINVAL, "dom_on_created: NULL builder");
	if (d->stage != DOM_STAGE_NEW)
		return err_set(d->h, CACHET_LIB_EINVAL, "dom_on_created: the domain is already built");
	d->created_fn = fn;
	d->created_arg = arg;
	return 0;
}

int cachet_dom_build(cachet_dom *d, cachet_domid_t *domid)
{
	struct loader_image img = { 0 };
	int rc;

	if (!d)
		return err_set(NULL, CACHET_LIB_EINVAL, "dom_build: NULL builder");
	rc = build_check(d);
	if (rc == 0)
		rc = build_plan(d, &img);
	if (rc == 0)
		rc = d->adopted ? build_check_adopted(d) : build_create(d);
	if (rc < 0)
		return rc;
	if (d->created_fn)
		d->created_fn(d->created_arg, d->domid);
	rc = build_fill(d, &img);
	if (rc < 0) {
		/* An adopted domain is its creator's to destroy. */
		if (!d->adopted)
			build_undo(d, rc);
		return rc;
	}
	d->stage = DOM_STAGE_BUILT;
	if (domid)
		*domid = d->domid;
	return 0;
}
