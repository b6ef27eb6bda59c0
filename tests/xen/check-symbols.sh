#!/bin/sh
# Each shared library exports exactly its list and carries a versioned
# soname: libcachet only cachet_* symbols; the libxc compatibility
# libraries exactly the names of their version scripts (libxc/*.map).
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
LIBS="$top_builddir/.libs"
command -v nm >/dev/null 2>&1 && command -v readelf >/dev/null 2>&1 ||
	{ echo "SKIP: nm/readelf not found"; exit 77; }
rc=0

exported() {
	nm -D --defined-only "$1" | awk '$2 ~ /^[TDBRVW]$/ { sub(/@.*/, "", $3); print $3 }' | sort -u
}

check_soname() {
	so=$(readelf -d "$LIBS/$1.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
	[ "$so" = "$1.so.0" ] || { echo "FAIL: $1 soname is '$so', want $1.so.0"; rc=1; }
}

check_map() {
	want=$(sed -n '/global:/,/local:/p' "$top_srcdir/libxc/$2.map" | tr ' ;\t' '\n\n\n' |
		grep -E '^[a-z_][a-z0-9_]*$' | grep -v -x -e global -e local | sort -u)
	got=$(exported "$LIBS/$1.so" | grep -v -x CACHET_XEN_4.17)
	if [ "$want" != "$got" ]; then
		echo "FAIL: $1 exports differ from libxc/$2.map:"
		printf '%s\n' "$want" >"$top_builddir/tests/xen/$2.want"
		printf '%s\n' "$got" | diff "$top_builddir/tests/xen/$2.want" - || true
		rc=1
	fi
	check_soname "$1"
}

bad=$(exported "$LIBS/libcachet.so" | grep -v '^cachet_' || true)
[ -z "$bad" ] || { echo "FAIL: libcachet exports non-cachet_ symbols: $bad"; rc=1; }
check_soname libcachet
check_map libcachet-xenctrl xenctrl
check_map libcachet-xenguest xenguest
check_map libcachet-xenforeignmemory xenforeignmemory
[ "$rc" = 0 ] && echo "PASS: exported symbols and sonames as listed"
exit $rc
