#!/bin/sh
# A guest that resets (PSCI SYSTEM_RESET) is built and booted again, as
# on_reboot = "restart" says; its console continues under the same name.
. "$(dirname "$0")/linux-lib.sh"
linux_assets
daemon_start 4 1024
linux_cfg rebooter 1 'cachet.test=reboot' >"$CACHET_STATE_DIR/r.cfg"
printf 'on_reboot = "restart"\n' >>"$CACHET_STATE_DIR/r.cfg"
cachet create "$CACHET_STATE_DIR/r.cfg" >/dev/null 2>&1 || fail "create rebooter"
restarted() { grep -q "'rebooter' restarted as domain" "$CACHET_STATE_DIR/cachetd.log"; }
second_up() {
	[ "$(timeout 20 "$CACHET_BIN" console rebooter </dev/null 2>/dev/null | tr -d '\r' |
		grep -c '^CACHET-LINUX-UP ')" -ge 2 ]
}
end=$(($(date +%s) + 300))
until restarted; do
	[ "$(date +%s)" -lt "$end" ] || fail "the guest was not restarted after its reset"
	sleep 0.5
done
# The restarted guest boots, then resets again; stop it once it is up.
boots_logged() {
	[ "$(grep -c '^CACHET-LINUX-UP ' "$CACHET_STATE_DIR/console/rebooter.log" 2>/dev/null)" -ge 2 ]
}
until boots_logged; do
	[ "$(date +%s)" -lt "$end" ] || fail "the restarted guest did not come up"
	sleep 0.5
done
cachet destroy rebooter || fail "destroy rebooter"
second_up || fail "the kept console does not show two boots"
timeout 20 "$CACHET_BIN" console rebooter </dev/null 2>/dev/null | grep -q '^CACHET-REBOOTING' ||
	fail "no reboot marker in the console"
pass "the guest reset, was rebuilt and booted again under the same name"
