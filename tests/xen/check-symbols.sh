#!/bin/sh
# Each shared library exports exactly the names of its version script and
# carries a versioned soname: libcachet libbuild/libcachet.map (cachet_*
# names only), the libxc compatibility libraries libxc/*.map.
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
	want=$(sed -n '/global:/,/local:/p' "$top_srcdir/$2" | tr ' ;\t' '\n\n\n' |
		grep -E '^[a-z_][a-z0-9_]*$' | grep -v -x -e global -e local | sort -u)
	# The version nodes (CACHET_0, CACHET_XEN_4.17) show as absolute symbols.
	got=$(exported "$LIBS/$1.so" | grep -v '^CACHET_')
	if [ "$want" != "$got" ]; then
		echo "FAIL: $1 exports differ from $2:"
		printf '%s\n' "$want" >"$top_builddir/tests/xen/$1.want"
		printf '%s\n' "$got" | diff "$top_builddir/tests/xen/$1.want" - || true
		rc=1
	fi
	check_soname "$1"
}

bad=$(exported "$LIBS/libcachet.so" | grep -v '^cachet_' || true)
[ -z "$bad" ] || { echo "FAIL: libcachet exports non-cachet_ symbols: $bad"; rc=1; }
check_map libcachet libbuild/libcachet.map
check_map libcachet-xenctrl libxc/xenctrl.map
check_map libcachet-xenguest libxc/xenguest.map
check_map libcachet-xenforeignmemory libxc/xenforeignmemory.map
[ "$rc" = 0 ] && echo "PASS: exported symbols and sonames as listed"
exit $rc
