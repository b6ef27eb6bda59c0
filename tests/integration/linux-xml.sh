#!/bin/sh
# A libvirt <domain type='xen'> document (as virsh users write them: single
# quotes, a clock, a graphics device Cachet does not have) creates a domain
# that boots Debian's arm64 kernel with 2 vCPUs; `cachet dumpxml` gives the
# running domain's XML, which names the same kernel, memory and UUID.
. "$(dirname "$0")/linux-lib.sh"
linux_assets
daemon_start 4 1024
xml="$CACHET_STATE_DIR/linux-xml.xml"
cat >"$xml" <<EOX
<domain type='xen'>
  <name>linux-xml</name>
  <uuid>9b2c7f40-61d5-4c7e-8a3f-52e1d0c9b7a6</uuid>
  <memory unit='MiB'>256</memory>
  <currentMemory unit='KiB'>262144</currentMemory>
  <vcpu placement='static'>2</vcpu>
  <os>
    <type arch='aarch64' machine='xenpv'>xen</type>
    <kernel>$LINUX_IMAGE</kernel>
    <initrd>$LINUX_INITRD</initrd>
    <cmdline>console=ttyAMA0 cachet.test=poweroff</cmdline>
  </os>
  <clock offset='utc' adjustment='reset'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>preserve</on_crash>
  <devices>
    <console type='pty'>
      <target type='xen' port='0'/>
    </console>
    <graphics type='vnc' port='-1' autoport='yes'/>
  </devices>
</domain>
EOX
"$CACHET_BIN" create -p "$xml" 2>"$CACHET_STATE_DIR/create.err" ||
	fail "create from XML: $(cat "$CACHET_STATE_DIR/create.err")"
grep -q "ignoring elements Cachet cannot honour: <devices/graphics>" "$CACHET_STATE_DIR/create.err" ||
	fail "no warning naming <graphics>: $(cat "$CACHET_STATE_DIR/create.err")"
dump=$(cachet dumpxml linux-xml) || fail "dumpxml"
for want in "<domain type=\"xen\" id=\"$(cachet domid linux-xml)\">" \
	'<uuid>9b2c7f40-61d5-4c7e-8a3f-52e1d0c9b7a6</uuid>' '<memory unit="KiB">262144</memory>' \
	'<vcpu placement="static">2</vcpu>' "<kernel>$LINUX_IMAGE</kernel>" \
	'<on_crash>preserve</on_crash>'; do
	printf '%s\n' "$dump" | grep -q -F -- "$want" || fail "dumpxml lacks $want: $dump"
done
cachet unpause linux-xml || fail "unpause"
linux_wait linux-xml '^CACHET-LINUX-UP ' 300 || fail "Linux did not come up"
marker=$(timeout 30 "$CACHET_BIN" console linux-xml </dev/null | tr -d '\r' | grep '^CACHET-LINUX-UP ')
[ "$marker" = "CACHET-LINUX-UP uname=$LINUX_KVER cpus=2" ] ||
	fail "marker '$marker', expected uname=$LINUX_KVER cpus=2"
pass "libvirt XML created a domain; Linux $LINUX_KVER booted with 2 vCPUs; dumpxml matches"
