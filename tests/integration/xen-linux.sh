#!/bin/sh
# A libxc program (tests/xen/xc-boot.c, written against Xen 4.17's API
# only) builds Debian's arm64 kernel and busybox initramfs with the xc_dom
# API on Cachet: the guest reaches userspace, `cachet list` shows it as a
# domain created outside cachetd, and destroying it through libxc returns
# every page.  With no cachet.test= the guest stays at its shell until destroyed.
. "$(dirname "$0")/linux-lib.sh"
linux_assets
daemon_start 2 768
XEN="$top_builddir/tests/xen"
free0=$(free_mb)
domid=$(timeout 60 "$XEN/xc-boot" "$LINUX_IMAGE" "$LINUX_INITRD" 256 \
	"console=ttyAMA0") || fail "xc-boot failed"
listed() { cachet list | grep -q "^(domid $domid) "; }
wait_for listed || fail "cachet list does not show domain $domid: $(cachet list)"
linux_wait "$domid" '^CACHET-LINUX-UP ' 300 || fail "no userspace marker on domain $domid"
out=$("$XEN/xc-list") || fail "xc-list failed"
printf '%s\n' "$out" | grep -q "^domain $domid mem_kb 262144 vcpus 1 state r" ||
	fail "xc-list does not show domain $domid running with 256 MiB: $out"
"$XEN/xc-destroy" "$domid" || fail "xc_domain_destroy failed"
gone() { ! listed; }
wait_for gone || fail "domain $domid still listed after xc_domain_destroy"
[ "$(free_mb)" = "$free0" ] || fail "free memory $(free_mb) MiB after destroy, $free0 MiB before"
pass "Linux booted through xc_dom as domain $domid, listed, destroyed through libxc, memory returned"
