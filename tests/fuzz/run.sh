#!/bin/bash
# Runs libFuzzer harnesses: first every input kept in tests/fuzz/regress/NAME
# (inputs that once crashed it), then fuzzing for a while from the seed
# corpus tests/fuzz/corpus/NAME.  Prints one line per harness with the
# executions, the coverage reached and the corpus size; on a crash, the
# input is kept under tests/fuzz/work/NAME/ and the command to replay it is
# printed.
#
#   run.sh --seconds N [--srcdir DIR] tests/fuzz/bin/fuzz_NAME...
# Exit status: 0 if no harness crashed, 1 otherwise.
set -uo pipefail
shopt -s nullglob

seconds=5 srcdir=.
while (($#)); do
	case $1 in
	--seconds) seconds=$2; shift 2 ;;
	--srcdir) srcdir=$2; shift 2 ;;
	--) shift; break ;;
	-*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done

# Reads libFuzzer's -print_final_stats output and its last status line.
fuzz_summary() {
	local log=$1 execs cov ft corp
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	ft=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	corp=$(grep -o 'corp: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	printf '%s execs, cov %s, ft %s, corpus %s' "${execs:-0}" "${cov:-?}" "${ft:-?}" "${corp:-?}"
}

fuzz_one() {
	local bin=$1 name work log regress
	name=$(basename "$bin"); name=${name#fuzz_}
	work=tests/fuzz/work/$name
	rm -rf "$work"; mkdir -p "$work/corpus"
	log=$work/fuzz.log
	regress=("$srcdir/tests/fuzz/regress/$name"/*)
	if ((${#regress[@]})) &&
		! "$bin" -artifact_prefix="$work/" "${regress[@]}" >"$work/regress.log" 2>&1; then
		echo "FAIL fuzz $name: a kept regression input crashes again; see $work/regress.log"
		tail -n 30 "$work/regress.log"
		return 1
	fi
	if ! "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$work/" \
		"$work/corpus" "$srcdir/tests/fuzz/corpus/$name" >"$log" 2>&1; then
		echo "FAIL fuzz $name: crashed after $(fuzz_summary "$log"); replay with:"
		echo "  $bin $(ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* 2>/dev/null | head -n 1)"
		grep -m 1 -A 25 'ERROR:\|runtime error' "$log"
		return 1
	fi
	echo "ok   fuzz $name: ${#regress[@]} regression inputs, $seconds s: $(fuzz_summary "$log")"
}

status=0
for bin in "$@"; do
	fuzz_one "$bin" || status=1
done
exit "$status"
