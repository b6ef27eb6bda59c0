#!/bin/bash
# libvirt domain XML <-> xl.cfg through `cachet domxml-from-native xen-xl`
# and `cachet domxml-to-native xen-xl`:
# - each NAME.cfg converts to NAME.xml, and NAME.xml back to NAME.cfg;
# - each libvirt-*.xml (written as libvirt writes, or malformed) converts to
#   the output, warnings and exit status of its .expected file.
set -u
srcdir=${top_srcdir:-.}
cachet=$(cd "${top_builddir:-.}" && pwd -P)/cli/cachet
dir=$(mktemp -d "${TMPDIR:-/tmp}/cachet-xml.XXXXXX")
trap 'rm -rf "$dir"' EXIT
fail=0
check() { # NAME EXPECTED-FILE GOT-FILE
	if diff -u "$2" "$3"; then
		echo "ok: $1"
	else
		echo "FAIL: $1"
		fail=1
	fi
}
for cfg in "$srcdir"/tests/xml/*.cfg; do
	name=$(basename "$cfg" .cfg)
	"$cachet" domxml-from-native xen-xl "$cfg" >"$dir/$name.xml" 2>/dev/null
	check "$name from-native" "$srcdir/tests/xml/$name.xml" "$dir/$name.xml"
	"$cachet" domxml-to-native xen-xl "$srcdir/tests/xml/$name.xml" >"$dir/$name.cfg" 2>/dev/null
	check "$name to-native" "$cfg" "$dir/$name.cfg"
done
for xml in "$srcdir"/tests/xml/libvirt-*.xml; do
	name=$(basename "$xml" .xml)
	{
		(cd "$srcdir/tests/xml" && "$cachet" domxml-to-native xen-xl "$name.xml" 2>&1)
		echo "exit $?"
	} >"$dir/$name.got"
	# CACHET_XML_BLESS=1 writes the outputs as the new expectations, to review.
	if [ "${CACHET_XML_BLESS:-0}" = 1 ]; then
		cp "$dir/$name.got" "$srcdir/tests/xml/$name.expected"
	fi
	check "$name to-native" "$srcdir/tests/xml/$name.expected" "$dir/$name.got"
done
exit $fail
