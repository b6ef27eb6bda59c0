/* Minimal fw_cfg reader: selector then byte-wide data reads. */
#include "fw_cfg.h"

#include <stdbool.h>

#include "hv/mmio.h"

#define FW_CFG_DATA 0x0
#define FW_CFG_SELECTOR 0x8

/* The selector register is big-endian on the MMIO interface. */
static void fw_cfg_select(uint64_t base, uint16_t key)
{
	mmio_write16(base + FW_CFG_SELECTOR, (uint16_t)((key >> 8) | (key << 8)));
}

/* Reads @n <= 8 bytes of item @key as a little-endian integer. */
static uint64_t fw_cfg_read_le(uint64_t base, uint16_t key, unsigned int n)
{
	uint64_t v = 0;

	fw_cfg_select(base, key);
	for (unsigned int i = 0; i < n; i++)
		v |= (uint64_t)mmio_read8(base + FW_CFG_DATA) << (8 * i);
	return v;
}

static bool fw_cfg_present(uint64_t base)
{
	/* "QEMU" read as a little-endian word. */
	return fw_cfg_read_le(base, FW_CFG_SIGNATURE, 4) == 0x554d4551;
}

uint16_t fw_cfg_read_u16(uint64_t base, uint16_t key)
{
	return fw_cfg_present(base) ? (uint16_t)fw_cfg_read_le(base, key, 2) : 0;
}
