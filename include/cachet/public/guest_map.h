/*
 * The guest physical memory map and interrupt numbers every Cachet guest
 * sees.  The values follow the Xen on Arm guest layout (Xen's public
 * arch-arm.h), so kernels and device trees behave as users of Xen know them.
 * Guests must still discover devices from the device tree, not from here.
 */
#ifndef CACHET_PUBLIC_GUEST_MAP_H
#define CACHET_PUBLIC_GUEST_MAP_H

#define CACHET_GUEST_GICD_BASE 0x03001000ULL
#define CACHET_GUEST_GICD_SIZE 0x00010000ULL
#define CACHET_GUEST_GICR_BASE 0x03020000ULL
#define CACHET_GUEST_GICR_SIZE 0x01000000ULL /* 128 KiB per vCPU, vCPUs 0..127 */
#define CACHET_GUEST_GICR_STRIDE 0x20000ULL

#define CACHET_GUEST_UART_BASE 0x22000000ULL /* SBSA UART (PL011 subset) */
#define CACHET_GUEST_UART_SIZE 0x00001000ULL
#define CACHET_GUEST_UART_SPI 32            /* GIC INTID 32 (device tree: SPI 0) */

/*
 * virtio-mmio devices (virtio 1.x, transport version 2), where Xen 4.17's
 * arch-arm.h puts them: a 1 MiB area holding one 0x200-byte register window
 * per device, device N at BASE + N * STRIDE with SPI FIRST + N (GIC INTID
 * 33..43, device tree SPI 1..11).  So at most 11 devices per guest, as there
 * are 11 interrupts.  The device tree gives each a "virtio,mmio" node.
 */
#define CACHET_GUEST_VIRTIO_MMIO_BASE 0x02000000ULL
#define CACHET_GUEST_VIRTIO_MMIO_SIZE 0x00100000ULL
#define CACHET_GUEST_VIRTIO_MMIO_STRIDE 0x200ULL
#define CACHET_GUEST_VIRTIO_MMIO_SPI_FIRST 33
#define CACHET_GUEST_VIRTIO_MMIO_SPI_LAST 43
#define CACHET_GUEST_VIRTIO_MAX                                                         \
	(CACHET_GUEST_VIRTIO_MMIO_SPI_LAST - CACHET_GUEST_VIRTIO_MMIO_SPI_FIRST + 1)

#define CACHET_GUEST_RAM0_BASE 0x40000000ULL
#define CACHET_GUEST_RAM0_SIZE 0xc0000000ULL  /* 3 GiB */
#define CACHET_GUEST_RAM1_BASE 0x200000000ULL
#define CACHET_GUEST_RAM1_SIZE 0xfe00000000ULL /* 1016 GiB */
/* The most RAM a guest can have: both banks, in MiB (the one bound CLI, daemon and library use). */
#define CACHET_GUEST_RAM_MAX_MB ((CACHET_GUEST_RAM0_SIZE + CACHET_GUEST_RAM1_SIZE) >> 20)

#define CACHET_GUEST_TIMER_VIRT_PPI 27
#define CACHET_GUEST_TIMER_PHYS_S_PPI 29
#define CACHET_GUEST_TIMER_PHYS_NS_PPI 30

#define CACHET_GUEST_MAX_VCPUS 128

#endif
