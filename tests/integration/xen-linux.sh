#!/bin/sh
# A libxc program (tests/xen/xc-boot.c, written against Xen 4.17's API
# only) builds Debian's arm64 kernel and busybox initramfs with the xc_dom
# API on Cachet: the guest reaches userspace, `cachet list` shows it as a
# domain created outside cachetd, and destroying it through libxc returns
# every page.  With no cachet.test= the guest stays at its shell until
# destroyed.  The guest boots with a device tree from `cachet dtb` made for
# 128 MiB and no ramdisk: xc_dom_build_image must write the initrd range and
# the 256 MiB it populated into it (the kernel then reports 262144K).
. "$(dirname "$0")/linux-lib.sh"
linux_assets
daemon_start 2 768
XEN="$top_builddir/tests/xen"
free0=$(free_mb)
printf 'name = "dt"\nkernel = "%s"\nmemory = 128\n' "$LINUX_IMAGE" >"$CACHET_STATE_DIR/dt.cfg"
cachet dtb -o "$CACHET_STATE_DIR/guest.dtb" "$CACHET_STATE_DIR/dt.cfg" 2>/dev/null ||
	fail "cachet dtb failed"
domid=$(timeout 60 "$XEN/xc-boot" "$LINUX_IMAGE" "$LINUX_INITRD" 256 \
	"console=ttyAMA0" "$CACHET_STATE_DIR/guest.dtb") || fail "xc-boot failed"
listed() { cachet list | grep -q "^(domid $domid) "; }
wait_for listed || fail "cachet list does not show domain $domid: $(cachet list)"
linux_wait "$domid" '^CACHET-LINUX-UP ' 300 || fail "no userspace marker on domain $domid"
linux_wait "$domid" 'Memory: [0-9]+K/262144K available' 10 ||
	fail "the kernel did not see the 256 MiB written into the device tree"
out=$("$XEN/xc-list") || fail "xc-list failed"
printf '%s\n' "$out" | grep -q "^domain $domid mem_kb 262144 vcpus 1 state r" ||
	fail "xc-list does not show domain $domid running with 256 MiB: $out"
"$XEN/xc-destroy" "$domid" || fail "xc_domain_destroy failed"
gone() { ! listed; }
wait_for gone || fail "domain $domid still listed after xc_domain_destroy"
[ "$(free_mb)" = "$free0" ] || fail "free memory $(free_mb) MiB after destroy, $free0 MiB before"
pass "Linux booted through xc_dom (with a cachet dtb tree) as domain $domid, listed, destroyed through libxc, memory returned"
