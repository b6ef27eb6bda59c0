#!/bin/bash
# The xl.cfg corpus: each tests/xlcfg/NAME.cfg goes through `cachet create -n`
# and its standard output, standard error and exit status must be those of
# NAME.expected, with the directory of the copy written as @D.  Each one that
# parses must also survive `cachet config-dump` (to xl.cfg, and through
# libxl's JSON) unchanged.
set -u
top_builddir=${top_builddir:-.}
srcdir=${top_srcdir:-.}
cachet=$(cd "$top_builddir" && pwd -P)/cli/cachet
dir=$(mktemp -d "${TMPDIR:-/tmp}/cachet-xlcfg.XXXXXX")
trap 'rm -rf "$dir"' EXIT
dir=$(cd "$dir" && pwd -P)
# The files the configurations name must exist: the parser checks them.
for f in vmlinuz initrd.img Image guest.dtb; do
	printf 'placeholder\n' >"$dir/$f"
done
fail=0
for cfg in "$srcdir"/tests/xlcfg/*.cfg; do
	name=$(basename "$cfg" .cfg)
	cp "$cfg" "$dir/$name.cfg"
	(cd "$dir" && "$cachet" create -n "$name.cfg" >out 2>err; echo "exit $?" >status)
	{
		cat "$dir/out"
		echo "--- stderr"
		cat "$dir/err"
		cat "$dir/status"
	} | sed "s|$dir|@D|g" >"$dir/$name.got"
	# CACHET_CORPUS_BLESS=1 writes the outputs as the new expectations, to review.
	if [ "${CACHET_CORPUS_BLESS:-0}" = 1 ]; then
		cp "$dir/$name.got" "$srcdir/tests/xlcfg/$name.expected"
	fi
	if ! diff -u "$srcdir/tests/xlcfg/$name.expected" "$dir/$name.got"; then
		echo "FAIL: $name"
		fail=1
	else
		echo "ok: $name"
	fi
	grep -q '^exit 0$' "$dir/$name.got" || continue
	# config-dump round trip: xl.cfg -> xl.cfg -> xl.cfg, and through libxl's JSON.
	(
		cd "$dir" &&
			"$cachet" config-dump "$name.cfg" >"$name.d1.cfg" 2>/dev/null &&
			"$cachet" config-dump "$name.d1.cfg" >"$name.d2.cfg" 2>/dev/null &&
			"$cachet" config-dump -j "$name.d1.cfg" >"$name.d1.json" 2>/dev/null &&
			"$cachet" config-dump "$name.d1.json" >"$name.d3.cfg" 2>/dev/null &&
			cmp -s "$name.d1.cfg" "$name.d2.cfg" && cmp -s "$name.d1.cfg" "$name.d3.cfg"
	) || {
		echo "FAIL: $name: config-dump does not give back the same configuration"
		fail=1
	}
done
exit $fail
