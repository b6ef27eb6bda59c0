/*
 * ELF64 kernel loader (the format of the bare-metal test guests).
 *
 * Accepted: ELFCLASS64, little-endian, ET_EXEC, EM_AARCH64.  Each PT_LOAD
 * segment is placed at its physical address (p_paddr: the guest starts with
 * its MMU off), must lie inside guest RAM, must not overlap another segment,
 * and the entry point must fall inside a loaded segment.  Fields are decoded
 * byte by byte as little-endian, so neither the host's byte order nor the
 * buffer's alignment matters.  Every rejection names the field at fault.
 */
#include <elf.h>
#include <string.h>

#include "loader.h"

#define ELF_EHDR_SIZE 64u
#define ELF_PHDR_SIZE 56u
#define ELF_MAX_LOADS 64u /* bounds the O(n^2) overlap check on hostile input */

struct elf_ehdr {
	uint16_t type, machine, phentsize, phnum;
	uint64_t entry, phoff;
};

struct elf_phdr {
	uint32_t type;
	uint64_t offset, vaddr, paddr, filesz, memsz;
};

/* A PT_LOAD segment being checked, with what the messages need. */
struct elf_load_seg {
	unsigned int index;  /* in the program header table */
	uint64_t vaddr;
	struct loader_seg seg;
};

static uint64_t elf_le(const uint8_t *p, unsigned int bytes)
{
	uint64_t v = 0;

	for (unsigned int i = bytes; i-- > 0;)
		v = (v << 8) | p[i];
	return v;
}

bool elf_probe(const uint8_t *buf, size_t len)
{
	return len >= SELFMAG && memcmp(buf, ELFMAG, SELFMAG) == 0;
}

static int elf_check_ident(const uint8_t *b, struct err_msg *m)
{
	/* The probe chain checked this already; elf_load may be called directly. */
	if (memcmp(b, ELFMAG, SELFMAG) != 0)
		return err_fmt(m, CACHET_LIB_EIMAGE, "not an ELF file (bad magic %02x %02x %02x "
			       "%02x)", b[0], b[1], b[2], b[3]);
	if (b[EI_CLASS] != ELFCLASS64)
		return err_fmt(m, CACHET_LIB_EIMAGE, "ELF class %u is not ELFCLASS64 (only 64-bit "
			       "ELF kernels are supported)", b[EI_CLASS]);
	if (b[EI_DATA] != ELFDATA2LSB)
		return err_fmt(m, CACHET_LIB_EIMAGE, "ELF data encoding %u is not little-endian",
			       b[EI_DATA]);
	if (b[EI_VERSION] != EV_CURRENT)
		return err_fmt(m, CACHET_LIB_EIMAGE, "ELF version %u is not EV_CURRENT",
			       b[EI_VERSION]);
	return 0;
}

static int elf_parse_ehdr(const struct loader_in *in, struct elf_ehdr *eh, struct err_msg *m)
{
	const uint8_t *b = in->buf;
	int rc;

	if (in->len < ELF_EHDR_SIZE)
		return err_fmt(m, CACHET_LIB_EIMAGE, "truncated ELF header (%zu bytes, need %u)",
			       in->len, ELF_EHDR_SIZE);
	rc = elf_check_ident(b, m);
	if (rc < 0)
		return rc;
	eh->type = (uint16_t)elf_le(b + 16, 2);
	eh->machine = (uint16_t)elf_le(b + 18, 2);
	eh->entry = elf_le(b + 24, 8);
	eh->phoff = elf_le(b + 32, 8);
	eh->phentsize = (uint16_t)elf_le(b + 54, 2);
	eh->phnum = (uint16_t)elf_le(b + 56, 2);
	if (eh->type != ET_EXEC)
		return err_fmt(m, CACHET_LIB_EIMAGE, "ELF type %u is not ET_EXEC (%u): only "
			       "statically linked executables can be loaded", eh->type, ET_EXEC);
	if (eh->machine != EM_AARCH64)
		return err_fmt(m, CACHET_LIB_EIMAGE, "ELF machine %u is not AArch64 (EM_AARCH64 = "
			       "%u)", eh->machine, EM_AARCH64);
	return 0;
}

static int elf_check_phdr_table(const struct loader_in *in, const struct elf_ehdr *eh,
				struct err_msg *m)
{
	uint64_t size = (uint64_t)eh->phnum * ELF_PHDR_SIZE;

	if (eh->phnum == 0 || eh->phnum == PN_XNUM)
		return err_fmt(m, CACHET_LIB_EIMAGE, "ELF has %s program header table",
			       eh->phnum ? "an extended (PN_XNUM)" : "no");
	if (eh->phentsize != ELF_PHDR_SIZE)
		return err_fmt(m, CACHET_LIB_EIMAGE, "ELF program header size %u is not %u",
			       eh->phentsize, ELF_PHDR_SIZE);
	if (eh->phoff > in->len || size > in->len - eh->phoff)
		return err_fmt(m, CACHET_LIB_EIMAGE, "truncated ELF program header table (%u "
			       "entries at offset 0x%llx, file is %zu bytes)", eh->phnum,
			       (unsigned long long)eh->phoff, in->len);
	return 0;
}

static void elf_read_phdr(const uint8_t *p, struct elf_phdr *ph)
{
	ph->type = (uint32_t)elf_le(p, 4);
	ph->offset = elf_le(p + 8, 8);
	ph->vaddr = elf_le(p + 16, 8);
	ph->paddr = elf_le(p + 24, 8);
	ph->filesz = elf_le(p + 32, 8);
	ph->memsz = elf_le(p + 40, 8);
}

static int elf_check_file_range(const struct loader_in *in, unsigned int i,
				const struct elf_phdr *ph, struct err_msg *m)
{
	if (ph->filesz > ph->memsz)
		return err_fmt(m, CACHET_LIB_EIMAGE, "ELF segment %u: file size 0x%llx exceeds "
			       "memory size 0x%llx", i, (unsigned long long)ph->filesz,
			       (unsigned long long)ph->memsz);
	if (ph->offset + ph->filesz < ph->offset)
		return err_fmt(m, CACHET_LIB_EIMAGE, "ELF segment %u: file offset 0x%llx + size "
			       "0x%llx overflows", i, (unsigned long long)ph->offset,
			       (unsigned long long)ph->filesz);
	if (ph->offset > in->len || ph->filesz > in->len - ph->offset)
		return err_fmt(m, CACHET_LIB_EIMAGE, "ELF segment %u: file data [0x%llx, 0x%llx) "
			       "runs past the end of the file (%zu bytes)", i,
			       (unsigned long long)ph->offset,
			       (unsigned long long)(ph->offset + ph->filesz), in->len);
	return 0;
}

static int elf_check_mem_range(const struct loader_in *in, unsigned int i,
			       const struct elf_phdr *ph, struct err_msg *m)
{
	uint64_t ram_end = in->ram_base + in->ram_size;

	if (ph->paddr + ph->memsz < ph->paddr || ph->vaddr + ph->memsz < ph->vaddr)
		return err_fmt(m, CACHET_LIB_EIMAGE, "ELF segment %u: address 0x%llx + size "
			       "0x%llx overflows", i, (unsigned long long)ph->paddr,
			       (unsigned long long)ph->memsz);
	if (ph->paddr < in->ram_base)
		return err_fmt(m, CACHET_LIB_EIMAGE, "ELF segment %u starts below guest RAM "
			       "(0x%llx < 0x%llx)", i, (unsigned long long)ph->paddr,
			       (unsigned long long)in->ram_base);
	if (ph->paddr + ph->memsz > ram_end)
		return err_fmt(m, CACHET_LIB_EIMAGE, "ELF segment %u ends past guest RAM "
			       "(0x%llx > 0x%llx)", i, (unsigned long long)(ph->paddr + ph->memsz),
			       (unsigned long long)ram_end);
	return 0;
}

static int elf_check_overlaps(const struct elf_load_seg *s, unsigned int n, struct err_msg *m)
{
	for (unsigned int i = 0; i < n; i++) {
		for (unsigned int j = i + 1; j < n; j++) {
			const struct loader_seg *a = &s[i].seg, *b = &s[j].seg;

			if (a->gpa < b->gpa + b->memsz && b->gpa < a->gpa + a->memsz)
				return err_fmt(m, CACHET_LIB_EIMAGE, "ELF segments %u and %u "
					       "overlap in guest memory ([0x%llx, 0x%llx) and "
					       "[0x%llx, 0x%llx))", s[i].index, s[j].index,
					       (unsigned long long)a->gpa,
					       (unsigned long long)(a->gpa + a->memsz),
					       (unsigned long long)b->gpa,
					       (unsigned long long)(b->gpa + b->memsz));
		}
	}
	return 0;
}

/* Checks one program header; adds it to @s (at *n) if it is a non-empty PT_LOAD. */
static int elf_take_phdr(const struct loader_in *in, const struct elf_ehdr *eh, unsigned int i,
			 struct elf_load_seg *s, unsigned int *n, struct err_msg *m)
{
	struct elf_phdr ph;
	int rc;

	elf_read_phdr(in->buf + eh->phoff + (uint64_t)i * ELF_PHDR_SIZE, &ph);
	if (ph.type != PT_LOAD)
		return 0;
	rc = elf_check_file_range(in, i, &ph, m);
	if (rc == 0 && ph.memsz > 0)
		rc = elf_check_mem_range(in, i, &ph, m);
	if (rc < 0 || ph.memsz == 0)
		return rc;
	if (*n == ELF_MAX_LOADS)
		return err_fmt(m, CACHET_LIB_EIMAGE, "ELF has more than %u loadable segments",
			       ELF_MAX_LOADS);
	s[*n].index = i;
	s[*n].vaddr = ph.vaddr;
	s[*n].seg.gpa = ph.paddr;
	s[*n].seg.src = in->buf + ph.offset;
	s[*n].seg.filesz = ph.filesz;
	s[*n].seg.memsz = ph.memsz;
	(*n)++;
	return 0;
}

/* The entry is a virtual address; the guest starts at its physical twin. */
static int elf_find_entry(const struct elf_load_seg *s, unsigned int n, uint64_t entry,
			  uint64_t *pc, struct err_msg *m)
{
	for (unsigned int i = 0; i < n; i++) {
		if (entry >= s[i].vaddr && entry - s[i].vaddr < s[i].seg.memsz) {
			*pc = s[i].seg.gpa + (entry - s[i].vaddr);
			return 0;
		}
	}
	return err_fmt(m, CACHET_LIB_EIMAGE, "ELF entry point 0x%llx is outside every loaded "
		       "segment", (unsigned long long)entry);
}

static int elf_fill_image(const struct loader_in *in, const struct elf_load_seg *s,
			  unsigned int n, struct loader_image *img, struct err_msg *m)
{
	img->segs = arena_alloc(in->arena, n * sizeof(*img->segs));
	if (!img->segs)
		return err_fmt(m, CACHET_LIB_ENOMEM, "out of memory for the load plan");
	img->format = "ELF";
	img->nr_segs = n;
	img->start = UINT64_MAX;
	img->end = 0;
	for (unsigned int i = 0; i < n; i++) {
		img->segs[i] = s[i].seg;
		if (s[i].seg.gpa < img->start)
			img->start = s[i].seg.gpa;
		if (s[i].seg.gpa + s[i].seg.memsz > img->end)
			img->end = s[i].seg.gpa + s[i].seg.memsz;
	}
	return 0;
}

int elf_load(const struct loader_in *in, struct loader_image *img, struct err_msg *m)
{
	struct elf_ehdr eh = { 0 };
	struct elf_load_seg *s;
	unsigned int n = 0;
	uint64_t pc = 0;
	int rc;

	rc = elf_parse_ehdr(in, &eh, m);
	if (rc == 0)
		rc = elf_check_phdr_table(in, &eh, m);
	if (rc < 0)
		return rc;
	s = arena_alloc(in->arena, ELF_MAX_LOADS * sizeof(*s));
	if (!s)
		return err_fmt(m, CACHET_LIB_ENOMEM, "out of memory for the load plan");
	for (unsigned int i = 0; i < eh.phnum && rc == 0; i++)
		rc = elf_take_phdr(in, &eh, i, s, &n, m);
	if (rc < 0)
		return rc;
	if (n == 0)
		return err_fmt(m, CACHET_LIB_EIMAGE, "ELF has no loadable (PT_LOAD) segment");
	rc = elf_check_overlaps(s, n, m);
	if (rc == 0)
		rc = elf_find_entry(s, n, eh.entry, &pc, m);
	if (rc == 0)
		rc = elf_fill_image(in, s, n, img, m);
	if (rc == 0)
		img->entry = pc;
	return rc;
}
