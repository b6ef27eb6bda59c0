#!/bin/sh
# Malformed hypercall requests sent raw to the real hypervisor (abi_probe.c).
. "$(dirname "$0")/lib.sh"
command -v "$QEMU" >/dev/null 2>&1 || skip "$QEMU not found"
out=$(timeout 120 "$top_builddir/tests/integration/abi_probe" "$QEMU" \
	"$top_builddir/hypervisor/cachet-hv.elf" 2>&1) || fail "$out"
printf '%s\n' "$out"
pass "wrong ABI version, unknown ops and ids, bad sizes and padding rejected; memory unchanged"
