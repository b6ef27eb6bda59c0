#!/bin/sh
# The libxc example clients compile unchanged against Debian's real Xen 4.17
# headers (libxen-dev, for an aarch64 target, syntax only; -Werror makes a
# call Xen does not declare fail) and against Cachet's (host compiler):
# both headers agree on every name the examples use.
set -u
: "${top_srcdir:=.}"
CROSS=${CROSS_CC:-aarch64-linux-gnu-gcc}
command -v "$CROSS" >/dev/null 2>&1 || { echo "SKIP: $CROSS not found"; exit 77; }
[ -f /usr/include/xenctrl.h ] && [ -f /usr/include/xenguest.h ] ||
	{ echo "SKIP: libxen-dev is not installed"; exit 77; }
rc=0
for f in $XEN_EXAMPLES; do
	src="$top_srcdir/$f"
	if ! "$CROSS" -fsyntax-only -Wall -Wextra -Werror -idirafter /usr/include "$src"; then
		echo "FAIL: $f against Debian's Xen headers"
		rc=1
	fi
	if ! ${CC:-cc} -fsyntax-only -Wall -Wextra -Werror \
		-I"$top_srcdir/include/cachet/xen" "$src"; then
		echo "FAIL: $f against Cachet's headers"
		rc=1
	fi
done
[ "$rc" = 0 ] && echo "PASS: $(echo $XEN_EXAMPLES | wc -w) examples against both header sets"
exit $rc
