/*
 * Crafting ELF64 images in memory for libcachet's loader and builder tests.
 * Header at 0, program headers at 64, segment data wherever the test says.
 * Fields are written little-endian byte by byte, like the loader reads them.
 */
#ifndef TEST_LIB_ELF_H
#define TEST_LIB_ELF_H

#include <elf.h>
#include <stdint.h>
#include <string.h>

#define TELF_MAX_SEGS 80u

struct telf_seg {
	uint32_t type;
	uint64_t offset, vaddr, paddr, filesz, memsz;
};

struct telf {
	uint8_t cls, data, version;
	uint16_t type, machine, phentsize;
	uint32_t phnum;          /* may differ from nr_segs to test bad tables */
	uint64_t entry, phoff;
	unsigned int nr_segs;
	struct telf_seg seg[TELF_MAX_SEGS];
};

static inline void telf_put(uint8_t *p, uint64_t v, unsigned int bytes)
{
	for (unsigned int i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/*
 * A valid two-segment kernel: text 0x2000 bytes at 0x40080000 (file offset
 * 0x1000), data 0x800 bytes + bss up to 0x5000 at 0x40200000 (file offset
 * 0x3000), and a PT_GNU_STACK header the loader must ignore.  File size
 * TELF_FILE_SIZE; entry 0x40080100.
 */
#define TELF_FILE_SIZE 0x3800u
static inline void telf_default(struct telf *e)
{
	memset(e, 0, sizeof(*e));
	e->cls = ELFCLASS64;
	e->data = ELFDATA2LSB;
	e->version = EV_CURRENT;
	e->type = ET_EXEC;
	e->machine = EM_AARCH64;
	e->phentsize = sizeof(Elf64_Phdr);
	e->phoff = 64;
	e->entry = 0x40080100;
	e->nr_segs = 3;
	e->phnum = 3;
	e->seg[0] = (struct telf_seg){ PT_LOAD, 0x1000, 0x40080000, 0x40080000, 0x2000, 0x2000 };
	e->seg[1] = (struct telf_seg){ PT_LOAD, 0x3000, 0x40200000, 0x40200000, 0x800, 0x5000 };
	e->seg[2] = (struct telf_seg){ PT_GNU_STACK, 0, 0, 0, 0, 0 };
}

/* Writes the image into buf (of any size); data bytes are a pattern. */
static inline void telf_write(const struct telf *e, uint8_t *buf, size_t len)
{
	uint8_t h[64];

	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(i * 7 + 3);
	memset(h, 0, sizeof(h));
	memcpy(h, ELFMAG, SELFMAG);
	h[EI_CLASS] = e->cls;
	h[EI_DATA] = e->data;
	h[EI_VERSION] = e->version;
	telf_put(h + 16, e->type, 2);
	telf_put(h + 18, e->machine, 2);
	telf_put(h + 20, EV_CURRENT, 4);
	telf_put(h + 24, e->entry, 8);
	telf_put(h + 32, e->phoff, 8);
	telf_put(h + 52, 64, 2);
	telf_put(h + 54, e->phentsize, 2);
	telf_put(h + 56, e->phnum, 2);
	memcpy(buf, h, len < sizeof(h) ? len : sizeof(h));
	for (unsigned int i = 0; i < e->nr_segs; i++) {
		uint8_t *p = buf + e->phoff + i * sizeof(Elf64_Phdr);

		if (e->phoff > len || (i + 1) * sizeof(Elf64_Phdr) > len - e->phoff)
			break;
		memset(p, 0, sizeof(Elf64_Phdr));
		telf_put(p, e->seg[i].type, 4);
		telf_put(p + 4, PF_R | PF_X, 4);
		telf_put(p + 8, e->seg[i].offset, 8);
		telf_put(p + 16, e->seg[i].vaddr, 8);
		telf_put(p + 24, e->seg[i].paddr, 8);
		telf_put(p + 32, e->seg[i].filesz, 8);
		telf_put(p + 40, e->seg[i].memsz, 8);
		telf_put(p + 48, 0x1000, 8);
	}
}

#endif
