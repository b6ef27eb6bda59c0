#!/bin/sh
# Boots the hypervisor and checks the result of its boot-time self-test of
# the page allocator (palloc_selftest), which runs on the live allocator.
set -u
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

qemu_boot selftest-palloc 1 "$top_builddir/hypervisor/cachet-hv.elf" 60
run_until '^selftest: palloc (PASS|FAIL)' "$ITEST_PANIC_RE"
expect_no_line '^selftest: palloc FAIL'
expect_line '^selftest: palloc PASS'
pass "the page allocator self-test reported PASS at boot"
