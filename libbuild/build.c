/*
 * cachet_dom_build(): from inputs to a paused domain ready to boot.
 *
 *   plan      parse the kernel (probe chain) and lay out memory; no
 *             hypercall yet, so a bad image or layout leaves nothing behind
 *   create    DOMAIN_CREATE
 *   populate  guest RAM at the base of bank 0, 2 MiB blocks where aligned
 *   load      kernel segments and ramdisk through foreign mappings; each
 *             window is cleaned to the PoC when it is unmapped
 *   vcpu      vCPU 0 registers per the arm64 boot protocol
 *
 * Any failure after create destroys the domain, so a failed build leaves
 * no domain behind, and the caller sees the first error.
 */
#include <string.h>

#include "builder.h"
#include "errors.h"
#include "loader.h"
#include "util.h"

/*
 * Initial PSTATE (SPSR format): D, A, I and F masked, EL1 with SP_EL1
 * (EL1h), as Documentation/arch/arm64/booting.rst requires at kernel entry.
 */
#define BUILD_PSTATE_EL1H_DAIF 0x3c5ull
/* Guest memory is written in windows this size: it bounds the frame list. */
#define BUILD_WINDOW_PAGES 8192ull /* 32 MiB */
#define BUILD_POPULATE_ORDER 9u    /* 2 MiB blocks */

static int build_check(cachet_dom *d)
{
	if (d->stage != DOM_STAGE_NEW)
		return err_set(d->h, CACHET_LIB_EINVAL, "dom_build: the domain is already built");
	if (!d->kernel.buf)
		return err_set(d->h, CACHET_LIB_EINVAL, "dom_build: no kernel given");
	return 0;
}

/* The initrd goes at the top of RAM, 2 MiB aligned, clear of the kernel. */
static int build_place_ramdisk(cachet_dom *d, const struct loader_image *img)
{
	struct cachet_dom_layout *l = &d->layout;
	uint64_t ram_end = l->ram_base + l->ram_size;
	uint64_t len = d->ramdisk.len;

	if (len == 0)
		return 0;
	if (len > l->ram_size)
		return err_set(d->h, CACHET_LIB_ELAYOUT, "ramdisk of %llu bytes is larger than "
			       "guest RAM (%llu bytes)", (unsigned long long)len,
			       (unsigned long long)l->ram_size);
	l->ramdisk_start = lib_align_down(ram_end - len, LIB_2M);
	l->ramdisk_end = l->ramdisk_start + len;
	if (l->ramdisk_start < img->end)
		return err_set(d->h, CACHET_LIB_ELAYOUT, "ramdisk of %llu bytes does not fit "
			       "between the kernel end 0x%llx and the end of RAM 0x%llx",
			       (unsigned long long)len, (unsigned long long)img->end,
			       (unsigned long long)ram_end);
	return 0;
}

static int build_plan(cachet_dom *d, struct loader_image *img)
{
	struct loader_in in = {
		.buf = d->kernel.buf,
		.len = d->kernel.len,
		.ram_base = CACHET_GUEST_RAM0_BASE,
		.ram_size = d->mem_bytes,
		.arena = &d->arena,
	};
	struct err_msg m;
	int rc = loader_load(&in, img, &m);

	if (rc < 0)
		return err_set(d->h, -rc, "kernel: %s", m.text);
	memset(&d->layout, 0, sizeof(d->layout));
	d->layout.kernel_start = img->start;
	d->layout.kernel_end = img->end;
	d->layout.entry = img->entry;
	d->layout.ram_base = CACHET_GUEST_RAM0_BASE;
	d->layout.ram_size = d->mem_bytes;
	return build_place_ramdisk(d, img);
}

static int build_create(cachet_dom *d)
{
	struct cachet_domain_create_in in;

	memset(&in, 0, sizeof(in));
	in.max_vcpus = d->vcpus;
	in.max_pages = d->mem_bytes >> LIB_PAGE_SHIFT;
	in.cache_policy = (uint32_t)d->policy;
	return cachet_domain_create(d->h, &in, &d->domid);
}

/* RAM0's base is 1 GiB aligned: every whole 2 MiB is populated as a block. */
static int build_populate(cachet_dom *d)
{
	uint64_t gfn = d->layout.ram_base >> LIB_PAGE_SHIFT;
	uint64_t pages = d->layout.ram_size >> LIB_PAGE_SHIFT;
	uint64_t blocks = pages & ~((UINT64_C(1) << BUILD_POPULATE_ORDER) - 1);
	int rc = 0;

	if (blocks)
		rc = cachet_populate(d->h, d->domid, gfn, blocks, BUILD_POPULATE_ORDER);
	if (rc == 0 && pages > blocks)
		rc = cachet_populate(d->h, d->domid, gfn + blocks, pages - blocks, 0);
	return rc;
}

/*
 * Fills the part of one mapped window that the segment [gpa, gpa + memsz)
 * covers: file bytes up to filesz, zeroes (bss) after.  Fresh pages are
 * already scrubbed by the hypervisor, but the ELF contract is that bss
 * reads as zero, so it is written rather than assumed.
 */
static void build_fill_window(uint8_t *win, uint64_t win_gpa, uint64_t win_len,
			      const struct loader_seg *seg)
{
	uint64_t lo = LIB_MAX(win_gpa, seg->gpa);
	uint64_t hi = LIB_MIN(win_gpa + win_len, seg->gpa + seg->memsz);
	uint64_t file_end = LIB_MIN(hi, seg->gpa + seg->filesz);
	uint64_t zero_lo = LIB_MAX(lo, seg->gpa + seg->filesz);

	if (lo < file_end)
		memcpy(win + (lo - win_gpa), seg->src + (lo - seg->gpa), (size_t)(file_end - lo));
	if (zero_lo < hi)
		memset(win + (zero_lo - win_gpa), 0, (size_t)(hi - zero_lo));
}

static int build_write(cachet_dom *d, const struct loader_seg *seg)
{
	uint64_t gfn = seg->gpa >> LIB_PAGE_SHIFT;
	uint64_t last = (seg->gpa + seg->memsz - 1) >> LIB_PAGE_SHIFT;
	void *win;
	int rc;

	while (gfn <= last) {
		uint64_t n = LIB_MIN(last - gfn + 1, BUILD_WINDOW_PAGES);

		rc = cachet_map_foreign(d->h, d->domid, gfn, n, &win);
		if (rc < 0)
			return rc;
		build_fill_window(win, gfn << LIB_PAGE_SHIFT, n << LIB_PAGE_SHIFT, seg);
		rc = cachet_unmap_foreign(d->h, d->domid, win, gfn, n);
		if (rc < 0)
			return rc;
		gfn += n;
	}
	return 0;
}

static int build_load(cachet_dom *d, const struct loader_image *img)
{
	struct loader_seg rd;
	int rc = 0;

	for (unsigned int i = 0; i < img->nr_segs && rc == 0; i++)
		rc = build_write(d, &img->segs[i]);
	if (rc < 0 || d->ramdisk.len == 0)
		return rc;
	rd.gpa = d->layout.ramdisk_start;
	rd.src = d->ramdisk.buf;
	rd.filesz = d->ramdisk.len;
	rd.memsz = d->ramdisk.len;
	return build_write(d, &rd);
}

/*
 * vCPU 0 per the arm64 boot protocol: x0 = DTB address (none yet, so 0),
 * x1..x3 = 0, EL1h with DAIF masked, SCTLR_EL1 at its reset value (MMU and
 * caches off).  The other vCPUs stay offline until the guest starts them
 * with PSCI CPU_ON.
 */
static int build_vcpu0(cachet_dom *d)
{
	struct cachet_vcpu_context ctx;

	memset(&ctx, 0, sizeof(ctx));
	ctx.pc = d->layout.entry;
	ctx.x[0] = d->layout.dtb_start;
	ctx.pstate = BUILD_PSTATE_EL1H_DAIF;
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

int cachet_dom_build(cachet_dom *d, cachet_domid_t *domid)
{
	struct loader_image img;
	int rc;

	if (!d)
		return err_set(NULL, CACHET_LIB_EINVAL, "dom_build: NULL builder");
	rc = build_check(d);
	if (rc == 0)
		rc = build_plan(d, &img);
	if (rc == 0)
		rc = build_create(d);
	if (rc < 0)
		return rc;
	rc = build_fill(d, &img);
	if (rc < 0) {
		build_undo(d, rc);
		return rc;
	}
	d->stage = DOM_STAGE_BUILT;
	if (domid)
		*domid = d->domid;
	return 0;
}
