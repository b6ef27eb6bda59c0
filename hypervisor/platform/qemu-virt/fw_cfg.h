/*
 * QEMU's firmware configuration device (docs/specs/fw_cfg.rst): the board
 * reports its CPU count through it.
 */
#ifndef QEMU_VIRT_FW_CFG_H
#define QEMU_VIRT_FW_CFG_H

#include <stdint.h>

#define FW_CFG_SIGNATURE 0x0000
#define FW_CFG_NB_CPUS 0x0005

/* 0 when the device is absent (no "QEMU" signature). */
uint16_t fw_cfg_read_u16(uint64_t base, uint16_t key);

#endif
