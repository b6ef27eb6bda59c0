# shellcheck shell=sh
# Helpers for tests of the cache policies with the bare-metal test guests
# (sourced after daemon-lib.sh).
#
#     run_guest NAME [POLICY]      # boots NAME to its RESULT line, reads its
#                                  # cache-stats into STATS, destroys it
#     expect_stat WHAT KEY VALUE [WHY]

# run_guest NAME [POLICY]: sets OUT (the console) and STATS.
run_guest() {
	OUT=$(timeout 60 "$CACHET_BIN" create "$GUESTS/$1.cfg" 'on_poweroff="preserve"' \
		${2:+"cache_policy=\"$2\""} -c </dev/null 2>&1) ||
		fail "$1: cachet create failed: $OUT"
	# QEMU keeps memory coherent, so even the negative controls pass here.
	printf '%s\n' "$OUT" | grep -q "^RESULT: PASS $1\$" || fail "$1 did not pass: $OUT"
	if [ -n "${2:-}" ]; then
		cachet list -l "$1" | grep -q "\"cache_policy\": *\"$2\"" ||
			fail "$1: list -l does not show $2"
	fi
	STATS=$(cachet cache-stats "$1") || fail "$1: cache-stats failed"
	cachet destroy "$1" || fail "$1: destroy failed"
}

stat() {
	printf '%s\n' "$STATS" | awk -v k="$1" '$1 == k { print $2 }'
}

expect_stat() {
	[ "$(stat "$2")" = "$3" ] || fail "$1: $2 is '$(stat "$2")', expected $3${4:+ ($4)}"
}

# The VM-register writes the guest counted itself.
vmregs_total() {
	printf '%s\n' "$OUT" | sed -n 's/^VMREGS:.* total=\([0-9]*\).*/\1/p'
}

# The DC CISW operations the setway guest issued.
setway_ops() {
	printf '%s\n' "$OUT" | sed -n 's/^SETWAY: ops=\([0-9]*\)$/\1/p'
}
