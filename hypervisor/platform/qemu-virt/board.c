/*
 * QEMU "virt" board (hw/arm/virt.c memory map), run with
 * virtualization=on and gic-version=3.
 */
#include "hv/plat.h"

#include "hv/pl011.h"
#include "dt_memory.h"
#include "fw_cfg.h"

#define VIRT_FW_CFG_BASE 0x09020000
#define VIRT_GICR_PER_CPU 0x20000
#define VIRT_MAX_CPUS 8
/* QEMU puts its DTB at RAM base, below our image, when booting an ELF. */
#define VIRT_DTB_LIMIT 0x200000

static const struct plat_mmio virt_mmio[] = {
	{ "gicd", 0x08000000, 0x10000 },
	{ "gicr", 0x080a0000, VIRT_MAX_CPUS * VIRT_GICR_PER_CPU },
	{ "uart", 0x09000000, 0x1000 },
	{ "fw_cfg", VIRT_FW_CFG_BASE, 0x1000 },
};

const struct plat_board plat_board = {
	.name = "qemu-virt",
	.ram_base = 0x40000000,
	.uart_base = 0x09000000,
	.uart_intid = 33,       /* SPI 1 */
	.gicd_base = 0x08000000,
	.gicr_base = 0x080a0000,
	.gicr_size = VIRT_MAX_CPUS * VIRT_GICR_PER_CPU,
	.timer_hyp_intid = 26,  /* PPI 10 */
	.gic_maint_intid = 25,  /* PPI 9 */
	.mmio = virt_mmio,
	.nr_mmio = sizeof(virt_mmio) / sizeof(virt_mmio[0]),
};

void plat_early_init(void)
{
	pl011_init(plat_board.uart_base);
}

void plat_console_write(const char *s, size_t n)
{
	pl011_write(plat_board.uart_base, s, n);
}

uint64_t plat_ram_size(void)
{
	return dt_memory_size((const void *)(uintptr_t)plat_board.ram_base, VIRT_DTB_LIMIT,
			      plat_board.ram_base);
}

unsigned int plat_cpu_count(void)
{
	return (unsigned int)fw_cfg_read_u16(VIRT_FW_CFG_BASE, FW_CFG_NB_CPUS);
}

/*
 * virt gives CPUs Aff0 = index within clusters of 16 when the GIC is v3
 * (virt_cpu_mp_affinity), Aff1 = cluster.
 */
uint64_t plat_cpu_mpidr(unsigned int index)
{
	return ((uint64_t)(index / 16) << 8) | (index % 16);
}
