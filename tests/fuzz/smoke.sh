#!/bin/bash
# make check's fuzz smoke test: every libFuzzer harness built for this tree
# runs its kept regression inputs and then fuzzes for a few seconds
# (FUZZ_SMOKE_SECONDS, default 3).  `make fuzz` runs them for longer.
set -uo pipefail
bins=(tests/fuzz/bin/fuzz_*)
if [[ ! -x ${bins[0]} ]]; then
	echo "SKIP: no fuzz harnesses built (configure found no clang with libFuzzer)"
	exit 77
fi
exec bash "$top_srcdir/tests/fuzz/run.sh" --seconds "${FUZZ_SMOKE_SECONDS:-3}" \
	--srcdir "$top_srcdir" "${bins[@]}"
