/*
 * Device tree generation with libfdt's sequential-write API, after libxl's
 * libxl__prepare_dtb (REFERENCE.md 3.4): the buffer starts at 4 KiB and
 * doubles on -FDT_ERR_NOSPACE up to 1 MiB, and nodes come in libxl's
 * order: root properties, /chosen, /cpus, /psci, memory, GIC, timer, UART,
 * then the virtio-mmio devices.
 *
 * The devices are those of guest_map.h and nothing else: what the
 * hypervisor emulates (GICv3, the architected timer, PSCI over HVC, the
 * SBSA UART, virtio-mmio transports).  Interrupt specifiers are <type number flags> with type 0
 * for an SPI (number = INTID - 32) and 1 for a PPI (number = INTID - 16),
 * per the arm,gic-v3 binding.
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dtb.h"
#include "util.h"

#define DTB_MODEL "Cachet virtual machine"
#define DTB_COMPATIBLE "cachet,virt"
#define DTB_UART_NODE "sbsa-uart@22000000"
#define DTB_UART_BAUD 115200u
#define DTB_NODE_NAME_LEN 32u

/* Interrupt specifier cells (include/dt-bindings/interrupt-controller/arm-gic.h). */
#define DTB_IRQ_SPI 0u
#define DTB_IRQ_PPI 1u
#define DTB_IRQ_LEVEL_HIGH 4u
#define DTB_IRQ_LEVEL_LOW 8u
#define DTB_SPI_BASE 32u
#define DTB_PPI_BASE 16u
/*
 * The EL2 physical timer's INTID, which the timer binding lists fourth.
 * guest_map.h has no name for it: an EL1 guest never gets that interrupt.
 */
#define DTB_TIMER_HYP_INTID 26u

uint32_t dtb_vcpu_mpidr(unsigned int vcpu)
{
	return (vcpu % 16u) | (vcpu / 16u) << 8;
}

/* A property of (address, size) pairs, two cells each. */
static int dtb_prop_regs(void *fdt, const uint64_t *pairs, unsigned int n)
{
	fdt64_t cells[4];

	for (unsigned int i = 0; i < 2 * n && i < LIB_ARRAY_SIZE(cells); i++)
		cells[i] = cpu_to_fdt64(pairs[i]);
	return fdt_property(fdt, "reg", cells, (int)(2 * n * sizeof(cells[0])));
}

/* The same on a node of a tree being edited (read-write libfdt). */
static int dtb_prop_regs_at(void *fdt, int node, uint64_t base, uint64_t size)
{
	fdt64_t cells[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };

	return fdt_setprop(fdt, node, "reg", cells, (int)sizeof(cells));
}

static int dtb_prop_irqs(void *fdt, const uint32_t *spec, unsigned int n)
{
	fdt32_t cells[12];

	for (unsigned int i = 0; i < 3 * n && i < LIB_ARRAY_SIZE(cells); i++)
		cells[i] = cpu_to_fdt32(spec[i]);
	return fdt_property(fdt, "interrupts", cells, (int)(3 * n * sizeof(cells[0])));
}

static int dtb_root_props(void *fdt)
{
	int rc = fdt_property_cell(fdt, "#address-cells", 2);

	if (rc == 0)
		rc = fdt_property_cell(fdt, "#size-cells", 2);
	if (rc == 0)
		rc = fdt_property_string(fdt, "model", DTB_MODEL);
	if (rc == 0)
		rc = fdt_property_string(fdt, "compatible", DTB_COMPATIBLE);
	if (rc == 0)
		rc = fdt_property_cell(fdt, "interrupt-parent", DTB_PHANDLE_GIC);
	return rc;
}

static int dtb_chosen(void *fdt, const struct dtb_params *p)
{
	int rc = fdt_begin_node(fdt, "chosen");

	if (rc == 0 && p->cmdline)
		rc = fdt_property_string(fdt, "bootargs", p->cmdline);
	if (rc == 0)
		rc = fdt_property_string(fdt, "stdout-path", "/" DTB_UART_NODE);
	if (rc == 0 && p->initrd_end)
		rc = fdt_property_u64(fdt, "linux,initrd-start", p->initrd_start);
	if (rc == 0 && p->initrd_end)
		rc = fdt_property_u64(fdt, "linux,initrd-end", p->initrd_end);
	return rc ? rc : fdt_end_node(fdt);
}

static int dtb_cpu(void *fdt, unsigned int vcpu)
{
	char name[DTB_NODE_NAME_LEN];
	uint32_t mpidr = dtb_vcpu_mpidr(vcpu);
	int rc;

	snprintf(name, sizeof(name), "cpu@%x", mpidr);
	rc = fdt_begin_node(fdt, name);
	if (rc == 0)
		rc = fdt_property_string(fdt, "device_type", "cpu");
	if (rc == 0)
		rc = fdt_property_string(fdt, "compatible", "arm,armv8");
	if (rc == 0)
		rc = fdt_property_string(fdt, "enable-method", "psci");
	if (rc == 0)
		rc = fdt_property_cell(fdt, "reg", mpidr);
	return rc ? rc : fdt_end_node(fdt);
}

static int dtb_cpus(void *fdt, const struct dtb_params *p)
{
	int rc = fdt_begin_node(fdt, "cpus");

	if (rc == 0)
		rc = fdt_property_cell(fdt, "#address-cells", 1);
	if (rc == 0)
		rc = fdt_property_cell(fdt, "#size-cells", 0);
	for (unsigned int i = 0; i < p->vcpus && rc == 0; i++)
		rc = dtb_cpu(fdt, i);
	return rc ? rc : fdt_end_node(fdt);
}

static int dtb_psci(void *fdt)
{
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2\0arm,psci";
	int rc = fdt_begin_node(fdt, "psci");

	if (rc == 0)
		rc = fdt_property(fdt, "compatible", compat, sizeof(compat));
	if (rc == 0)
		rc = fdt_property_string(fdt, "method", "hvc");
	return rc ? rc : fdt_end_node(fdt);
}

static int dtb_memory(void *fdt, uint64_t base, uint64_t size)
{
	char name[DTB_NODE_NAME_LEN];
	const uint64_t reg[2] = { base, size };
	int rc;

	snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)base);
	rc = fdt_begin_node(fdt, name);
	if (rc == 0)
		rc = fdt_property_string(fdt, "device_type", "memory");
	if (rc == 0)
		rc = dtb_prop_regs(fdt, reg, 1);
	return rc ? rc : fdt_end_node(fdt);
}

/* One redistributor frame pair (128 KiB) per vCPU, from GICR_BASE. */
static int dtb_gic(void *fdt, const struct dtb_params *p)
{
	const uint64_t reg[4] = {
		CACHET_GUEST_GICD_BASE, CACHET_GUEST_GICD_SIZE,
		CACHET_GUEST_GICR_BASE, CACHET_GUEST_GICR_STRIDE * p->vcpus,
	};
	char name[DTB_NODE_NAME_LEN];
	int rc;

	snprintf(name, sizeof(name), "interrupt-controller@%llx",
		 (unsigned long long)CACHET_GUEST_GICD_BASE);
	rc = fdt_begin_node(fdt, name);
	if (rc == 0)
		rc = fdt_property_string(fdt, "compatible", "arm,gic-v3");
	if (rc == 0)
		rc = fdt_property_cell(fdt, "#interrupt-cells", 3);
	if (rc == 0)
		rc = fdt_property_cell(fdt, "#address-cells", 0);
	if (rc == 0)
		rc = fdt_property(fdt, "interrupt-controller", NULL, 0);
	if (rc == 0)
		rc = dtb_prop_regs(fdt, reg, 2);
	if (rc == 0)
		rc = fdt_property_cell(fdt, "phandle", DTB_PHANDLE_GIC);
	return rc ? rc : fdt_end_node(fdt);
}

/*
 * The timer binding's order: secure physical, non-secure physical,
 * virtual, hypervisor physical.  The CPU mask (bits 15:8, one bit per CPU,
 * at most 8: GIC_CPU_MASK_SIMPLE) is a GICv2 notion the GICv3 binding
 * ignores; it is kept, as Xen and QEMU's GICv2 trees have it.
 */
static int dtb_timer(void *fdt, const struct dtb_params *p)
{
	uint32_t flags = DTB_IRQ_LEVEL_LOW | ((1u << LIB_MIN(p->vcpus, 8u)) - 1u) << 8;
	const uint32_t irqs[12] = {
		DTB_IRQ_PPI, CACHET_GUEST_TIMER_PHYS_S_PPI - DTB_PPI_BASE, flags,
		DTB_IRQ_PPI, CACHET_GUEST_TIMER_PHYS_NS_PPI - DTB_PPI_BASE, flags,
		DTB_IRQ_PPI, CACHET_GUEST_TIMER_VIRT_PPI - DTB_PPI_BASE, flags,
		DTB_IRQ_PPI, DTB_TIMER_HYP_INTID - DTB_PPI_BASE, flags,
	};
	int rc = fdt_begin_node(fdt, "timer");

	if (rc == 0)
		rc = fdt_property_string(fdt, "compatible", "arm,armv8-timer");
	if (rc == 0)
		rc = dtb_prop_irqs(fdt, irqs, 4);
	if (rc == 0)
		rc = fdt_property(fdt, "always-on", NULL, 0);
	return rc ? rc : fdt_end_node(fdt);
}

/* Opens node @name of a device with one register window and one level-high SPI. */
static int dtb_device_begin(void *fdt, const char *name, const char *compatible, uint64_t base,
			    uint64_t size, unsigned int spi)
{
	const uint64_t reg[2] = { base, size };
	const uint32_t irq[3] = { DTB_IRQ_SPI, spi - DTB_SPI_BASE, DTB_IRQ_LEVEL_HIGH };
	int rc = fdt_begin_node(fdt, name);

	if (rc == 0)
		rc = fdt_property_string(fdt, "compatible", compatible);
	if (rc == 0)
		rc = dtb_prop_regs(fdt, reg, 1);
	return rc ? rc : dtb_prop_irqs(fdt, irq, 1);
}

static int dtb_uart(void *fdt)
{
	int rc = dtb_device_begin(fdt, DTB_UART_NODE, "arm,sbsa-uart", CACHET_GUEST_UART_BASE,
				  CACHET_GUEST_UART_SIZE, CACHET_GUEST_UART_SPI);

	if (rc == 0)
		rc = fdt_property_cell(fdt, "current-speed", DTB_UART_BAUD);
	return rc ? rc : fdt_end_node(fdt);
}

/*
 * A virtio-mmio transport as libxl writes it (make_virtio_mmio_node) and
 * Linux's virtio_mmio binds it: "virtio,mmio", reg, one SPI, and
 * dma-coherent, since the device (cachetd) reads guest RAM through the
 * cache.  Xen declares the SPI edge-rising; Cachet's device holds a level
 * while InterruptStatus is non-zero, so the node says level-high, which
 * Linux's driver handles the same way and which cannot lose an interrupt.
 */
static int dtb_virtio(void *fdt, unsigned int i)
{
	uint64_t base = CACHET_GUEST_VIRTIO_MMIO_BASE + i * CACHET_GUEST_VIRTIO_MMIO_STRIDE;
	char name[DTB_NODE_NAME_LEN];
	int rc;

	snprintf(name, sizeof(name), "virtio@%llx", (unsigned long long)base);
	rc = dtb_device_begin(fdt, name, "virtio,mmio", base, CACHET_GUEST_VIRTIO_MMIO_STRIDE,
			      CACHET_GUEST_VIRTIO_MMIO_SPI_FIRST + i);
	if (rc == 0)
		rc = fdt_property(fdt, "dma-coherent", NULL, 0);
	return rc ? rc : fdt_end_node(fdt);
}

static int dtb_nodes(void *fdt, const struct dtb_params *p)
{
	int rc = dtb_chosen(fdt, p);

	if (rc == 0)
		rc = dtb_cpus(fdt, p);
	if (rc == 0)
		rc = dtb_psci(fdt);
	for (unsigned int i = 0; i < 2 && rc == 0; i++)
		if (p->ram_size[i])
			rc = dtb_memory(fdt, p->ram_base[i], p->ram_size[i]);
	if (rc == 0)
		rc = dtb_gic(fdt, p);
	if (rc == 0)
		rc = dtb_timer(fdt, p);
	if (rc == 0)
		rc = dtb_uart(fdt);
	for (unsigned int i = 0; i < p->virtio_devices && rc == 0; i++)
		rc = dtb_virtio(fdt, i);
	return rc;
}

/* The whole tree into @buf; a libfdt error (-FDT_ERR_NOSPACE: try bigger). */
static int dtb_write(void *buf, unsigned int size, const struct dtb_params *p)
{
	int rc = fdt_create(buf, (int)size);

	if (rc == 0)
		rc = fdt_finish_reservemap(buf);
	if (rc == 0)
		rc = fdt_begin_node(buf, "");
	if (rc == 0)
		rc = dtb_root_props(buf);
	if (rc == 0)
		rc = dtb_nodes(buf, p);
	if (rc == 0)
		rc = fdt_end_node(buf);
	if (rc == 0)
		rc = fdt_finish(buf);
	if (rc == 0)
		rc = fdt_check_header(buf);
	return rc;
}

/* Moves a finished tree from @work into the arena. */
static int dtb_keep(const void *work, struct arena *a, uint8_t **out, size_t *out_len,
		    struct err_msg *m)
{
	size_t len = fdt_totalsize(work);

	*out = arena_alloc(a, len);
	if (!*out)
		return err_fmt(m, CACHET_LIB_ENOMEM, "out of memory for the device tree");
	memcpy(*out, work, len);
	*out_len = len;
	return 0;
}

int dtb_generate(const struct dtb_params *p, struct arena *a, uint8_t **out, size_t *out_len,
		 struct err_msg *m)
{
	int rc = -FDT_ERR_NOSPACE;

	for (unsigned int size = DTB_INITIAL_SIZE; size <= DTB_GENERATED_MAX; size *= 2) {
		void *work = malloc(size);

		if (!work)
			return err_fmt(m, CACHET_LIB_ENOMEM, "out of memory for the device tree");
		rc = dtb_write(work, size, p);
		if (rc == 0)
			rc = dtb_keep(work, a, out, out_len, m);
		free(work);
		if (rc != -FDT_ERR_NOSPACE)
			break;
	}
	if (rc == -FDT_ERR_NOSPACE)
		return err_fmt(m, CACHET_LIB_EINVAL, "device tree: larger than %u bytes",
			       DTB_GENERATED_MAX);
	if (rc < 0 && rc >= -FDT_ERR_MAX)
		return err_fmt(m, CACHET_LIB_EINVAL, "device tree: libfdt: %s",
			       fdt_strerror(rc));
	return rc;
}

int dtb_check_user(const uint8_t *buf, size_t len, struct err_msg *m)
{
	int rc;

	if (len < sizeof(struct fdt_header) || fdt_magic(buf) != FDT_MAGIC)
		return err_fmt(m, CACHET_LIB_EIMAGE, "not a flattened device tree (no magic "
			       "0xd00dfeed at 0)");
	if (len > DTB_USER_MAX)
		return err_fmt(m, CACHET_LIB_EIMAGE, "device tree of %zu bytes is larger than the "
			       "2 MiB the arm64 boot protocol allows", len);
	rc = fdt_check_header(buf);
	/*
	 * Version 17 (what dtc writes) has size_dt_struct; libfdt's full check
	 * reads through a NULL pointer on some older-version trees (found by
	 * tests/fuzz/fuzz_dtb), so they are refused before it runs.
	 */
	if (rc == 0 && fdt_version(buf) < DTB_MIN_VERSION)
		return err_fmt(m, CACHET_LIB_EIMAGE, "device tree version %u is older than %u "
			       "(rebuild it with dtc)", fdt_version(buf), DTB_MIN_VERSION);
	if (rc == 0)
		rc = fdt_check_full(buf, len);
	if (rc < 0)
		return err_fmt(m, CACHET_LIB_EIMAGE, "malformed device tree: %s", fdt_strerror(rc));
	return 0;
}

/*
 * memory@BASE with device_type and reg for one bank, as the generated tree
 * has it; the root must use 2 address and 2 size cells (Xen's guest trees do).
 */
static int dtb_set_memory_node(void *fdt, uint64_t base, uint64_t size)
{
	char name[32];
	int node;

	if (fdt_address_cells(fdt, 0) != 2 || fdt_size_cells(fdt, 0) != 2)
		return -FDT_ERR_BADNCELLS;
	snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)base);
	node = fdt_subnode_offset(fdt, 0, name);
	if (node == -FDT_ERR_NOTFOUND)
		node = fdt_add_subnode(fdt, 0, name);
	if (node < 0)
		return node;
	if (fdt_setprop_string(fdt, node, "device_type", "memory") != 0)
		return -FDT_ERR_NOSPACE;
	return dtb_prop_regs_at(fdt, node, base, size);
}

static int dtb_set_memory(void *fdt, const struct dtb_params *p)
{
	int rc = 0;

	for (unsigned int i = 0; i < 2 && rc == 0; i++)
		if (p->ram_size[i])
			rc = dtb_set_memory_node(fdt, p->ram_base[i], p->ram_size[i]);
	return rc;
}

/* Sets /chosen (and the memory nodes) in @fdt (opened with room to spare); a libfdt error. */
static int dtb_set_chosen(void *fdt, const struct dtb_params *p)
{
	int node = fdt_path_offset(fdt, "/chosen");
	int rc = 0;

	if (node == -FDT_ERR_NOTFOUND)
		node = fdt_add_subnode(fdt, 0, "chosen");
	if (node < 0)
		return node;
	if (p->cmdline)
		rc = fdt_setprop_string(fdt, node, "bootargs", p->cmdline);
	if (rc == 0 && p->initrd_end)
		rc = fdt_setprop_u64(fdt, node, "linux,initrd-start", p->initrd_start);
	if (rc == 0 && p->initrd_end)
		rc = fdt_setprop_u64(fdt, node, "linux,initrd-end", p->initrd_end);
	if (rc == 0 && p->user_memory)
		rc = dtb_set_memory(fdt, p);
	return rc ? rc : fdt_pack(fdt);
}

int dtb_adapt_user(const uint8_t *user, size_t len, const struct dtb_params *p,
		   struct arena *a, const uint8_t **out, size_t *out_len, struct err_msg *m)
{
	int rc = -FDT_ERR_NOSPACE;
	uint8_t *kept = NULL;

	if (!p->cmdline && !p->initrd_end && !p->user_memory) {
		*out = user;
		*out_len = len;
		return 0;
	}
	for (unsigned int size = DTB_INITIAL_SIZE; size <= DTB_USER_MAX; size *= 2) {
		void *work;

		if (size < len)
			continue;
		work = malloc(size);
		if (!work)
			return err_fmt(m, CACHET_LIB_ENOMEM, "out of memory for the device tree");
		rc = fdt_open_into(user, work, (int)size);
		if (rc == 0)
			rc = dtb_set_chosen(work, p);
		if (rc == 0)
			rc = dtb_keep(work, a, &kept, out_len, m);
		free(work);
		if (rc != -FDT_ERR_NOSPACE)
			break;
	}
	if (rc == -FDT_ERR_NOSPACE)
		return err_fmt(m, CACHET_LIB_ELAYOUT, "device tree: with /chosen filled in, larger "
			       "than the 2 MiB the arm64 boot protocol allows");
	if (rc < 0 && rc >= -FDT_ERR_MAX)
		return err_fmt(m, CACHET_LIB_EIMAGE, "device tree: cannot set /chosen: %s",
			       fdt_strerror(rc));
	*out = kept;
	return rc;
}
